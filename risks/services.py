"""The seam between the database and the engine: ORM rows -> arrays -> scores -> rows.

Views, admin, tasks and commands call these functions; the engine (risks.engine) never sees
Django. Reading the inputs lives in risks.inputs; the explorer in risks.explorer; briefings in
the briefings app.
"""

from __future__ import annotations

import gzip
import io
from dataclasses import astuple

import numpy as np
import pandas as pd
from django.db import transaction
from django.db.models import F, Q
from django.dispatch import Signal
from django.utils import timezone

from risks import leases
from risks.engine import evaluate as engine_evaluate
from risks.engine import gates, mcda, model, sensitivity, smaa, uncertainty
from risks.inputs import (  # noqa: F401 - re-exported for callers of the services
    Inputs,
    bump_generation,
    cached_inputs,
    grid_features,
    grid_hazard,
    outlives_mandate,
    read_inputs,
    weights_for,
)
from risks.models import GridRun, Scenario, ScenarioResult

DEFAULT_DURATION_MONTHS = 12
DRAWS = 1000
SEED = 20180701                # fixed: the same inputs always give the same numbers
SMAA_SHOWN = 12                # options in the scenario's rank-acceptability heatmap


# --- judging -------------------------------------------------------------------------------------

def judge(inputs: Inputs, grid: model.Grid, strict_gates: frozenset[str] = frozenset()
          ) -> tuple[np.ndarray, list[list[dict]], np.ndarray]:
    """Verdict per option (0/1/2), its reasons, and whether it outlives its mandate. Options
    with no function at all (a mandate with none of the chosen functions) are infeasible."""
    acronyms = np.asarray(grid.missions)[grid.mission_idx]
    rows = inputs.missions.loc[acronyms]
    coercive = sum(1 << inputs.functions.index(c) for c in gates.COERCIVE_FUNCTIONS if c in inputs.functions)
    outlives = outlives_mandate(inputs, acronyms, grid.months)
    facts = gates.OptionFacts(
        active=rows["active"].to_numpy(bool), kind=rows["kind"].to_numpy(),
        chapter_vii=rows["chapter_vii"].to_numpy(bool), ceasefire_agreement=rows["ceasefire_agreement"].to_numpy(bool),
        consent=rows["consent"].to_numpy(), impartiality_concern=rows["impartiality_concern"].to_numpy(bool),
        takes_formed=rows["takes_formed"].to_numpy(bool), takes_individuals=rows["takes_individuals"].to_numpy(bool),
        mode=np.asarray(model.MODES)[grid.mode_idx], coercive=(np.asarray(grid.function_mask) & coercive) > 0,
        outlives_mandate=outlives, mandate_final=rows["mandate_final"].to_numpy(bool),
        unfit_function=(np.asarray(grid.function_mask) & ~capable_masks(inputs)[np.asarray(grid.mode_idx)]) != 0,
    )
    levels = gates.gate_levels(facts)
    verdict, failed = gates.verdicts(levels, inputs.gates, strict_gates)
    empty = np.asarray(grid.function_mask) == 0
    verdict[empty] = gates.INFEASIBLE
    reasons = []
    for i in range(len(grid)):
        row = [{"gate": g, "level": gates.VERDICTS[failed[i, j]]} for j, g in enumerate(gates.GATES) if failed[i, j]]
        if empty[i]:
            row.append({"gate": "no_matching_function", "level": "infeasible"})
        reasons.append(row)
    return verdict, reasons, outlives


def capable_masks(inputs: Inputs) -> np.ndarray:
    """(len(MODES),) int64 bitmask of the functions each mode performs."""
    return np.array([inputs.mode_functions[m] for m in model.MODES], dtype=np.int64)


def dealbreakers_of(scenario: Scenario | None) -> gates.DealBreakers:
    if scenario is None:
        return gates.DealBreakers()
    return gates.DealBreakers(scenario.max_expected_fatalities, scenario.max_p_any_fatality,
                              scenario.max_net_cost_usd, scenario.min_p_positive, scenario.within_mandate)


def excluded_by(verdict: np.ndarray, reasons: list[list[dict]], broken: np.ndarray) -> list[str]:
    """Per option: '' if admissible, else the infeasible gates and broken deal-breakers, '; '-joined."""
    out = []
    for i in range(len(verdict)):
        parts = [r["gate"] for r in reasons[i] if r["level"] == "infeasible"] if verdict[i] == gates.INFEASIBLE else []
        parts += [f"dealbreaker:{code}" for k, code in enumerate(gates.DEALBREAKERS) if broken[i, k]]
        out.append("; ".join(parts))
    return out


