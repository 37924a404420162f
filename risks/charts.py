"""Scenario and explorer figures: plain data in, plotly Figures out. No request, no ORM.

graph_objects only. plotly.js draws a subset of HTML in labels and hover text, so user text
(mission acronyms, factor, function and scenario names) goes in through `as_text`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from django.utils.translation import gettext as _

from missions.charts import as_text, base_layout
from risks import scale

VERDICT_COLOURS = {"feasible": "#2e7d4f", "conditional": "#d9a21b", "infeasible": "#b3261e"}
# A verdict is never told by colour alone: each has its own marker shape too.
VERDICT_SYMBOLS = {"feasible": "circle", "conditional": "diamond", "infeasible": "x"}


def on_scale(anchor: float | None) -> float:
    """The factor from net scores to index points (risks.scale): 100 / anchor, or 1 (raw net
    scores, said so on the axis) when no index is defined."""
    return 100.0 / anchor if scale.positive(anchor) else 1.0


def score_name(anchor: float | None) -> str:
    return _("index (0 = not deploying, 100 = the best admissible option)") if scale.positive(anchor) \
        else _("raw net score (no index: nothing admissible beats not deploying)")


def with_subject(fig: go.Figure, title: str, subject: str) -> go.Figure:
    """The title, then which option the figure describes (the page turns the title into a
    heading; a <br> there reads as a space)."""
    if subject:
        fig.update_layout(title_text=f"{as_text(title)} —<br>{as_text(subject)}", margin_t=80)
    return fig


def risk_opportunity(options: list[dict], verdict_names: dict[str, str], anchor: float | None = None) -> go.Figure:
    """options: mission, risk, opportunity, net, feasibility, selected. Chosen missions are
    labelled; the dashed line is net = 0. With an anchor both axes are in index points
    (opportunity points - risk points = the index), the raw values on hover."""
    frame = pd.DataFrame(options)
    factor = on_scale(anchor)
    frame["raw_risk"], frame["raw_opportunity"] = frame["risk"], frame["opportunity"]
    frame["risk"], frame["opportunity"] = frame["risk"] * factor, frame["opportunity"] * factor
    points = factor != 1.0
    hover = ("%{x:.0f}" if points else "%{x:.3f}", "%{y:.0f}" if points else "%{y:.3f}")
    raw = ("<br>" + _("raw: risk %(risk)s, opportunity %(opportunity)s") % {
        "risk": "%{customdata[1]:.3f}", "opportunity": "%{customdata[2]:.3f}"}) if points else ""
    fig = go.Figure()
    top = float(max(frame["risk"].max(), frame["opportunity"].max(), 0.01)) * 1.1
    fig.add_trace(go.Scatter(x=[0, top], y=[0, top], mode="lines", line={"dash": "dot", "color": "#9aa5b1"},
                             name=_("net = 0"), hoverinfo="skip"))
    for verdict, colour in VERDICT_COLOURS.items():
        part = frame[(frame["feasibility"] == verdict) & ~frame["selected"]]
        if len(part):
            fig.add_trace(go.Scatter(
                x=part["risk"], y=part["opportunity"], mode="markers", name=verdict_names[verdict],
                marker={"color": colour, "size": 7, "opacity": 0.35, "symbol": VERDICT_SYMBOLS[verdict]},
                text=part["mission"].map(as_text),
                customdata=list(zip(part["feasibility"], part["raw_risk"], part["raw_opportunity"], strict=True)),
                meta={"columns": {"text": _("mission"),
                                  "customdata": [_("verdict"), _("raw risk"), _("raw opportunity")]}},
                hovertemplate="%{text}<br>" + _("risk") + f" {hover[0]}, " + _("opportunity") + f" {hover[1]}"
                + raw + "<extra></extra>"))
    chosen = frame[frame["selected"]]
    fig.add_trace(go.Scatter(
        x=chosen["risk"], y=chosen["opportunity"], mode="markers+text", name=_("chosen missions"),
        text=chosen["mission"].map(as_text), textposition="top center",
        marker={"size": 13, "color": [VERDICT_COLOURS[v] for v in chosen["feasibility"]],
                "symbol": [VERDICT_SYMBOLS[v] for v in chosen["feasibility"]], "line": {"width": 2, "color": "#1d2733"}},
        # A list of rows, not a numpy stack: the verdict is text, the raw values stay numbers for %{...:.3f}.
        customdata=list(zip(chosen["feasibility"].map(verdict_names), chosen["raw_risk"], chosen["raw_opportunity"],
                            strict=True)) if len(chosen) else None,
        meta={"columns": {"text": _("mission"), "customdata": [_("verdict"), _("raw risk"), _("raw opportunity")]}},
        hovertemplate="<b>%{text}</b> (%{customdata[0]})<br>" + _("risk") + f" {hover[0]}, " + _("opportunity")
        + f" {hover[1]}" + raw + "<extra></extra>"))
    base_layout(fig, title=chosen_finding(chosen), height=420)
    fig.update_layout(hovermode="closest")
    fig.update_xaxes(title_text=_("risk (index points)") if points else _("risk (weighted exposure)"), range=[0, top])
    fig.update_yaxes(title_text=_("opportunity (index points)") if points else _("opportunity (weighted exposure)"),
                     range=[0, top])
    return fig


def chosen_finding(chosen: pd.DataFrame) -> str:
    """The scatter's finding: which chosen mission carries the least risk (and which nets most)."""
    if len(chosen) < 2:
        return _("Risk against opportunity: the chosen missions among all missions")
    safest = chosen.loc[chosen["risk"].idxmin(), "mission"]
    best = chosen.loc[chosen["net"].idxmax(), "mission"] if "net" in chosen else safest
    if best == safest:
        return _("%(mission)s carries the lowest risk and the best net score of the %(n)s chosen missions") % {
            "mission": safest, "n": len(chosen)}
    return _("%(mission)s carries the lowest risk of the %(n)s chosen missions; %(best)s has the best net score") % {
        "mission": safest, "n": len(chosen), "best": best}


