"""{% best_options %}: the overview's answer first: Mexico's best admissible option per
contribution mode now, from the stored option grid (default sizes and weights, 12 months)."""

import pandas as pd
from django import template
from django.core.cache import cache
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from missions import council_text, selectors
from missions.models import MandateFunction, Mission, MissionCut
from risks import explorer, scale
from risks.engine import model
from risks.inputs import cached_inputs
from risks.models import ContributionMode
from risks.partners import country_names, partner_of, with_partner
from risks.services import BETTER_TASK_SET

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
    countries = country_names()
    rows = []
    for code in model.MODES:
        pick = best.get(code)
        if pick is None:
            rows.append({"mode": code, "mode_name": modes.get(code, code), "none": True})
            continue
        partner = partner_of(code, pick.get("partner"))
        rows.append({
            "mode": code, "mode_name": with_partner(modes.get(code, code), partner, countries), "none": False,
            "mission": pick["mission"], "partner": partner,
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
    variants = int((grid["excluded_by"] == BETTER_TASK_SET).sum())
    anchor = explorer.grid_anchor(grid)
    return {"rows": rows, "top": top, **size_neutral(rows, anchor), "excluded": len(grid) - len(admissible) - variants, "total": len(grid),
            "anchor": explorer.grid_anchor(grid), "changes": selectors.mexico_changes(), **world_since_the_data()}


def size_neutral(rows: list[dict], anchor: float | None) -> dict:
    """"A unit or individuals?" without the size effect: each mode's best option per 10 people
    and per US$ 1 M a year of net cost (index points, risks.scale), and its expected fatalities
    per 100 people a year. The modes' default sizes differ (150, 40, 10, 5 people), so the table
    above compares decisions of different weight; these columns compare what each person and
    each dollar buys. Empty when no option beats not deploying (no index)."""
    out = []
    for r in rows:
        if r["none"] or anchor is None:
            continue
        index = scale.index(r["net"], anchor)
        cost = r["net_cost_usd"]
        out.append({"mode_name": r["mode_name"], "size": r["size"], "mission": r["mission"],
                    "per_10": index / r["size"] * 10,
                    "per_musd": index / (cost / 1e6) if cost > 0 else None,
                    "deaths_per_100": r["expected_fatalities"] / r["size"] * 100})
    best_person = max(out, key=lambda x: x["per_10"], default=None)
    best_dollar = max((x for x in out if x["per_musd"] is not None), key=lambda x: x["per_musd"], default=None)
    return {"per_size": out, "best_per_person": best_person, "best_per_dollar": best_dollar}


def world_since_the_data() -> dict:
    """What changed beside the UN data: the Council's decisions since the latest UN report, and
    the 2025-26 cuts (system-wide), said in the words the mission pages use."""
    month = selectors.latest_month()
    decisions = [{"mission": d.mission.acronym, "sentence": council_text.decision_sentence(d)}
                 for d in selectors.decisions_since(month)]
    system = list(MissionCut.objects.filter(mission__isnull=True).order_by("announced", "id"))
    cut = next((c for c in reversed(system) if c.verified and c.uniformed_share is not None), None)
    delay = next((c for c in reversed(system) if c.reimbursement_delay_months is not None), None)
    return {"decisions": decisions, "decisions_after": month,
            "cut": council_text.cut_sentence(cut) if cut else "",
            "cut_source": cut, "delay": council_text.delay_sentence(delay) if delay else ""}
