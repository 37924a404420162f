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
from risks.engine import feasibility, gates, mcda, model, sensitivity, smaa, uncertainty, value
from risks.inputs import (  # noqa: F401 - re-exported for callers of the services
    Inputs,
    bump_generation,
    cached_inputs,
    grid_features,
    grid_hazard,
    option_facts,
    read_inputs,
    unit_sizes,
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
    """Verdict per option (0/1/2), its reasons, and whether it outlives its mandate: the one
    feasibility rule (risks.engine.feasibility) over the grid's option facts."""
    judgement = feasibility.judge(option_facts(inputs, grid), inputs.unit_sizes or unit_sizes(), inputs.gates,
                                  strict_gates)
    return judgement.verdict, judgement.reasons, judgement.outlives


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
    """Every mission x mode x function subset for DEFAULT_DURATION_MONTHS, each mode at its
    curated default size where the mission's strength cap admits it, else at the largest
    standard size that it does (risks.engine.feasibility.sizes_within_cap)."""
    shape, rate = grid_hazard(inputs, acronyms)
    grid = model.build_grid(acronyms, [inputs.mission_functions[a] for a in acronyms], list(inputs.functions),
                            grid_features(inputs, acronyms, DEFAULT_DURATION_MONTHS),
                            sizes=[inputs.mode_sizes[m] for m in model.MODES], months=DEFAULT_DURATION_MONTHS,
                            hazard_shape=shape, hazard_rate=rate)
    sizes = feasibility.sizes_within_cap(inputs.missions.loc[acronyms], inputs.unit_sizes or unit_sizes(),
                                         inputs.mode_sizes)
    return model.Grid(grid.missions, grid.functions, grid.features, grid.mission_idx, grid.mode_idx,
                      grid.function_mask, sizes[np.asarray(grid.mission_idx), np.asarray(grid.mode_idx)],
                      grid.months, grid.hazard_shape, grid.hazard_rate)


BETTER_TASK_SET = "better_task_set"


def best_task_sets(frame: pd.DataFrame, admissible: np.ndarray) -> np.ndarray:
    """(n,) bool: the admissible option with the highest net score of each mission x mode x
    size (the same decision with another task set is a variant of it, not another option)."""
    candidates = frame[admissible]
    best = candidates.sort_values("net", ascending=False, kind="stable").drop_duplicates(
        ["mission", "mode", "size"]).index
    out = np.zeros(len(frame), dtype=bool)
    out[frame.index.get_indexer(best)] = True
    return out


def score_grid(inputs: Inputs, acronyms: list[str] | None = None) -> pd.DataFrame:
    """The full option grid (or the missions listed) with default weights: one row per option,
    columns mission, mode, functions, size, months, feasibility, risk, opportunity, net, p10,
    p50, p90, p_positive, expected_fatalities, p_any_fatality, net_cost_usd, rank, reasons,
    excluded_by. Ranked: the admissible options, one per mission x mode x size (its best task
    set; the other task sets are excluded_by 'better_task_set'), by net score."""
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
    excluded = excluded_by(verdict, reasons, result.broken)
    best = best_task_sets(frame, result.admissible)
    frame["excluded_by"] = [e if e or best[i] else BETTER_TASK_SET for i, e in enumerate(excluded)]
    frame["partner"] = partners_of(inputs, frame["mission"].astype(str), frame["mode"].astype(str))
    return rank_grid(frame)


def partners_of(inputs: Inputs, missions, modes) -> list[str]:
    """Per option: the ISO3 code of the lead nation a mixed contingent joins (risks.engine.partners),
    '' for other modes or where no partner is known."""
    partner = inputs.missions["partner"].to_dict() if "partner" in inputs.missions else {}
    return [partner.get(m, "") if mode == "mixed_contingent" else "" for m, mode in zip(missions, modes, strict=True)]


def rank_grid(frame: pd.DataFrame) -> pd.DataFrame:
    """Rank a merged grid (from chunks) among its admissible options that beat not deploying."""
    admissible = frame["excluded_by"].fillna("") == ""
    frame["rank"] = pd.array(mcda.rank(frame["net"].to_numpy(), (admissible & (frame["net"] > 0)).to_numpy()),
                             dtype="Int64")
    return frame


def store_grid(frame: pd.DataFrame, fingerprint: str) -> GridRun:
    buffer = io.BytesIO()
    # Level 6 (zlib's default): a third of level 9's time for a few percent more bytes; a
    # curator's edit stores the grid again.
    with gzip.GzipFile(fileobj=buffer, mode="wb", mtime=0, compresslevel=6) as handle:
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
        "prices": [scenario.value_of_death_musd, scenario.usd_per_point_musd],
        "smaa_concentration": smaa_concentration(scenario)[0],   # a workshop's spread changes the result
    }


