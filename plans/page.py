"""What the plan page shows, built from a stored result: texts, figures, tables."""

from __future__ import annotations

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from missions.models import Country, MandateFunction
from pkoanalysis.money import money
from plans import charts
from plans.forms import mode_choices
from plans.models import Plan, PlanResult
from risks import scale
from risks.partners import country_names, partner_of, with_partner


def reason_text(reason: dict) -> str:
    code = reason["code"]
    if code == "required_excluded":
        return _("%(m)s is both required and left out (no Chapter VII missions excludes it).") % {"m": reason["mission"]}
    if code == "no_option":
        return _("%(m)s is required, but none of its options is admissible in the allowed modes (the safeguard gates "
                 "or the mission's composition rule them out).") % {"m": reason["mission"]}
    if code == "not_a_candidate":
        return _("%(m)s is required, but it is closed or has no mandate function the model can staff.") % {
            "m": reason["mission"]}
    if code == "too_many_required":
        return _("%(n)d missions are required but the plan may hold at most %(cap)d.") % {
            "n": reason["required"], "cap": reason["cap"]}
    if code == "people":
        return _("The personnel cap binds: the required missions' smallest admissible options need %(need)s people, "
                 "the cap allows %(cap)s.") % {"need": f"{reason['needed']:,.0f}", "cap": f"{reason['cap']:,.0f}"}
    if code == "cost":
        return _("The cost cap binds: the required missions' cheapest admissible options cost %(need)s a year, "
                 "the cap allows %(cap)s.") % {"need": money(reason["needed"]), "cap": money(reason["cap"])}
    return _("The personnel and cost caps bind together: each can be met alone, but no choice of the required "
             "missions' options meets both.")


def mode_names() -> dict[str, str]:
    return dict(mode_choices())


def function_names() -> dict[str, str]:
    return {f.code: f.name for f in MandateFunction.objects.all()}


def named(option: dict, modes: dict[str, str], functions: dict[str, str],
          countries: dict[str, str] | None = None) -> dict:
    """The option with its mode's name ('Mixed contingent with Argentina' where a partner is known)
    and its functions' names."""
    mode_name = modes.get(option["mode"], option["mode"])
    partner = partner_of(option["mode"], option.get("partner"))
    if partner:
        mode_name = with_partner(mode_name, partner, country_names() if countries is None else countries)
    return {**option, "mode_name": mode_name,
            "functions_list": [functions.get(code, code) for code in option["functions"].split("+")]}


def context(plan: Plan, result: PlanResult | None) -> dict:
    out: dict = {"plan": plan, "result": result}
    if result is None:
        return out
    data = result.data
    names = mode_names()
    out["reasons"] = [reason_text(r) for r in data.get("reasons", [])]
    out["formula"] = data.get("formula")
    functions, partner_names = function_names(), country_names()
    out["options"] = [named(o, names, functions, partner_names) for o in data.get("options", [])]
    out["totals"] = data.get("totals")
    out.update(plan_scale(data))
    anchor = out["anchor"]
    figures = {}
    if data.get("frontier"):
        figures["frontier_people"] = charts.frontier(data["frontier"]["people"], "people", plan.max_people,
                                                     anchor).to_json()
        figures["frontier_cost"] = charts.frontier(data["frontier"]["cost"], "cost", plan.max_cost_usd,
                                                   anchor).to_json()
    pathway = data.get("pathway")
    if pathway and pathway["status"] == "optimal":
        column = "name_es" if (get_language() or "").startswith("es") else "name_en"
        countries = dict(Country.objects.filter(iso3__in=list(data.get("references", {}))).values_list("iso3", column))
        figures["pathway"] = charts.pathway(pathway["years"], names).to_json()
        figures["references"] = charts.references(pathway["years"], data.get("references", {}), countries).to_json()
        out["pathway"] = {**pathway, "years": [
            {**y, "options": [named(o, names, functions, partner_names) for o in y["options"]], "cost_musd": y["cost_usd"] / 1e6,
             "cumulative_cost_musd": y["cumulative_cost_usd"] / 1e6} for y in pathway["years"]]}
    if result.robustness:
        figures["acceptability"] = charts.acceptability(result.robustness["options"], names, functions).to_json()
        out["robustness"] = result.robustness
    out["figures"] = figures
    return out


def plan_scale(data: dict) -> dict:
    """The plan on the index (risks.scale): 100 = the best admissible candidate, the best single
    option the plan could hold; each option's value is its index, and the plan's total is the
    options' indices added up (index points: 250 = worth 2.5 times the best single option over
    not deploying), with its P10 and P90. Results stored before the anchor was kept have none:
    their values show as raw net scores on hover. {anchor, total_points: {value, p10, p90}}."""
    anchor = data.get("anchor")
    totals = data.get("totals") or {}
    return {"anchor": anchor, "total_points": {key: scale.index(totals.get(name), anchor) for key, name in
                                               (("value", "value"), ("p10", "value_p10"), ("p90", "value_p90"))}}
