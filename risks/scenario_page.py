"""The scenario page's content: a stored result turned into figures and tables (cached per
result and language). Views call scenario_view; nothing here reads a request."""

import functools
import re

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _

from pkoanalysis.money import money
from risks import charts, scale
from risks.engine import mcda
from risks.models import Briefing, Category, Factor, SafeguardGate, Scenario, ScenarioResult
from risks.partners import country_names

VERDICTS = {"feasible": gettext_lazy("Feasible"), "conditional": gettext_lazy("Conditional"),
            "infeasible": gettext_lazy("Infeasible")}


def verdict_names() -> dict[str, str]:
    return {code: str(name) for code, name in VERDICTS.items()}


def factor_names() -> dict[str, str]:
    return {f.code: f.name for f in Factor.objects.all()}


def check_texts() -> dict[str, tuple[str, str]]:
    """The always-applied checks of risks.engine.feasibility: code -> (name, what would meet it)."""
    return {
        "no_matching_function": (_("The mandate has none of the chosen functions that this mode performs"),
                                 _("Choose a function the mission performs and the mode does.")),
        "strength_cap": (_("Larger than a quarter of the mission's current personnel of that kind"),
                         _("Offer a smaller option, or choose a mission that holds more personnel of that kind.")),
        "unit_size": (_("Not a standard unit size (section, platoon, company, battalion)"),
                      _("Offer a section, a platoon, a company or a battalion.")),
        "unit_duration": (_("A formed unit deploys for at least a 12-month rotation"),
                          _("Deploy the unit for a full rotation of 12 months or more.")),
        "military_component": (_("The mission has no military or formed-police component for this task"),
                               _("Offer individuals (observers, officers, police), or a task the mission's "
                                 "formed units do.")),
        "mandate_ended": (_("The Council ended the mission (final mandate)"),
                          _("Choose another mission: the Council ended this one.")),
        "mandate_unknown": (_("Mandate end date unknown"),
                            _("Check the Council's current resolution for the mandate's end before committing.")),
        "better_task_set": (_("The same option with a better set of tasks ranks instead"), ""),
    }


def gate_names() -> dict[str, str]:
    names = {code: name for code, (name, _action) in check_texts().items()}
    names.update({g.code: g.name for g in SafeguardGate.objects.all()})
    return names


VIEW_KEYS = ("figures", "central_weights", "break_even", "best", "reasons", "chosen", "baseline", "p_any_pct",
             "cost_musd", "cost_mmxn", "smaa_sampling", "smaa_draws", "total_missions", "anchor", "improvements",
             "verdict_counts", "agreement", "stay_home")


def lazy_view(result: ScenarioResult) -> dict:
    """scenario_view's keys as callables that build it on first use: when the page's rendered
    results are cached, the template never reads them and the figures are not even fetched."""
    built = functools.cache(lambda: scenario_view(result))
    return {key: functools.partial(lambda k: built()[k], key) for key in VIEW_KEYS}


