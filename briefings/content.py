"""What every briefing format says, in reading order, with its citation marks: the PDF and the
slides render the same content. Citation numbers follow the order of first citation."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from briefings.data import BriefingData
from briefings.recommendation import admissible, recommend
from briefings.text import long_date, month_year, num, pct, score
from risks import scale

VERDICT_KEYS = ("feasible", "conditional", "infeasible")


def verdict_name(level: str) -> str:
    return {"feasible": _("Feasible"), "conditional": _("Conditional"), "infeasible": _("Infeasible")}.get(level, level)


def question_title() -> str:
    return _("Mexico's participation in UN peace operations: options and risks")


def points(value: float, anchor: float | None) -> str:
    """A risk or an opportunity in index points when the question has an index (their difference
    is the index), else raw."""
    return num(value) if anchor is None else num(scale.index(value, anchor), 0)


def briefing_content(data: BriefingData, *, slides: bool = False, day=None) -> dict:
    """slides: the deck's content, which has no factor or safeguard tables: their sources are
    not cited, so the bibliography lists only what the slides cite."""
    r = data.result
    cite = data.citations()
    rec = recommend(data, cite)
    chosen = [o for o in r["options"] if o["selected"]]
    anchor = scale.anchor(r["options"])  # the index of the pages and of the XLSX/CSV
    options = [{"mission": data.option_label(o), "acronym": o["mission"], "feasibility": o["feasibility"],
                "verdict": verdict_name(o["feasibility"]),
                "risk": points(o["risk"], anchor), "opportunity": points(o["opportunity"], anchor), "net": score(o["net"], anchor, admissible(o)),
                "p10": score(o["p10"], anchor, admissible(o)), "p90": score(o["p90"], anchor, admissible(o)),
                "p_positive": pct(o["p_positive"]),
                "rank": o["rank"] or "–", "excluded": bool(o.get("excluded_by")),
                "why": option_reasons(data, o)}
               for o in sorted(chosen, key=lambda o: (VERDICT_KEYS.index(o["feasibility"]), bool(o.get("excluded_by")),
                                                      -o["net"]))]
    groups = [{"level": level, "name": verdict_name(level), "options": [o for o in options if o["feasibility"] == level]}
              for level in VERDICT_KEYS]
    reasons = []
    for entry in r["reasons"]:
        reasons.append({"mission": entry["mission"], "reasons": [
            {"gate": data.gate_names.get(x["gate"], x["gate"]), "level": x["level"], "verdict": verdict_name(x["level"]),
             "mark": "" if slides else cite.mark(data.gate_sources.get(x["gate"], []))} for x in entry["reasons"]]})
    contributions = {c["factor"]: c["contribution"] for c in r["contributions"]}
    factors = sorted(({"code": code, "name": name, "kind": data.factor_kinds[code],
                       "category": data.category_names.get(data.factor_categories.get(code, ""), ""),
                       "weight": num(data.effective_weight(code), 2), "contribution": contributions.get(code, 0.0),
                       "mark": "" if slides else cite.mark(data.factor_sources.get(code, []))}
                      for code, name in data.factor_names.items()), key=lambda f: f["contribution"])
    for f in factors:
        f["contribution_text"] = num(f["contribution"], 4, sign=True)
    weights = [{"category": name, "weight": pct(float(data.category_weights.get(code, 1.0)))}
               for code, name in data.category_names.items()]
    mode_mark = "" if slides else cite.mark(data.mode_sources)
    files = [{"name": data.sources[f["sources"][0]].title if f["sources"] else f["dataset"],
              "rows": num(f["rows"], 0), "first": month_year(f["first_month"]), "last": month_year(f["last_month"]),
              "mark": cite.mark(f["sources"])} for f in data.data_files]
    bibliography = [{"number": n, "before": ref.before, "title": ref.title, "after": ref.after, "note": ref.note,
                     "text": ref.text} for n, ref in cite.entries(long_date)]
    return {"rec": rec, "options": options, "score_header": _("Index") if anchor is not None else _("Net"), "groups": [g for g in groups if g["options"]], "validation": validation_sentence(data.validation), "reasons": reasons, "factors": factors, "weights": weights,
            "mode_mark": mode_mark, "data_files": files, "bibliography": bibliography,
            "question": question_title(), "draws": num(len(r["distribution"]) or 1000, 0),
            "data_date": month_year(data.data_date), "computed": long_date(r["computed_at"]),
            "data_age": data_age(data.data_date, day or r["computed_at"])}


def option_reasons(data: BriefingData, option: dict) -> str:
    """Why an option is conditional, infeasible or excluded (risks.engine.feasibility's reasons):
    for an infeasible option only the checks that rule it out; otherwise the conditions it must
    meet; and a deal-breaker it breaks."""
    level = "infeasible" if option["feasibility"] == "infeasible" else "conditional"
    words = [data.gate_names.get(x["gate"], x["gate"]) for x in option.get("reasons", []) if x["level"] == level]
    if "dealbreaker:" in (option.get("excluded_by") or ""):
        words.append(_("breaks a deal-breaker set for this question"))
    return "; ".join(words)


def data_age(data_date, day) -> str:
    """'17 months old on 5 Dec. 2026': how old the newest UN data is when the result was computed."""
    if not data_date or not day:
        return ""
    months = (day.year - data_date.year) * 12 + day.month - data_date.month
    return ngettext("%(n)s month old", "%(n)s months old", months) % {"n": months}


def validation_sentence(validation: dict) -> str:
    """One sentence on how well the hazards predicted, with the numbers the page and the
    command show (risks.validation.findings)."""
    if not validation:
        return ""
    found = validation["found"]
    m, s, o = (found["scores"][p] for p in ("model", "system", "own"))
    def rounded(value: float, decimals: int = 3) -> str:  # num() truncates; the page and the command round
        return num(round(value, decimals), decimals)

    values = {"first": found["first_year"], "last": found["last_year"], "units": m["units"],
              "c90": pct(round(m["cov90"], 2)), "ml": rounded(m["log_score"]), "sl": rounded(s["log_score"]),
              "ol": rounded(o["log_score"]), "mr": rounded(m["rps"]), "sr": rounded(s["rps"]), "orps": rounded(o["rps"]),
              "observed": num(m["observed"], 0), "predicted": rounded(m["predicted"], 0)}
    if found["model_best"]:
        return _("Backtested on %(units)s mission-years (%(first)s-%(last)s, each year predicted from the data up to "
                 "the year before), the fatality hazards' 90%% intervals held %(c90)s of the outcomes and they predicted "
                 "better than the system-wide rate and each mission's own record (log score %(ml)s against %(sl)s and "
                 "%(ol)s; RPS %(mr)s against %(sr)s and %(orps)s); %(predicted)s deaths were expected and %(observed)s "
                 "happened.") % values
    return _("Backtested on %(units)s mission-years (%(first)s-%(last)s, each year predicted from the data up to the "
             "year before), the fatality hazards' 90%% intervals held %(c90)s of the outcomes, but a simpler predictor "
             "did better on at least one score (log score %(ml)s against %(sl)s for the system-wide rate and %(ol)s for "
             "each mission's own record; RPS %(mr)s against %(sr)s and %(orps)s); %(predicted)s deaths were expected "
             "and %(observed)s happened.") % values
