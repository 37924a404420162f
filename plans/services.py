"""The seam between plans and the engine: a Plan's limits -> risks.engine.portfolio and
.pathway over the candidates (plans.candidates) -> a stored PlanResult.

compute_plan() solves the portfolio, its efficient frontiers and the five-year pathway in one
go (a few hundred milliseconds); the robustness re-solves (one per SMAA draw) run apart, as a
Celery chord over chunks of draws (plans.tasks), and report their progress on the result row.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import replace

import numpy as np
from django.db import transaction
from django.db.models import F, Sum
from django.utils import timezone

from missions import selectors
from missions.models import Deployment
from plans import candidates as candidates_service
from plans import catalogue
from plans.models import Plan, PlanResult, PlanRun
from risks import leases, scale
from risks.engine import feasibility, model, pathway, portfolio
from risks.inputs import Inputs, read_inputs

ROBUST_DRAWS = 200          # re-solves under joint SMAA weight and input draws
CVAR_DRAWS = 200            # the scenarios the CVaR objective averages over
FRONTIER_POINTS = 25
IN_FLIGHT_MINUTES = 15
REFERENCE_COUNTRIES = {"ARG": None, "URY": None, "MEX": 2015}  # MEX: its return to peacekeeping in 2015


def formula(params: dict) -> str:
    if params["objective"] == "cvar":
        return (f"value(x) = (1 - {params['cvar_weight']:g}) × Σ v_o x_o + {params['cvar_weight']:g} × "
                f"CVaR_{params['cvar_alpha']:g}(Σ v_od x_o)")
    return "value(x) = Σ v_o x_o"


def parameters(plan: Plan) -> dict:
    return {"max_people": plan.max_people, "max_cost_usd": plan.max_cost_usd, "max_missions": plan.max_missions,
            "exclude_chapter_vii": plan.exclude_chapter_vii,
            "required": sorted(plan.required_missions.values_list("acronym", flat=True)),
            "excluded": sorted(plan.excluded_missions.values_list("acronym", flat=True)),
            "modes": sorted(plan.modes or []), "objective": plan.objective, "cvar_alpha": plan.cvar_alpha,
            "cvar_weight": plan.cvar_weight}


def limits_for(params: dict, inputs: Inputs, missions: tuple[str, ...],
               c: candidates_service.Candidates | None = None) -> tuple[portfolio.Limits, list[str]]:
    """The engine's limits, and the required missions that are not candidates at all (closed,
    no mandate functions, or no admissible option). With the candidates, the plan is what can
    be deployed in the pathway's first year: only options ready then (readiness(), the
    pathway's rules) and at most the formed personnel trained by then."""
    index = {a: k for k, a in enumerate(missions)}
    excluded = set(params["excluded"])
    if params["exclude_chapter_vii"]:
        excluded |= {a for a in missions if bool(inputs.missions.loc[a, "chapter_vii"])}
    absent = [a for a in params["required"] if a not in index]
    modes = tuple(model.MODES.index(m) for m in params["modes"]) if params["modes"] else None
    rules = catalogue.rules()
    return portfolio.Limits(
        max_people=float(params["max_people"]), max_cost=float(params["max_cost_usd"]),
        max_missions=params["max_missions"], required=tuple(index[a] for a in params["required"] if a in index),
        excluded=tuple(sorted(index[a] for a in excluded if a in index)), modes=modes,
        ready=None if c is None else ready(c, 0) == feasibility.FEASIBLE,
        max_formed=None if c is None else rules.capacity(0),
        formed_modes=tuple(model.MODES.index(m) for m in feasibility.FORMED_MODES)), absent


def objective_for(params: dict) -> portfolio.Objective:
    return portfolio.Objective(params["objective"], params["cvar_alpha"], params["cvar_weight"])


def with_draws(c: candidates_service.Candidates, params: dict) -> portfolio.Options:
    if params["objective"] != "cvar":
        return c.options
    o = c.options
    return portfolio.Options(o.group, o.mode, o.people, o.cost, o.value, c.value_draws[:, :CVAR_DRAWS])


