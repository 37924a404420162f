"""One look for every plotly figure, on pages and in briefings: fonts, colours per contribution
mode and per verdict, axes, people counts and months no source reports. No request, no ORM.

    fig = chartstyle.apply(go.Figure(...), title=_("Troops by month"), height=320)
    chartstyle.people_axis(fig, title=_("personnel"), peak=frame["total"].max())
    chartstyle.no_data_bands(fig, missing_months, label=_("no UN report"))
    marker={"color": chartstyle.MODE_COLOURS["individual"]}

Numbers follow the page's language (`separators`, from Django's formats for the active locale:
1,234.5 in English and in Mexican Spanish, pkoanalysis/formats/es), not plotly.js's own Spanish
locale, which would write 1 234,5 under text that writes 1,234.5.

The template replaces plotly's default one, which would add ~6 KB of trace defaults to every
figure's JSON. Titles are escaped with `as_text` (plotly.js draws a subset of HTML in text).
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from django.utils import formats

FONT = "system-ui, -apple-system, Segoe UI, Roboto, sans-serif"
INK, MUTED, GRID, AXIS_LINE = "#1d2733", "#5c6b7a", "#eeeeee", "#cccccc"
NO_DATA = "#eceff3"  # the shaded band behind months no source reports
MEXICO = "#006341"
PALETTE = ["#1f5f8b", "#e07b39", "#3a9a6b", "#b8405e", "#7b5ea7", "#c9a227", "#4aa3c8", "#8c8c8c",
           "#5d7f3a", "#d1495b", "#2e4057", "#ee964b"]

# Keyed by ContributionMode.code and by the feasibility verdicts of risks.feasibility.
MODE_COLOURS = {
    "national_contingent": "#1f5f8b",
    "private_military_company": "#8c8c8c",
    "mixed_contingent": "#7b5ea7",
    "individual": "#3a9a6b",
    "civilian": "#c9a227",
}
VERDICT_COLOURS = {"feasible": "#2e7d4f", "conditional": "#d9a21b", "infeasible": "#b3261e"}

_AXIS = {"gridcolor": GRID, "linecolor": AXIS_LINE, "zerolinecolor": AXIS_LINE, "automargin": True,
         "title": {"standoff": 8, "font": {"color": MUTED}}}
TEMPLATE = go.layout.Template(layout={
    "font": {"family": FONT, "size": 12, "color": INK},
    "colorway": PALETTE,
    "paper_bgcolor": "white", "plot_bgcolor": "white",
    "hoverlabel": {"font": {"family": FONT}},
    "legend": {"orientation": "h", "y": -0.15, "x": 0, "yanchor": "top"},
    "xaxis": _AXIS, "yaxis": _AXIS,
    "geo": {"bgcolor": "white"},
})


def as_text(value: object) -> str:
    """User text (a name, an acronym) as plotly must receive it to show it as typed: with <, >
    and & escaped, plotly.js neither draws tags (<b>x</b> in bold, <img ...> dropped) nor
    decodes entities. Use it on every name that goes into a figure."""
    text = "" if value is None else str(value)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def separators() -> str:
    """plotly's `separators` layout value for the active language: the decimal mark, then the
    thousands separator (".," in English and in Mexican Spanish)."""
    return formats.get_format("DECIMAL_SEPARATOR") + (formats.get_format("THOUSAND_SEPARATOR") or ",")


def apply(fig: go.Figure, *, title: str = "", height: int = 380, legend: bool = True,
          hovermode: str = "x unified") -> go.Figure:
    """The house template, an escaped left-aligned title, a height in px (the width follows the
    page: never set one), the language's number separators and y axes from zero. Returns the
    same figure."""
    fig.update_layout(
        template=TEMPLATE, separators=separators(),
        title={"text": as_text(title), "x": 0, "xanchor": "left", "font": {"size": 15}} if title else None,
        height=height, autosize=True, margin={"l": 50, "r": 20, "t": 50 if title else 20, "b": 40},
        showlegend=legend, hovermode=hovermode,
    )
    fig.update_yaxes(rangemode="tozero")
    return fig


def people_axis(fig: go.Figure, *, title: str = "", peak: float = 0, axis: str = "y") -> go.Figure:
    """An axis counting people: whole-number ticks (plotly would tick 0, 0.5, 1... under a peak of
    5), thousands separators in hover, an optional title. peak: the largest value drawn (the
    top of the highest stack for stacked bars)."""
    update = {"hoverformat": ",.0f", "rangemode": "tozero"}
    if title:
        update["title_text"] = title
    if 0 < peak < 5:
        update |= {"dtick": 1, "tick0": 0}
    (fig.update_xaxes if axis == "x" else fig.update_yaxes)(**update)
    return fig


def missing_spans(index: pd.DatetimeIndex, missing: pd.Series) -> list[tuple[pd.Timestamp, pd.Timestamp]]:
    """Runs of consecutive True in `missing` (month-indexed) as (first, last) month pairs."""
    spans, start, previous = [], None, None
    for month, gap in zip(index, missing.to_numpy(), strict=True):
        if gap and start is None:
            start = month
        if not gap and start is not None:
            spans.append((start, previous))
            start = None
        previous = month
    if start is not None:
        spans.append((start, previous))
    return spans


def no_data_bands(fig: go.Figure, spans: list[tuple[pd.Timestamp, pd.Timestamp]], *, label: str,
                  hover: str = "", peak: float = 0, bar_width: float | None = None) -> go.Figure:
    """Shade months no source reports (monthly bars are centred on the 1st, so a band runs from
    half a month before the first to half a month after the last), with one legend entry and,
    for bar charts given `hover` and their `peak` (tallest stack) and bar width, a hover label on
    each missing month instead of a silent blank."""
    for i, (first, last) in enumerate(spans):
        fig.add_shape(type="rect", xref="x", yref="paper", y0=0, y1=1, layer="below", line={"width": 0},
                      x0=first - pd.Timedelta(days=15), x1=last + pd.Timedelta(days=15), fillcolor=NO_DATA,
                      name=label, legendgroup="no-data", showlegend=i == 0)
    if spans and hover and peak > 0:
        # An invisible bar as tall as the tallest stack: hovering a missing month finds it the
        # way it finds any month's bars (an invisible marker at 0 would steal the hover nearby).
        months = [m for first, last in spans for m in pd.date_range(first, last, freq="MS")]
        fig.add_trace(go.Bar(x=months, y=[peak] * len(months), marker={"opacity": 0}, name=label, width=bar_width,
                             showlegend=False, hovertemplate=as_text(hover) + "<extra></extra>"))
    return fig
