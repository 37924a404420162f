"""The executive summary's recommendation, written from a result (in the active language).

recommend(data, cite) -> {"headline", "options": [...], "why": [...], "conditions": [...],
"risks": [...], "change": [...], "confidence": str, "facts": [...]} -- every sentence is built
from the scenario's numbers; nothing is fixed text about a particular mission. A conditional
option is never called the best without its conditions."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from briefings.bibliography import Citations
from briefings.data import BriefingData
from briefings.text import num, pct


def admissible(option: dict) -> bool:
    return not option.get("excluded_by") and option["feasibility"] != "infeasible"


def recommend(data: BriefingData, cite: Citations) -> dict:
    r = data.result
    chosen = [o for o in r["options"] if o["selected"]]
    usable = sorted((o for o in chosen if admissible(o)), key=lambda o: -o["net"])
    positive = [o for o in usable if o["net"] > 0]
    best = positive[0] if positive else None
    out = {"options": [], "why": [], "conditions": [], "risks": [], "change": [], "confidence": "", "facts": []}
    question = _("%(size)s people as %(mode)s for %(months)s months") % {
        "size": data.size, "mode": data.mode.lower(), "months": data.duration_months}
    if best is None:
        out["headline"] = (_("Do not deploy as specified (%(question)s): no admissible option scores above not "
                             "deploying.") % {"question": question}) if usable else (
            _("Do not deploy as specified (%(question)s): every chosen mission is excluded by a safeguard or a "
              "deal-breaker.") % {"question": question})
    elif best["feasibility"] == "feasible":
        out["headline"] = _("Recommended: %(mission)s (%(question)s). It passes every safeguard and has the highest "
                            "net score of the admissible options.") % {"mission": data.option_label(best), "question": question}
    else:
        out["headline"] = _("Recommended, on conditions: %(mission)s (%(question)s). It has the highest net score of "
                            "the admissible options, but only once the conditions below are met.") % {
            "mission": data.option_label(best), "question": question}
    # Recommended options: the best, and any other positive option within the P10-P90 band of it.
    for o in positive[:3]:
        if o is not best and o["net"] < best["p10"]:
            continue
        out["options"].append({
            "mission": data.option_label(o), "acronym": o["mission"], "feasibility": o["feasibility"],
            "net": num(o["net"], sign=True),
            "p_positive": pct(o["p_positive"]), "rank": o["rank"] or "–",
            "label": _("feasible") if o["feasibility"] == "feasible" else _("conditional")})
    if best is not None:
        contributions = {c["factor"]: c["contribution"] for c in r["contributions"]}
        drivers = [c for c in sorted(contributions, key=lambda c: -contributions[c]) if contributions[c] > 0][:3]
        if drivers:
            out["why"].append(_("Across the chosen missions the main opportunities are %(o)s.") % {
                "o": "; ".join(f"{data.factor_names[c]} {cite.mark(data.factor_sources.get(c, []))}".strip()
                               for c in drivers)})
        out["why"].append(_("%(mission)s scores %(net)s (P10 %(p10)s, P90 %(p90)s), with a %(p)s chance of scoring "
                            "above not deploying; %(n)s of the %(total)s chosen missions are admissible.") % {
            "mission": best["mission"], "net": num(best["net"], sign=True), "p10": num(best["p10"], sign=True),
            "p90": num(best["p90"], sign=True), "p": pct(best["p_positive"]), "n": len(usable), "total": len(chosen)})
        for reason in best.get("reasons", []):
            if reason["level"] != "conditional":
                continue
            gate = reason["gate"]
            action = data.gate_actions.get(gate) or data.gate_names.get(gate, gate)
            out["conditions"].append({"gate": data.gate_names.get(gate, gate), "action": action,
                                      "mark": cite.mark(data.gate_sources.get(gate, []))})
        if data.mode_code == "individual":
            # The gate passes individuals under the government's reading since 2015; the reading
            # is contested, and a client must not take the pass for settled law.
            gate = "senate_authorisation"
            out["conditions"].append({
                "gate": data.gate_names.get(gate, gate),
                "action": _("Passes under the government's reading since 2015 that individual officers and police "
                            "are not 'troops' leaving the country; that reading is contested, and since the 2024 "
                            "reform it no longer covers police drawn from the Guardia Nacional (military personnel "
                            "under SEDENA). Informing the Senate (or seeking its authorisation) removes the legal and "
                            "political risk."),
                "mark": cite.mark(data.gate_sources.get(gate, []))})
    risks = sorted((c for c in r["contributions"] if c["contribution"] < 0), key=lambda c: c["contribution"])[:3]
    for c in risks:
        code = c["factor"]
        out["risks"].append({"name": data.factor_names.get(code, code), "mark": cite.mark(data.factor_sources.get(code, [])),
                             "mitigation": data.factor_mitigations.get(code, "")})
    out["change"] = what_would_change(data, best)
    out["confidence"] = confidence(data, best)
    if "expected_fatalities" in r:
        out["facts"].append(_("Expected fatalities over the deployment: %(ef)s (a %(p)s chance of at least one); net "
                              "cost to Mexico about US$%(usd)s million a year.") % {
            "ef": num(r["expected_fatalities"], 3), "p": pct(r["p_any_fatality"], 1),
            "usd": num(r["net_cost_usd"] / 1e6, 1)})
    return out


def what_would_change(data: BriefingData, best: dict | None) -> list[str]:
    r = data.result
    lines = []
    if best is not None:
        for row in r.get("break_even", []):
            name = data.factor_names.get(row["factor"], row["factor"])
            if row.get("up_option") and row["up_weight"] is not None and row["up_weight"] <= 1:
                lines.append(_("raising the weight of %(f)s from %(now)s to %(to)s would make %(m)s the best option")
                             % {"f": name, "now": pct(row["weight"]), "to": pct(row["up_weight"]), "m": row["up_option"]})
            if row.get("down_option") and row["down_weight"] is not None:
                lines.append(_("lowering the weight of %(f)s from %(now)s to %(to)s would make %(m)s the best option")
                             % {"f": name, "now": pct(row["weight"]), "to": pct(row["down_weight"]),
                                "m": row["down_option"]})
        lines = lines[:4]
        if not lines:
            lines.append(_("no single factor weight, raised or lowered within 0-100%, changes the best option"))
    binding = {}
    for o in r["options"]:
        if o["selected"]:
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
