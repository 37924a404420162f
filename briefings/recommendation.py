"""The executive summary's recommendation, written from a result (in the active language).

recommend(data, cite) -> {"decision", "headline", "option", "options", "why", "why_not",
"conditions", "caveats", "risks", "change", "confidence", "today", "changes", "partner", "when"}
-- every sentence is built from the scenario's numbers; nothing is fixed text about a particular
mission. A conditional option is never called the best without its conditions; the figures
are the recommended option's own (its row of the export), never totals over the question's
missions; a "do not deploy" brief argues that and prints no option's figures."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from briefings.bibliography import Citations
from briefings.data import BriefingData
from briefings.text import month_year, num, pct, score
from risks import scale


def admissible(option: dict) -> bool:
    return not option.get("excluded_by") and option["feasibility"] != "infeasible"


def recommend(data: BriefingData, cite: Citations) -> dict:
    """decision: "deploy", "deploy_on_conditions" or "do_not_deploy"; option: the recommended
    option's own figures (figures()), None when nothing is recommended; why_not: the case for
    not deploying; today, change, partner, when: where Mexico serves now, what the
    recommendation changes there, with whom and from when."""
    r = data.result
    anchor = scale.anchor(r["options"])  # the index of the pages and of the XLSX/CSV
    chosen = [o for o in r["options"] if o["selected"]]
    usable = sorted((o for o in chosen if admissible(o)), key=lambda o: -o["net"])
    positive = [o for o in usable if o["net"] > 0]
    best = positive[0] if positive else None
    out = {"options": [], "why": [], "why_not": [], "conditions": [], "caveats": [], "risks": [], "change": [],
           "confidence": "", "option": None, "partner": "", "when": "", "today": today(data),
           "changes": changes(data, best)}
    question = _("%(size)s people as %(mode)s for %(months)s months") % {
        "size": data.size, "mode": data.mode.lower(), "months": data.duration_months}
    if best is None:
        out["decision"] = "do_not_deploy"
        out["headline"] = (_("Do not deploy as specified (%(question)s): no admissible option scores above not "
                             "deploying.") % {"question": question}) if usable else (
            _("Do not deploy as specified (%(question)s): every chosen mission is excluded by a safeguard or a "
              "deal-breaker.") % {"question": question})
        out["why_not"] = why_not(data, chosen, usable)
    else:
        out["conditions"] = conditions(data, best, cite)
        out["caveats"] = caveats(data, cite)
        out["decision"] = "deploy_on_conditions" if out["conditions"] else "deploy"
        values = {"mission": data.option_label(best), "question": question}
        if out["conditions"]:
            out["headline"] = _("Recommended, on conditions: %(mission)s (%(question)s). It has the highest net score "
                                "of the admissible options, but only once the conditions below are met.") % values
        elif out["caveats"]:
            out["headline"] = _("Recommended: %(mission)s (%(question)s). It has the highest net score of the "
                                "admissible options; no safeguard sets a condition on it, but read the legal "
                                "caveat below.") % values
        else:
            out["headline"] = _("Recommended: %(mission)s (%(question)s). It has the highest net score of the "
                                "admissible options and no safeguard sets a condition on it.") % values
        out["option"] = figures(data, best)
        out["partner"] = partner_sentence(data, best)
        out["when"] = when_sentence(data, best["mission"])
    # Recommended options: the best, and any other positive option within the P10-P90 band of it.
    for o in positive[:3]:
        if o is not best and o["net"] < best["p10"]:
            continue
        out["options"].append({
            "mission": data.option_label(o), "acronym": o["mission"], "feasibility": o["feasibility"],
            "net": score(o["net"], anchor),
            "p_positive": pct(o["p_positive"]), "rank": o["rank"] or "–",
            "label": _("feasible") if o["feasibility"] == "feasible" else _("conditional")})
    if best is not None:
        contributions = {c["factor"]: c["contribution"] for c in r["contributions"]}
        drivers = [c for c in sorted(contributions, key=lambda c: -contributions[c]) if contributions[c] > 0][:3]
        if drivers:
            out["why"].append(_("Across the admissible chosen missions the main opportunities are %(o)s.") % {
                "o": "; ".join(f"{data.factor_names[c]} {cite.mark(data.factor_sources.get(c, []))}".strip()
                               for c in drivers)})
        out["why"].append(_("%(mission)s scores %(net)s on the index (0 = not deploying, 100 = the best admissible "
                            "option; P10 %(p10)s, P90 %(p90)s), with a %(p)s chance of scoring above not deploying; "
                            "%(n)s of the %(total)s chosen missions are admissible.") % {
            "mission": best["mission"], "net": score(best["net"], anchor), "p10": score(best["p10"], anchor),
            "p90": score(best["p90"], anchor), "p": pct(best["p_positive"]), "n": len(usable), "total": len(chosen)})
        risks = sorted((c for c in r["contributions"] if c["contribution"] < 0), key=lambda c: c["contribution"])[:3]
        for c in risks:
            code = c["factor"]
            out["risks"].append({"name": data.factor_names.get(code, code),
                                 "mark": cite.mark(data.factor_sources.get(code, [])),
                                 "mitigation": data.factor_mitigations.get(code, "")})
    out["change"] = what_would_change(data, best, usable)
    out["confidence"] = confidence(data, best)
    return out


def figures(data: BriefingData, option: dict) -> dict:
    """The recommended option's own figures (its row of the export), raw and as printed."""
    return {"mission": option["mission"], "label": data.option_label(option), "people": data.size,
            "months": data.duration_months, "expected_fatalities": option["expected_fatalities"],
            "p_any_fatality": option["p_any_fatality"], "net_cost_usd": option["net_cost_usd"],
            "people_text": num(data.size, 0), "months_text": num(data.duration_months, 0),
            "fatalities_text": num(option["expected_fatalities"], 3), "p_any_text": pct(option["p_any_fatality"], 1),
            "cost_text": _("US$%(m)s million") % {"m": num(option["net_cost_usd"] / 1e6, 2)},
            "ready_text": ready_text(data, option["mission"])}