# --- the option grid -------------------------------------------------------------------------------

def build_grid(inputs: Inputs, acronyms: list[str]) -> model.Grid:
    """Every mission x mode x function subset, each mode at its curated default size, for
    DEFAULT_DURATION_MONTHS."""
    shape, rate = grid_hazard(inputs, acronyms)
    return model.build_grid(acronyms, [inputs.mission_functions[a] for a in acronyms], list(inputs.functions),
                            grid_features(inputs, acronyms, DEFAULT_DURATION_MONTHS),
                            sizes=[inputs.mode_sizes[m] for m in model.MODES], months=DEFAULT_DURATION_MONTHS,
                            hazard_shape=shape, hazard_rate=rate)


def score_grid(inputs: Inputs, acronyms: list[str] | None = None) -> pd.DataFrame:
    """The full option grid (or the missions listed) with default weights: one row per option,
    columns mission, mode, functions, size, months, feasibility, risk, opportunity, net, p10,
    p50, p90, p_positive, expected_fatalities, p_any_fatality, net_cost_usd, rank, reasons,
    excluded_by (rank among admissible options of this call, by net score)."""
    acronyms = sorted(inputs.missions.index) if acronyms is None else acronyms
    with_functions = [a for a in acronyms if inputs.mission_functions[a]]
    grid = build_grid(inputs, with_functions)
    verdict, reasons, outlives = judge(inputs, grid)
    result = engine_evaluate.evaluate(inputs.factors, grid, weights_for(inputs.factors), inputs.modes,
                                      feasible=verdict < gates.INFEASIBLE, outlives_mandate=outlives,
                                      draws=DRAWS, seed=SEED, acceptability=False)
    frame = result.frame
    frame.insert(5, "feasibility", np.asarray(gates.VERDICTS)[verdict])
    frame["reasons"] = ["; ".join(f"{r['gate']}: {r['level']}" for r in rs) for rs in reasons]
    frame["excluded_by"] = excluded_by(verdict, reasons, result.broken)
    return frame


def rank_grid(frame: pd.DataFrame) -> pd.DataFrame:
    """Rank a merged grid (from chunks) among its admissible options."""
    admissible = frame["excluded_by"].fillna("") == ""
    frame["rank"] = pd.array(mcda.rank(frame["net"].to_numpy(), admissible.to_numpy()), dtype="Int64")
    return frame


def store_grid(frame: pd.DataFrame, fingerprint: str) -> GridRun:
    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, mode="wb", mtime=0) as handle:
        handle.write(frame.to_csv(index=False).encode())
    with transaction.atomic():
        run, _ = GridRun.objects.update_or_create(fingerprint=fingerprint, defaults={
            "computed_at": timezone.now(), "options": len(frame), "table": buffer.getvalue()})
        GridRun.objects.exclude(pk=run.pk).delete()
    return run


def load_grid(run: GridRun) -> pd.DataFrame:
    return pd.read_csv(io.BytesIO(gzip.decompress(bytes(run.table))), keep_default_na=False,
                       dtype={"rank": "Int64"}, na_values={"rank": [""]})


def current_grid(inputs: Inputs | None = None) -> pd.DataFrame:
    """The stored grid when it matches the current inputs; otherwise computed and stored now."""
    inputs = inputs or read_inputs()
    run = GridRun.objects.filter(fingerprint=inputs.fingerprint).first()
    if run is None:
        run = store_grid(score_grid(inputs), inputs.fingerprint)
    return load_grid(run)


# --- scenarios -------------------------------------------------------------------------------------

def scenario_parameters(scenario: Scenario) -> dict:
    return {
        "missions": sorted(scenario.missions.values_list("acronym", flat=True)),
        "functions": sorted(scenario.functions.values_list("code", flat=True)),
        "mode": scenario.mode.code, "size": scenario.size, "duration": scenario.duration_months,
        "category_weights": scenario.category_weights, "factor_weights": scenario.factor_weights,
        "aggregation": scenario.aggregation, "strict_gates": sorted(scenario.strict_gates),
        "dealbreakers": astuple(dealbreakers_of(scenario)),
    }


def scenario_grid(inputs: Inputs, params: dict) -> tuple[model.Grid, list[str], np.ndarray]:
    """The scenario's question asked of every mission: one option per mission (its mandate's
    share of the chosen functions), the scenario's mode, size and duration."""
    acronyms = sorted(inputs.missions.index)
    chosen = {inputs.functions.index(c) for c in params["functions"]}
    capable = inputs.mode_functions[params["mode"]]  # a unit is not asked to do what it does not do
    masks = np.array([sum(1 << g for g in inputs.mission_functions[a] if g in chosen) & capable for a in acronyms],
                     dtype=np.int64)
    shape, rate = grid_hazard(inputs, acronyms)
    n = len(acronyms)
    grid = model.Grid(tuple(acronyms), inputs.functions, grid_features(inputs, acronyms, params["duration"]),
                      np.arange(n, dtype=np.int32), np.full(n, model.MODES.index(params["mode"]), dtype=np.int8),
                      masks, np.full(n, float(params["size"])), np.full(n, float(params["duration"])), shape, rate)
    return grid, acronyms, masks


