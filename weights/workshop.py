"""The workshop page's content: each participant's weights, their spread, the aggregate, the
chart, and whose priorities would change the recommendation. No request here."""

from __future__ import annotations

import plotly.graph_objects as go
from django.utils.translation import gettext as _

from pkoanalysis import chartstyle
from risks.engine import elicitation as el
from risks.models import Category, Scenario
from weights import methods, services
from weights.models import Method, WeightSet

GROUP = "__group__"


def workshop_view(scenario: Scenario, weight_set: WeightSet | None) -> dict:
    participants = list(weight_set.participants.select_related("user")) if weight_set else []
    if not participants:
        return {"participants": []}
    labels = dict(Category.choices)
    vectors = [[p.weights[c] for c in methods.CRITERIA] for p in participants]
    spread = el.spread(vectors)
    group = [weight_set.weights[c] for c in methods.CRITERIA]
    rows = [{"category": labels[c], "values": [100 * v[k] for v in vectors], "group": 100 * group[k],
             "min": 100 * spread["min"][k], "max": 100 * spread["max"][k], "sd": 100 * spread["sd"][k]}
            for k, c in enumerate(methods.CRITERIA)]
    best = services.best_options(scenario, {GROUP: weight_set.weights, **{str(p.pk): p.weights for p in participants}})
    group_best = best[GROUP]
    per_participant = []
    for p in participants:
        mine = best[str(p.pk)]
        per_participant.append({"participant": p, "best": mine,
                                "differs": (mine or {}).get("mission") != (group_best or {}).get("mission")
                                or (mine or {}).get("stay_home") != (group_best or {}).get("stay_home")})
    return {"participants": participants, "rows": rows, "group_best": group_best, "per_participant": per_participant,
            "changers": [r["participant"].label for r in per_participant if r["differs"]],
            "aggregation": aggregation_said(weight_set.method),
            "figure": chart(rows, [p.label for p in participants]).to_json()}


def aggregation_said(method: str) -> str:
    if method == Method.AHP:
        return _("The group's weights are the principal eigenvector of the element-wise geometric mean of the "
                 "participants' judgments (Aczél and Saaty, 1983), with its own consistency ratio.")
    return _("The group's weights are the arithmetic mean of the participants' normalised weights.")


def chart(rows: list[dict], labels: list[str]) -> go.Figure:
    """Grouped bars: each participant's weight per category; the group's weight as a marker."""
    categories = [chartstyle.as_text(r["category"]) for r in rows]
    fig = go.Figure()
    for k, label in enumerate(labels):
        fig.add_trace(go.Bar(
            y=categories, x=[r["values"][k] for r in rows], orientation="h", name=chartstyle.as_text(label),
            marker={"color": chartstyle.PALETTE[k % len(chartstyle.PALETTE)]},
            hovertemplate=chartstyle.as_text(label) + " · %{y}: %{x:.1f}%<extra></extra>"))
    fig.add_trace(go.Scatter(
        y=categories, x=[r["group"] for r in rows], mode="markers", name=_("group"),
        marker={"symbol": "diamond", "size": 12, "color": chartstyle.INK, "line": {"width": 1, "color": "white"}},
        hovertemplate=_("group") + " · %{y}: %{x:.1f}%<extra></extra>"))
    chartstyle.apply(fig, title=_("Each participant's weight per category (%)"),
                     height=140 + len(rows) * (14 + 9 * len(labels)), hovermode="closest")
    fig.update_layout(barmode="group", bargap=0.25)
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(rangemode="tozero", ticksuffix="%")  # the title says what the numbers are
    return fig