def waterfall(contributions: list[dict], names: dict[str, str], net: float, limit: int = 14,
              anchor: float | None = None, subject: str = "") -> go.Figure:
    """contributions: factor, contribution (signed). Largest magnitudes first; the rest grouped.
    With an anchor, in index points (they add up to the index), the raw values on hover;
    subject: which option the bars describe, said under the title."""
    frame = pd.DataFrame(contributions)
    factor = on_scale(anchor)
    frame = frame.reindex(frame["contribution"].abs().sort_values(ascending=False).index)
    shown, rest = frame.iloc[:limit], frame.iloc[limit:]
    labels = [as_text(names.get(code, code)) for code in shown["factor"]]
    values = list(shown["contribution"])
    if len(rest):
        labels.append(_("%(n)s other factors") % {"n": len(rest)})
        values.append(float(rest["contribution"].sum()))
    points = factor != 1.0
    fig = go.Figure(go.Waterfall(
        orientation="h", y=[*labels, _("index") if points else _("raw net score")],
        x=[v * factor for v in [*values, net]], customdata=[*values, net],
        measure=["relative"] * len(values) + ["total"],
        increasing={"marker": {"color": "#2e7d4f"}}, decreasing={"marker": {"color": "#b3261e"}},
        totals={"marker": {"color": "#1f5f8b"}},
        meta={"columns": {"y": _("factor"), "x": _("contribution to the index") if points
                          else _("contribution to the net score"), "customdata": [_("raw net score")]}},
        hovertemplate=("%{y}: %{x:+.1f} (" + _("raw net score") + " %{customdata:+.4f})<extra></extra>") if points
        else "%{y}: %{x:+.4f}<extra></extra>"))
    title = _("Each factor's contribution to the index") if points else _("Each factor's contribution to the net score")
    base_layout(fig, title=title, height=max(360, 26 * len(labels) + 110), legend=False)
    fig.update_layout(hovermode="closest", margin={"l": 260})
    fig.update_xaxes(title_text=_("index points") if points else _("raw net score"))
    fig.update_yaxes(autorange="reversed")
    return with_subject(fig, title, subject)