def compute_scenario(scenario: Scenario, inputs: Inputs | None = None) -> dict:
    """Score the scenario's question for every mission (so its missions can be ranked against
    the alternatives), and summarise the missions it chose. Returns ScenarioResult fields.
    `inputs`, when given, must come from read_inputs(scenario_parameters(scenario))."""
    params = scenario_parameters(scenario)
    inputs = inputs or read_inputs(params)
    grid, acronyms, masks = scenario_grid(inputs, params)
    factors = inputs.factors
    weights = weights_for(factors, params["category_weights"], params["factor_weights"])
    verdict, reasons, outlives = judge(inputs, grid, frozenset(params["strict_gates"]))
    result = engine_evaluate.evaluate(factors, grid, weights, inputs.modes, feasible=verdict < gates.INFEASIBLE,
                                      dealbreakers=dealbreakers_of(scenario), outlives_mandate=outlives,
                                      method=params["aggregation"], draws=DRAWS, seed=SEED, acceptability=False)
    scores, mc, admissible = result.scores, result.uncertainty, result.admissible
    excluded = excluded_by(verdict, reasons, result.broken)
    selected = np.isin(acronyms, params["missions"])
    chosen = np.flatnonzero(selected)
    # The portfolio is what Mexico could actually send: the admissible chosen missions, unless
    # none is, in which case the figures describe all of them (and the verdict says no).
    usable = admissible[chosen] if admissible[chosen].any() else np.ones(len(chosen), dtype=bool)
    scored = chosen[usable]
    s, h = uncertainty.signed_samples(factors, result.inputs, weights)
    portfolio = uncertainty.net_draws(result.design, s, h, scored).mean(axis=0)
    # Both methods are always computed (the comparison page shows their agreement); one ranks.
    closeness = result.by if params["aggregation"] == "topsis" else mcda.topsis(
        scores.exposure, weights, ~factors.is_risk, admissible)
    ranks = result.frame["rank"]
    # SMAA-2 among every admissible mission; the heatmap shows the chosen ones and the leaders.
    candidates = np.flatnonzero(admissible)
    acceptability = smaa.smaa2(factors, result.inputs, result.design, weights, candidates, seed=SEED)
    first = np.zeros(len(grid))
    first[candidates] = acceptability.acceptability[:, 0] if len(candidates) else 0
    order = candidates[np.argsort(-result.by[candidates], kind="stable")] if len(candidates) else candidates
    shown = list(dict.fromkeys([*order[:SMAA_SHOWN].tolist(), *[i for i in chosen if admissible[i]]]))[:SMAA_SHOWN + 6]
    position = {int(c): k for k, c in enumerate(candidates)}
    ranks_shown = min(len(candidates), SMAA_SHOWN)
    smaa_table = {
        "options": [acronyms[i] for i in shown],
        "ranks": list(range(1, ranks_shown + 1)),
        "acceptability": [[float(x) for x in acceptability.acceptability[position[i], :ranks_shown]] for i in shown],
        "central_weights": [
            {"mission": acronyms[i], "confidence": float(acceptability.confidence[position[i]]),
             "weights": {code: float(w) for code, w in zip(factors.codes, acceptability.central[position[i]],
                                                            strict=True)}}
            for i in shown if not np.isnan(acceptability.confidence[position[i]])],
        "sampling": f"Dirichlet around the analyst's weights, concentration {smaa.CONCENTRATION:g}",
        "draws": DRAWS,
    }
    be = sensitivity.break_even(factors, scores, admissible)
    break_even = [{**row, "up_option": acronyms[row["up_option"]] if row["up_option"] >= 0 else None,
                   "down_option": acronyms[row["down_option"]] if row["down_option"] >= 0 else None,
                   "best": acronyms[be.attrs["best"]] if be.attrs["best"] >= 0 else None}
                  for row in be.replace({np.nan: None}).to_dict(orient="records")]
    tornado = pd.concat([sensitivity.tornado(factors, grid, inputs.modes, scores, result.inputs, int(i))
                         for i in scored]) if len(scored) else pd.DataFrame(columns=["factor", "low", "high"])
    tornado = tornado.groupby("factor", as_index=False)[["low", "high"]].mean()
    tornado["swing"] = (tornado["high"] - tornado["low"]).abs()
    tornado["parameter"] = "P10-P90"
    options = [{
        "mission": acronyms[i], "selected": bool(selected[i]),
        "functions": [inputs.functions[g] for g in range(len(inputs.functions)) if masks[i] >> g & 1],
        "feasibility": gates.VERDICTS[verdict[i]], "reasons": reasons[i], "excluded_by": excluded[i],
        "risk": float(scores.risk[i]), "opportunity": float(scores.opportunity[i]), "net": float(scores.net[i]),
        "p10": float(mc.p10[i]), "p50": float(mc.p50[i]), "p90": float(mc.p90[i]),
        "p_positive": float(mc.p_positive[i]),
        "topsis": float(closeness[i]) if np.isfinite(closeness[i]) else None,  # none admissible: no ideal
        "expected_fatalities": float(scores.expected_fatalities[i]), "p_any_fatality": float(scores.p_any_fatality[i]),
        "net_cost_usd": float(scores.net_cost_usd[i]),
        "rank": None if pd.isna(ranks.iloc[i]) else int(ranks.iloc[i]), "acceptability": float(first[i]),
    } for i in range(len(acronyms))]
    worst = int(verdict[chosen].max()) if len(chosen) else gates.INFEASIBLE
    p10, p50, p90 = (float(np.quantile(portfolio, q)) for q in uncertainty.QUANTILES) if len(portfolio) else (0, 0, 0)
    return {
        "fingerprint": inputs.fingerprint, "feasibility": gates.VERDICTS[worst],
        "reasons": [{"mission": acronyms[i], "reasons": reasons[i]} for i in chosen if reasons[i]],
        "risk": float(scores.risk[scored].mean()) if len(scored) else 0.0,
        "opportunity": float(scores.opportunity[scored].mean()) if len(scored) else 0.0,
        "net": float(scores.net[scored].mean()) if len(scored) else 0.0, "p10": p10, "p50": p50, "p90": p90,
        "p_positive": float((portfolio > 0).mean()) if len(portfolio) else 0.0,
        "expected_fatalities": float(scores.expected_fatalities[scored].sum()),
        "p_any_fatality": float(1 - np.prod(1 - scores.p_any_fatality[scored])),
        "net_cost_usd": float(scores.net_cost_usd[scored].sum()),
        "options": options,
        "contributions": [
            {"factor": code, "category": inputs.categories[code],
             "contribution": float(scores.contributions[scored, f].mean()) if len(scored) else 0.0}
            for f, code in enumerate(factors.codes)
        ],
        "sensitivity": tornado.sort_values("swing", ascending=False).to_dict(orient="records"),
        "rank_acceptability": [{"mission": acronyms[i], "share": float(first[i])} for i in chosen],
        "smaa": smaa_table, "break_even": break_even,
        "distribution": np.round(portfolio, 5).tolist(),
    }


