"""Plan figures: plain data in, plotly Figures out (graph_objects only; user text through as_text)."""

from __future__ import annotations

import plotly.graph_objects as go
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from plotly.subplots import make_subplots

from missions.charts import PALETTE, as_text, base_layout

MODE_COLOURS = {"civilian": "#7b5ea7", "individual": "#1f5f8b", "mixed_contingent": "#d9a21b", "national_contingent": "#2e7d4f",
                "private_military_company": "#9aa5b1"}
REFERENCE_COLOURS = {"ARG": "#6c8ebf", "URY": "#8e5ea2", "MEX": "#b3261e"}
# On the pathway the colour tells the mission; the fill pattern, the mode (never colour alone).
MODE_PATTERNS = {"individual": "", "civilian": ".", "mixed_contingent": "/", "national_contingent": "x",
                 "private_military_company": "-"}


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
        meta={"columns": {"customdata": [_("people deployed") if axis == "people" else
                                         _("net cost a year (US$ million)"), _("raw sum of net scores")]}},
        hovertemplate=((_("cap %{x:,.1f}: %{y:.0f} index points (raw sum of net scores %{customdata[1]:.3f}), "
                          "using %{customdata[0]:,.1f}") if factor else
                        _("cap %{x:,.1f}: raw sum of net scores %{y:.3f}, using %{customdata[0]:,.1f}"))
                       + "<extra></extra>")))
    fig.add_vline(x=cap / scale, line={"dash": "dash", "color": "#b3261e"})
    base_layout(fig, title=frontier_finding(x, [p["value"] for p in known], axis), height=340, legend=False)
    fig.update_xaxes(title_text=_("personnel cap") if axis == "people" else _("net cost cap a year (US$ million)"))
    fig.update_yaxes(title_text=_("plan value (index points: the options' indices added up)") if factor
                     else _("plan value (raw sum of net scores)"))
    return fig


def frontier_finding(caps: list[float], values: list[float], axis: str) -> str:
    """Where the frontier turns flat: the smallest cap that reaches the largest value."""
    if not caps:
        return _("Efficient frontier: value against the personnel cap") if axis == "people" else \
            _("Efficient frontier: value against the cost cap")
    top = max(values)
    first = next(c for c, v in zip(caps, values, strict=True) if v >= top - 1e-9)
    if first == caps[-1]:
        return _("The plan's value still grows at the largest personnel cap tried (%(cap)s)") % {"cap": f"{first:,.0f}"} \
            if axis == "people" else \
            _("The plan's value still grows at the largest cost cap tried (US$ %(cap)s M a year)") % {"cap": f"{first:,.1f}"}
    return _("Beyond a cap of %(cap)s people the plan's value stops growing") % {"cap": f"{first:,.0f}"} \
        if axis == "people" else \
        _("Beyond a cap of US$ %(cap)s M a year the plan's value stops growing") % {"cap": f"{first:,.1f}"}


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
        meta={"columns": {"y": _("option (mission · people)"), "text": _("mode and functions"), "x": _("% of draws")}},
        hovertemplate="%{y}<br>%{text}<br>%{x:.0f}%<extra></extra>"))
    core = sum(r["share"] >= 0.9 for r in rows)
    title = ngettext("%(n)s option is in the optimal plan in at least 90%% of the draws",
                     "%(n)s options are in the optimal plan in at least 90%% of the draws", core) % {"n": core} \
        if core else _("Portfolio acceptability: share of draws in which each option is in the optimal plan")
    base_layout(fig, title=title,
                height=max(300, 24 * len(rows) + 90), legend=False)
    fig.update_layout(hovermode="closest", margin={"l": 10}, uniformtext={"minsize": 10, "mode": "hide"})
    fig.update_yaxes(automargin=True)
    fig.update_xaxes(title_text=_("% of draws"), range=[0, 100])
    return fig


