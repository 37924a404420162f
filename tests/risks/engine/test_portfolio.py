"""The plan optimiser against brute-force enumeration, on problems small enough to check."""

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from risks.engine import pathway, portfolio
from risks.engine.portfolio import Limits, Objective, Options


def make_options(seed: int, missions: int = 4, per_mission: int = 3, draws: int = 0) -> Options:
    """Half the time, options that differ only in their function set (same mission, mode, size
    and cost), which the reduction must merge correctly; otherwise, random ones."""
    rng = np.random.default_rng(seed)
    n = missions * per_mission
    group = np.repeat(np.arange(missions), per_mission)
    if seed % 2:
        mode = rng.integers(0, 2, n)
        people = rng.choice([10.0, 40], n)
        cost = people * np.array([12_000.0, 36_000])[mode]
    else:
        mode = rng.integers(0, 4, n)
        people = rng.choice([5.0, 10, 40, 80, 150], n)
        cost = people * rng.uniform(1_000, 40_000, n)
    value = rng.normal(0.05, 0.2, n)
    d = rng.normal(value[:, None], 0.3, (n, draws)) if draws else None
    return Options(group, mode, people, cost, value, d)


def brute_force(options: Options, limits: Limits, objective: Objective | None = None):
    """The best value over every plan that meets the limits (None: no plan does)."""
    ok = portfolio.allowed(options, limits)
    missions = np.unique(options.group)
    choices = [[None, *np.flatnonzero(ok & (options.group == g))] for g in missions]
    best = None
    for combo in itertools.product(*choices):
        chosen = np.array([c for c in combo if c is not None], dtype=np.intp)
        present = set(options.group[chosen].tolist())
        if not set(limits.required) <= present:
            continue
        if limits.max_people is not None and options.people[chosen].sum() > limits.max_people + 1e-9:
            continue
        if limits.max_cost is not None and options.cost[chosen].sum() > limits.max_cost + 1e-6:
            continue
        if limits.max_missions is not None and len(chosen) > limits.max_missions:
            continue
        value = portfolio.plan_value(options, chosen, objective or Objective())
        best = value if best is None else max(best, value)
    return best


def meets(options: Options, limits: Limits, chosen) -> bool:
    chosen = np.asarray(chosen, dtype=np.intp)
    groups = options.group[chosen]
    return (len(set(groups.tolist())) == len(groups)
            and (limits.max_people is None or options.people[chosen].sum() <= limits.max_people + 1e-6)
            and (limits.max_cost is None or options.cost[chosen].sum() <= limits.max_cost + 1e-3)
            and (limits.max_missions is None or len(chosen) <= limits.max_missions)
            and set(limits.required) <= set(groups.tolist())
            and not set(groups.tolist()) & set(limits.excluded)
            and (limits.modes is None or set(options.mode[chosen].tolist()) <= set(limits.modes)))


limits_strategy = st.builds(
    Limits,
    max_people=st.one_of(st.none(), st.sampled_from([0.0, 10, 50, 120, 200, 400])),
    max_cost=st.one_of(st.none(), st.floats(0, 5_000_000)),
    max_missions=st.one_of(st.none(), st.integers(0, 4)),
    required=st.lists(st.integers(0, 3), max_size=2, unique=True).map(tuple),
    excluded=st.lists(st.integers(0, 3), max_size=1, unique=True).map(tuple),
    modes=st.one_of(st.none(), st.lists(st.integers(0, 3), min_size=1, max_size=4, unique=True).map(tuple)),
)


@settings(max_examples=150, deadline=None)
@given(st.integers(0, 2**32 - 1), limits_strategy)
def test_the_plan_equals_brute_force_and_meets_every_limit(seed, limits):
    options = make_options(seed)
    solution = portfolio.solve(options, limits)
    best = brute_force(options, limits)
    if best is None:
        assert not solution.feasible and solution.reasons
        return
    assert solution.feasible
    assert meets(options, limits, solution.chosen)
    assert solution.value == pytest.approx(best, abs=1e-7)
    assert portfolio.plan_value(options, solution.chosen) == pytest.approx(best, abs=1e-7)
    full = portfolio.solve(options, limits, reduced=False)  # the reduction is exact
    assert full.value == pytest.approx(best, abs=1e-7)


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 2**32 - 1), limits_strategy, st.sampled_from([0.1, 0.25, 1.0]), st.sampled_from([0.5, 1.0]))
def test_the_cvar_plan_equals_brute_force(seed, limits, alpha, weight):
    options = make_options(seed, missions=3, per_mission=2, draws=40)
    objective = Objective("cvar", alpha=alpha, weight=weight)
    solution = portfolio.solve(options, limits, objective)
    best = brute_force(options, limits, objective)
    if best is None:
        assert not solution.feasible
        return
    assert solution.feasible and meets(options, limits, solution.chosen)
    assert portfolio.plan_value(options, solution.chosen, objective) == pytest.approx(best, abs=1e-6)


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 2**32 - 1), limits_strategy)
def test_raising_a_cap_never_lowers_the_optimum(seed, limits):
    options = make_options(seed)
    caps = [0, 20, 60, 150, 300, 600]
    values = [p["value"] for p in portfolio.frontier(options, limits, "people", caps)]
    known = [v for v in values if v is not None]
    assert known == sorted(known) or np.all(np.diff(known) >= -1e-9)
    # once feasible, feasible for every larger cap
    first = next((k for k, v in enumerate(values) if v is not None), len(values))
    assert all(v is not None for v in values[first:])
    costs = [p["value"] for p in portfolio.frontier(options, limits, "cost", [0, 1e5, 1e6, 3e6, 1e7])]
    known = [v for v in costs if v is not None]
    assert np.all(np.diff(known) >= -1e-9)