def prices_of(params: dict) -> value.Prices:
    """The scenario's prices of an expected death and of a US$ (its parameters hold US$ million)."""
    death, per_point = params.get("prices") or (None, None)
    default = value.Prices()
    return value.Prices(default.value_of_death_usd if death is None else float(death) * 1e6,
                        default.usd_per_point if per_point is None else float(per_point) * 1e6)


def scenario_grid(inputs: Inputs, params: dict) -> tuple[model.Grid, list[str], np.ndarray]:
    """The scenario's question asked of every mission: one option per mission (its mandate's
    share of the chosen functions), the scenario's mode, size and duration."""
    acronyms = sorted(inputs.missions.index)
    chosen = {inputs.functions.index(c) for c in params["functions"]}
    capable = inputs.mode_functions[params["mode"]]  # a unit is not asked to do what it does not do
    asked = np.array([sum(1 << g for g in inputs.mission_functions[a] if g in chosen) & capable for a in acronyms],
                     dtype=np.int64)
    # nor tasks the mission has no component for, unless that leaves nothing (then the reason says why)
    doable = asked & feasibility.supported_tasks(inputs.missions.loc[acronyms], inputs.functions, params["mode"])
    masks = np.where(doable != 0, doable, asked)
    shape, rate = grid_hazard(inputs, acronyms)
    n = len(acronyms)
    grid = model.Grid(tuple(acronyms), inputs.functions, grid_features(inputs, acronyms, params["duration"]),
                      np.arange(n, dtype=np.int32), np.full(n, model.MODES.index(params["mode"]), dtype=np.int8),
                      masks, np.full(n, float(params["size"])), np.full(n, float(params["duration"])), shape, rate)
    return grid, acronyms, masks


def smaa_concentration(scenario: Scenario) -> tuple[float, str]:
    """The Dirichlet concentration SMAA samples the category weights with, and how it was set:
    the workshop's own spread when the scenario's weights come from two or more participants
    who disagree, else smaa.CONCENTRATION."""
    weight_set = scenario.weight_set
    if weight_set is not None:
        from weights.methods import CRITERIA  # weights imports risks: late import keeps it one-way

        vectors = [[float(p.weights.get(c, 0.0)) for c in CRITERIA] for p in weight_set.participants.all()]
        fitted = smaa.concentration_from_spread([v for v in vectors if sum(v) > 0])
        if fitted is not None:
            return fitted, (f"category weights from a Dirichlet fitted to the spread of the workshop's "
                            f"{len(vectors)} participants, concentration {fitted:.3g}")
    return smaa.CONCENTRATION, f"category weights from a Dirichlet around the analyst's, concentration {smaa.CONCENTRATION:g}"