def pathway(years: list[dict], mode_names: dict[str, str]) -> go.Figure:
    """years: year, people, options (mission, mode, size), cumulative_cost_usd, cumulative_fatalities.
    Three panels over the same years, one unit each: people deployed (stacked, a colour per
    mission, a fill pattern per mode), cumulative net cost (US$ million), cumulative expected
    fatalities."""
    labels = [str(y["year"]) for y in years]
    fig = make_subplots(rows=3, cols=1, shared_xaxes=True, row_heights=[0.56, 0.22, 0.22], vertical_spacing=0.09,
                        subplot_titles=[_("people deployed, by mission and mode"), _("cumulative net cost (US$ million)"),
                                        _("cumulative expected fatalities")])
    series: dict[tuple[str, str], list[float]] = {}
    for t, year in enumerate(years):
        for o in year["options"]:
            series.setdefault((o["mission"], o["mode"]), [0.0] * len(years))[t] += o["size"]
    missions = sorted({mission for mission, _mode in series})
    colour = {m: PALETTE[k % len(PALETTE)] for k, m in enumerate(missions)}
    year_column = {"x": _("year")}
    for (mission, mode), people in sorted(series.items(), key=lambda kv: (kv[0][1] != "individual", kv[0])):
        name = as_text(f"{mission} · {mode_names.get(mode, mode)}")
        fig.add_trace(go.Bar(x=labels, y=people, name=name, meta={"columns": year_column},
                             marker={"color": colour[mission], "line": {"color": "#fff", "width": 1},
                                     "pattern": {"shape": MODE_PATTERNS.get(mode, ""), "fillmode": "overlay",
                                                 "fgcolor": "#fff", "size": 7}},
                             hovertemplate=name + ": %{y:,.0f}<extra></extra>"), row=1, col=1)
    fig.add_trace(go.Scatter(x=labels, y=[y["cumulative_cost_usd"] / 1e6 for y in years], mode="lines+markers",
                             name=_("cumulative net cost"), meta={"columns": year_column},
                             line={"color": "#1d2733"}, hovertemplate="%{y:,.2f}<extra></extra>", showlegend=False),
                  row=2, col=1)
    fig.add_trace(go.Scatter(x=labels, y=[y["cumulative_fatalities"] for y in years], mode="lines+markers",
                             name=_("cumulative expected fatalities"), meta={"columns": year_column},
                             line={"color": "#b3261e"}, hovertemplate="%{y:.3f}<extra></extra>", showlegend=False),
                  row=3, col=1)
    base_layout(fig, title=pathway_finding(years), height=620)
    fig.update_layout(barmode="stack", hovermode="x unified", legend={"orientation": "h", "y": -0.08})
    for annotation in fig.layout.annotations:  # the panels' names, left-aligned like the chart's title
        annotation.update(x=0, xanchor="left", font={"size": 12, "color": "#5c6b7a"})
    peak = max((y["people"] for y in years), default=0)
    fig.update_yaxes(title_text=_("people"), range=[0, max(peak, 1) * 1.15], row=1, col=1)
    fig.update_yaxes(title_text=_("US$ M"), row=2, col=1)
    fig.update_yaxes(title_text=_("fatalities"), row=3, col=1)
    return fig


def pathway_finding(years: list[dict]) -> str:
    """From how many people in the first year to how many in the last, in how many missions."""
    if not years:
        return _("Phased pathway: people deployed per year, by mission and mode")
    first, last = years[0], years[-1]
    missions = len({o["mission"] for o in last["options"]})
    return ngettext("From %(first)s people in %(start)s to %(last)s in %(end)s, in %(n)s mission",
                    "From %(first)s people in %(start)s to %(last)s in %(end)s, in %(n)s missions", missions) % {
        "first": f"{first['people']:,.0f}", "start": first["year"], "last": f"{last['people']:,.0f}",
        "end": last["year"], "n": missions}


def references(years: list[dict], references: dict[str, list[dict]], names: dict[str, str]) -> go.Figure:
    """The pathway's people per year against the first years of the reference countries (log axis)."""
    fig = go.Figure(go.Scatter(x=[f"{_('year')} {k + 1}" for k in range(len(years))], y=[y["people"] for y in years],
                               name=_("this pathway"), mode="lines+markers", meta={"columns": {"x": _("year of the path")}}, line={"color": "#1f5f8b", "width": 4}))
    for iso3, path in references.items():
        if path:
            fig.add_trace(go.Scatter(
                x=[f"{_('year')} {k + 1}" for k in range(len(path))], y=[max(p["people"], 1) for p in path],
                name=as_text(f"{names.get(iso3, iso3)} {path[0]['year']}–{path[-1]['year']}"), mode="lines+markers",
                meta={"columns": {"x": _("year of the path"), "customdata": [_("calendar year")]}},
                line={"color": REFERENCE_COLOURS.get(iso3, "#9aa5b1")}, customdata=[p["year"] for p in path],
                hovertemplate="%{customdata}: %{y:,.0f}<extra></extra>"))
    base_layout(fig, title=_("Reference paths: uniformed personnel in the first years (monthly mean)"), height=380)
    fig.update_yaxes(type="log", title_text=_("people (log scale)"), rangemode="normal")
    fig.update_layout(legend={"orientation": "h", "y": -0.2})
    return fig