def test_infeasible_limits_are_explained_by_the_constraint_that_binds():
    options = Options(group=np.array([0, 0, 1, 1]), mode=np.array([3, 2, 3, 0]),
                      people=np.array([10.0, 40, 10, 150]), cost=np.array([2.5e5, 1.5e6, 2.5e5, 3.9e6]),
                      value=np.array([0.2, 0.3, 0.1, 0.05]))
    people = portfolio.solve(options, Limits(max_people=15, required=(0, 1)))
    assert not people.feasible
    assert people.reasons == [{"code": "people", "needed": 20.0, "cap": 15.0}]
    cost = portfolio.solve(options, Limits(max_cost=4e5, required=(0, 1)))
    assert [r["code"] for r in cost.reasons] == ["cost"]
    mode = portfolio.solve(options, Limits(required=(1,), modes=(2,)))
    assert mode.reasons == [{"code": "no_option", "mission": 1}]
    both = portfolio.solve(options, Limits(required=(0,), excluded=(0,)))
    assert both.reasons == [{"code": "required_excluded", "mission": 0}]
    count = portfolio.solve(options, Limits(required=(0, 1), max_missions=1))
    assert [r["code"] for r in count.reasons] == ["too_many_required"]
    # each cap can be met alone, not both: mission 0 needs 10 people (cost 2.5e5) or 1.5e6 with
    # 40 people; a 12-person cap and a 2e5 cost cap leave nothing
    joint = portfolio.solve(Options(np.array([0, 0]), np.array([3, 2]), np.array([10.0, 40]),
                                    np.array([3e5, 1e5]), np.array([0.1, 0.1])),
                            Limits(max_people=12, max_cost=2e5, required=(0,)))
    assert [r["code"] for r in joint.reasons] == ["people_and_cost"]


def test_nothing_worth_sending_gives_the_empty_plan():
    options = make_options(3)
    negative = Options(options.group, options.mode, options.people, options.cost, -np.abs(options.value) - 0.01)
    solution = portfolio.solve(negative, Limits(max_people=300))
    assert solution.feasible and len(solution.chosen) == 0 and solution.value == 0


@settings(max_examples=20, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_acceptability_counts_each_draws_optimum(seed):
    options = make_options(seed, draws=12)
    limits = Limits(max_people=100)
    counts, values, _ = portfolio.acceptability(options, limits, options.draws)
    for d in range(options.draws.shape[1]):
        single = Options(options.group, options.mode, options.people, options.cost, options.draws[:, d])
        assert values[d] == pytest.approx(brute_force(single, limits), abs=1e-7)
    assert counts.max() <= options.draws.shape[1]


# --- the pathway -------------------------------------------------------------------------------

def brute_force_pathway(options, limits, kind, rules, available, prior_ind, prior_any):
    choices = [[None, *np.flatnonzero(options.group == g)] for g in np.unique(options.group)]
    per_year = [np.array([c for c in combo if c is not None], dtype=np.intp) for combo in itertools.product(*choices)]
    per_year = [p for p in per_year if meets(options, Limits(limits.max_people, limits.max_cost, limits.max_missions), p)]
    best = None
    for path in itertools.product(range(len(per_year)), repeat=rules.years):
        years = [per_year[k] for k in path]
        if not pathway_ok(options, kind, rules, available, prior_ind, prior_any, years):
            continue
        value = sum(options.value[y].sum() for y in years)
        best = value if best is None else max(best, value)
    return best


def pathway_ok(options, kind, rules, available, prior_ind, prior_any, years):
    ind = prior_ind.astype(float).copy()
    anyp = prior_any.astype(float).copy()
    for t, chosen in enumerate(years):
        formed = sum(options.people[o] for o in chosen if kind[o] != pathway.INDIVIDUAL)
        if formed > rules.capacity(t) + 1e-9:
            return False
        for o in chosen:
            g = options.group[o]
            if not available[o, t]:
                return False
            if kind[o] == pathway.MIXED and ind[g] < rules.individual_years_before_mixed:
                return False
            if kind[o] == pathway.NATIONAL and (t < rules.first_national_year
                                                or anyp[g] < rules.presence_years_before_national):
                return False
        for o in chosen:
            anyp[options.group[o]] += 1
            if kind[o] == pathway.INDIVIDUAL:
                ind[options.group[o]] += 1
    return True


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 2**32 - 1), st.sampled_from([None, 60.0, 200.0]), st.integers(0, 2), st.integers(0, 2))
def test_the_pathway_equals_brute_force_and_keeps_the_growth_rules(seed, max_people, k_mixed, first_national):
    rng = np.random.default_rng(seed)
    group = np.array([0, 0, 0, 1, 1])
    kinds = np.array([pathway.INDIVIDUAL, pathway.MIXED, pathway.NATIONAL, pathway.INDIVIDUAL, pathway.MIXED])
    people = np.array([10.0, 40, 150, 10, 40])
    options = Options(group, np.array([3, 2, 0, 3, 2]), people, people * 25_000, rng.normal(0.1, 0.2, 5))
    rules = pathway.Rules(years=3, individual_years_before_mixed=k_mixed, presence_years_before_national=1,
                          first_national_year=first_national, formed_capacity=(0, 50, 200))
    available = np.ones((5, 3), dtype=bool)
    available[3:, 2] = False            # mission 1's mandate ends after the second year
    prior_ind = np.array([0, int(rng.integers(0, 2))])
    limits = Limits(max_people=max_people)
    result = pathway.solve_pathway(options, limits, kinds, rules, available, prior_ind, prior_ind)
    best = brute_force_pathway(options, limits, kinds, rules, available, prior_ind, prior_ind)
    assert result.status == "optimal"
    assert result.value == pytest.approx(best, abs=1e-7)
    assert pathway_ok(options, kinds, rules, available, prior_ind, prior_ind, result.years)
    for chosen in result.years:
        assert meets(options, limits, chosen)


