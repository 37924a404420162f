"""DataFrames -> plotly Figures for the missions pages. No request, no ORM.

graph_objects only: plotly.express costs ~40 ms a figure. The look (fonts, colours, axes, no-data
bands, whole-number ticks for people) comes from pkoanalysis.chartstyle. plotly.js draws a subset
of HTML in text, so every piece of user text goes into a figure through `as_text`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from pkoanalysis import chartstyle
from pkoanalysis.chartstyle import MEXICO, PALETTE, as_text  # noqa: F401 - re-exported for risks.charts

TYPE_COLOURS = {
    "troops": "#1f5f8b", "staff_officers": "#4aa3c8", "experts": "#3a9a6b",
    "individual_police": "#e07b39", "formed_police": "#b8405e", "police": "#c9a227",
}
MONTH_BAR_MS = 27 * 24 * 3600 * 1000  # a monthly bar's width on a date axis, whatever months have data
COUNTRY_COLOURS = {"MEX": MEXICO, "ARG": "#6cace4", "BRA": "#f2a900", "CHL": "#d52b1e",
                   "JPN": "#7b5ea7", "URY": "#2e4057"}


def base_layout(fig: go.Figure, *, title: str = "", height: int = 380, legend: bool = True) -> go.Figure:
    """The house layout (kept for the figure builders that predate pkoanalysis.chartstyle)."""
    return chartstyle.apply(fig, title=title, height=height, legend=legend)


def mission_map(missions: pd.DataFrame, labels: dict[str, str]) -> go.Figure:
    """missions: acronym, name, is_active, hq_latitude, hq_longitude, hq_location, latest,
    mexicans (reports with Mexicans, ever), mexicans_now (Mexicans in the latest month).
    labels: active, closed, personnel, mexico, yes, no, mexico_now, mexico_before."""
    fig = go.Figure()
    size = 6 + np.sqrt(missions["latest"].fillna(0).astype(float)) / 6
    for active, name, colour in ((False, labels["closed"], "#9aa5b1"), (True, labels["active"], "#1f5f8b")):
        part = missions[missions["is_active"] == active]
        latest = part["latest"].fillna(0).astype(float)
        fig.add_trace(go.Scattergeo(
            lat=part["hq_latitude"], lon=part["hq_longitude"], name=name, mode="markers",
            marker={"size": size[part.index], "color": colour, "opacity": 0.85 if active else 0.55,
                    "line": {"width": 0.5, "color": "white"}},
            text=part["acronym"].map(as_text),
            meta={"columns": {"text": labels.get("acronym", ""), "customdata": [
                labels.get("name", ""), labels.get("hq", ""), labels["personnel"], labels["mexico"]]}},
            customdata=np.stack([part["name"].map(as_text), part["hq_location"].map(as_text), latest.astype(int),
                                 np.where(part["mexicans_now"].fillna(0) > 0, labels["mexico_now"],
                                          np.where(part["mexicans"] > 0, labels["mexico_before"], labels["no"]))],
                                axis=-1)
            if len(part) else None,
            hovertemplate="<b>%{text}</b><br>%{customdata[0]}<br>%{customdata[1]}<br>"
                          + labels["personnel"] + ": %{customdata[2]:,}<br>"
                          + labels["mexico"] + ": %{customdata[3]}<extra></extra>",
        ))
    # Rings around the missions where Mexico serves (bold) or served (thin): their own traces,
    # so the legend names them and they draw above every mission circle.
    now = missions["mexicans_now"].fillna(0) > 0
    for ring, name, width, colour in ((now, labels["mexico_now"], 3, MEXICO),
                                      (~now & (missions["mexicans"] > 0), labels["mexico_before"], 1.5, "#5fa77f")):
        part = missions[ring]
        fig.add_trace(go.Scattergeo(
            lat=part["hq_latitude"], lon=part["hq_longitude"], name=name, mode="markers", hoverinfo="skip",
            marker={"size": size[part.index] + 7, "symbol": "circle-open", "color": colour,
                    "line": {"width": width, "color": colour}},
        ))
    fig.update_geos(showcountries=True, countrycolor="#d0d7de", showland=True, landcolor="#f4f1ea",
                    showocean=True, oceancolor="#eaf2f8", projection_type="natural earth",
                    showframe=False, lataxis_range=[-58, 84])  # Tierra del Fuego in, Antarctica out
    chartstyle.apply(fig, height=430, legend=True, hovermode="closest")
    fig.update_layout(margin={"l": 0, "r": 0, "t": 10, "b": 10}, legend={"y": 0, "yanchor": "top"})
    return fig


def stacked_monthly(series: dict[str, pd.Series], names: dict[str, str], colours: dict[str, str],
                    *, title: str, y_title: str, no_data: str = "", no_data_hover: str = "") -> go.Figure:
    """series: key -> month-indexed counts over one shared index (NaN = no source reports the
    month). Stacked bars; months every series misses are shaded and labelled `no_data`, never
    drawn as zeros. Zeros are left out of the bars so the hover box lists the non-zero series only."""
    fig = go.Figure()
    frame = pd.DataFrame(series)
    for i, (key, values) in enumerate(series.items()):
        # Only the months with someone there: plotly makes an element for every point, drawn or
        # not, and 35 years of mostly empty months cost more to draw than the bars themselves.
        shown = values[values > 0]
        if shown.empty:
            continue
        fig.add_trace(go.Bar(
            x=shown.index, y=shown.to_numpy(), name=as_text(names.get(key, key)), width=MONTH_BAR_MS,
            marker={"color": colours.get(key, PALETTE[i % len(PALETTE)]), "line": {"width": 0}},
            hovertemplate="%{y:,.0f}",
        ))
    chartstyle.apply(fig, title=title)
    fig.update_layout(barmode="stack", bargap=0.05)
    peak = float(np.nanmax(frame.sum(axis=1, min_count=1).to_numpy(), initial=0)) if len(frame.columns) else 0
    chartstyle.people_axis(fig, title=y_title, peak=peak)
    if no_data and len(frame.columns):
        missing = frame.isna().all(axis=1)
        chartstyle.no_data_bands(fig, chartstyle.missing_spans(frame.index, missing), label=no_data,
                                 hover=no_data_hover, peak=peak, bar_width=MONTH_BAR_MS)
    return fig


def share_line(share: pd.Series, *, title: str, name: str, finding: str = "") -> go.Figure:
    """share: month-indexed fraction in [0, 1] (NaN where sex is not reported). finding: a
    sentence the title ends with, formatted with share and month (the latest reported)."""
    known = share.dropna()
    if finding and len(known):
        title = f"{title}: " + finding % {"share": f"{known.iloc[-1]:.0%}", "month": f"{known.index[-1]:%Y-%m}"}
    fig = go.Figure(go.Scatter(
        x=share.index, y=share.to_numpy(), name=name, mode="lines+markers",
        line={"color": "#b8405e", "width": 2}, marker={"size": 4}, connectgaps=False,
        hovertemplate="%{y:.0%}",
    ))
    chartstyle.apply(fig, title=title, height=280, legend=False)
    fig.update_yaxes(tickformat=".0%", range=[0, max(0.5, float(np.nanmax(share.to_numpy(), initial=0)) * 1.1)])
    return fig


def comparator_lines(series: dict[str, pd.Series], names: dict[str, str], *, title: str,
                     y_title: str, linear: str, log: str) -> go.Figure:
    """series: ISO3 -> month-indexed personnel (NaN: not reported, drawn as a gap)."""
    fig = go.Figure()
    for iso3, values in series.items():
        # Zeros stay in the hover box here: a comparator with nobody deployed is the comparison
        # (and plotly would fill a left-out point with a neighbouring month's value).
        fig.add_trace(go.Scatter(
            x=values.index, y=values.to_numpy(dtype=float), name=as_text(names.get(iso3, iso3)), mode="lines",
            line={"color": COUNTRY_COLOURS.get(iso3), "width": 3 if iso3 == "MEX" else 1.8},
            connectgaps=False, hovertemplate="%{y:,.0f}",
        ))
    chartstyle.apply(fig, title=title, height=420)
    chartstyle.people_axis(fig, title=y_title)
    # Above the plot at the left: clear of the title (drawn above the chart) and of the toolbar (right).
    fig.update_layout(margin={"t": 70}, updatemenus=[{
        "type": "buttons", "direction": "left", "x": 0, "xanchor": "left", "y": 1.02, "yanchor": "bottom",
        "pad": {"l": 0, "t": 0, "b": 0, "r": 0}, "showactive": True, "bgcolor": "white", "bordercolor": "#c5ccd3",
        "font": {"size": 11},
        "buttons": [
            {"label": linear, "method": "relayout", "args": [{"yaxis.type": "linear"}]},
            {"label": log, "method": "relayout", "args": [{"yaxis.type": "log"}]},
        ],
    }])
    return fig


def strength_lines(strength: pd.DataFrame, labels: dict[str, str], *, title: str) -> go.Figure:
    """strength: month, authorised_* and deployed troops/police/observers columns."""
    fig = go.Figure()
    authorised = strength[["authorised_troops", "authorised_police", "authorised_observers"]].sum(axis=1, min_count=1)
    deployed = strength[["troops", "police", "observers"]].sum(axis=1, min_count=1)
    fig.add_trace(go.Scatter(x=strength["month"], y=authorised, name=labels["authorised"], mode="lines",
                             line={"color": "#9aa5b1", "dash": "dash", "width": 2}, hovertemplate="%{y:,.0f}"))
    fig.add_trace(go.Scatter(x=strength["month"], y=deployed, name=labels["deployed"], mode="lines",
                             line={"color": "#1f5f8b", "width": 2}, hovertemplate="%{y:,.0f}"))
    chartstyle.apply(fig, title=title, height=320)
    peak = float(np.nanmax(np.r_[authorised.to_numpy(dtype=float), deployed.to_numpy(dtype=float)], initial=0))
    return chartstyle.people_axis(fig, title=labels.get("personnel", ""), peak=peak)


def top_contributors_bar(top: pd.DataFrame, names: list[str], *, title: str, highlight: str = "MEX",
                         x_title: str = "", column: str = "", finding: str = "") -> go.Figure:
    """top: country__iso3, total, rank (largest first; the highlighted country may follow the
    top ones with its own rank); names: display names in the same order. column: the table's
    header for the countries; finding: a sentence the title ends with, formatted here with first
    (the largest contributor), most (its personnel), rank and count (the highlighted country's)."""
    mine = top[top["country__iso3"] == highlight]
    if finding and len(top) and len(mine) and pd.notna(mine["rank"].iloc[0]):
        title = f"{title}: " + finding % {"first": names[0], "most": f"{int(top['total'].iloc[0]):,}",
                                          "rank": int(mine["rank"].iloc[0]), "count": f"{int(mine['total'].iloc[0]):,}"}
    labels = [f"{int(rank)}. {as_text(name)}" if pd.notna(rank) else as_text(name)
              for rank, name in zip(top["rank"], names, strict=True)]
    fig = go.Figure(go.Bar(
        x=top["total"].iloc[::-1], y=labels[::-1], orientation="h",
        marker={"color": [MEXICO if c == highlight else "#1f5f8b" for c in top["country__iso3"].iloc[::-1]]},
        hovertemplate="%{y}: %{x:,}<extra></extra>", meta={"columns": {"y": column, "x": x_title}},
    ))
    chartstyle.apply(fig, title=title, height=max(260, 24 * len(top) + 90), legend=False, hovermode="closest")
    fig.update_layout(margin={"l": 10})
    return chartstyle.people_axis(fig, title=x_title, peak=float(top["total"].max() or 0), axis="x")


def fatalities_bars(frame: pd.DataFrame, names: dict[str, str], *, title: str, y_title: str = "",
                    x_title: str = "", finding: str = "") -> go.Figure:
    """frame: year, incident_type, count -> stacked bars by incident type. x_title names the
    years' column in the page's table (the axis itself needs no title); finding: a sentence the
    title ends with, formatted with total, year (the deadliest) and peak (its deaths)."""
    if finding and len(frame):
        by_year = frame.groupby("year")["count"].sum()
        title = f"{title}: " + finding % {"total": f"{int(by_year.sum()):,}", "year": int(by_year.idxmax()),
                                          "peak": f"{int(by_year.max()):,}"}
    fig = go.Figure()
    order = ["Malicious Act", "Accident", "Illness", "Self-Inflicted", "To Be Determined", "Unknown"]
    present = [t for t in order if t in set(frame["incident_type"])] + sorted(
        set(frame["incident_type"]) - set(order))
    colours = {"Malicious Act": "#b8405e", "Accident": "#e07b39", "Illness": "#4aa3c8",
               "Self-Inflicted": "#7b5ea7", "To Be Determined": "#9aa5b1", "Unknown": "#c5ccd3"}
    for kind in present:
        part = frame[frame["incident_type"] == kind]
        fig.add_trace(go.Bar(x=part["year"], y=part["count"], name=as_text(names.get(kind, kind)),
                             meta={"columns": {"x": x_title}},
                             marker={"color": colours.get(kind, "#8c8c8c")}, hovertemplate="%{y}"))
    chartstyle.apply(fig, title=title, height=320)
    fig.update_layout(barmode="stack")
    peak = float(frame.groupby("year")["count"].sum().max()) if len(frame) else 0
    return chartstyle.people_axis(fig, title=y_title, peak=peak)