def distribution(draws: list[float], p10: float, p50: float, p90: float, p_positive: float,
                 anchor: float | None = None, subject: str = "") -> go.Figure:
    """draws: net scores of the scenario's option (the mean over its admissible chosen
    missions) under the simulation. With an anchor the axis is the index (a P90 above 100
    beats the best option's expected value); subject: which option, said under the title."""
    factor = on_scale(anchor)
    points = factor != 1.0
    # Binned here, not by plotly.js: the page's table and CSV then hold the very bars drawn.
    counts, edges = np.histogram(np.asarray(draws, dtype=float) * factor, bins=40)
    shown = ".1f" if points else "+.3f"
    fig = go.Figure(go.Bar(x=(edges[:-1] + edges[1:]) / 2, y=counts, width=np.diff(edges), marker={"color": "#4aa3c8"},
                           name=_("draws"), customdata=np.column_stack([edges[:-1], edges[1:]]),
                           meta={"columns": {"x": _("index (middle of the bin)") if points
                                             else _("net score (middle of the bin)"), "y": _("draws"),
                                             "customdata": [_("from"), _("to")]}},
                           hovertemplate=f"%{{customdata[0]:{shown}}} … %{{customdata[1]:{shown}}}: %{{y}}<extra></extra>"))
    for value, label, dash, where in ((p10, "P10", "dot", "top left"), (p50, "P50", "solid", "top"),
                                      (p90, "P90", "dot", "top right")):
        fig.add_vline(x=value * factor, line={"color": "#1d2733", "dash": dash, "width": 1.5},
                      annotation_text=f"{label} {value * factor:+.0f}" if points else f"{label} {value:+.3f}",
                      annotation_position=where)
    fig.add_vline(x=0, line={"color": "#b3261e", "width": 1})
    if points:
        fig.add_vline(x=100, line={"color": "#1f5f8b", "dash": "dash", "width": 1},
                      annotation_text=_("100: the best option's expected value"), annotation_position="bottom right")
    title = (_("Uncertainty: the index over 1,000 draws (P(net > 0) = %(p)s)") if points
             else _("Uncertainty: net score over 1,000 draws (P(net > 0) = %(p)s)")) % {"p": f"{p_positive:.0%}"}
    base_layout(fig, title=title, height=360, legend=False)
    fig.update_layout(margin={"t": 80})
    fig.update_layout(hovermode="closest", bargap=0)
    fig.update_xaxes(title_text=score_name(anchor))
    return with_subject(fig, title, subject)


