"""{% best_options %}: the overview's answer first: Mexico's best admissible option per
contribution mode now, from the stored option grid (default sizes and weights, 12 months)."""

import pandas as pd
from django import template
from django.core.cache import cache
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from missions import selectors
from missions.models import MandateFunction, Mission
from risks import explorer
from risks.engine import model
from risks.inputs import cached_inputs
from risks.models import ContributionMode

register = template.Library()


def in_words(p: float) -> str:
    """P(net > 0) said plainly: the chance the option is worth more than not deploying."""
    if p >= 0.95:
        return _("almost certainly better than not deploying")
    if p >= 0.75:
        return _("probably better than not deploying")
    if p >= 0.5:
        return _("more likely than not better than not deploying")
    if p >= 0.25:
        return _("probably worse than not deploying")
    return _("almost certainly worse than not deploying")


@register.inclusion_tag("risks/_best_options.html")
def best_options() -> dict:
    """Cached under the model's inputs and the data vintage (which the UN report comparison reads)."""
    key = f"risks:best-options:{cached_inputs().fingerprint}:{selectors.data_vintage()}:{get_language()}"
    return cache.get_or_set(key, build_answer, 6 * 3600)


def build_answer() -> dict:
    grid, inputs = explorer.explorer_grid()
    # Open missions only: options in closed missions fail the mission_open gate, and counting them
    # would say that most options fail a gate when most are history.
    grid = grid[grid["mission"].isin(inputs.missions.index[inputs.missions["active"].astype(bool)])]
    admissible = grid[grid["excluded_by"].fillna("") == ""]
    modes = {m.code: m.name for m in ContributionMode.objects.all()}
    functions = {f.code: f.name for f in MandateFunction.objects.all()}
    best = explorer.best_per_mode(admissible)
    rows = []
    for code in model.MODES:
        pick = best.get(code)
        if pick is None:
            rows.append({"mode": code, "mode_name": modes.get(code, code), "none": True})
            continue
        rows.append({
            "mode": code, "mode_name": modes.get(code, code), "none": False, "mission": pick["mission"],
            # A special political mission is no peacekeeping operation: said, not hidden in the acronym.
            "kind": "" if inputs.missions.loc[pick["mission"], "kind"] == Mission.Kind.PKO
            else str(Mission.Kind(inputs.missions.loc[pick["mission"], "kind"]).label),
            "functions": ", ".join(functions.get(c, c) for c in str(pick["functions"]).split("+")),
            "size": int(pick["size"]), "feasibility": pick["feasibility"], "net": float(pick["net"]),
            # An option worse than not deploying has no rank (risks.engine.evaluate).
            "rank": None if pd.isna(pick["rank"]) else int(pick["rank"]), "ranked": int(admissible["rank"].notna().sum()), "p_positive": float(pick["p_positive"]),
            "words": in_words(float(pick["p_positive"])), "expected_fatalities": float(pick["expected_fatalities"]),
            "net_cost_usd": float(pick["net_cost_usd"]), "worth_it": float(pick["net"]) > 0,
        })
    top = next((r for r in sorted(rows, key=lambda r: -r.get("net", -1e9)) if not r["none"]), None)
    return {"rows": rows, "top": top, "excluded": len(grid) - len(admissible), "total": len(grid),
            "anchor": explorer.grid_anchor(grid), "changes": selectors.mexico_changes()}