def compute_scenario(scenario: Scenario, inputs: Inputs | None = None) -> dict:
    """Score the scenario's question for every mission (so its missions can be ranked against
    the alternatives), and summarise the missions it chose. Returns ScenarioResult fields.
    `inputs`, when given, must come from read_inputs(scenario_parameters(scenario))."""
    params = scenario_parameters(scenario)
    inputs = inputs or read_inputs(params)
    grid, acronyms, masks = scenario_grid(inputs, params)
    factors = inputs.factors
    weights = weights_for(factors, params["category_weights"], params["factor_weights"], prices_of(params))
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
    # Both methods are always computed (the pages show their agreement); one ranks. TOPSIS is
    # anchored on not deploying, so an option below its closeness is worse than staying home.
    closeness, topsis_baseline = mcda.anchored_topsis(scores.exposure, weights, ~factors.is_risk, admissible)
    below = (scores.net <= 0) if params["aggregation"] == "weighted_sum" else (closeness <= topsis_baseline)
    ranks = result.frame["rank"]
    # SMAA-2 among every admissible mission; the heatmap shows the chosen ones and the leaders.
    candidates = np.flatnonzero(admissible)
    concentration, sampling = smaa_concentration(scenario)
    acceptability = smaa.smaa2(factors, result.inputs, result.design, weights, candidates, seed=SEED,
                               concentration=concentration)
    first = np.zeros(len(grid))
    # How often each is the recommendation: first among the admissible AND better than staying home.
    first[candidates] = acceptability.recommended if len(candidates) else 0
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
        "sampling": sampling, "draws": DRAWS, "stay_home": float(acceptability.stay_home),
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
    partner = partners_of(inputs, acronyms, [params["mode"]] * len(acronyms))
    options = [{
        "mission": acronyms[i], "selected": bool(selected[i]),
        "functions": [inputs.functions[g] for g in range(len(inputs.functions)) if masks[i] >> g & 1],
        "feasibility": gates.VERDICTS[verdict[i]], "reasons": reasons[i], "excluded_by": excluded[i],
        "risk": float(scores.risk[i]), "opportunity": float(scores.opportunity[i]), "net": float(scores.net[i]),
        "p10": float(mc.p10[i]), "p50": float(mc.p50[i]), "p90": float(mc.p90[i]),
        "p_positive": float(mc.p_positive[i]),
        "topsis": float(closeness[i]) if np.isfinite(closeness[i]) else None,  # none admissible: no ideal
        "below_baseline": bool(below[i]),
        "expected_fatalities": float(scores.expected_fatalities[i]), "p_any_fatality": float(scores.p_any_fatality[i]),
        "net_cost_usd": float(scores.net_cost_usd[i]),
        "rank": None if pd.isna(ranks.iloc[i]) else int(ranks.iloc[i]), "acceptability": float(first[i]),
        "partner": partner[i],
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
        "smaa": {**smaa_table, "topsis_baseline": topsis_baseline,
                 "kendall_tau": mcda.kendall_tau(scores.net[candidates], closeness[candidates])},
        "break_even": break_even,
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
    """Scenarios whose result depends on a change: those that ask about one of `missions` (ids)
    when only those missions' facts changed, else every scenario (a factor, mode or gate is read
    by all of them). A scenario about other missions keeps its result: its own figures do not
    read the edited mission; its table of every mission shows that mission's old row until it is
    recomputed (its page's button, or the nightly run)."""
    scenarios = Scenario.objects.all()
    if missions is not None:
        scenarios = scenarios.filter(missions__in=missions).distinct()
    return list(scenarios.order_by("pk").values_list("id", flat=True))


# Sent when a shared input changed (scenario_ids None): other apps' results (plans) follow it
# without this module importing them. `missions`: the ids of the only missions whose facts
# changed, or None when anything may have.
inputs_changed_signal = Signal()


def inputs_changed(scenario_ids: list[int] | None = None, *, missions: list[int] | None = None) -> None:
    """Call after saving inputs: mark results stale now, recompute them after commit (queued to
    the workers, or in the embedded default in a background thread: pkoanalysis.background).
    scenario_ids: only these scenarios changed. missions: only these missions' facts changed
    (their options in the grid, the scenarios and plans about them are recomputed)."""
    from pkoanalysis import background
    from risks import tasks  # tasks import services: late import keeps the dependency one-way

    shared = scenario_ids is None
    ids = affected_scenarios(missions=missions) if shared else scenario_ids
    mark_stale(ids)
    if shared:
        bump_generation()
        transaction.on_commit(bump_generation)  # again once the change is visible to others
        # The option grid first (pages read it), then the scenarios; with the broker down these
        # log and return: the results stay stale, the sweeper requeues them.
        background.after_commit(tasks.enqueue_grid, "option grid")
    if ids:
        background.after_commit(lambda: tasks.enqueue(tasks.recompute_many, ids), f"{len(ids)} scenarios")
    if shared:
        inputs_changed_signal.send(sender=inputs_changed, missions=missions)


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