def tornado(rows: list[dict], names: dict[str, str], base: float, limit: int = 12,
            anchor: float | None = None) -> go.Figure:
    """rows: factor, low, high (net scores with that input at its own P10 / P90). Bars split at
    the base: the part from the input's P10 and the part from its P90, in two colours. With an
    anchor, on the index, the raw values on hover."""
    factor = on_scale(anchor)
    points = factor != 1.0
    base = base * factor
    frame = pd.DataFrame(rows).head(limit).iloc[::-1]
    labels = [as_text(names.get(f, f)) for f in frame["factor"]]
    fig = go.Figure()
    for column, name, colour in (("low", _("input at its P10"), "#7b5ea7"), ("high", _("input at its P90"), "#e08a2c")):
        raw = frame[column].to_numpy(float)
        values = raw * factor
        fig.add_trace(go.Bar(y=labels, x=values - base, base=base, orientation="h", name=name,
                             marker={"color": colour}, customdata=np.column_stack([values, raw]),
                             meta={"columns": {"y": _("input"),
                                               "x": _("change from the expected index") if points
                                               else _("change from the expected net score"),
                                               "base": _("expected index") if points else _("expected net score"),
                                               "customdata": [_("index") if points else _("net score"),
                                                              _("raw net score")]}},
                             hovertemplate="%{y}<br>" + name + (": %{customdata[0]:+.1f} (" + _("raw net score")
                                                                + " %{customdata[1]:+.4f})" if points
                                                                else ": %{customdata[1]:+.4f}") + "<extra></extra>"))
    fig.add_vline(x=base, line={"color": "#1d2733", "width": 1.5}, annotation_text=_("expected"))
    top = frame.iloc[-1] if len(frame) else None
    if top is None:
        title = _("Sensitivity: each input from its own P10 to its P90")
    else:  # on the axis's scale: whole index points, or raw net scores where there is no index
        shown = "{:.0f}" if points else "{:+.3f}"
        title = (_("“%(input)s” moves the index most: from %(low)s to %(high)s between its P10 and P90") if points
                 else _("“%(input)s” moves the net score most: from %(low)s to %(high)s between its P10 and P90")) % {
            "input": names.get(top["factor"], top["factor"]), "low": shown.format(top["low"] * factor),
            "high": shown.format(top["high"] * factor)}
    base_layout(fig, title=title,
                height=max(340, 28 * len(frame) + 120))
    fig.update_layout(hovermode="closest", margin={"l": 330}, barmode="overlay")
    fig.update_xaxes(title_text=score_name(anchor))
    return fig


def rank_heatmap(smaa: dict) -> go.Figure:
    """smaa: options (acronyms), ranks (1..k), acceptability (options x ranks shares)."""
    z = np.asarray(smaa["acceptability"], dtype=float)
    text = np.where(z >= 0.005, np.vectorize(lambda v: f"{v:.0%}")(z), "")
    fig = go.Figure(go.Heatmap(
        z=z, x=[str(r) for r in smaa["ranks"]], y=[as_text(m) for m in smaa["options"]], zmin=0, zmax=1,
        colorscale=[[0, "#f4f6f8"], [1, "#1f5f8b"]], text=text, texttemplate="%{text}",
        colorbar={"title": _("share"), "tickformat": ".0%"},
        meta={"columns": {"y": _("mission"), "x": _("rank"), "z": _("share of the draws")}},
        hovertemplate=_("%(mission)s: rank %(rank)s in %(share)s of the draws") % {
            "mission": "%{y}", "rank": "%{x}", "share": "%{z:.1%}"} + "<extra></extra>"))
    first = int(np.argmax(z[:, 0])) if z.size else None
    title = _("%(mission)s ranks first in %(share)s of the draws (SMAA-2 rank acceptability)") % {
        "mission": smaa["options"][first], "share": f"{z[first, 0]:.0%}"} if first is not None else \
        _("Rank acceptability (SMAA-2): how often each mission takes each rank")
    base_layout(fig, title=title,
                height=max(320, 28 * len(smaa["options"]) + 140), legend=False)
    fig.update_layout(hovermode="closest", margin={"l": 110})
    fig.update_xaxes(title_text=_("rank among the admissible missions"), type="category")
    fig.update_yaxes(autorange="reversed")
    return fig


def acceptability(rows: list[dict]) -> go.Figure:
    frame = pd.DataFrame(rows).sort_values("share")
    fig = go.Figure(go.Bar(x=frame["share"], y=frame["mission"].map(as_text), orientation="h", marker={"color": "#1f5f8b"},
                           meta={"columns": {"y": _("mission"), "x": _("share of the draws")}},
                           hovertemplate="%{y}: %{x:.0%}<extra></extra>"))
    top = frame.iloc[-1] if len(frame) else None
    title = _("%(mission)s is the best of all and beats not deploying in %(share)s of the draws") % {
        "mission": top["mission"], "share": f"{top['share']:.0%}"} if top is not None else \
        _("How often each chosen mission is the best of all and beats not deploying")
    base_layout(fig, title=title,
                height=max(220, 40 * len(frame) + 100), legend=False)
    fig.update_layout(hovermode="closest")
    fig.update_xaxes(tickformat=".0%", range=[0, 1])
    return fig


