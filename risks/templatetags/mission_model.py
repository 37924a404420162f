"""{% mission_model mission %}: what the decision model knows of one mission (its page in the
missions app shows it): data-calibrated fatality rates with their person-years, the latest UN
composition and what it admits, the curated facts the gates read, and the mission's best option
per mode from the stored option grid."""

from datetime import date

from django import template
from django.db.models import Count, Max, Min, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from missions.models import Fatality, MandateFunction, MissionStrength
from risks import explorer
from risks.catalogue import frame_facts
from risks.engine import hazard, model
from risks.models import ContributionMode
from risks.partners import country_names, partner_of, with_partner
from risks.scenario_page import excluded_label, gate_names
from sources.models import Source

register = template.Library()


@register.inclusion_tag("risks/_mission_model.html", takes_context=True)
def mission_model(context, mission) -> dict:
    grid, inputs = explorer.explorer_grid()
    if mission.acronym not in inputs.missions.index:
        return {"known": False}
    row = inputs.missions.loc[mission.acronym]
    window = inputs.missions.attrs.get("window", (None, None))
    rates = []
    for group in model.GROUPS:
        shape, rate = row[f"shape_{group}"], row[f"rate_{group}"]
        low, high = hazard.interval(shape, rate, 0.9)
        rates.append({"group": group, "deaths": int(row[f"deaths_{group}"]), "person_years": 1000 * row[f"kpy_{group}"],
                      "mean": shape / rate, "low": float(low), "high": float(high),
                      "system": inputs.missions.attrs.get("system", {}).get(group)})
    cause_names = {"malicious": _("Malicious acts"), "accident": _("Accidents"), "illness": _("Illness"),
                   "other": _("Other and undetermined (self-inflicted, to be determined, unknown)")}
    causes = []
    for cause, name in cause_names.items():
        shape, rate = row[f"shape_cause_{cause}"], row[f"rate_cause_{cause}"]
        low, high = hazard.interval(shape, rate, 0.9)
        causes.append({"name": name, "deaths": int(row[f"deaths_cause_{cause}"]), "mean": shape / rate,
                       "low": float(low), "high": float(high)})
    earlier = earlier_rate(mission)
    modes = {m.code: m.name for m in ContributionMode.objects.all()}
    functions = {f.code: f.name for f in MandateFunction.objects.all()}
    gates = gate_names()
    countries = country_names()
    best = []
    for code, pick in explorer.best_per_mode(grid[grid["mission"] == mission.acronym]).items():
        admissible = not pick["excluded_by"]
        partner = partner_of(code, pick.get("partner"))
        best.append({"mode": code, "mode_name": with_partner(modes.get(code, code), partner, countries),
                     "functions": ", ".join(functions.get(c, c) for c in str(pick["functions"]).split("+")),
                     "feasibility": pick["feasibility"], "net": pick["net"], "p_positive": pick["p_positive"],
                     "expected_fatalities": pick["expected_fatalities"], "net_cost_usd": pick["net_cost_usd"],
                     "size": int(pick["size"]), "admissible": admissible,
                     "excluded": "" if admissible else excluded_label(pick["excluded_by"], gates)})
    composition = {name: int(row[name]) if row[name] == row[name] else None for name in (
        "troops", "formed_police", "individual_police", "staff_officers", "experts")}
    return {"known": True, "mission": mission, "rates": rates, "window": window, "composition": composition,
            "latest_month": row["latest_month"], "takes_formed": bool(row["takes_formed"]),
            "takes_individuals": bool(row["takes_individuals"]), "hostility": row["hostility"],
            "malicious_rate": row["malicious_rate"], "best": best, "anchor": explorer.grid_anchor(grid), "causes": causes, "earlier": earlier,
            "all_kpy": 1000 * row["kpy"], "perms": context.get("perms"),
            "partner": partner_words(row, countries), "frame": mission_frame(mission.acronym)}


def partner_words(row, countries: dict[str, str]) -> str:
    """Who a Mexican element of a mixed contingent would join here, and on what basis."""
    partner = row.get("partner")
    if not isinstance(partner, str) or not partner:
        return ""
    name = countries.get(partner, partner)
    embeds = ", ".join(countries.get(c, c) for c in str(row.get("partner_embeds") or "").split("|") if c)
    if row.get("partner_basis") == "mexico_precedent":
        return _("A mixed contingent would join %(lead)s: Mexican personnel have served in its contingent "
                 "here before.") % {"lead": name}
    if row.get("partner_basis") == "embeds":
        return _("A mixed contingent would join %(lead)s, which already embeds troops of %(others)s here "
                 "(latest UN report).") % {"lead": name, "others": embeds}
    return _("A mixed contingent would join %(lead)s, the largest contingent here from the Americas or a "
             "Spanish-speaking country; no embedding precedent is seen in the UN data.") % {"lead": name}


def mission_frame(acronym: str) -> list[dict]:
    """Mexico's legal and policy frame facts about this mission (risks/catalogue/frame.csv)."""
    column = "fact_es" if (get_language() or "").startswith("es") else "fact_en"
    facts = [f for f in frame_facts() if f["mission"] == acronym]
    keys = {k for f in facts for k in f["sources"].split("|") if k}
    cited = {s.key: f"{s.authors} {s.year}".strip() for s in Source.objects.filter(key__in=keys)}
    return [{"date": f["date"], "text": f[column] or f["fact_en"],
             "sources": "; ".join(cited.get(k, k) for k in f["sources"].split("|") if k)} for f in facts]


def earlier_rate(mission) -> dict | None:
    """1990-2014, where the research strength data give the mission's deployed strength: deaths of
    uniformed personnel, person-years and the Jeffreys-prior rate (shown, not used by the model,
    which reads the UN monthly reports since 2015)."""
    strength = MissionStrength.objects.filter(mission=mission, month__lt=date(2015, 1, 1)).aggregate(
        months=Count("id"), first=Min("month"), last=Max("month"),
        total=Sum(Coalesce("troops", 0) + Coalesce("police", 0) + Coalesce("observers", 0)))
    if not strength["months"] or not strength["total"]:
        return None
    deaths = Fatality.objects.filter(mission=mission, incident_date__gte=strength["first"],
                                     incident_date__lt=date(2015, 1, 1),
                                     personnel_type__in=["Military", "Military Observer", "Police"]).count()
    kpy = strength["total"] / 12 / 1000
    shape, rate = deaths + 0.5, kpy          # Jeffreys prior Gamma(1/2, 0): no pooling, an honest interval
    low, high = hazard.interval(shape, rate, 0.9)
    return {"first": strength["first"], "last": strength["last"], "deaths": deaths, "person_years": 1000 * kpy,
            "mean": deaths / kpy, "low": float(low), "high": float(high)}
