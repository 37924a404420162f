"""The seam between the database and the scoring engine: ORM rows -> arrays -> scores -> rows.

Views, admin, tasks and commands call these functions; the engine (risks.scoring,
risks.feasibility) never sees Django.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
from dataclasses import dataclass
from datetime import timedelta

import numpy as np
import pandas as pd
from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, Max, Q, Sum
from django.utils import timezone
from django_celery_results.models import TaskResult

from missions.models import Deployment, Fatality, MandateFunction, Mission
from risks import feasibility, scoring
from risks.models import (
    Factor,
    GridRun,
    SafeguardGate,
    Scenario,
    ScenarioResult,
)

SPANISH_SPEAKING = {"ARG", "BOL", "CHL", "COL", "CRI", "CUB", "DOM", "ECU", "ESP", "GNQ", "GTM", "HND",
                    "MEX", "NIC", "PAN", "PER", "PRY", "SLV", "URY", "VEN"}
LATIN_AMERICA = {"ARG", "BOL", "BRA", "CHL", "COL", "CRI", "CUB", "DOM", "ECU", "GTM", "HND", "NIC", "PAN",
                 "PER", "PRY", "SLV", "URY", "VEN"}
DEFAULT_DURATION_MONTHS = 12
FULL_DURATION_MONTHS = 36      # a deployment this long or longer counts as 'long' (feature = 1)
DRAWS = 1000
SEED = 20180701                # fixed: the same inputs always give the same numbers


@dataclass(frozen=True)
class Inputs:
    """Everything a computation reads, as arrays, plus its fingerprint."""

    factors: scoring.Factors
    categories: dict[str, str]
    missions: pd.DataFrame           # index acronym; kind, active, chapter_vii, ceasefire, features
    functions: tuple[str, ...]
    mission_functions: dict[str, list[int]]
    gates: set[str]
    fingerprint: str


# --- reading the inputs ------------------------------------------------------------------

def mission_features() -> pd.DataFrame:
    """Per mission (index acronym): kind, active, chapter_vii, ceasefire (mandate includes
    ceasefire monitoring), hostility in [0, 1], spanish_host and latam_presence (0/1).

    hostility: malicious-act fatalities per year of the mission's life (to its end or the data's
    last year), on a log scale relative to the most hostile mission.
    latam_presence: other Latin American contributors had 10 or more uniformed personnel in the
    mission in its last reported month.
    """
    missions = pd.DataFrame(list(Mission.objects.values(
        "acronym", "kind", "is_active", "chapter_vii", "start_date", "end_date", "host_country__iso3",
    ))).set_index("acronym")
    malicious = dict(Fatality.objects.filter(incident_type="Malicious Act")
                     .values_list("mission__acronym").annotate(n=Count("id")))
    last_year = Fatality.objects.aggregate(m=Max("incident_date"))["m"]
    last_year = last_year.year if last_year else timezone.now().year
    start = pd.to_datetime(missions["start_date"]).dt.year.fillna(last_year)
    end = pd.to_datetime(missions["end_date"]).dt.year.fillna(last_year)
    per_year = missions.index.map(lambda a: malicious.get(a, 0)).to_numpy() / np.maximum(end - start + 1, 1)
    scale = np.log1p(per_year).max() or 1.0
    last_months = dict(Deployment.objects.filter(mission__isnull=False).values_list("mission__acronym")
                       .annotate(m=Max("month")))
    latam = (Deployment.objects.filter(mission__isnull=False, country__iso3__in=LATIN_AMERICA - {"MEX"})
             .values_list("mission__acronym", "month").annotate(n=Sum("total")))
    latam_present = {a for a, month, n in latam if month == last_months.get(a) and n >= 10}
    ceasefire = set(Mission.objects.filter(functions__code="ceasefire_monitoring").values_list("acronym", flat=True))
    return pd.DataFrame({
        "kind": missions["kind"], "active": missions["is_active"], "chapter_vii": missions["chapter_vii"],
        "ceasefire": missions.index.isin(ceasefire),
        "hostility": np.log1p(per_year) / scale,
        "spanish_host": missions["host_country__iso3"].isin(SPANISH_SPEAKING).astype(float),
        "latam_presence": missions.index.isin(latam_present).astype(float),
    }, index=missions.index).sort_index()


def factor_table() -> tuple[scoring.Factors, dict[str, str]]:
    """Active factors in code order, as the engine's arrays; and code -> category."""
    functions = list(MandateFunction.objects.order_by("order", "code").values_list("code", flat=True))
    modes = list(scoring.MODES)
    factors = list(Factor.objects.filter(is_active=True).order_by("code")
                   .prefetch_related("mode_effects__mode", "function_effects__function"))
    mode_effect = np.ones((len(factors), len(modes)))
    function_effect = np.ones((len(factors), len(functions)))
    for i, factor in enumerate(factors):
        for effect in factor.mode_effects.all():
            if effect.mode.code in modes:
                mode_effect[i, modes.index(effect.mode.code)] = effect.multiplier
        for effect in factor.function_effects.all():
            function_effect[i, functions.index(effect.function.code)] = effect.multiplier
    table = scoring.Factors(
        codes=tuple(f.code for f in factors),
        sign=np.array([1 if f.kind == Factor.Kind.OPPORTUNITY else -1 for f in factors]),
        category=np.array([f.category for f in factors]),
        likelihood=np.array([[f.likelihood_low, f.likelihood_mode, f.likelihood_high] for f in factors]).reshape(-1, 3),
        impact=np.array([[f.impact_low, f.impact_mode, f.impact_high] for f in factors]).reshape(-1, 3),
        mode_effect=mode_effect, function_effect=function_effect,
        feature_effect=np.array([[f.hostility_effect, f.chapter_vii_effect, f.spanish_host_effect,
                                  f.latam_presence_effect, f.duration_effect] for f in factors]).reshape(-1, 5),
    )
    return table, {f.code: f.category for f in factors}


