"""{% best_options %}: the overview's answer first: Mexico's best admissible option per
contribution mode now, from the stored option grid (default sizes and weights, 12 months)."""

import numpy as np
import pandas as pd
from django import template
from django.core.cache import cache
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from missions import council_text, selectors
from missions.models import MandateFunction, Mission, MissionCut
from plans import catalogue as plan_rules
from risks import explorer, scale
from risks.engine import feasibility, model
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
    admissible = admissible.assign(from_year=earliest_years(admissible, inputs.start.year))
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
            "from_year": None if pd.isna(pick["from_year"]) else int(pick["from_year"]),
        })
    top = next((r for r in sorted(rows, key=lambda r: -r.get("net", -1e9)) if not r["none"]), None)
    first_year = inputs.start.year
    if top is not None:
        top["ready_now"] = top["from_year"] == first_year
    # The strongest option is not always one Mexico could field next year (a formed unit needs
    # trained personnel and years of individual presence first): the answer then also names the
    # strongest option ready in the first year, so the overview and the plan tell one story.
    ready = admissible[(admissible["from_year"] == first_year) & (admissible["net"] > 0)]
    top_now = None
    if top is not None and not top["ready_now"] and len(ready):
        pick = explorer.admissible_first(ready).iloc[0]
        top_now = {"mission": pick["mission"], "size": int(pick["size"]), "feasibility": pick["feasibility"],
                   "mode_name": with_partner(modes.get(pick["mode"], pick["mode"]),
                                             partner_of(pick["mode"], pick.get("partner")), countries),
                   "functions": ", ".join(functions.get(c, c) for c in str(pick["functions"]).split("+"))}
    variants = int((grid["excluded_by"] == BETTER_TASK_SET).sum())
    anchor = explorer.grid_anchor(grid)
    return {"rows": rows, "top": top, "top_now": top_now, "first_year": first_year, **size_neutral(rows, anchor), "excluded": len(grid) - len(admissible) - variants, "total": len(grid),
            "anchor": explorer.grid_anchor(grid), "changes": selectors.mexico_changes(), **world_since_the_data()}


def earliest_years(options: pd.DataFrame, first_year: int) -> np.ndarray:
    """(n,) the first calendar year each option could deploy by the pathway's growth rules
    (plans/catalogue/pathway_rules.csv: trained formed personnel, years of individual presence
    before a mixed element, a national contingent's first year), Mexico's years of presence in
    the UN reports counted; NaN when not within the rules' horizon."""
    if options.empty:
        return np.array([], dtype=float)
    rules = plan_rules.rules()
    missions = tuple(dict.fromkeys(options["mission"]))
    individual, present = selectors.mexico_presence_years(missions)
    at = options["mission"].map({a: k for k, a in enumerate(missions)}).to_numpy()
    years = feasibility.earliest_year(options["mode"].to_numpy(), options["size"].to_numpy(float), rules.formed_capacity,
                                      rules.first_national_year, individual[at], present[at],
                                      rules.individual_years_before_mixed, rules.presence_years_before_national)
    return np.where(years >= 0, first_year + years, np.nan)


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