def scenario_view(result: ScenarioResult) -> dict:
    """Figures and tables of a result, cached per result and language."""
    key = f"risks:figures:2:{result.pk}:{result.fingerprint}:{result.computed_at.timestamp()}:{get_language()}"
    view = cache.get(key)
    if view is None:
        result = ScenarioResult.objects.select_related("scenario__mode").get(pk=result.pk)
        names, gates, countries = factor_names(), gate_names(), country_names()
        judged = set(Factor.objects.filter(quantity="judgement").values_list("code", flat=True))
        anchor, subject = scale.anchor(result.options), chart_subject(result)
        view = {
            "figures": {
                "scatter": charts.risk_opportunity(result.options, verdict_names(), anchor=anchor).to_json(),
                "waterfall": charts.waterfall(result.contributions, names, result.net, anchor=anchor,
                                              subject=subject).to_json(),
                "distribution": charts.distribution(result.distribution, result.p10, result.p50, result.p90,
                                                    result.p_positive, anchor=anchor, subject=subject).to_json(),
                "tornado": charts.tornado(result.sensitivity, names, result.net, anchor=anchor).to_json()
                if result.sensitivity else None,
                "acceptability": charts.acceptability([r for r in result.rank_acceptability if r["share"] > 0])
                .to_json() if any(r["share"] > 0 for r in result.rank_acceptability) else None,
                "ranks": charts.rank_heatmap(result.smaa).to_json() if result.smaa.get("options") else None,
            },
            "central_weights": central_weights(result.smaa, categories_of()),
            # Within the builder's range (0-100%) only: a weight of 2,000% is no realistic change.
            # Judged factors only: the priced criteria move with the prices, set in the builder.
            "break_even": [dict(row, name=names.get(row["factor"], row["factor"])) for row in result.break_even
                           if row["factor"] in judged
                           and ((row["up_option"] and row["up_weight"] <= 1) or row["down_option"])],
            "best": result.break_even[0]["best"] if result.break_even else None,
            "reasons": reasons_by_gate(result.reasons, gates, gate_actions()),
            "chosen": [dict(o, p_any_pct=100 * o["p_any_fatality"], excluded_label=excluded_label(o["excluded_by"], gates),
                            admissible=not o["excluded_by"],
                            partner_name=countries.get(o.get("partner") or "", o.get("partner") or ""))
                       for o in result.options if o["selected"]],
            "baseline": baseline([o for o in result.options if o["selected"]]),
            "p_any_pct": 100 * result.p_any_fatality, "cost_musd": result.net_cost_usd / 1e6,
            "cost_mmxn": result.net_cost_usd * settings.PKO_MXN_PER_USD / 1e6,
            "smaa_sampling": sampling_said(result.smaa.get("sampling", "")), "smaa_draws": result.smaa.get("draws", 0),
            "total_missions": len(result.options),
            "agreement": method_agreement(result.options), "stay_home": result.smaa.get("stay_home"),
        }
        view["anchor"] = anchor
        if view["baseline"]["best"] is not None:
            view["baseline"]["index"] = scale.index(view["baseline"]["best"]["net"], anchor)
        view["improvements"] = improvements(view["chosen"])
        view["verdict_counts"] = {level: sum(o["feasibility"] == level for o in view["chosen"])
                                  for level in ("feasible", "conditional", "infeasible")}
        cache.set(key, view, 6 * 3600)
    return view


def described(options: list[dict]) -> tuple[list[dict], bool]:
    """The chosen options the scenario's scores describe (risks.services: the admissible chosen
    missions, or every chosen one when none is admissible) and whether they are admissible."""
    chosen = [o for o in options if o["selected"]]
    admissible = [o for o in chosen if not o.get("excluded_by")]
    return (admissible, True) if admissible else (chosen, False)


def chart_subject(result: ScenarioResult) -> str:
    """Which option the waterfall and the histogram describe, in words: the scenario's mode,
    size and months in its mission, or the mean over its missions."""
    options, admissible = described(result.options)
    scenario = result.scenario
    what = {"mode": scenario.mode.name, "size": scenario.size, "months": scenario.duration_months,
            "missions": ", ".join(o["mission"] for o in options)}
    if len(options) == 1:
        text = _("%(mode)s, %(size)s people for %(months)s months in %(missions)s") % what
    else:
        text = _("%(mode)s, %(size)s people for %(months)s months: the mean over %(missions)s") % what
    return text if admissible else _("%(option)s (not admissible)") % {"option": text}


def scenario_scales(results: list[ScenarioResult]) -> dict[int, dict]:
    """For the scenario list: each result's index anchor and whether what its scores describe is
    admissible, {result pk: {"anchor", "admissible"}}. Read from the results' options (a large
    column) once per computed result and kept, so a page costs at most one more query."""
    keys = {r.pk: f"risks:scale:{r.pk}:{r.computed_at.timestamp()}" for r in results}
    found = cache.get_many(list(keys.values()))
    out = {pk: found[key] for pk, key in keys.items() if key in found}
    missing = [pk for pk in keys if pk not in out]
    if missing:
        for pk, options in ScenarioResult.objects.filter(pk__in=missing).values_list("pk", "options"):
            out[pk] = {"anchor": scale.anchor(options), "admissible": described(options)[1]}
        cache.set_many({keys[pk]: out[pk] for pk in missing}, 6 * 3600)
    return out


DEALBREAKER_LABELS = {
    "max_expected_fatalities": gettext_lazy("more expected fatalities than allowed"),
    "max_p_any_fatality": gettext_lazy("too high a chance of any fatality"),
    "max_net_cost_usd": gettext_lazy("too costly a year"),
    "min_p_positive": gettext_lazy("too unlikely to have a positive net score"),
    "within_mandate": gettext_lazy("outlives the mission's mandate"),
}


