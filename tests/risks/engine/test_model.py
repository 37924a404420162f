"""The value model: bounds, monotonicity, size, hazard, cost, invariances (risks.engine.model)."""

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from risks.engine import hazard, model, uncertainty

from .conftest import COST, FATALITIES, N_FACTORS, N_FUNCTIONS, make_factors, make_grid

REPO = Path(__file__).resolve().parents[3]
seeds = st.integers(0, 2**32 - 1)
weight_vectors = st.lists(st.floats(0, 3), min_size=N_FACTORS, max_size=N_FACTORS).map(np.array)


def test_the_engine_imports_without_django():
    code = ("import json, sys; import risks.engine.evaluate, risks.engine.smaa, risks.engine.sensitivity, "
            "risks.engine.gates, risks.engine.portfolio, risks.engine.pathway, risks.engine.elicitation; print(json.dumps(sorted(m for m in sys.modules if m.startswith('django'))))")
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True)
    assert json.loads(out.stdout) == []


@settings(max_examples=50, deadline=None)
@given(seeds, weight_vectors, st.integers(0, N_FACTORS - 1), st.floats(0, 2))
def test_raising_a_weight_moves_every_net_score_in_the_factors_direction(seed, weights, which, extra):
    factors, grid = make_factors(seed), make_grid(seed)
    raised = weights.copy()
    raised[which] += extra
    before, after = model.score(factors, grid, weights).net, model.score(factors, grid, raised).net
    direction = factors.sign[which]
    assert (direction * (after - before) >= -1e-9).all()
    mc_before, _, _ = uncertainty.monte_carlo(factors, grid, weights, draws=64, seed=seed)
    mc_after, _, _ = uncertainty.monte_carlo(factors, grid, raised, draws=64, seed=seed)
    for name in ("p10", "p50", "p90", "p_positive"):
        assert (direction * (getattr(mc_after, name) - getattr(mc_before, name)) >= -1e-4).all()


@settings(max_examples=50, deadline=None)
@given(seeds, weight_vectors)
def test_scores_stay_in_their_stated_bounds(seed, weights):
    factors, grid = make_factors(seed), make_grid(seed)
    scores = model.score(factors, grid, weights)
    modifier = model.modifiers(factors, grid)
    judgement = factors.judgement
    assert ((modifier[:, judgement] >= 0) & (modifier[:, judgement] <= 1)).all()
    assert (scores.exposure >= 0).all()
    # a judgement exposure is at most E[L] E[I] s(n)^size_scaled
    ceiling = factors.expected_li()[None] * np.where(factors.size_scaled, model.size_curve(grid.size)[:, None], 1.0)
    assert (scores.exposure[:, judgement] <= ceiling[:, judgement] + 1e-6).all()
    assert (scores.risk >= 0).all() and (scores.opportunity >= 0).all()
    np.testing.assert_allclose(scores.contributions.sum(axis=1), scores.net, atol=1e-9)
    assert ((scores.p_any_fatality >= 0) & (scores.p_any_fatality <= scores.expected_fatalities + 1e-12)).all()


def test_adding_a_factor_leaves_every_other_factors_contribution_unchanged():
    factors, grid = make_factors(3), make_grid(3)
    weights = np.linspace(0.2, 1, N_FACTORS)
    keep = np.arange(N_FACTORS) != 5
    fewer = factors.reordered(np.flatnonzero(keep))
    full, reduced = model.score(factors, grid, weights), model.score(fewer, grid, weights[keep])
    np.testing.assert_allclose(reduced.contributions, full.contributions[:, keep], rtol=1e-6)


def test_the_size_curve_has_its_stated_values_and_shape():
    assert model.size_curve(0) == 0
    np.testing.assert_allclose(model.size_curve([10, 150, 1000]), [0.150, 0.601, 1.0], atol=1e-3)
    n = np.linspace(1, 5000, 500)
    s = model.size_curve(n)
    assert (np.diff(s) > 0).all() and (np.diff(s, 2) < 0).all()  # increasing, concave


def test_size_changes_the_result_through_person_years_cost_and_diminishing_returns():
    factors, weights = make_factors(4), np.ones(N_FACTORS)
    small, large = make_grid(4, sizes=[10] * 5), make_grid(4, sizes=[100] * 5)
    a, b = model.score(factors, small, weights), model.score(factors, large, weights)
    np.testing.assert_allclose(b.expected_fatalities, 10 * a.expected_fatalities)
    np.testing.assert_allclose(b.net_cost_usd, 10 * a.net_cost_usd)
    scaled = np.flatnonzero(factors.judgement & factors.size_scaled)
    ratio = model.size_curve(100) / model.size_curve(10)
    np.testing.assert_allclose(b.exposure[:, scaled], ratio * a.exposure[:, scaled], rtol=1e-5)
    assert ratio < 10  # ten times the people, less than ten times the opportunity
    assert not np.allclose(a.net, b.net)


