"""The briefing's charts: the pages' figures (risks.charts, same chart style) set for print,
each with a caption and a one-line takeaway written from the data, and their PNG images.

Print size: a figure is drawn PRINT_WIDTH px wide and printed across the text block (about
17 cm on A4 or Letter), so a PRINT_FONT px font prints at about 9.5 pt; every text in the
figure (ticks, legend, labels, annotations) is set to at least that size.
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go
from django.core.cache import cache
from django.utils.translation import gettext as _

from briefings.data import BriefingData
from briefings.text import month_year, num, pct, separators
from pkoanalysis import chartstyle
from risks import charts

PRINT_WIDTH = 680
PRINT_FONT = 13
# Slides: a chart fills most of a 13.3 x 7.5 in slide (about 11 in wide), so a SLIDE_WIDTH px
# figure shows SLIDE_FONT px text at about 16 pt, legible from the back of a room; a slide
# shows fewer bars (SLIDE_BARS) so that each label keeps that size.
SLIDE_WIDTH = 1000
SLIDE_FONT = 20
SLIDE_BARS = 8
_kaleido_lock = threading.Lock()
_kaleido_started = False


@dataclass
class Chart:
    caption: str
    takeaway: str
    figure: go.Figure
    height: int
    width: int = PRINT_WIDTH


IMAGE_CACHE_SECONDS = 24 * 3600


def image_key(fig: go.Figure, width: int, height: int) -> str:
    """The same figure JSON at the same size draws the same picture: the cache key of its PNG."""
    return "briefings:png:" + hashlib.sha256(f"{width}x{height}:{fig.to_json()}".encode()).hexdigest()


def figure_png(fig: go.Figure, width: int = PRINT_WIDTH, height: int = 420) -> bytes:
    """PNG bytes of a figure through kaleido's sync server (started once per process), at 2x.
    Cached under the figure's content, so re-exporting a briefing (another client, paper or
    format) draws none of its unchanged charts again."""
    return cache.get_or_set(image_key(fig, width, height), lambda: draw_png(fig, width, height),
                            IMAGE_CACHE_SECONDS)


def draw_png(fig: go.Figure, width: int, height: int) -> bytes:
    import kaleido

    global _kaleido_started
    with _kaleido_lock:
        if not _kaleido_started:
            kaleido.start_sync_server(silence_warnings=True)
            _kaleido_started = True
        return kaleido.calc_fig_sync(fig, opts={"format": "png", "width": width, "height": height, "scale": 2})


def for_print(fig: go.Figure, height: int, width: int = PRINT_WIDTH, font: int = PRINT_FONT) -> go.Figure:
    """No title (the caption says it), print-size fonts everywhere (ticks, legend, annotations,
    every trace's text), locale number separators."""
    fig.update_layout(title=None, height=height, width=width, separators=separators(),
                      font={"size": font}, legend={"font": {"size": font}},
                      margin={"l": 10, "r": 20, "t": 30, "b": 10})
    fig.update_xaxes(automargin=True, tickfont={"size": font}, title_font={"size": font})
    fig.update_yaxes(automargin=True, tickfont={"size": font}, title_font={"size": font})
    for annotation in fig.layout.annotations or ():
        annotation.font = {"size": font}
    for kind in ("scatter", "bar", "waterfall"):
        fig.update_traces(textfont={"size": font}, selector={"type": kind})
    return fig


MAX_LABELS = 6


def spread_labels(fig: go.Figure, keep: set[str]) -> None:
    """Chosen missions' labels on the risk-opportunity chart, for print: only those in `keep`
    (at most MAX_LABELS; the table names the rest). In the order of their x, labels go
    alternately to rows above and below the cloud of chosen points, one label per row, each
    with a leader line to its point: no two labels share a row, none covers a point."""
    for trace in fig.data:
        if trace.mode == "markers+text" and trace.x is not None and len(trace.x):
            top = float(fig.layout.yaxis.range[1]) if fig.layout.yaxis.range else max(trace.y) * 1.2
            step = top * 0.075
            high, low = max(trace.y), min(trace.y)
            points = sorted((x, y, t) for x, y, t in zip(trace.x, trace.y, trace.text, strict=True) if t in keep)
            trace.mode, trace.text = "markers", None
            # Rows below the cloud as far as the axis allows; the rest above, the axis raised to fit.
            n_below = min(len(points) // 2, max(0, int((low - top * 0.03) // step)))
            n_above = len(points) - n_below
            if high + step * (n_above + 0.6) > top:
                fig.update_yaxes(range=[0, high + step * (n_above + 0.6)])
            above = [high + step * level for level in range(1, n_above + 1)]
            below = [low - step * level for level in range(1, n_below + 1)]
            for k, (x, y, text) in enumerate(points):
                row = (above if (k % 2 == 0 and above) or not below else below).pop(0)
                fig.add_annotation(x=x, y=y, text=text, ax=x, ay=row, axref="x", ayref="y", showarrow=True,
                                   arrowhead=0, arrowwidth=1, arrowcolor=chartstyle.MUTED,
                                   bgcolor="rgba(255,255,255,0.85)")


def charts_for(data: BriefingData, *, slides: bool = False) -> list[Chart]:
    """The briefing's charts in reading order (in the active language); slides: drawn wider, with
    larger text and fewer bars, to be projected."""
    r = data.result
    verdicts = {"feasible": _("Feasible"), "conditional": _("Conditional"), "infeasible": _("Infeasible")}
    chosen = [o for o in r["options"] if o["selected"]]
    items = []
    # The result's averages run over the admissible chosen missions, or over all of them when none is
    # (risks.services): say which.
    scope = (_("average of the admissible chosen missions") if any(o["feasibility"] != "infeasible" for o in chosen)
             else _("average of all chosen missions, none admissible"))

    scatter = charts.risk_opportunity(r["options"], verdicts)
    ranked = sorted(chosen, key=lambda o: (bool(o.get("excluded_by")), -o["net"]))
    spread_labels(scatter, {chartstyle.as_text(o["mission"]) for o in ranked[:MAX_LABELS]})
    scatter.update_layout(legend={"orientation": "h", "y": -0.2})
    best = max((o for o in chosen if not o.get("excluded_by")), key=lambda o: o["net"], default=None)
    items.append(Chart(_("Risk against opportunity for every mission (chosen missions labelled)") if len(chosen) <= MAX_LABELS
                       else _("Risk against opportunity for every mission (the %(n)s best chosen missions labelled)")
                       % {"n": MAX_LABELS},
                       _("Above the dotted line opportunity outweighs risk; %(m)s has the highest net score of the "
                         "admissible chosen missions (%(net)s).") % {"m": best["mission"], "net": num(best["net"], sign=True)}
                       if best else _("No chosen mission is admissible."), scatter, 430))

    contributions = sorted(r["contributions"], key=lambda c: c["contribution"])
    top, bottom = contributions[-1], contributions[0]
    items.append(Chart(_("Contribution of each factor to the net score (%(scope)s)") % {"scope": scope},
                       _("Largest gain: %(up)s (%(upv)s); largest loss: %(down)s (%(downv)s).") % {
                           "up": data.factor_names.get(top["factor"], top["factor"]),
                           "upv": num(top["contribution"], sign=True),
                           "down": data.factor_names.get(bottom["factor"], bottom["factor"]),
                           "downv": num(bottom["contribution"], sign=True)},
                       charts.waterfall(r["contributions"], data.factor_names, r["net"],
                                        **({"limit": SLIDE_BARS} if slides else {})),
                       max(420, 26 * min(15, len(contributions)) + 120)))

    by_category = pd.DataFrame(r["contributions"]).groupby("category")["contribution"].sum().sort_values()
    category_fig = go.Figure(go.Bar(
        x=by_category.to_numpy(), y=[chartstyle.as_text(data.category_names.get(c, c)) for c in by_category.index],
        orientation="h", marker={"color": [chartstyle.VERDICT_COLOURS["infeasible"] if v < 0 else
                                           chartstyle.VERDICT_COLOURS["feasible"] for v in by_category.to_numpy()]}))
    chartstyle.apply(category_fig, height=360, legend=False)
    category_fig.update_xaxes(title_text=_("net contribution"))
    items.append(Chart(_("Net contribution by category (%(scope)s)") % {"scope": scope},
                       _("%(best)s adds most to the net score; %(worst)s takes most from it.") % {
                           "best": data.category_names.get(by_category.index[-1], by_category.index[-1]),
                           "worst": data.category_names.get(by_category.index[0], by_category.index[0])},
                       category_fig, 360))

    draws = len(r["distribution"])
    distribution = charts.distribution(r["distribution"], r["p10"], r["p50"], r["p90"], r["p_positive"])
    for annotation, label, value in zip(distribution.layout.annotations, ("P10", "P50", "P90"),
                                        (r["p10"], r["p50"], r["p90"]), strict=False):
        annotation.text = f"{label} {num(value, sign=True)}"  # in the briefing's number format
    items.append(Chart(_("Uncertainty of the net score over %(n)s simulations") % {"n": num(draws, 0)},
                       _("The net score (%(scope)s) lies between %(p10)s and %(p90)s (P10-P90) and is positive in "
                         "%(p)s of the simulations.") % {"p10": num(r["p10"], sign=True), "p90": num(r["p90"], sign=True),
                                                        "p": pct(r["p_positive"]), "scope": scope},
                       distribution, 360))

    if r["sensitivity"]:
        first = r["sensitivity"][0]
        tornado = charts.tornado(r["sensitivity"], data.factor_names, r["net"], **({"limit": SLIDE_BARS} if slides else {}))
        tornado.update_annotations(yanchor="bottom")  # "expected" above the bars, not over the first one
        items.append(Chart(_("Sensitivity (tornado): each input from its own P10 to its P90"),
                           _("The net score depends most on %(f)s: from %(lo)s to %(hi)s.") % {
                               "f": data.factor_names.get(first["factor"], first["factor"]),
                               "lo": num(first["low"], sign=True), "hi": num(first["high"], sign=True)},
                           tornado,
                           max(380, 28 * min(12, len(r["sensitivity"])) + 140)))

    mexico = data.mexico_monthly
    mexico_fig = go.Figure(go.Bar(x=mexico.index, y=mexico.to_numpy(), marker={"color": chartstyle.MEXICO},
                                  name=_("uniformed personnel")))
    chartstyle.apply(mexico_fig, height=320, legend=False)
    chartstyle.people_axis(mexico_fig, title=_("uniformed personnel"), peak=float(mexico.max() or 0))
    mexico_fig.update_xaxes(tickformat="%Y", dtick="M12")
    chartstyle.no_data_bands(mexico_fig, chartstyle.missing_spans(mexico.index, mexico.isna()),
                             label=_("no data for these months"))
    mexico_fig.update_layout(showlegend=bool(mexico.isna().any()), legend={"orientation": "h", "y": -0.15})
    known = mexico.dropna()
    if len(known):
        items.append(Chart(_("Context: Mexico's uniformed personnel in UN operations, 2015-2025"),
                           _("%(n)s in %(last)s; the peak was %(peak)s in %(when)s.") % {
                               "n": num(known.iloc[-1], 0), "last": month_year(known.index[-1]),
                               "peak": num(known.max(), 0), "when": month_year(known.idxmax())},
                           mexico_fig, 320))

    shares = [row for row in r.get("rank_acceptability") or [] if row["share"] > 0]
    if shares:
        leader = max(shares, key=lambda row: row["share"])
        items.append(Chart(_("First-rank acceptability: how often each chosen mission is the best of all"),
                           _("%(m)s is the best option in %(s)s of the draws over uncertain inputs and weights.") % {
                               "m": leader["mission"], "s": pct(leader["share"])},
                           charts.acceptability(shares), max(240, 40 * len(shares) + 100)))
    for chart in items:
        if slides:
            chart.width, chart.height = SLIDE_WIDTH, 470
            for_print(chart.figure, chart.height, SLIDE_WIDTH, SLIDE_FONT)
        else:
            for_print(chart.figure, chart.height)
    return items


def validation_chart(data: BriefingData) -> Chart | None:
    """The method appendix's small chart: the hazards' backtest, predicted against observed."""
    bins = (data.validation or {}).get("bins")
    if not bins:
        return None
    fig = charts.calibration(pd.DataFrame(bins), height=300)
    fig.update_layout(title=None, margin={"t": 20})
    for_print(fig, 300)
    return Chart(_("How good are these numbers? The fatality hazards' backtest"), "", fig, 300)