def pareto_front(points: pd.DataFrame) -> pd.DataFrame:
    """Non-dominated rows (lower risk, higher opportunity), ordered by risk."""
    ordered = points.sort_values(["risk", "opportunity"], ascending=[True, False])
    front, best = [], -np.inf
    for index, row in ordered.iterrows():
        if row["opportunity"] > best:
            front.append(index)
            best = row["opportunity"]
    return points.loc[front].sort_values("risk")


def comparison_scatter(points: pd.DataFrame, anchor: float | None = None) -> go.Figure:
    """points: name, risk, opportunity, feasibility (code), verdict (its word, optional), one row
    per scenario. With an anchor (the compare page's common one) both axes are in index points,
    the raw values on hover."""
    factor = on_scale(anchor)
    scaled = factor != 1.0
    points = points.assign(raw_risk=points["risk"], raw_opportunity=points["opportunity"],
                           risk=points["risk"] * factor, opportunity=points["opportunity"] * factor)
    fig = go.Figure()
    front = pareto_front(points)
    fig.add_trace(go.Scatter(x=front["risk"], y=front["opportunity"], mode="lines", name=_("Pareto frontier"),
                             line={"color": "#1d2733", "dash": "dash"}, hoverinfo="skip"))
    verdicts = points["verdict"] if "verdict" in points else points["feasibility"]
    fig.add_trace(go.Scatter(
        x=points["risk"], y=points["opportunity"], mode="markers+text", text=points["name"].map(as_text),
        textposition="top center", name=_("scenarios"),
        marker={"size": 14, "color": [VERDICT_COLOURS.get(v, "#888") for v in points["feasibility"]],
                "symbol": [VERDICT_SYMBOLS.get(v, "square") for v in points["feasibility"]]},
        customdata=list(zip(verdicts, points["raw_risk"], points["raw_opportunity"], strict=True)),
        meta={"columns": {"text": _("scenario"), "customdata": [_("verdict"), _("raw risk"), _("raw opportunity")]}},
        hovertemplate="<b>%{text}</b> (%{customdata[0]})<br>" + _("risk") + (" %{x:.0f}, " if scaled else " %{x:.3f}, ")
        + _("opportunity") + (" %{y:.0f}" if scaled else " %{y:.3f}")
        + (("<br>" + _("raw: risk %(risk)s, opportunity %(opportunity)s") % {
            "risk": "%{customdata[1]:.3f}", "opportunity": "%{customdata[2]:.3f}"}) if scaled else "")
        + "<extra></extra>"))
    base_layout(fig, title=comparison_finding(points), height=420)
    fig.update_layout(hovermode="closest")
    top = float(max(points["risk"].max(), points["opportunity"].max(), 0.01)) * 1.25
    fig.update_xaxes(title_text=_("risk (index points)") if scaled else _("risk (0-1)"), range=[0, top])
    fig.update_yaxes(title_text=_("opportunity (index points)") if scaled else _("opportunity (0-1)"), range=[0, top])
    return fig


def comparison_finding(points: pd.DataFrame) -> str:
    """Which scenario carries the least risk, and which the most opportunity."""
    if len(points) < 2:
        return _("Risk against opportunity, with the Pareto frontier")
    safest = points.loc[points["risk"].idxmin(), "name"]
    richest = points.loc[points["opportunity"].idxmax(), "name"]
    if safest == richest:
        return _("“%(name)s” carries the lowest risk and the highest opportunity of the %(n)s scenarios") % {
            "name": safest, "n": len(points)}
    return _("“%(safest)s” carries the lowest risk of the %(n)s scenarios; “%(richest)s” the highest opportunity") % {
        "safest": safest, "richest": richest, "n": len(points)}