def option_rows(c: candidates_service.Candidates, chosen) -> list[dict]:
    rows = c.frame.iloc[np.asarray(chosen, dtype=np.intp)]
    return [{"mission": r.mission, "mode": r.mode, "functions": r.functions, "size": int(r.size),
             "net_cost_usd": float(r.net_cost_usd), "expected_fatalities": float(r.expected_fatalities),
             "p_any_fatality": float(r.p_any_fatality), "value": float(r.net), "p10": float(r.p10),
             "p90": float(r.p90), "partner": getattr(r, "partner", "") or ""} for r in rows.itertuples()]


def totals(c: candidates_service.Candidates, chosen) -> dict:
    chosen = np.asarray(chosen, dtype=np.intp)
    fatalities = c.fatality_draws[chosen].sum(axis=0) if len(chosen) else np.zeros(c.fatality_draws.shape[1])
    values = c.value_draws[chosen].sum(axis=0) if len(chosen) else np.zeros(c.value_draws.shape[1])
    p_none = np.prod(1 - c.frame["p_any_fatality"].to_numpy(float)[chosen]) if len(chosen) else 1.0
    return {"people": float(c.options.people[chosen].sum()), "cost_usd": float(c.options.cost[chosen].sum()),
            "value": float(c.options.value[chosen].sum()), "missions": int(len(chosen)),
            "expected_fatalities": float(c.frame["expected_fatalities"].to_numpy(float)[chosen].sum()),
            "fatalities_p10": float(np.quantile(fatalities, 0.1)), "fatalities_p90": float(np.quantile(fatalities, 0.9)),
            "value_p10": float(np.quantile(values, 0.1)), "value_p90": float(np.quantile(values, 0.9)),
            "p_any_fatality": float(1 - p_none)}


def reason_rows(reasons: list[dict], missions: tuple[str, ...]) -> list[dict]:
    return [{**r, "mission": missions[r["mission"]]} if "mission" in r else dict(r) for r in reasons]


def frontiers(options: portfolio.Options, limits: portfolio.Limits, objective: portfolio.Objective) -> dict:
    people_top = max(limits.max_people or 0, 50) * 1.5
    cost_top = max(limits.max_cost or 0, 1e6) * 1.5
    return {"people": portfolio.frontier(options, limits, "people", np.linspace(0, people_top, FRONTIER_POINTS),
                                         objective),
            "cost": portfolio.frontier(options, limits, "cost", np.linspace(0, cost_top, FRONTIER_POINTS), objective)}


# --- the pathway ---------------------------------------------------------------------------------

def ready(c: candidates_service.Candidates, year: int) -> np.ndarray:
    """(n,) readiness level of each candidate in pathway year `year` (0 = the first), by the
    pathway's rules and Mexico's years of presence before the horizon (feasibility.readiness)."""
    rules = catalogue.rules()
    prior_ind, prior_any = selectors.mexico_presence_years(c.missions)
    group = np.asarray(c.options.group)
    return feasibility.readiness(c.frame["mode"].to_numpy(), c.frame["size"].to_numpy(float), year,
                                 rules.capacity(year), rules.first_national_year, prior_ind[group], prior_any[group],
                                 rules.individual_years_before_mixed, rules.presence_years_before_national)