def excluded_label(excluded_by: str, gates: dict[str, str]) -> str:
    """'mission_fit; dealbreaker:max_p_any_fatality' -> the gates' names and the limits, in words."""
    parts = []
    for code in filter(None, (part.strip() for part in excluded_by.split(";"))):
        if code.startswith("dealbreaker:"):
            parts.append(str(DEALBREAKER_LABELS.get(code.split(":", 1)[1], code)))
        else:
            parts.append(gates.get(code, code))
    return "; ".join(parts)


def dealbreaker_summary(scenario: Scenario) -> list[str]:
    limits = []
    if scenario.max_expected_fatalities is not None:
        limits.append(_("at most %(n)s expected fatalities per mission") % {"n": f"{scenario.max_expected_fatalities:g}"})
    if scenario.max_p_any_fatality is not None:
        limits.append(_("at most a %(p)s chance of any fatality") % {"p": f"{scenario.max_p_any_fatality:.1%}"})
    if scenario.max_net_cost_usd is not None:
        limits.append(_("at most %(c)s net cost a year") % {"c": money(scenario.max_net_cost_usd)})
    if scenario.min_p_positive is not None:
        limits.append(_("at least a %(p)s chance of a positive net score") % {"p": f"{scenario.min_p_positive:.0%}"})
    if scenario.within_mandate:
        limits.append(_("the mission must stay open for the whole deployment"))
    return limits


WORKSHOP_SAMPLING = re.compile(r"workshop's (?P<n>\d+) participants, concentration (?P<c>[0-9.e+-]+)$")
ANALYST_SAMPLING = re.compile(r"around the analyst's, concentration (?P<c>[0-9.e+-]+)$")


def sampling_said(record: str) -> str:
    """How SMAA drew the weights, in the page's language. The result records it in English
    (risks.services.smaa_concentration, a machine record); the numbers are read back from it."""
    found = WORKSHOP_SAMPLING.search(record)
    if found:
        n = int(found["n"])
        return ngettext("category weights from a Dirichlet fitted to the spread of the workshop's %(n)s participant, "
                        "concentration %(c)s",
                        "category weights from a Dirichlet fitted to the spread of the workshop's %(n)s participants, "
                        "concentration %(c)s", n) % {"n": n, "c": found["c"]}
    found = ANALYST_SAMPLING.search(record)
    if found:
        return _("category weights from a Dirichlet around the analyst's, concentration %(c)s") % {"c": found["c"]}
    return record


def method_agreement(options: list[dict]) -> dict:
    """Kendall's tau-b between the weighted sum and (anchored) TOPSIS over the admissible
    options of a stored result: {'tau': float or None, 'n': options compared}."""
    usable = [o for o in options if not o.get("excluded_by") and o.get("topsis") is not None]
    tau = mcda.kendall_tau([o["net"] for o in usable], [o["topsis"] for o in usable])
    return {"tau": tau, "n": len(usable)}


def trade_offs(scenario: Scenario) -> str:
    """The scenario's two prices in one sentence (risks.engine.value), as pages and briefings say it."""
    return _("This analysis values an expected death at %(death)s, and %(usd)s a year of net cost as "
             "much as the full swing of the category weighted 100%%.") % {
        "death": money(scenario.value_of_death_musd * 1e6), "usd": money(scenario.usd_per_point_musd * 1e6)}


def baseline(chosen: list[dict]) -> dict:
    """Not deploying scores 0 (no exposure to anything): the chosen missions' best admissible
    option against it. {'admissible': n, 'best': option or None, 'worse_than_staying_home': bool}."""
    admissible = [o for o in chosen if not o.get("excluded_by")]
    best = max(admissible, key=lambda o: o["net"], default=None)
    return {"admissible": len(admissible), "best": best, "below": best is not None and best["net"] < 0}


LEVELS = {"infeasible": 0, "conditional": 1, "feasible": 2}


def improvements(chosen: list[dict]) -> list[dict]:
    """The smallest changes of the mission choice that improve the scenario's verdict. The
    scenario takes its weakest mission's verdict, so reaching a level means dropping exactly the
    chosen missions below it (no smaller set will do), as long as one mission is left:
    [{'level', 'drop': [missions], 'keep': [missions]}] for each better level within reach."""
    if not chosen:
        return []
    current = min(LEVELS[o["feasibility"]] for o in chosen)
    steps = []
    for level in ("conditional", "feasible"):
        if LEVELS[level] <= current:
            continue
        keep = [o["mission"] for o in chosen if LEVELS[o["feasibility"]] >= LEVELS[level]]
        if keep:
            steps.append({"level": level, "keep": keep,
                          "drop": [o["mission"] for o in chosen if LEVELS[o["feasibility"]] < LEVELS[level]]})
    return steps