def test_a_required_mission_is_in_every_year_it_is_open():
    # mission 1 is worth less than mission 2, and only one fits the cap beside mission 0
    options = Options(np.array([0, 1, 2]), np.array([3, 3, 3]), np.array([5.0, 5, 5]), np.array([1e5, 1e5, 1e5]),
                      np.array([0.3, 0.1, 0.2]))
    kinds = np.array([pathway.INDIVIDUAL] * 3)
    available = np.ones((3, 3), dtype=bool)
    available[1, 2] = False  # mission 1 closes before the third year
    result = pathway.solve_pathway(options, Limits(max_people=10, required=(1,)), kinds,
                                   pathway.Rules(years=3, formed_capacity=(0, 0, 0)), available)
    assert [sorted(y.tolist()) for y in result.years] == [[0, 1], [0, 1], [0, 2]]


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 2**32 - 1), st.sampled_from([0.0, 40.0, 100.0]))
def test_the_plan_keeps_to_the_options_ready_now_and_the_formed_personnel_trained(seed, capacity):
    options = make_options(seed)
    ready = np.random.default_rng(seed).random(len(options)) < 0.7
    limits = Limits(max_people=400, ready=ready, max_formed=capacity, formed_modes=(0, 1, 2))
    solution = portfolio.solve(options, limits)
    assert solution.feasible
    chosen = solution.chosen
    assert ready[chosen].all()
    assert options.people[chosen][np.isin(options.mode[chosen], (0, 1, 2))].sum() <= capacity + 1e-9
    # the same as brute force over the ready options with the formed cap as a people cap on them
    best = None
    for combo in itertools.product(*[[None, *np.flatnonzero(ready & (options.group == g))]
                                     for g in np.unique(options.group)]):
        picked = np.array([c for c in combo if c is not None], dtype=np.intp)
        formed = options.people[picked][np.isin(options.mode[picked], (0, 1, 2))].sum()
        if options.people[picked].sum() <= 400 and formed <= capacity:
            value = options.value[picked].sum()
            best = value if best is None else max(best, value)
    assert solution.value == pytest.approx(best, abs=1e-7)
    counts, _values, _ = portfolio.acceptability(options, limits, np.tile(options.value[:, None], (1, 2)))
    assert not counts[~ready].any()


def test_the_pathway_starts_from_the_plan_when_given_it():
    options = Options(np.array([0, 1, 2]), np.array([3, 3, 3]), np.array([5.0, 5, 5]), np.array([1e5, 1e5, 1e5]),
                      np.array([0.3, 0.1, 0.2]))
    kinds = np.array([pathway.INDIVIDUAL] * 3)
    rules = pathway.Rules(years=3, formed_capacity=(0, 0, 0))
    free = pathway.solve_pathway(options, Limits(max_people=10), kinds, rules)
    assert sorted(free.years[0].tolist()) == [0, 2]
    pinned = pathway.solve_pathway(options, Limits(max_people=10), kinds, rules, first_year=np.array([1]))
    assert pinned.status == "optimal"
    assert pinned.years[0].tolist() == [1]                     # the plan, exactly
    assert [sorted(y.tolist()) for y in pinned.years[1:]] == [[0, 2], [0, 2]]