def conditions(data: BriefingData, best: dict, cite: Citations) -> list[dict]:
    out = []
    for reason in best.get("reasons", []):
        if reason["level"] != "conditional":
            continue
        gate = reason["gate"]
        action = data.gate_actions.get(gate) or data.gate_names.get(gate, gate)
        out.append({"gate": data.gate_names.get(gate, gate), "action": action,
                    "mark": cite.mark(data.gate_sources.get(gate, []))})
    return out


def caveats(data: BriefingData, cite: Citations) -> list[dict]:
    if data.mode_code != "individual":
        return []
    # The gate passes individuals under the government's reading since 2015; the reading is
    # contested, and a client must not take the pass for settled law.
    gate = "senate_authorisation"
    return [{"gate": data.gate_names.get(gate, gate),
             "action": _("Passes under the government's reading since 2015 that individual officers and police are "
                         "not 'troops' leaving the country; that reading is contested, and since the 2024 reform it "
                         "no longer covers police drawn from the Guardia Nacional (military personnel under SEDENA). "
                         "Informing the Senate (or seeking its authorisation) removes the legal and political risk."),
             "mark": cite.mark(data.gate_sources.get(gate, []))}]


def why_not(data: BriefingData, chosen: list[dict], usable: list[dict]) -> list[str]:
    """The case for not deploying: the best admissible options score at or below not deploying,
    or nothing is admissible, and what rules the others out."""
    lines = []
    if usable:
        top = usable[:3]
        lines.append(ngettext(
            "The best admissible option, %(options)s, scores at or below not deploying (0): its expected gains do "
            "not outweigh its risks at the weights set for this question.",
            "The best admissible options, %(options)s, score at or below not deploying (0): their expected gains do "
            "not outweigh their risks at the weights set for this question.", len(top)) % {
            "options": "; ".join(_("%(mission)s %(net)s (above 0 in %(p)s of the simulations)") % {
                "mission": o["mission"], "net": num(o["net"], sign=True), "p": pct(o["p_positive"])} for o in top)})
    excluded = [o for o in chosen if not admissible(o)]
    if excluded:
        infeasible = [o["mission"] for o in excluded if o["feasibility"] == "infeasible"]
        barred = [o["mission"] for o in excluded if o["feasibility"] != "infeasible"]
        if infeasible:
            lines.append(ngettext("%(missions)s cannot take this option or fails a safeguard applied strictly "
                                  "(see the options below).",
                                  "%(missions)s cannot take this option or fail a safeguard applied strictly "
                                  "(see the options below).", len(infeasible)) % {"missions": ", ".join(infeasible)})
        if barred:
            lines.append(ngettext("%(missions)s is ruled out by a deal-breaker set for this question (%(limits)s).",
                                  "%(missions)s are ruled out by the deal-breakers set for this question (%(limits)s).",
                                  len(barred)) % {"missions": ", ".join(barred),
                                                  "limits": "; ".join(data.dealbreakers) or "–"})
    return lines


def listing(items: list[str]) -> str:
    """'Brazil, Chile and Paraguay' in the active language."""
    if len(items) <= 1:
        return "".join(items)
    return _("%(first)s and %(last)s") % {"first": ", ".join(items[:-1]), "last": items[-1]}