def explorer_heatmap(matrix: pd.DataFrame, verdicts: pd.DataFrame, function_names: dict[str, str],
                     anchor: float | None = None) -> go.Figure:
    """matrix: missions x function codes, the net score of doing only that function there
    (NaN where the mandate lacks it); verdicts: same shape, feasibility words. With an anchor
    (risks.scale) the cells show the 0-100 index, the raw net score on hover."""
    raw = matrix.to_numpy(dtype=float)
    z = 100 * raw / anchor if anchor else raw
    labels = verdicts.fillna("").to_numpy()
    infeasible = labels == "infeasible"
    cell = (lambda v: f"{v:.0f}") if anchor else (lambda v: f"{v:+.3f}")
    text = np.where(np.isnan(z) | infeasible, "", np.vectorize(cell)(np.nan_to_num(z)))
    marks = np.where(labels == "conditional", "◐", "")
    x = [as_text(function_names.get(c, c)) for c in matrix.columns]
    y = [as_text(m) for m in matrix.index]
    # Infeasible cells are grey, outside the colour scale: a score there ranks nothing.
    fig = go.Figure(go.Heatmap(
        z=np.where(infeasible, 1.0, np.nan), x=x, y=y,
        colorscale=[[0, "#d5dae0"], [1, "#d5dae0"]], showscale=False, hoverinfo="skip"))
    span = float(np.nanmax(np.abs(np.where(infeasible, np.nan, z)))) if (~infeasible & ~np.isnan(z)).any() else 1.0
    scale_name = _("index") if anchor else _("net")
    fig.add_trace(go.Heatmap(
        z=np.where(infeasible, np.nan, z), x=x, y=y, colorscale="RdYlGn", zmin=-span, zmax=span,
        text=np.char.add(text.astype(str), marks.astype(str)), texttemplate="%{text}",
        customdata=np.dstack([labels.astype(object), np.where(np.isnan(raw), None, raw).astype(object)]),
        colorbar={"title": scale_name, "tickformat": ".0f" if anchor else "+.2f"},
        meta={"columns": {"y": _("mission"), "x": _("function"), "z": scale_name,
                          "customdata": [_("verdict"), _("net score")]}},
        hovertemplate="%{y} · %{x}<br>" + scale_name + (" %{z:.0f}" if anchor else " %{z:+.4f}") + "<br>"
        + _("net") + " %{customdata[1]:+.4f}<br>%{customdata[0]}<extra></extra>",
        hoverongaps=False))
    fig.add_trace(go.Scatter(
        x=[x[j] for i, j in zip(*np.nonzero(infeasible), strict=True)],
        y=[y[i] for i, j in zip(*np.nonzero(infeasible), strict=True)], mode="text", text=["✕"] * int(infeasible.sum()),
        textfont={"color": "#5b6670"}, hovertext=[f"{y[i]} · {x[j]}: {_('infeasible')}"
                                                  for i, j in zip(*np.nonzero(infeasible), strict=True)],
        hoverinfo="text", showlegend=False))
    base_layout(fig, title=explorer_finding(z, infeasible, [str(function_names.get(c, c)) for c in matrix.columns],
                                               [str(m) for m in matrix.index], anchor),
                height=max(420, 24 * len(matrix) + 160), legend=False)
    fig.update_layout(hovermode="closest", margin={"l": 110, "b": 120})
    fig.update_xaxes(tickangle=-30, side="bottom")
    fig.update_yaxes(autorange="reversed")
    return fig


