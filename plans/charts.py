"""Plan figures: plain data in, plotly Figures out (graph_objects only; user text through as_text)."""

from __future__ import annotations

import plotly.graph_objects as go
from django.utils.translation import gettext as _

from missions.charts import as_text, base_layout

MODE_COLOURS = {"civilian": "#7b5ea7", "individual": "#1f5f8b", "mixed_contingent": "#d9a21b", "national_contingent": "#2e7d4f",
                "private_military_company": "#9aa5b1"}
REFERENCE_COLOURS = {"ARG": "#6c8ebf", "URY": "#8e5ea2", "MEX": "#b3261e"}


def frontier(points: list[dict], axis: str, cap: float, anchor: float | None = None) -> go.Figure:
    """points: cap, value, people, cost. The dashed line marks the plan's own cap. With an
    anchor (risks.scale: the best admissible candidate) the value is in index points, the raw
    sum of net scores on hover."""
    known = [p for p in points if p["value"] is not None]
    scale = 1e6 if axis == "cost" else 1
    factor = 100.0 / anchor if anchor and anchor > 0 else None
    x = [p["cap"] / scale for p in known]
    spent = [(p["cost"] if axis == "cost" else p["people"]) / scale for p in known]
    y = [p["value"] * factor if factor else p["value"] for p in known]
    fig = go.Figure(go.Scatter(
        x=x, y=y, mode="lines+markers", name=_("optimal value"),
        line={"shape": "hv", "color": "#1f5f8b"}, customdata=[[u, p["value"]] for u, p in zip(spent, known, strict=True)],
        hovertemplate=((_("cap %{x:,.1f}: %{y:.0f} index points (raw sum of net scores %{customdata[1]:.3f}), "
                          "using %{customdata[0]:,.1f}") if factor else
                        _("cap %{x:,.1f}: raw sum of net scores %{y:.3f}, using %{customdata[0]:,.1f}"))
                       + "<extra></extra>")))
    fig.add_vline(x=cap / scale, line={"dash": "dash", "color": "#b3261e"})
    title = _("Efficient frontier: value against the personnel cap") if axis == "people" else \
        _("Efficient frontier: value against the cost cap")
    base_layout(fig, title=title, height=340, legend=False)
    fig.update_xaxes(title_text=_("personnel cap") if axis == "people" else _("net cost cap a year (US$ million)"))
    fig.update_yaxes(title_text=_("plan value (index points: the options' indices added up)") if factor
                     else _("plan value (raw sum of net scores)"))
    return fig


def acceptability(rows: list[dict], mode_names: dict[str, str], function_names: dict[str, str],
                  limit: int = 20) -> go.Figure:
    """rows: mission, mode, functions, size, share, in_plan (sorted by share). The axis names
    the mission and size; the bar, the mode and functions (hidden where it does not fit)."""
    rows = rows[:limit][::-1]
    labels = [as_text(f"{r['mission']} · {r['size']}") for r in rows]
    # two options of one mission and size (different modes) need distinct labels
    seen: dict[str, int] = {}
    for k, label in enumerate(labels):
        seen[label] = seen.get(label, 0) + 1
        if seen[label] > 1:
            labels[k] = f"{label} ({seen[label]})"
    fig = go.Figure(go.Bar(
        y=labels, x=[100 * r["share"] for r in rows], orientation="h",
        marker={"color": ["#1f5f8b" if r["in_plan"] else "#9aa5b1" for r in rows]},
        text=[as_text(mode_names.get(r["mode"], r["mode"]) + ": " + ", ".join(
            function_names.get(f, f) for f in r["functions"].split("+"))) for r in rows],
        textposition="inside", insidetextanchor="start",
        hovertemplate="%{y}<br>%{text}<br>%{x:.0f}%<extra></extra>"))
    base_layout(fig, title=_("Portfolio acceptability: share of draws in which each option is in the optimal plan"),
                height=max(300, 24 * len(rows) + 90), legend=False)
    fig.update_layout(hovermode="closest", margin={"l": 10}, uniformtext={"minsize": 10, "mode": "hide"})
    fig.update_yaxes(automargin=True)
    fig.update_xaxes(title_text=_("% of draws"), range=[0, 100])
    return fig


def pathway(years: list[dict], mode_names: dict[str, str]) -> go.Figure:
    """Stacked people per year by mission and mode; cumulative cost (US$ M) and expected
    fatalities on the right-hand axis."""
    fig = go.Figure()
    labels = [str(y["year"]) for y in years]
    series: dict[tuple[str, str], list[float]] = {}
    for t, year in enumerate(years):
        for o in year["options"]:
            series.setdefault((o["mission"], o["mode"]), [0.0] * len(years))[t] = o["size"]
    for (mission, mode), people in sorted(series.items(), key=lambda kv: (kv[0][1] != "individual", kv[0])):
        fig.add_trace(go.Bar(x=labels, y=people, name=as_text(f"{mission} · {mode_names.get(mode, mode)}"),
                             marker={"color": MODE_COLOURS.get(mode, "#9aa5b1"), "line": {"color": "#fff", "width": 1}},
                             hovertemplate=as_text(mission) + ": %{y:,.0f}<extra></extra>", legendgroup=mode))
    fig.add_trace(go.Scatter(x=labels, y=[y["cumulative_cost_usd"] / 1e6 for y in years], yaxis="y2",
                             name=_("cumulative net cost (US$ M)"), mode="lines+markers",
                             line={"color": "#1d2733", "dash": "dot"}))
    fig.add_trace(go.Scatter(x=labels, y=[y["cumulative_fatalities"] * 100 for y in years], yaxis="y2",
                             name=_("cumulative expected fatalities × 100"), mode="lines+markers",
                             line={"color": "#b3261e", "dash": "dash"}))
    base_layout(fig, title=_("Phased pathway: people deployed per year, by mission and mode"), height=460)
    fig.update_layout(barmode="stack", yaxis2={"overlaying": "y", "side": "right", "rangemode": "tozero",
                                               "showgrid": False, "title": {"text": _("cumulative")}},
                      legend={"orientation": "h", "y": -0.18})
    peak = max((y["people"] for y in years), default=0)
    fig.update_yaxes(title_text=_("people"), range=[0, max(peak, 1) * 1.15], selector={"overlaying": None})
    return fig


def references(years: list[dict], references: dict[str, list[dict]], names: dict[str, str]) -> go.Figure:
    """The pathway's people per year against the first years of the reference countries (log axis)."""
    fig = go.Figure(go.Scatter(x=[f"{_('year')} {k + 1}" for k in range(len(years))], y=[y["people"] for y in years],
                               name=_("this pathway"), mode="lines+markers", line={"color": "#1f5f8b", "width": 4}))
    for iso3, path in references.items():
        if path:
            fig.add_trace(go.Scatter(
                x=[f"{_('year')} {k + 1}" for k in range(len(path))], y=[max(p["people"], 1) for p in path],
                name=as_text(f"{names.get(iso3, iso3)} {path[0]['year']}–{path[-1]['year']}"), mode="lines+markers",
                line={"color": REFERENCE_COLOURS.get(iso3, "#9aa5b1")}, customdata=[p["year"] for p in path],
                hovertemplate="%{customdata}: %{y:,.0f}<extra></extra>"))
    base_layout(fig, title=_("Reference paths: uniformed personnel in the first years (monthly mean)"), height=380)
    fig.update_yaxes(type="log", title_text=_("people (log scale)"), rangemode="normal")
    fig.update_layout(legend={"orientation": "h", "y": -0.2})
    return fig