def mode_kind(data: BriefingData) -> str:
    return {"individual": _("individual officers (staff officers, observers or police)"),
            "mixed_contingent": _("an element embedded in a partner's unit"),
            "national_contingent": _("a Mexican formed unit"),
            "private_military_company": _("a contracted private company"),
            "civilian": _("civilian experts")}.get(data.mode_code, data.mode.lower())


def kinds_text(kinds: dict[str, int]) -> str:
    words = {"troops": lambda n: ngettext("%(n)s troop", "%(n)s troops", n),
             "staff_officers": lambda n: ngettext("%(n)s staff officer", "%(n)s staff officers", n),
             "experts": lambda n: ngettext("%(n)s military observer or expert", "%(n)s military observers or experts", n),
             "individual_police": lambda n: ngettext("%(n)s police officer", "%(n)s police officers", n),
             "formed_police": lambda n: ngettext("%(n)s in formed police units", "%(n)s in formed police units", n)}
    return ", ".join(words[k](n) % {"n": num(n, 0)} if k in words else f"{num(n, 0)} {k}"
                     for k, n in sorted(kinds.items(), key=lambda kv: -kv[1]))


def today(data: BriefingData) -> str:
    now = data.mexico_now
    if not now:
        return _("The UN data holds no monthly report of Mexico's deployments.")
    if not now["missions"]:
        return _("In the latest UN report (%(month)s) Mexico has no uniformed personnel in UN peace operations.") % {
            "month": month_year(now["month"])}
    return ngettext(
        "In the latest UN report (%(month)s) Mexico has %(total)s uniformed personnel in %(n)s operation: %(list)s.",
        "In the latest UN report (%(month)s) Mexico has %(total)s uniformed personnel in %(n)s operations: %(list)s.",
        len(now["missions"])) % {
        "month": month_year(now["month"]), "total": num(now["total"], 0), "n": len(now["missions"]),
        "list": "; ".join(f"{m['mission']} {num(m['total'], 0)} ({kinds_text(m['kinds'])})" for m in now["missions"])}


def changes(data: BriefingData, best: dict | None) -> str:
    now = data.mexico_now or {"total": 0, "missions": []}
    total = now.get("total", 0)
    if best is None:
        return _("Nothing changes: Mexico's deployments stay as they are (%(total)s uniformed personnel).") % {
            "total": num(total, 0)}
    there = next((m for m in now.get("missions", []) if m["mission"] == best["mission"]), None)
    values = {"n": num(data.size, 0), "kind": mode_kind(data), "mission": best["mission"], "before": num(total, 0),
              "after": num(total + data.size, 0)}
    if there is None:
        return _("Adds %(n)s people as %(kind)s to %(mission)s, where Mexico has no personnel today; Mexico's total "
                 "goes from %(before)s to %(after)s.") % values
    return _("Adds %(n)s people as %(kind)s to %(mission)s, where Mexico already has %(here)s (%(kinds)s); Mexico's "
             "total goes from %(before)s to %(after)s.") % {**values, "here": num(there["total"], 0),
                                                             "kinds": kinds_text(there["kinds"])}


def partner_sentence(data: BriefingData, option: dict) -> str:
    if data.mode_code != "mixed_contingent":
        return ""
    mission = option["mission"]
    facts = data.partner_facts.get(mission, {})
    partner = option.get("partner") or ""
    if not partner:
        return _("No partner nation is named for %(mission)s: no contributor there embeds other countries' troops or "
                 "comes from the Americas or a Spanish-speaking country; a lead nation would have to be found "
                 "[verify].") % {"mission": mission}
    name = data.partner_names.get(partner, partner)
    month = month_year((data.mexico_now or {}).get("month"))
    if facts.get("basis") == "mexico_precedent":
        return _("Partner: %(partner)s, whose unit Mexican personnel have already joined in %(mission)s.") % {
            "partner": name, "mission": mission}
    if facts.get("basis") == "embeds" and facts.get("embeds"):
        return _("Partner: %(partner)s, which already embeds troops from %(others)s in its unit in %(mission)s (UN "
                 "report, %(month)s); its agreement to take a Mexican element is still to be sought [verify].") % {
            "partner": name, "others": listing([data.partner_names.get(c, c) for c in facts["embeds"]]),
            "mission": mission, "month": month}
    return _("Partner: %(partner)s, the largest contributor from the Americas or a Spanish-speaking country in "
             "%(mission)s; it embeds no other country's troops there today, so this partnership has no precedent "
             "[verify].") % {"partner": name, "mission": mission}


def ready_text(data: BriefingData, mission: str) -> str:
    year = data.ready_year.get(mission)
    if year is None:
        return _("not within the %(years)s-year pathway") % {"years": data.rules.get("years", 5)}
    return _("year %(n)s of the pathway (%(year)s)") % {"n": year + 1, "year": data.start_year + year}