def test_expected_fatalities_and_the_chance_of_any_follow_the_gamma_poisson_model():
    factors, grid = make_factors(5), make_grid(5, sizes=[150, 150, 40, 10, 5], months=18)
    scores = model.score(factors, grid, np.ones(N_FACTORS))
    g = grid.group_idx(model.Modes.default())
    shape = grid.hazard_shape[grid.mission_idx, g]
    rate = grid.hazard_rate[grid.mission_idx, g]
    multiplier = np.maximum(model.modifiers(factors, grid)[:, FATALITIES], 1)  # never below the base rate
    kpy = grid.size * 18 / 12 / 1000 * multiplier
    np.testing.assert_allclose(scores.expected_fatalities, kpy * shape / rate, rtol=1e-5)
    # P(N >= 1) by simulation of lambda ~ Gamma, N ~ Poisson(lambda c), for one option
    rng = np.random.default_rng(0)
    i = int(np.argmax(scores.expected_fatalities))
    lam = rng.gamma(shape[i], 1 / rate[i], 400_000)
    assert (rng.poisson(lam * kpy[i]) > 0).mean() == pytest.approx(scores.p_any_fatality[i], abs=3e-3)
    assert (scores.p_any_fatality < -np.expm1(-scores.expected_fatalities) + 1e-12).all()


def test_the_net_cost_is_persons_times_twelve_times_cost_less_reimbursement():
    factors, grid = make_factors(6), make_grid(6, sizes=[150, 150, 40, 10, 5])
    modes = model.Modes.default()
    scores = model.score(factors, grid, np.ones(N_FACTORS), modes)
    per_month = model.pert_mean(modes.cost) - modes.reimbursement
    np.testing.assert_allclose(scores.net_cost_usd, grid.size * 12 * per_month[grid.mode_idx])
    np.testing.assert_allclose(scores.exposure[:, COST], scores.net_cost_usd / factors.span[COST])
    individual = grid.mode_idx == model.MODES.index("individual")
    np.testing.assert_allclose(scores.net_cost_usd[individual], 10 * 12 * model.pert_mean(modes.cost)[3])


def test_the_deterministic_net_is_the_simulations_mean():
    factors, grid, weights = make_factors(7), make_grid(7), np.full(N_FACTORS, 0.8)
    scores = model.score(factors, grid, weights)
    mc, _, _ = uncertainty.monte_carlo(factors, grid, weights, draws=40_000, seed=3)
    spread = np.maximum(mc.p90 - mc.p10, 1e-6)
    assert (np.abs(mc.mean - scores.net) <= 0.05 * spread + 1e-4).all()


@settings(max_examples=30, deadline=None)
@given(seeds, weight_vectors, st.permutations(list(range(N_FACTORS))))
def test_the_scores_do_not_depend_on_the_order_of_factors(seed, weights, order):
    factors, grid = make_factors(seed), make_grid(seed)
    order = np.array(order)
    net = model.score(factors, grid, weights).net
    permuted = model.score(factors.reordered(order), grid, weights[order]).net
    np.testing.assert_allclose(permuted, net, atol=1e-9)
    summary, _, _ = uncertainty.monte_carlo(factors, grid, weights, draws=100, seed=seed)
    again, _, _ = uncertainty.monte_carlo(factors.reordered(order), grid, weights[order], draws=100, seed=seed)
    np.testing.assert_allclose(again.p50, summary.p50, atol=1e-4)


def test_an_options_scores_do_not_depend_on_the_other_options_in_the_grid():
    factors, grid, weights = make_factors(6), make_grid(6, missions=6), np.full(N_FACTORS, 0.8)
    some = np.arange(0, len(grid), 5)
    np.testing.assert_allclose(model.score(factors, grid.take(some), weights).net,
                               model.score(factors, grid, weights).net[some])
    whole, _, _ = uncertainty.monte_carlo(factors, grid, weights, draws=200, seed=4)
    part, _, _ = uncertainty.monte_carlo(factors, grid.take(some), weights, draws=200, seed=4)
    np.testing.assert_allclose(part.p90, whole.p90[some], atol=1e-5)


def test_the_grid_holds_every_mission_mode_and_non_empty_function_subset_at_the_default_sizes():
    grid = model.build_grid(["A", "B"], [[0, 1, 2], [3]], ["a", "b", "c", "d"], np.zeros((2, 5)))
    assert len(grid) == (7 + 1) * len(model.MODES)
    labels = grid.labels()
    assert set(labels.loc[labels["mission"] == "A", "functions"]) == {"a", "b", "c", "a+b", "a+c", "b+c", "a+b+c"}
    assert (labels.groupby(["mission", "functions"], observed=True).size() == len(model.MODES)).all()
    assert dict(zip(labels["mode"], labels["size"], strict=True)) == dict(
        zip(model.MODES, model.DEFAULT_SIZES, strict=True))