def compute_pathway(c: candidates_service.Candidates, inputs: Inputs, limits: portfolio.Limits,
                    first_year: np.ndarray | None = None) -> dict:
    """The pathway over the rules' horizon; first_year (the plan's options) is its first year,
    so the plan and the pathway tell one story (unpinned if the plan cannot start it)."""
    rules = catalogue.rules()
    prior_ind, prior_any = selectors.mexico_presence_years(c.missions)
    # The pathway applies the rules year by year itself (its formed capacity and presence rows);
    # the first year's limits of the plan are not the later years'.
    limits = replace(limits, ready=None, max_formed=None)
    result = pathway.solve_pathway(c.options, limits, c.kind, rules, None, prior_ind, prior_any, first_year)
    if result.status != "optimal" and first_year is not None:
        result = pathway.solve_pathway(c.options, limits, c.kind, rules, None, prior_ind, prior_any)
    years, cumulative_cost, cumulative_fatalities = [], 0.0, 0.0
    for t, chosen in enumerate(result.years):
        summary = totals(c, chosen)
        cumulative_cost += summary["cost_usd"]
        cumulative_fatalities += summary["expected_fatalities"]
        years.append({"year": inputs.start.year + t, "options": option_rows(c, chosen), **summary,
                      "cumulative_cost_usd": cumulative_cost, "cumulative_fatalities": cumulative_fatalities})
    return {"status": result.status, "value": result.value if result.status == "optimal" else None, "years": years,
            "rules": {"years": rules.years, "individual_years_before_mixed": rules.individual_years_before_mixed,
                      "presence_years_before_national": rules.presence_years_before_national,
                      "first_national_year": rules.first_national_year + 1,
                      "formed_capacity": list(rules.formed_capacity)},
            "prior": {a: [int(i), int(p)] for a, i, p in zip(c.missions, prior_ind, prior_any, strict=True) if p}}


def reference_paths(years: int = 5) -> dict:
    """The first `years` calendar years (with at least six monthly reports) of each reference
    country in the shipped data, as the yearly mean of its monthly uniformed totals. Argentina
    and Uruguay: from the start of the data (IPI country totals: 1991 is the first full year;
    both had contributed observers since the 1950s); Mexico: from its return in 2015."""
    out = {}
    for iso3, since in REFERENCE_COUNTRIES.items():
        monthly = (Deployment.objects.filter(country__iso3=iso3, total__gt=0, month__year__gte=since or 1900)
                   .values("month").annotate(n=Sum("total")).order_by("month"))
        by_year: dict[int, list[int]] = {}
        for row in monthly:
            by_year.setdefault(row["month"].year, []).append(row["n"])
        full = [y for y, v in sorted(by_year.items()) if len(v) >= 6]
        first = full[:years]
        out[iso3] = [{"year": y, "people": float(np.mean(by_year[y]))} for y in first]
    return out


# --- computing and storing -------------------------------------------------------------------------

def compute_plan(plan: Plan, inputs: Inputs | None = None) -> dict:
    """Everything the plan page shows except robustness. Returns PlanResult fields."""
    return compute(parameters(plan), inputs)


def default_parameters(**given) -> dict:
    """A plan's parameters without a saved plan (the solve_plan command)."""
    return {"max_people": 300, "max_cost_usd": 20_000_000.0, "max_missions": None, "exclude_chapter_vii": False,
            "required": [], "excluded": [], "modes": [], "objective": "expected", "cvar_alpha": 0.1,
            "cvar_weight": 0.5, **given}


def compute(params: dict, inputs: Inputs | None = None, extras: bool = True) -> dict:
    """The portfolio for these parameters; with extras, its frontiers and pathway too."""
    inputs = inputs or read_inputs()
    c = candidates_service.cached(inputs)
    limits, absent = limits_for(params, inputs, c.missions, c)
    objective = objective_for(params)
    options = with_draws(c, params)
    started = timezone.now()
    if absent:
        solution = portfolio.Solution("infeasible", np.zeros(0, dtype=np.intp), float("nan"),
                                      [{"code": "not_a_candidate", "mission": a} for a in absent])
        reasons = solution.reasons
    else:
        solution = portfolio.solve(options, limits, objective)
        reasons = reason_rows(solution.reasons, c.missions)
    data = {
        "parameters": params, "formula": formula(params), "reasons": reasons,
        "candidates": len(c.frame), "considered": c.considered,
        "excluded_missions": [c.missions[g] for g in limits.excluded],
        "options": option_rows(c, solution.chosen) if solution.feasible else [],
        "totals": totals(c, solution.chosen) if solution.feasible else None,
        "objective_value": solution.value if solution.feasible else None,
        # The index's 100 (risks.scale): the best admissible candidate, the best single option
        # the plan could hold. Option values and the plan's total are read on it.
        "anchor": scale.positive(float(c.frame["net"].max()) if len(c.frame) else None),
    }
    if solution.feasible and extras:
        data["frontier"] = frontiers(options, limits, objective)
        data["pathway"] = compute_pathway(c, inputs, limits, solution.chosen)
    data["references"] = reference_paths()
    data["start"] = inputs.start.isoformat()
    data["seconds"] = (timezone.now() - started).total_seconds()
    return {"fingerprint": fingerprint(inputs, params), "status": solution.status, "data": data}