def gate_actions() -> dict[str, str]:
    actions = {code: action for code, (_name, action) in check_texts().items()}
    actions.update({g.code: g.action for g in SafeguardGate.objects.all()})
    return actions


def reasons_by_gate(reasons: list[dict], names: dict[str, str], actions: dict[str, str]) -> list[dict]:
    """[{mission, reasons: [{gate, level}]}] -> one entry per gate and level, infeasible first:
    {gate (name), level, missions, action (what would meet it)}."""
    grouped: dict[tuple[str, str], list[str]] = {}
    for entry in reasons:
        for reason in entry["reasons"]:
            grouped.setdefault((reason["gate"], reason["level"]), []).append(entry["mission"])
    order = {"infeasible": 0, "conditional": 1}
    return [{"gate": names.get(gate, gate), "level": level, "missions": missions, "action": actions.get(gate, "")}
            for (gate, level), missions in sorted(grouped.items(), key=lambda item: (order.get(item[0][1], 2),
                                                                                      -len(item[1])))]


def categories_of() -> dict[str, tuple[str, str]]:
    """judged factor code -> (category code, category label); the priced criteria (expected
    deaths, net cost) carry the scenario's prices, not a category's swing weight."""
    labels = dict(Category.choices)
    return {f.code: (f.category, str(labels.get(f.category, f.category)))
            for f in Factor.objects.filter(quantity="judgement")}


def central_weights(smaa: dict, categories: dict[str, tuple[str, str]], limit: int = 6) -> dict:
    """The central weight vectors of the missions that ever rank first (at most `limit`), by
    category as shares of the total weight: {'missions': [...], 'confidence': [...],
    'rows': [{'category': label, 'shares': [...]}]}."""
    entries = smaa.get("central_weights", [])[:limit]
    labels = list(dict.fromkeys(label for _code, label in categories.values()))
    shares = {label: [0.0] * len(entries) for label in labels}
    for k, entry in enumerate(entries):
        judged = {code: w for code, w in entry["weights"].items() if code in categories}
        total = sum(judged.values()) or 1.0
        for code, weight in judged.items():
            shares[categories[code][1]][k] += weight / total
    return {"missions": [e["mission"] for e in entries], "confidence": [e["confidence"] for e in entries],
            "rows": [{"category": label, "shares": values} for label, values in shares.items()]}


@functools.cache
def state_sql() -> tuple[str, str]:
    """The two statements behind page_state, built from the models' table and column names."""
    scenario, result, briefing = Scenario._meta, ScenarioResult._meta, Briefing._meta
    user, weight_set = (scenario.get_field(name).related_model._meta for name in ("owner", "weight_set"))
    return (f"SELECT s.version, s.updated_at, s.computation_error, u.{user.get_field('username').column}, "  # noqa: S608
            f"w.updated_at, r.id, r.computed_at, r.fingerprint, r.is_stale FROM {scenario.db_table} s "
            f"JOIN {user.db_table} u ON u.{user.pk.column} = s.owner_id "
            f"LEFT JOIN {weight_set.db_table} w ON w.{weight_set.pk.column} = s.weight_set_id "
            f"LEFT JOIN {result.db_table} r ON r.scenario_id = s.id WHERE s.id = %s",
            f"SELECT id, status, file, was_stale FROM {briefing.db_table} WHERE scenario_id = %s ORDER BY id")  # noqa: S608


def page_state(pk: int) -> tuple | None:
    """Everything the scenario page shows that can change, read in two indexed statements: the
    scenario's row, owner and weight set, its result's state and its briefings' (each export's
    status goes pending, running, done or failed). None for a missing scenario and for one whose
    last computation failed (its page carries a message, so it is never kept)."""
    scenario_sql, briefings_sql = state_sql()
    with connection.cursor() as cursor:
        cursor.execute(scenario_sql, [pk])
        row = cursor.fetchone()
        if row is None or row[2]:
            return None
        cursor.execute(briefings_sql, [pk])
        return tuple(row), tuple(map(tuple, cursor.fetchall()))