def when_sentence(data: BriefingData, mission: str) -> str:
    """When the option can first deploy, and what holds it back (the pathway's rules)."""
    year, rules = data.ready_year.get(mission), data.rules
    if not rules:
        return ""
    if year == 0:
        return _("Deployable in the first year (%(year)s): individuals need no formed unit trained first.") % {
            "year": data.start_year} if data.mode_code == "individual" else _(
            "Deployable in the first year (%(year)s).") % {"year": data.start_year}
    held = []
    if data.mode_code in ("mixed_contingent", "national_contingent", "private_military_company"):
        capacity = rules["formed_capacity"]
        if capacity and capacity[0] < data.size:
            held.append(_("no formed unit of this size can be trained and certified for the first year (capacity "
                          "%(cap)s people)") % {"cap": num(capacity[0], 0)})
    if data.mode_code == "mixed_contingent":
        have = rules["prior_individual"].get(mission, 0)
        if have < rules["individual_years_before_mixed"]:
            held.append(_("a mixed contingent first needs %(k)s years of Mexican individual presence in %(mission)s "
                          "(Mexico has %(have)s)") % {"k": rules["individual_years_before_mixed"], "mission": mission,
                                                       "have": have})
    if data.mode_code == "national_contingent":
        held.append(_("a national contingent cannot deploy before year %(y)s of the pathway") % {
            "y": rules["first_national_year"]})
    values = {"when": ready_text(data, mission), "why": "; ".join(held)}
    if year is None:
        return (_("Not deployable within the pathway's horizon: %(why)s [assumption].") % values if held else
                _("Not deployable within the pathway's horizon [assumption]."))
    return (_("Deployable from %(when)s, not before: %(why)s (the pathway's rules, judgements of this tool "
              "[assumption]).") % values if held else _("Deployable from %(when)s.") % values)


def what_would_change(data: BriefingData, best: dict | None, usable: list[dict] | None = None) -> list[str]:
    r = data.result
    lines = []
    if best is None and usable:
        top = usable[0]
        lines.append(_("%(mission)s would be recommended if its net score (now %(net)s) rose above 0: larger gains "
                       "or lower risks than the inputs now say, or more weight on the factors in its favour") % {
            "mission": top["mission"], "net": num(top["net"], sign=True)})
    if best is not None:
        for row in r.get("break_even", []):
            name = data.factor_names.get(row["factor"], row["factor"])
            # A break-even that names the recommended option itself says nothing about changing it.
            if row.get("up_option") and row["up_option"] != best["mission"] and row["up_weight"] is not None \
                    and row["up_weight"] <= 1:
                lines.append(_("raising the weight of %(f)s from %(now)s to %(to)s would make %(m)s the best option")
                             % {"f": name, "now": pct(row["weight"]), "to": pct(row["up_weight"]), "m": row["up_option"]})
            if row.get("down_option") and row["down_option"] != best["mission"] and row["down_weight"] is not None:
                lines.append(_("lowering the weight of %(f)s from %(now)s to %(to)s would make %(m)s the best option")
                             % {"f": name, "now": pct(row["weight"]), "to": pct(row["down_weight"]),
                                "m": row["down_option"]})
        lines = lines[:4]
        if not lines:
            lines.append(_("no single factor weight, raised or lowered within 0-100%, changes the best option"))
    binding = {}
    for o in r["options"]:
        if o["selected"] and o["feasibility"] != "infeasible":  # relaxing a deal-breaker cannot bring these back
            for part in filter(None, (p.strip() for p in o.get("excluded_by", "").split(";"))):
                if part.startswith("dealbreaker:"):
                    binding.setdefault(part.split(":", 1)[1], []).append(o["mission"])
    if binding:
        missions = sorted({m for ms in binding.values() for m in ms})
        lines.append(ngettext("the deal-breakers set for this question (%(limits)s) exclude %(missions)s; relaxing "
                              "them would bring it back into the comparison",
                              "the deal-breakers set for this question (%(limits)s) exclude %(missions)s; relaxing "
                              "them would bring them back into the comparison", len(missions)) % {
            "limits": "; ".join(data.dealbreakers), "missions": ", ".join(missions)})
    return lines


def confidence(data: BriefingData, best: dict | None) -> str:
    if best is None:
        return ""
    share = next((row["share"] for row in data.result.get("rank_acceptability", [])
                  if row["mission"] == best["mission"]), None)
    if share is None:
        return ""
    level = _("high") if share >= 0.7 else _("moderate") if share >= 0.4 else _("low")
    return _("Confidence: %(level)s. %(mission)s ranks first in %(share)s of %(draws)s draws over the uncertain "
             "inputs and weights (rank acceptability).") % {
        "level": level, "mission": best["mission"], "share": pct(share),
        "draws": num(data.result.get("smaa", {}).get("draws", 1000), 0)}