def fingerprint(inputs: Inputs, params: dict) -> str:
    """The model's inputs and the plan's parameters: a result is for both, never for one alone."""
    return hashlib.sha256(json.dumps([inputs.fingerprint, params], sort_keys=True, default=str).encode()).hexdigest()


def recompute_plan(plan_id: int, robust_total: int = ROBUST_DRAWS) -> tuple[PlanResult | None, str]:
    """Compute and store a plan's result atomically (the robustness is reset, to be filled by
    the chord for this run), and log the run. One recomputation per plan at a time (a lease; a
    second waits for the first up to TASK_LEASE_SECONDS, then says 'busy'). The
    result is stored only for the parameters and inputs it was computed from (the fingerprint has
    both; the write is a compare-and-set on the plan's revision and parameters). Returns the
    result and 'computed', 'unchanged' (a duplicate), 'busy' (another holds the plan) or
    'superseded' (an edit overtook it; the edit queued its own run)."""
    name = f"plan:{plan_id}"
    token = leases.acquire(name, wait=leases.ttl().total_seconds())
    if token is None:
        return None, "busy"
    try:
        return compute_and_store(plan_id, robust_total)
    finally:
        leases.release(name, token)


def compute_and_store(plan_id: int, robust_total: int) -> tuple[PlanResult | None, str]:
    plan = Plan.objects.get(pk=plan_id)
    revision, params = plan.revision, parameters(plan)
    inputs = read_inputs()
    current = PlanResult.objects.filter(plan=plan, fingerprint=fingerprint(inputs, params), is_stale=False).first()
    if current is not None:  # a duplicate task (redelivered, or queued twice): nothing to do
        return current, "unchanged"
    fields = compute_plan(plan, inputs)
    now = timezone.now()
    with transaction.atomic():
        plan_now = Plan.objects.select_for_update().filter(pk=plan_id).first()
        if plan_now is None:
            raise Plan.DoesNotExist(plan_id)
        if plan_now.revision != revision:  # marked stale since: the edit that did it queued the next run
            return None, "superseded"
        if parameters(plan_now) != params:  # changed without marking: say so, the sweeper follows
            PlanResult.objects.filter(plan_id=plan_id).update(is_stale=True)
            return None, "superseded"
        t = fields["data"]["totals"] or {}
        run = PlanRun.objects.create(plan=plan, computed_at=now, fingerprint=fields["fingerprint"],
                                     status=fields["status"], value=fields["data"]["objective_value"],
                                     anchor=fields["data"].get("anchor"),
                                     people=t.get("people"), cost_usd=t.get("cost_usd"),
                                     options=len(fields["data"]["options"]))
        result, _ = PlanResult.objects.update_or_create(plan=plan, defaults={
            **fields, "computed_at": now, "is_stale": False, "robustness": None, "robust_done": 0, "run": run,
            "robust_total": robust_total if fields["status"] == "optimal" else 0})
    return result, "computed"


def waiting() -> list[int]:
    """Plans with no result, a stale one, or robustness lost on the way (queued over
    IN_FLIGHT_MINUTES ago and never merged): what the sweeper requeues."""
    from datetime import timedelta

    from django.db.models import Q

    lost = Q(result__status="optimal", result__robustness__isnull=True,
             result__computed_at__lt=timezone.now() - timedelta(minutes=IN_FLIGHT_MINUTES))
    return list(Plan.objects.filter(Q(result__isnull=True) | Q(result__is_stale=True) | lost)
                .order_by("pk").values_list("pk", flat=True))