def recompute_scenario(scenario_id: int) -> str:
    """Compute and store a scenario's result, replacing the old one atomically.

    A result is stored only for the inputs and parameters it was computed from: the scenario's
    revision is read before anything else, and the write is a compare-and-set, done only if the
    revision (raised by every mark_stale) and the parameters are unchanged, so a computation
    overtaken by a save never overwrites the newer result nor is stored as fresh. One computation
    per scenario at a time (a lease): a second one waits for the first (up to TASK_LEASE_SECONDS,
    by when a dead holder's lease has lapsed), then finds the result fresh or computes the newer
    parameters; else it is 'busy'.
    Returns 'unchanged', 'updated', 'superseded' (a save overtook it; its own task follows) or 'busy'.
    """
    name = f"scenario:{scenario_id}"
    token = leases.acquire(name, wait=leases.ttl().total_seconds())
    if token is None:
        return "busy"
    try:
        return compute_and_store(scenario_id)
    finally:
        leases.release(name, token)


def compute_and_store(scenario_id: int) -> str:
    scenario = Scenario.objects.select_related("mode").get(pk=scenario_id)
    if not scenario.missions.exists():
        raise ValueError(f"scenario {scenario_id} has no missions")
    revision, params = scenario.revision, scenario_parameters(scenario)
    inputs = read_inputs(params)
    # A duplicate (redelivered after a worker died, or queued again by the sweeper) costs one
    # read of the inputs, not a computation.
    if ScenarioResult.objects.filter(scenario=scenario, fingerprint=inputs.fingerprint, is_stale=False).exists():
        return "unchanged"
    fields = compute_scenario(scenario, inputs)
    with transaction.atomic():
        now = Scenario.objects.select_for_update().select_related("mode").filter(pk=scenario_id).first()
        if now is None:
            raise Scenario.DoesNotExist(scenario_id)
        if now.revision != revision:  # marked stale since: the save that did it queued the next run
            return "superseded"
        if scenario_parameters(now) != params:  # changed without marking: say so, the sweeper follows
            ScenarioResult.objects.filter(scenario_id=scenario_id).update(is_stale=True)
            return "superseded"
        current = ScenarioResult.objects.select_for_update().filter(scenario=scenario).first()
        if current and current.fingerprint == fields["fingerprint"] and not current.is_stale:
            return "unchanged"
        ScenarioResult.objects.update_or_create(
            scenario=scenario, defaults={**fields, "computed_at": timezone.now(), "is_stale": False})
    return "updated"