def explorer_finding(z: np.ndarray, infeasible: np.ndarray, functions: list[str], missions: list[str],
                     anchor: float | None) -> str:
    """The heatmap's finding: its best admissible cell (plain names: the title is escaped once, later)."""
    scored = np.where(infeasible | np.isnan(z), -np.inf, z)
    if not np.isfinite(scored).any():
        return _("No mission x function is admissible for this mode")
    i, j = np.unravel_index(int(np.argmax(scored)), scored.shape)
    words = {"mission": missions[i], "function": functions[j]}
    if anchor:
        return _("%(mission)s · %(function)s scores highest for this mode (index %(index)s)") % {
            **words, "index": f"{z[i, j]:.0f}"}
    return _("%(mission)s · %(function)s scores highest for this mode (net %(net)s)") % {**words, "net": f"{z[i, j]:+.3f}"}


def calibration(bins: pd.DataFrame, height: int = 420) -> go.Figure:
    """bins: risks.engine.backtest.calibration() (predicted, low90, high90, observed, units,
    low_mean, high_mean). Log axes; on the dotted line observed = predicted. An observed 0 is
    drawn at the bottom of the axis (a log axis has no 0)."""
    fig = go.Figure()
    floor = float(max(min(bins["predicted"].min(), bins["low90"].replace(0, np.nan).min()) / 2, 0.05))
    top = float(max(bins["high90"].max(), bins["observed"].max(), 1)) * 1.3
    fig.add_trace(go.Scatter(x=[floor, top], y=[floor, top], mode="lines", line={"dash": "dot", "color": "#9aa5b1"},
                             name=_("observed = predicted"), hoverinfo="skip"))
    low = np.maximum(bins["low90"].to_numpy(float), floor)
    fig.add_trace(go.Scatter(
        x=bins["predicted"], y=bins["predicted"], mode="markers", name=_("predicted, with its 90% interval"),
        marker={"color": "#1f5f8b", "size": 7, "symbol": "line-ew-open", "line": {"width": 2}},
        error_y={"type": "data", "symmetric": False, "array": bins["high90"] - bins["predicted"],
                 "arrayminus": bins["predicted"] - low, "color": "#1f5f8b", "thickness": 2, "width": 6},
        customdata=np.column_stack([bins["units"], bins["low90"], bins["high90"], bins["low_mean"], bins["high_mean"]]),
        meta={"columns": {"x": _("predicted deaths"), "y": _("deaths (vertical axis)"),
                          "customdata": [_("mission-years"), _("90% interval, low"), _("90% interval, high"),
                                         _("lowest expected deaths of a mission-year"),
                                         _("highest expected deaths of a mission-year")]}},
        hovertemplate=_("%{customdata[0]} mission-years expecting %{customdata[3]:.2f} to %{customdata[4]:.2f} deaths "
                        "each: %{x:.1f} predicted in all (90%: %{customdata[1]} to %{customdata[2]})") + "<extra></extra>"))
    fig.add_trace(go.Scatter(
        x=bins["predicted"], y=np.maximum(bins["observed"].to_numpy(float), floor), mode="markers",
        name=_("observed"), marker={"color": "#b3261e", "size": 10, "symbol": "diamond"},
        customdata=bins["observed"], hovertemplate=_("observed: %{customdata} deaths") + "<extra></extra>",
        meta={"columns": {"x": _("predicted deaths"), "y": _("deaths (vertical axis)"),
                          "customdata": [_("observed deaths")]}}))
    hits = int(((bins["observed"] >= bins["low90"]) & (bins["observed"] <= bins["high90"])).sum())
    title = _("%(hits)s of %(n)s groups' observed deaths fall inside their predicted 90%% interval") % {
        "hits": hits, "n": len(bins)} if len(bins) else \
        _("Predicted against observed deaths, mission-years grouped by their prediction")
    base_layout(fig, title=title,
                height=height, legend=True)
    fig.update_layout(hovermode="closest")
    fig.update_xaxes(type="log", title_text=_("predicted deaths in the group (sum of the mission-years' means)"))
    fig.update_yaxes(type="log", title_text=_("deaths"), rangemode="normal")
    return fig