def test_a_mission_counts_at_most_eight_functions_so_255_sets():
    grid = model.build_grid(["A"], [list(range(10))], list(model.FUNCTIONS), np.zeros((1, 5)), modes=[3])
    assert len(grid) == len(set(grid.function_mask)) == 255
    assert (grid.function_mask < 1 << 8).all()


def test_a_mode_effect_of_zero_switches_a_judgement_factor_off_for_that_mode():
    base = make_factors(1)
    effects = np.ones_like(base.mode_effect)
    effects[0] = [0, 1, 0, 0.5, 0.25]
    factors = model.Factors(base.codes, base.sign, base.category, base.likelihood, base.impact, effects,
                            base.function_effect, base.feature_effect, base.quantity, base.size_scaled)
    grid = make_grid(1)
    modifier = model.modifiers(factors, grid)
    assert (modifier[np.isin(grid.mode_idx, [0, 2]), 0] == 0).all()
    np.testing.assert_allclose(modifier[grid.mode_idx == 3, 0], modifier[grid.mode_idx == 1, 0] * 0.5, rtol=1e-6)


@settings(max_examples=30, deadline=None)
@given(seeds)
def test_adding_a_function_never_lowers_an_exposure(seed):
    rng = np.random.default_rng(seed)
    own = [sorted(rng.choice(N_FUNCTIONS, size=rng.integers(2, N_FUNCTIONS + 1), replace=False)) for _ in range(3)]
    factors = make_factors(seed)
    grid = model.build_grid(["A", "B", "C"], own, [f"g{i}" for i in range(N_FUNCTIONS)], rng.random((3, 5)))
    exposure = model.score(factors, grid, np.ones(N_FACTORS)).exposure
    key = grid.mission_idx.astype(np.int64) * 8 + grid.mode_idx
    masks = grid.function_mask
    subset = (key[:, None] == key[None, :]) & ((masks[:, None] & masks[None, :]) == masks[:, None])
    smaller, larger = np.nonzero(subset)
    assert len(smaller) > len(grid)
    mask = np.arange(N_FACTORS) != COST  # the cost does not depend on the functions
    assert (exposure[larger][:, mask] >= exposure[smaller][:, mask] - 1e-12).all()


def test_malformed_inputs_are_refused():
    factors, grid = make_factors(1), make_grid(1)
    with pytest.raises(ValueError, match="finite and non-negative"):
        model.score(factors, grid, np.full(N_FACTORS, -0.1))
    with pytest.raises(ValueError, match="weights has shape"):
        model.score(factors, grid, np.ones(3))
    with pytest.raises(ValueError, match="features must lie in"):
        model.build_grid(["A"], [[0]], ["g0"], np.full((1, 5), 1.2))
    with pytest.raises(ValueError, match="size and months must be positive"):
        model.build_grid(["A"], [[0]], ["g0"], np.zeros((1, 5)), sizes=[0, 1, 1, 1, 1])
    fields = {"codes": ("x", "y", "z"), "sign": np.array([1, -1, -1]), "category": np.array(["c"] * 3),
              "likelihood": np.full((3, 3), 0.2), "impact": np.full((3, 3), 0.2), "mode_effect": np.ones((3, 5)),
              "function_effect": np.ones((3, 1)), "feature_effect": np.ones((3, 5))}
    bad_correlation = np.array([[1, 0.9, -0.9], [0.9, 1, 0.9], [-0.9, 0.9, 1]])
    with pytest.raises(ValueError, match="positive semi-definite"):
        model.Factors(**fields, correlation=bad_correlation)
    with pytest.raises(ValueError, match="at most one factor may measure fatalities"):
        model.Factors(**fields, quantity=np.array(["judgement", "fatalities", "fatalities"]))
    with pytest.raises(ValueError, match="low <= most likely <= high"):
        model.Factors(**{**fields, "likelihood": np.array([[0.5, 0.4, 0.6]] * 3)})


def test_hazard_posteriors_pull_small_missions_towards_the_system_rate():
    shape, rate = hazard.posterior(np.array([0, 0, 150]), np.array([0.2, 50.0, 120.0]), system_rate=0.8)
    mean = shape / rate
    assert mean[0] == pytest.approx(0.8 * 2 / 2.2)    # 200 person-years, no deaths: not 'safe'
    assert mean[1] < 0.05                              # 50,000 person-years, no deaths: safe
    assert mean[2] == pytest.approx(151.6 / 122)
    low, high = hazard.interval(shape, rate, 0.9)
    assert (low < mean).all() and (mean < high).all()
    assert (high - low)[0] > (high - low)[1]
    assert hazard.hostility(hazard.R_HALF) == pytest.approx(0.5)
