"""DataFrames -> plotly Figures for the missions pages. No request, no ORM.

graph_objects only: plotly.express costs ~40 ms a figure. plotly.js draws a subset of HTML
(<b>, <i>, <br>, <a href>, <span style>...) and decodes entities in titles, legends, tick labels,
text and hover labels, so every piece of user text goes into a figure through `as_text`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

PALETTE = ["#1f5f8b", "#e07b39", "#3a9a6b", "#b8405e", "#7b5ea7", "#c9a227", "#4aa3c8", "#8c8c8c",
           "#5d7f3a", "#d1495b", "#2e4057", "#ee964b"]
TYPE_COLOURS = {
    "troops": "#1f5f8b", "staff_officers": "#4aa3c8", "experts": "#3a9a6b",
    "individual_police": "#e07b39", "formed_police": "#b8405e", "police": "#c9a227",
}
COUNTRY_COLOURS = {"MEX": "#006341", "ARG": "#6cace4", "BRA": "#f2a900", "CHL": "#d52b1e",
                   "JPN": "#7b5ea7", "URY": "#2e4057"}


def as_text(value: object) -> str:
    """User text (a name, an acronym) as plotly must receive it to show it as typed: with <, >
    and & escaped, plotly.js neither draws tags (<b>x</b> in bold, <img ...> dropped) nor
    decodes entities. Use it on every name that goes into a figure."""
    text = "" if value is None else str(value)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def base_layout(fig: go.Figure, *, title: str = "", height: int = 380, legend: bool = True) -> go.Figure:
    """House layout; the title may quote user text (a mission's acronym), so it is escaped."""
    fig.update_layout(
        title={"text": as_text(title), "x": 0, "xanchor": "left", "font": {"size": 15}} if title else None,
        height=height, margin={"l": 50, "r": 20, "t": 50 if title else 20, "b": 40},
        font={"family": "system-ui, -apple-system, Segoe UI, Roboto, sans-serif", "size": 12},
        plot_bgcolor="white", paper_bgcolor="white", showlegend=legend,
        legend={"orientation": "h", "y": -0.15, "x": 0},
        hovermode="x unified",
    )
    fig.update_xaxes(gridcolor="#eee", linecolor="#ccc")
    fig.update_yaxes(gridcolor="#eee", linecolor="#ccc", rangemode="tozero")
    return fig


def mission_map(missions: pd.DataFrame, labels: dict[str, str]) -> go.Figure:
    """missions: acronym, name, is_active, hq_latitude, hq_longitude, hq_location, latest, mexicans."""
    fig = go.Figure()
    for active, name, colour in ((False, labels["closed"], "#9aa5b1"), (True, labels["active"], "#1f5f8b")):
        part = missions[missions["is_active"] == active]
        latest = part["latest"].fillna(0).astype(float)
        fig.add_trace(go.Scattergeo(
            lat=part["hq_latitude"], lon=part["hq_longitude"], name=name, mode="markers",
            marker={"size": 6 + np.sqrt(latest) / 6, "color": colour, "opacity": 0.85 if active else 0.55,
                    "line": {"width": np.where(part["mexicans"] > 0, 2, 0.5), "color": "#006341"}},
            text=part["acronym"].map(as_text),
            customdata=np.stack([part["name"].map(as_text), part["hq_location"].map(as_text), latest.astype(int),
                                 np.where(part["mexicans"] > 0, labels["yes"], labels["no"])], axis=-1)
            if len(part) else None,
            hovertemplate="<b>%{text}</b><br>%{customdata[0]}<br>%{customdata[1]}<br>"
                          + labels["personnel"] + ": %{customdata[2]:,}<br>"
                          + labels["mexico"] + ": %{customdata[3]}<extra></extra>",
        ))
    fig.update_geos(showcountries=True, countrycolor="#d0d7de", showland=True, landcolor="#f4f1ea",
                    showocean=True, oceancolor="#eaf2f8", projection_type="natural earth",
                    showframe=False, lataxis_range=[-45, 75])
    base_layout(fig, height=430, legend=True)
    fig.update_layout(hovermode="closest", margin={"l": 0, "r": 0, "t": 10, "b": 10})
    return fig


def stacked_monthly(series: dict[str, pd.Series], names: dict[str, str], colours: dict[str, str],
                    *, title: str, y_title: str) -> go.Figure:
    """series: key -> month-indexed counts (NaN = month not reported). Stacked bars."""
    fig = go.Figure()
    for i, (key, values) in enumerate(series.items()):
        if not np.nansum(values.to_numpy()):
            continue
        fig.add_trace(go.Bar(
            x=values.index, y=values.to_numpy(), name=as_text(names.get(key, key)),
            marker={"color": colours.get(key, PALETTE[i % len(PALETTE)]), "line": {"width": 0}},
            hovertemplate="%{y:,.0f}",
        ))
    base_layout(fig, title=title)
    fig.update_layout(barmode="stack", bargap=0.05)
    fig.update_yaxes(title_text=y_title)
    return fig


def share_line(share: pd.Series, *, title: str, name: str) -> go.Figure:
    """share: month-indexed fraction in [0, 1] (NaN where sex is not reported)."""
    fig = go.Figure(go.Scatter(
        x=share.index, y=share.to_numpy(), name=name, mode="lines+markers",
        line={"color": "#b8405e", "width": 2}, marker={"size": 4}, connectgaps=False,
        hovertemplate="%{y:.0%}",
    ))
    base_layout(fig, title=title, height=280, legend=False)
    fig.update_yaxes(tickformat=".0%", range=[0, max(0.5, float(np.nanmax(share.to_numpy(), initial=0)) * 1.1)])
    return fig


def comparator_lines(series: dict[str, pd.Series], names: dict[str, str], *, title: str,
                     y_title: str, linear: str, log: str) -> go.Figure:
    fig = go.Figure()
    for iso3, values in series.items():
        fig.add_trace(go.Scatter(
            x=values.index, y=values.to_numpy(), name=as_text(names.get(iso3, iso3)), mode="lines",
            line={"color": COUNTRY_COLOURS.get(iso3), "width": 3 if iso3 == "MEX" else 1.8},
            connectgaps=False, hovertemplate="%{y:,.0f}",
        ))
    base_layout(fig, title=title, height=420)
    fig.update_yaxes(title_text=y_title)
    fig.update_layout(updatemenus=[{
        "type": "buttons", "direction": "left", "x": 1, "xanchor": "right", "y": 1.12, "yanchor": "top",
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
    return base_layout(fig, title=title, height=320)


def top_contributors_bar(top: pd.DataFrame, names: list[str], *, title: str, highlight: str = "MEX") -> go.Figure:
    """top: country__iso3, total (largest first); names: display names in the same order."""
    top = top.iloc[::-1]
    fig = go.Figure(go.Bar(
        x=top["total"], y=[as_text(n) for n in reversed(names)], orientation="h",
        marker={"color": ["#006341" if c == highlight else "#1f5f8b" for c in top["country__iso3"]]},
        hovertemplate="%{y}: %{x:,}<extra></extra>",
    ))
    base_layout(fig, title=title, height=max(260, 24 * len(top) + 80), legend=False)
    fig.update_layout(hovermode="closest", margin={"l": 160})
    return fig


def fatalities_bars(frame: pd.DataFrame, names: dict[str, str], *, title: str) -> go.Figure:
    """frame: year, incident_type, count -> stacked bars by incident type."""
    fig = go.Figure()
    order = ["Malicious Act", "Accident", "Illness", "Self-Inflicted", "To Be Determined", "Unknown"]
    present = [t for t in order if t in set(frame["incident_type"])] + sorted(
        set(frame["incident_type"]) - set(order))
    colours = {"Malicious Act": "#b8405e", "Accident": "#e07b39", "Illness": "#4aa3c8",
               "Self-Inflicted": "#7b5ea7", "To Be Determined": "#9aa5b1", "Unknown": "#c5ccd3"}
    for kind in present:
        part = frame[frame["incident_type"] == kind]
        fig.add_trace(go.Bar(x=part["year"], y=part["count"], name=as_text(names.get(kind, kind)),
                             marker={"color": colours.get(kind, "#8c8c8c")}, hovertemplate="%{y}"))
    base_layout(fig, title=title, height=320)
    fig.update_layout(barmode="stack")
    return fig