def mark_stale(scenario_ids: list[int] | None = None) -> int:
    """Flag results as stale (they stay visible with a warning until recomputed) and raise the
    scenarios' revision, so a computation already under way does not store its now old result."""
    scenarios = Scenario.objects.all() if scenario_ids is None else Scenario.objects.filter(pk__in=scenario_ids)
    scenarios.update(revision=F("revision") + 1)
    results = ScenarioResult.objects.all()
    if scenario_ids is not None:
        results = results.filter(scenario_id__in=scenario_ids)
    return results.update(is_stale=True)


def affected_scenarios(*, missions: list[int] | None = None) -> list[int]:
    """Scenarios whose result depends on a change. Every scenario ranks its question against
    all missions, so any change to missions, factors, modes or gates affects all of them."""
    return list(Scenario.objects.values_list("id", flat=True))


# Sent when a shared input changed (scenario_ids None): other apps' results (plans) follow it
# without this module importing them.
inputs_changed_signal = Signal()


def inputs_changed(scenario_ids: list[int] | None = None) -> None:
    """Call after saving inputs: mark results stale now, queue the recomputation after commit."""
    from risks import tasks  # tasks import services: late import keeps the dependency one-way

    ids = affected_scenarios() if scenario_ids is None else scenario_ids
    mark_stale(ids)
    if scenario_ids is None:
        bump_generation()
        transaction.on_commit(bump_generation)  # again once the change is visible to others
    # With the broker down these log and return: the results stay stale, the sweeper requeues.
    transaction.on_commit(lambda: tasks.enqueue(tasks.recompute_many, ids))
    if scenario_ids is None:  # a shared input changed: the option grid is out of date too
        transaction.on_commit(tasks.enqueue_grid)
        inputs_changed_signal.send(sender=inputs_changed)


# --- what is waiting for a recomputation (the sweeper's questions) ---------------------------

RECOMPUTE_TASKS = ("risks.tasks.recompute_many", "risks.tasks.recompute_scenario",
                   "risks.tasks.score_grid_chunk", "risks.tasks.merge_grid")


def stale_scenarios() -> list[int]:
    """Ids of scenarios (with missions) whose result is stale or missing."""
    return list(Scenario.objects.filter(Q(result__isnull=True) | Q(result__is_stale=True), missions__isnull=False)
                .distinct().order_by("pk").values_list("pk", flat=True))


def grid_outdated() -> bool:
    """True when no stored option grid matches the current inputs."""
    return not GridRun.objects.filter(fingerprint=read_inputs().fingerprint).exists()


def recomputation_in_flight() -> bool:
    """A recomputation is running now: its task holds a lease its worker renews (risks.heartbeat),
    so one whose worker was killed stops counting within TASK_LEASE_SECONDS."""
    return any(leases.any_alive(f"task:{name}:") for name in RECOMPUTE_TASKS)


def result_summary(result: ScenarioResult | None) -> dict:
    if result is None:
        return {}
    return {"feasibility": result.feasibility, "net": result.net, "p10": result.p10, "p50": result.p50,
            "p90": result.p90, "p_positive": result.p_positive, "stale": result.is_stale,
            "computed_at": result.computed_at.isoformat()}



class StaleInputsError(Exception):
    """The inputs changed while a fanned-out computation was running; a newer one is queued."""


def merge_and_store_grid(chunks: list[str], fingerprint: str) -> int:
    """Merge chunk results (CSV text) into one ranked grid and store it. Returns its size."""
    frame = pd.concat([pd.read_csv(io.StringIO(c), keep_default_na=False) for c in chunks], ignore_index=True)
    frame = rank_grid(frame.sort_values(["mission", "mode", "functions"], kind="stable").reset_index(drop=True))
    store_grid(frame, fingerprint)
    return len(frame)