def read_inputs(extra: object = None) -> Inputs:
    """Read every input once; `extra` (scenario parameters) joins the fingerprint."""
    factors, categories = factor_table()
    missions = mission_features()
    functions = tuple(MandateFunction.objects.order_by("order", "code").values_list("code", flat=True))
    mission_functions: dict[str, list[int]] = {acronym: [] for acronym in missions.index}
    for acronym, code in Mission.functions.through.objects.values_list("mission__acronym", "mandatefunction__code"):
        mission_functions[acronym].append(functions.index(code))
    for codes in mission_functions.values():
        codes.sort()
    gates = set(SafeguardGate.objects.filter(is_active=True).values_list("code", flat=True))
    digest = hashlib.sha256()
    for array in (factors.sign, factors.likelihood, factors.impact, factors.mode_effect,
                  factors.function_effect, factors.feature_effect):
        digest.update(np.ascontiguousarray(array, dtype=float).tobytes())
    digest.update(json.dumps([factors.codes, functions, sorted(gates), mission_functions,
                              missions.astype(str).to_dict(orient="split"), extra], default=str).encode())
    return Inputs(factors, categories, missions, functions, mission_functions, gates, digest.hexdigest())


GENERATION_KEY = "risks:inputs-generation"


def bump_generation() -> None:
    """Invalidate every cached input read and figure built from them."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, 2, None)


def cached_inputs() -> Inputs:
    """read_inputs() costs ~0.2 s of queries: pages share one read per inputs generation."""
    from missions.selectors import data_vintage

    key = f"risks:inputs:{cache.get_or_set(GENERATION_KEY, 1, None)}:{data_vintage()}"
    inputs = cache.get(key)
    if inputs is None:
        inputs = read_inputs()
        cache.set(key, inputs, 6 * 3600)
    return inputs


def weights_for(factors: scoring.Factors, category_weights: dict | None = None,
                factor_weights: dict | None = None) -> np.ndarray:
    """(F,) weight per factor = category weight x factor weight, each in [0, 1], default 1."""
    category_weights, factor_weights = category_weights or {}, factor_weights or {}
    return np.array([
        float(category_weights.get(cat, 1.0)) * float(factor_weights.get(code, 1.0))
        for code, cat in zip(factors.codes, factors.category, strict=True)
    ]).clip(0, 1)


# --- judging and scoring -------------------------------------------------------------------

def judge(inputs: Inputs, grid: scoring.Grid, strict_gates: frozenset[str] = frozenset()
          ) -> tuple[np.ndarray, list[list[dict]]]:
    """Verdict per option (0/1/2) and its reasons. Options with no function at all (a mission
    whose mandate has none of the chosen functions) are infeasible."""
    acronyms = np.asarray(grid.missions)[grid.mission_idx]
    rows = inputs.missions.loc[acronyms]
    coercive = sum(1 << inputs.functions.index(c) for c in feasibility.COERCIVE_FUNCTIONS if c in inputs.functions)
    facts = feasibility.OptionFacts(
        active=rows["active"].to_numpy(bool), kind=rows["kind"].to_numpy(),
        chapter_vii=rows["chapter_vii"].to_numpy(bool), hostility=rows["hostility"].to_numpy(float),
        ceasefire=rows["ceasefire"].to_numpy(bool), mode=np.asarray(scoring.MODES)[grid.mode_idx],
        coercive=(grid.function_mask & coercive) > 0,
    )
    levels = feasibility.gate_levels(facts)
    verdict, failed = feasibility.verdicts(levels, inputs.gates | {"mission_open"}, strict_gates)
    empty = grid.function_mask == 0
    verdict[empty] = feasibility.INFEASIBLE
    reasons = []
    for i in range(len(grid)):
        row = [{"gate": g, "level": feasibility.VERDICTS[
                    feasibility.INFEASIBLE if g in strict_gates and levels[g][i] else levels[g][i]]}
               for j, g in enumerate(feasibility.GATES) if failed[i, j]]
        if empty[i]:
            row.append({"gate": "no_matching_function", "level": "infeasible"})
        reasons.append(row)
    return verdict, reasons


def grid_features(inputs: Inputs, acronyms: list[str], duration_months: int) -> np.ndarray:
    rows = inputs.missions.loc[acronyms]
    duration = min(duration_months / FULL_DURATION_MONTHS, 1.0)
    return np.column_stack([rows["hostility"], rows["chapter_vii"].astype(float), rows["spanish_host"],
                            rows["latam_presence"], np.full(len(rows), duration)])


def score_grid(inputs: Inputs, acronyms: list[str] | None = None) -> pd.DataFrame:
    """The full option grid (or the missions listed) with default weights: one row per option,
    columns mission, mode, functions, feasibility, risk, opportunity, net, p10, p50, p90,
    p_positive, rank (rank among feasible options of this call, by net score)."""
    acronyms = sorted(inputs.missions.index) if acronyms is None else acronyms
    with_functions = [a for a in acronyms if inputs.mission_functions[a]]
    grid = scoring.build_grid(with_functions, [inputs.mission_functions[a] for a in with_functions],
                              list(inputs.functions), grid_features(inputs, with_functions, DEFAULT_DURATION_MONTHS))
    weights = weights_for(inputs.factors)
    modifier = scoring.modifiers(inputs.factors, grid)
    scores = scoring.score(inputs.factors, grid, weights, modifier=modifier)
    uncertainty, _ = scoring.monte_carlo(inputs.factors, grid, weights, draws=DRAWS, seed=SEED, modifier=modifier)
    verdict, reasons = judge(inputs, grid)
    ranks = scoring.rank(scores.net, verdict < feasibility.INFEASIBLE)
    frame = scoring.results_frame(grid, scores, uncertainty, ranks, np.asarray(feasibility.VERDICTS)[verdict])
    frame["reasons"] = ["; ".join(f"{r['gate']}: {r['level']}" for r in rs) for rs in reasons]
    return frame


def rank_grid(frame: pd.DataFrame) -> pd.DataFrame:
    """Rank a merged grid (from chunks) among its feasible options."""
    feasible = frame["feasibility"] != "infeasible"
    frame["rank"] = pd.array(scoring.rank(frame["net"].to_numpy(), feasible.to_numpy()), dtype="Int64")
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


# --- scenarios -----------------------------------------------------------------------------

def scenario_parameters(scenario: Scenario) -> dict:
    return {
        "missions": sorted(scenario.missions.values_list("acronym", flat=True)),
        "functions": sorted(scenario.functions.values_list("code", flat=True)),
        "mode": scenario.mode.code, "size": scenario.size, "duration": scenario.duration_months,
        "category_weights": scenario.category_weights, "factor_weights": scenario.factor_weights,
        "aggregation": scenario.aggregation, "strict_gates": sorted(scenario.strict_gates),
    }


def compute_scenario(scenario: Scenario, inputs: Inputs | None = None) -> dict:
    """Score the scenario's question for every mission (so its missions can be ranked against
    the alternatives), and summarise the missions it chose. Returns ScenarioResult fields.
    `inputs`, when given, must come from read_inputs(scenario_parameters(scenario))."""
    params = scenario_parameters(scenario)
    inputs = inputs or read_inputs(params)
    acronyms = sorted(inputs.missions.index)
    chosen_functions = {inputs.functions.index(c) for c in params["functions"]}
    masks = np.array([sum(1 << g for g in inputs.mission_functions[a] if g in chosen_functions) for a in acronyms])
    mode = scoring.MODES.index(params["mode"])
    grid = scoring.Grid(tuple(acronyms), inputs.functions,
                        grid_features(inputs, acronyms, params["duration"]),
                        np.arange(len(acronyms), dtype=np.int32), np.full(len(acronyms), mode, dtype=np.int8),
                        masks.astype(np.int64))
    weights = weights_for(inputs.factors, params["category_weights"], params["factor_weights"])
    selected = np.isin(acronyms, params["missions"])
    modifier = scoring.modifiers(inputs.factors, grid)
    scores = scoring.score(inputs.factors, grid, weights, modifier=modifier)
    uncertainty, draws = scoring.monte_carlo(inputs.factors, grid, weights, draws=DRAWS, seed=SEED,
                                             modifier=modifier, keep=np.flatnonzero(selected))
    verdict, reasons = judge(inputs, grid, frozenset(params["strict_gates"]))
    feasible = verdict < feasibility.INFEASIBLE
    closeness = scoring.topsis(scores.exposure, np.maximum(weights, 1e-9), inputs.factors.sign > 0)
    by = closeness if params["aggregation"] == "topsis" else scores.net
    ranks = scoring.rank(by, feasible)
    acceptability = scoring.rank_acceptability(
        inputs.factors, grid, weights, samples=500, seed=SEED, spread=0.3, feasible=feasible & selected,
        modifier=modifier)
    chosen = np.flatnonzero(selected)
    # The portfolio is what Mexico could actually send: the feasible or conditional missions,
    # unless none is, in which case the figures describe all of them (and the verdict says no).
    usable = feasible[chosen] if feasible[chosen].any() else np.ones(len(chosen), dtype=bool)
    portfolio = draws[usable].mean(axis=0)
    scored = chosen[usable]
    tornado = pd.concat([scoring.sensitivity(inputs.factors, grid, weights, int(i)) for i in scored])
    tornado = tornado.groupby(["factor", "parameter"], as_index=False)[["low", "high"]].mean()
    tornado["swing"] = (tornado["high"] - tornado["low"]).abs()
    options = [{
        "mission": acronyms[i], "selected": bool(selected[i]),
        "functions": [inputs.functions[g] for g in range(len(inputs.functions)) if masks[i] >> g & 1],
        "feasibility": feasibility.VERDICTS[verdict[i]], "reasons": reasons[i],
        "risk": float(scores.risk[i]), "opportunity": float(scores.opportunity[i]), "net": float(scores.net[i]),
        "p10": float(uncertainty.p10[i]), "p50": float(uncertainty.p50[i]), "p90": float(uncertainty.p90[i]),
        "p_positive": float(uncertainty.p_positive[i]), "topsis": float(closeness[i]),
        "rank": None if np.isnan(ranks[i]) else int(ranks[i]), "acceptability": float(acceptability[i]),
    } for i in range(len(acronyms))]
    worst = int(verdict[chosen].max()) if len(chosen) else feasibility.INFEASIBLE
    p10, p50, p90 = (float(np.quantile(portfolio, q)) for q in scoring.QUANTILES)
    return {
        "fingerprint": inputs.fingerprint, "feasibility": feasibility.VERDICTS[worst],
        "reasons": [{"mission": acronyms[i], "reasons": reasons[i]} for i in chosen if reasons[i]],
        "risk": float(scores.risk[scored].mean()), "opportunity": float(scores.opportunity[scored].mean()),
        "net": float(scores.net[scored].mean()), "p10": p10, "p50": p50, "p90": p90,
        "p_positive": float((portfolio > 0).mean()),
        "options": options,
        "contributions": [
            {"factor": code, "category": inputs.categories[code],
             "contribution": float(scores.contributions[scored, f].mean())}
            for f, code in enumerate(inputs.factors.codes)
        ],
        "sensitivity": tornado.sort_values("swing", ascending=False).to_dict(orient="records"),
        "rank_acceptability": [{"mission": acronyms[i], "share": float(acceptability[i])} for i in chosen],
        "distribution": np.round(portfolio, 5).tolist(),
    }


def recompute_scenario(scenario_id: int) -> str:
    """Compute and store a scenario's result, replacing the old one atomically.

    Idempotent: the result always reflects the inputs as they are when the task runs, so a
    duplicated or late task can only rewrite the newest result, never an older one.
    Returns 'unchanged' or 'updated'.
    """
    scenario = Scenario.objects.select_related("mode").get(pk=scenario_id)
    if not scenario.missions.exists():
        raise ValueError(f"scenario {scenario_id} has no missions")
    inputs = read_inputs(scenario_parameters(scenario))
    # A duplicate (redelivered after a worker died, or queued again by the sweeper) costs one
    # read of the inputs, not a computation.
    if ScenarioResult.objects.filter(scenario=scenario, fingerprint=inputs.fingerprint, is_stale=False).exists():
        return "unchanged"
    fields = compute_scenario(scenario, inputs)
    with transaction.atomic():
        current = ScenarioResult.objects.select_for_update().filter(scenario=scenario).first()
        if current and current.fingerprint == fields["fingerprint"] and not current.is_stale:
            return "unchanged"
        ScenarioResult.objects.update_or_create(
            scenario=scenario, defaults={**fields, "computed_at": timezone.now(), "is_stale": False})
    return "updated"


def mark_stale(scenario_ids: list[int] | None = None) -> int:
    """Flag results as stale (they stay visible with a warning until recomputed)."""
    results = ScenarioResult.objects.all()
    if scenario_ids is not None:
        results = results.filter(scenario_id__in=scenario_ids)
    return results.update(is_stale=True)


def affected_scenarios(*, missions: list[int] | None = None) -> list[int]:
    """Scenarios whose result depends on a change. Every scenario ranks its question against
    all missions, so any change to missions, factors, modes or gates affects all of them."""
    return list(Scenario.objects.values_list("id", flat=True))


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


# --- what is waiting for a recomputation (the sweeper's questions) ---------------------------

RECOMPUTE_TASKS = ("risks.tasks.recompute_many", "risks.tasks.recompute_scenario",
                   "risks.tasks.score_grid_chunk", "risks.tasks.merge_grid")
IN_FLIGHT_MINUTES = 15  # a task marked running longer ago than this is presumed lost


def stale_scenarios() -> list[int]:
    """Ids of scenarios (with missions) whose result is stale or missing."""
    return list(Scenario.objects.filter(Q(result__isnull=True) | Q(result__is_stale=True), missions__isnull=False)
                .distinct().order_by("pk").values_list("pk", flat=True))


def grid_outdated() -> bool:
    """True when no stored option grid matches the current inputs."""
    return not GridRun.objects.filter(fingerprint=read_inputs().fingerprint).exists()


def recomputation_in_flight() -> bool:
    """A worker reported a recomputation started (and not finished) in the last minutes."""
    return TaskResult.objects.filter(
        task_name__in=RECOMPUTE_TASKS, status__in=["STARTED", "PROGRESS", "RETRY"],
        date_done__gte=timezone.now() - timedelta(minutes=IN_FLIGHT_MINUTES)).exists()


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


# --- the selective-peacekeeping explorer ---------------------------------------------------

def explorer_grid() -> tuple[pd.DataFrame, Inputs]:
    """The current option grid (cached per input fingerprint) and the inputs it came from."""
    inputs = cached_inputs()
    key = f"risks:grid:{inputs.fingerprint}"
    frame = cache.get(key)
    if frame is None:
        frame = current_grid(inputs)
        cache.set(key, frame, 6 * 3600)
    return frame, inputs


def explore(mode: str, feasibility_filter: str, open_only: bool, top: int = 25, per_mission: bool = False) -> dict:
    """Heatmap data (missions x single functions: net and verdict) and the best options of a
    mode, with what would have to change for the weak or infeasible ones. per_mission keeps
    only each mission's best option, so the list spans missions rather than one mission's
    function sets."""
    grid, inputs = explorer_grid()
    rows = grid[grid["mode"] == mode]
    if open_only:
        rows = rows[rows["mission"].isin(inputs.missions.index[inputs.missions["active"]])]
    single = rows[~rows["functions"].str.contains("+", regex=False)]
    matrix = single.pivot(index="mission", columns="functions", values="net")
    verdicts = single.pivot(index="mission", columns="functions", values="feasibility")
    order = [c for c in inputs.functions if c in matrix.columns]
    matrix, verdicts = matrix[order], verdicts[order]
    chosen = rows
    if feasibility_filter == "not_infeasible":
        chosen = rows[rows["feasibility"] != "infeasible"]
    elif feasibility_filter:
        chosen = rows[rows["feasibility"] == feasibility_filter]
    best = chosen.sort_values("net", ascending=False, kind="stable")
    if per_mission:
        best = best.drop_duplicates("mission")
    best = best.head(top).copy()
    best["drag"] = largest_drags(inputs, best)
    return {"matrix": matrix, "verdicts": verdicts, "top": best, "count": len(chosen)}


def largest_drags(inputs: Inputs, options: pd.DataFrame) -> list[str]:
    """For each option, the risk factor that pulls its net score down most (default weights)."""
    if options.empty:
        return []
    acronyms = list(options["mission"])
    masks = [sum(1 << inputs.functions.index(c) for c in f.split("+")) for f in options["functions"]]
    grid = scoring.Grid(tuple(acronyms), inputs.functions, grid_features(inputs, acronyms, DEFAULT_DURATION_MONTHS),
                        np.arange(len(acronyms), dtype=np.int32),
                        np.array([scoring.MODES.index(m) for m in options["mode"]], dtype=np.int8),
                        np.array(masks, dtype=np.int64))
    contributions = scoring.score(inputs.factors, grid, weights_for(inputs.factors)).contributions
    return [inputs.factors.codes[int(i)] for i in contributions.argmin(axis=1)]


# --- briefings ------------------------------------------------------------------------------

def briefing_data(scenario: Scenario):
    """Everything a briefing shows, read once. Recomputes a stale or missing result first;
    if that fails, the briefing says plainly that it is stale."""
    from django.utils.translation import gettext

    from missions import selectors
    from missions.models import DataFile
    from risks import briefings
    from risks.models import Category, SafeguardGate

    result = ScenarioResult.objects.filter(scenario=scenario).first()
    if result is None or result.is_stale:
        try:
            recompute_scenario(scenario.pk)
        except Exception:  # noqa: BLE001 - the briefing must still go out, marked stale
            if result is None:
                raise
        result = ScenarioResult.objects.get(scenario=scenario)
    factors = list(Factor.objects.order_by("code"))
    mexico = selectors.deployments(country=selectors.MEXICO, start=pd.Timestamp("2015-01-01").date())
    months = selectors.data_months()
    series = selectors.monthly_series(mexico, months[months >= pd.Timestamp("2015-01-01")])
    files = list(DataFile.objects.values("dataset", "filename", "rows", "last_month"))
    gates = {g.code: g.name for g in SafeguardGate.objects.all()}
    gates["no_matching_function"] = gettext("The mandate has none of the chosen functions")
    fields = {f.name: getattr(result, f.name) for f in ScenarioResult._meta.fields}
    return briefings.BriefingData(
        scenario_id=scenario.pk, name=scenario.name, owner=scenario.owner.get_username(), mode=scenario.mode.name,
        mode_code=scenario.mode.code, size=scenario.size, duration_months=scenario.duration_months,
        missions=sorted(scenario.missions.values_list("acronym", flat=True)),
        functions=[f.name for f in scenario.functions.all()], aggregation=scenario.get_aggregation_display(),
        category_weights=scenario.category_weights, factor_weights=scenario.factor_weights,
        strict_gates=[gates.get(g, g) for g in scenario.strict_gates], notes=scenario.notes,
        result=fields, factor_names={f.code: f.name for f in factors},
        factor_sources={f.code: f.source for f in factors}, factor_kinds={f.code: f.kind for f in factors},
        category_names={c.value: str(c.label) for c in Category}, gate_names=gates, mexico_monthly=series,
        data_date=max((f["last_month"] for f in files if f["last_month"]), default=None), data_files=files,
        stale=result.is_stale,
    )


def render_briefing(briefing_id: int, progress=None) -> str:
    """Render a queued briefing and keep its file with the scenario. Returns its status."""
    from django.core.files.base import ContentFile
    from django.utils.text import slugify
    from django.utils.translation import override

    from risks import briefings
    from risks.models import Briefing

    briefing = Briefing.objects.select_related("scenario__mode", "scenario__owner").get(pk=briefing_id)
    if briefing.status == Briefing.Status.DONE and briefing.file:
        return briefing.status
    Briefing.objects.filter(pk=briefing.pk).update(status=Briefing.Status.RUNNING)
    try:
        with override(briefing.language):
            data = briefing_data(briefing.scenario)
        if briefing.format == "pdf":
            content = briefings.render_pdf(data, language=briefing.language, paper=briefing.paper,
                                           client=briefing.client, firm=briefing.firm, progress=progress)
        elif briefing.format == "xlsx":
            content = briefings.render_xlsx(data, language=briefing.language)
        else:
            content = briefings.render_csv(data)
    except Exception as exc:
        Briefing.objects.filter(pk=briefing.pk).update(status=Briefing.Status.FAILED, error=str(exc)[:2000])
        raise
    name = f"{slugify(briefing.scenario.name)[:60] or 'scenario'}-{briefing.language}.{briefing.format}"
    briefing.file.save(name, ContentFile(content), save=False)
    briefing.fingerprint = data.result["fingerprint"]
    briefing.data_date = data.data_date
    briefing.was_stale = data.stale
    briefing.status = Briefing.Status.DONE
    briefing.save()
    return briefing.status