def mark_stale(plan_ids: list[int] | None = None) -> list[int]:
    """Flag results stale and raise the plans' revision (a computation under way won't store)."""
    plans = Plan.objects.all() if plan_ids is None else Plan.objects.filter(pk__in=plan_ids)
    plans.update(revision=F("revision") + 1)
    results = PlanResult.objects.all() if plan_ids is None else PlanResult.objects.filter(plan_id__in=plan_ids)
    ids = list(results.values_list("plan_id", flat=True))
    results.update(is_stale=True)
    return ids


# --- robustness (the chord's pieces) -------------------------------------------------------------

def robustness_chunk(plan_id: int, fingerprint_: str, start: int, stop: int, run_id: int | None = None) -> dict:
    """Re-solve the plan under SMAA draws start..stop for the run `run_id`; counts per candidate
    option. A chunk of another run (or of older inputs or parameters) is stale."""
    plan = Plan.objects.get(pk=plan_id)
    inputs = read_inputs()
    params = parameters(plan)
    if run_id is None or fingerprint(inputs, params) != fingerprint_:
        return {"stale": True}
    c = candidates_service.cached(inputs)
    limits, absent = limits_for(params, inputs, c.missions, c)
    if absent:
        return {"stale": True}
    counts, values, sizes = portfolio.acceptability(c.options, limits, c.smaa_draws, start, stop)
    PlanResult.objects.filter(plan_id=plan_id, fingerprint=fingerprint_, run_id=run_id).update(
        robust_done=F("robust_done") + (stop - start))
    nonzero = np.flatnonzero(counts)
    return {"counts": {int(k): int(counts[k]) for k in nonzero}, "values": [float(v) for v in values],
            "sizes": [int(s) for s in sizes]}


def merge_robustness(chunks: list[dict], plan_id: int, fingerprint_: str, run_id: int | None = None) -> str:
    if run_id is None or any(chunk.get("stale") for chunk in chunks):
        return "stale"
    inputs = read_inputs()
    if fingerprint(inputs, parameters(Plan.objects.get(pk=plan_id))) != fingerprint_:
        return "stale"
    c = candidates_service.cached(inputs)
    counts = np.zeros(len(c.frame), dtype=np.int64)
    values: list[float] = []
    for chunk in chunks:
        for k, n in chunk["counts"].items():
            counts[int(k)] += n
        values += chunk["values"]
    draws = len(values)
    result = PlanResult.objects.filter(plan_id=plan_id, fingerprint=fingerprint_, run_id=run_id).first()
    if result is None or draws == 0:
        return "missing"
    in_plan = {(o["mission"], o["mode"], o["functions"], o["size"]) for o in result.data.get("options", [])}
    rows = [{**option_rows(c, [k])[0], "share": float(counts[k] / draws)} for k in np.flatnonzero(counts)]
    for row in rows:
        row["in_plan"] = (row["mission"], row["mode"], row["functions"], row["size"]) in in_plan
    by_mission: dict[str, float] = {}
    for row in rows:
        by_mission[row["mission"]] = by_mission.get(row["mission"], 0.0) + row["share"]
    finite = np.asarray([v for v in values if v == v])
    result.robustness = {
        "draws": draws, "options": sorted(rows, key=lambda r: -r["share"]),
        "missions": sorted(({"mission": m, "share": s} for m, s in by_mission.items()), key=lambda r: -r["share"]),
        "value_p10": float(np.quantile(finite, 0.1)) if len(finite) else None,
        "value_p90": float(np.quantile(finite, 0.9)) if len(finite) else None,
        "infeasible_draws": int(draws - len(finite)),
    }
    result.robust_done = draws
    result.save(update_fields=["robustness", "robust_done"])
    return "updated"
