"""The pure scoring engine: bounds, monotonicity, order invariance, reproducibility, oracles.

No database and no Django: these tests also run with `-p no:django`.
"""

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from risks import scoring

N_FACTORS = 8        # even indices are risks, odd ones opportunities
N_FUNCTIONS = 5
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def fresh_cache():
    """The suite-wide fixture clears Django's cache; the engine has none, and these tests must
    run without Django settings too."""
    yield


def make_factors(seed: int, n: int = N_FACTORS) -> scoring.Factors:
    rng = np.random.default_rng(seed)
    off = rng.random((n, 1)) < 0.15  # some effects switched off entirely
    return scoring.Factors(
        codes=tuple(f"factor_{i}" for i in range(n)), sign=np.where(np.arange(n) % 2 == 0, -1, 1),
        category=np.array(["conduct", "reputation"] * (n // 2)),
        likelihood=np.sort(rng.random((n, 3)), axis=1), impact=np.sort(rng.random((n, 3)), axis=1),
        mode_effect=np.where(off & (rng.random((n, len(scoring.MODES))) < 0.5), 0,
                             rng.uniform(0, 2, (n, len(scoring.MODES)))),
        function_effect=np.where(rng.random((n, N_FUNCTIONS)) < 0.1, 0, rng.uniform(0.2, 2, (n, N_FUNCTIONS))),
        feature_effect=np.where(rng.random((n, len(scoring.FEATURES))) < 0.1, 0,
                                rng.uniform(0.3, 3, (n, len(scoring.FEATURES)))),
    )


def make_grid(seed: int, missions: int = 4) -> scoring.Grid:
    rng = np.random.default_rng(seed + 100)
    own = [sorted(rng.choice(N_FUNCTIONS, size=rng.integers(1, 5), replace=False).tolist()) for _ in range(missions)]
    features = rng.random((missions, len(scoring.FEATURES)))
    features[:, 1:4] = features[:, 1:4] > 0.5  # Chapter VII, Spanish-speaking host, Latin American presence: 0/1
    return scoring.build_grid([f"M{i}" for i in range(missions)], own, [f"g{i}" for i in range(N_FUNCTIONS)], features)


seeds = st.integers(0, 2**32 - 1)
weight_vectors = st.lists(st.floats(0, 1), min_size=N_FACTORS, max_size=N_FACTORS).map(np.array)


def test_the_engine_imports_without_django():
    code = ("import json, sys; import risks.scoring; "
            "print(json.dumps([sorted(m for m in sys.modules if m.startswith('django')), 'risks.scoring' in sys.modules]))")
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True)
    django_modules, loaded = json.loads(out.stdout)
    assert loaded
    assert django_modules == []


# --- monotonicity and bounds -------------------------------------------------------------------

@settings(max_examples=60, deadline=None)
@given(seeds, weight_vectors, st.integers(0, N_FACTORS // 2 - 1), st.floats(0, 1))
def test_raising_a_risk_weight_never_raises_net(seed, weights, which, extra):
    factors, grid = make_factors(seed), make_grid(seed)
    raised = weights.copy()
    raised[2 * which] = min(1.0, raised[2 * which] + extra)
    assert (scoring.score(factors, grid, raised).net <= scoring.score(factors, grid, weights).net + 1e-12).all()
    before, _ = scoring.monte_carlo(factors, grid, weights, draws=64, seed=seed)
    after, _ = scoring.monte_carlo(factors, grid, raised, draws=64, seed=seed)
    for name in ("p10", "p50", "p90", "p_positive"):
        assert (getattr(after, name) <= getattr(before, name) + 1e-6).all()


@settings(max_examples=60, deadline=None)
@given(seeds, weight_vectors, st.integers(0, N_FACTORS // 2 - 1), st.floats(0, 1))
def test_raising_an_opportunity_weight_never_lowers_net(seed, weights, which, extra):
    factors, grid = make_factors(seed), make_grid(seed)
    raised = weights.copy()
    raised[2 * which + 1] = min(1.0, raised[2 * which + 1] + extra)
    assert (scoring.score(factors, grid, raised).net >= scoring.score(factors, grid, weights).net - 1e-12).all()
    before, _ = scoring.monte_carlo(factors, grid, weights, draws=64, seed=seed)
    after, _ = scoring.monte_carlo(factors, grid, raised, draws=64, seed=seed)
    for name in ("p10", "p50", "p90", "p_positive"):
        assert (getattr(after, name) >= getattr(before, name) - 1e-6).all()


@settings(max_examples=60, deadline=None)
@given(seeds, st.floats(0.1, 10), st.lists(st.floats(0, 1), min_size=N_FACTORS, max_size=N_FACTORS))
def test_scores_stay_in_their_stated_bounds(seed, w_max, shares):
    factors, grid = make_factors(seed), make_grid(seed)
    weights = np.array(shares) * w_max
    modifier = scoring.modifiers(factors, grid)
    scores = scoring.score(factors, grid, weights, w_max=w_max)
    assert ((modifier >= 0) & (modifier <= 1)).all()
    assert ((scores.exposure >= 0) & (scores.exposure <= 1)).all()
    assert ((scores.risk >= 0) & (scores.risk <= 1 + 1e-12)).all()
    assert ((scores.opportunity >= 0) & (scores.opportunity <= 1 + 1e-12)).all()
    assert ((scores.net >= -1 - 1e-12) & (scores.net <= 1 + 1e-12)).all()
    np.testing.assert_allclose(scores.contributions.sum(axis=1), scores.net, atol=1e-12)
    summary, _ = scoring.monte_carlo(factors, grid, weights, draws=100, seed=seed, w_max=w_max)
    assert ((summary.p10 >= -1 - 1e-6) & (summary.p90 <= 1 + 1e-6)).all()


def test_a_worst_case_option_reaches_the_bounds_exactly():
    # Certain, maximal factors at full weight: the constants, not the weights' sum, normalise.
    n = 4
    factors = scoring.Factors(
        codes=("r1", "r2", "o1", "o2"), sign=np.array([-1, -1, 1, 1]), category=np.array(["c"] * n),
        likelihood=np.ones((n, 3)), impact=np.ones((n, 3)), mode_effect=np.ones((n, 4)),
        function_effect=np.ones((n, 2)), feature_effect=np.ones((n, 5)))
    grid = scoring.build_grid(["A"], [[0, 1]], ["g0", "g1"], np.zeros((1, 5)))
    scores = scoring.score(factors, grid, np.array([2.0, 2.0, 0.0, 0.0]), w_max=2.0)
    np.testing.assert_allclose(scores.risk, 1.0)
    np.testing.assert_allclose(scores.opportunity, 0.0)
    np.testing.assert_allclose(scores.net, -1.0)
    halved = scoring.score(factors, grid, np.array([2.0, 0.0, 0.0, 0.0]), w_max=2.0)
    np.testing.assert_allclose(halved.risk, 0.5)  # renormalising by the weights' sum would say 1.0


@settings(max_examples=40, deadline=None)
@given(seeds, weight_vectors, st.sampled_from(["pert", "triangular"]))
def test_p10_p50_p90_are_ordered_and_p_positive_is_a_share(seed, weights, distribution):
    factors, grid = make_factors(seed), make_grid(seed)
    summary, _ = scoring.monte_carlo(factors, grid, weights, draws=150, seed=seed, distribution=distribution)
    assert (summary.p10 <= summary.p50).all()
    assert (summary.p50 <= summary.p90).all()
    assert ((summary.p_positive >= 0) & (summary.p_positive <= 1)).all()


# --- invariances and reproducibility -----------------------------------------------------------

@settings(max_examples=40, deadline=None)
@given(seeds, weight_vectors, st.permutations(list(range(N_FACTORS))))
def test_the_ranking_does_not_depend_on_the_order_of_factors(seed, weights, order):
    factors, grid = make_factors(seed), make_grid(seed)
    order = np.array(order)
    net = scoring.score(factors, grid, weights).net
    permuted = scoring.score(factors.reordered(order), grid, weights[order]).net
    np.testing.assert_allclose(permuted, net, atol=1e-12)
    ranks, permuted_ranks = scoring.rank(net), scoring.rank(permuted)
    clearly_better = net[:, None] > net[None, :] + 1e-9
    assert (permuted_ranks[:, None] < permuted_ranks[None, :])[clearly_better].all()
    assert np.array_equal(ranks[net == net.max()], permuted_ranks[net == net.max()])
    summary, _ = scoring.monte_carlo(factors, grid, weights, draws=100, seed=seed)
    permuted_summary, _ = scoring.monte_carlo(factors.reordered(order), grid, weights[order], draws=100, seed=seed)
    np.testing.assert_allclose(permuted_summary.p50, summary.p50, atol=1e-6)


def test_the_same_seed_gives_identical_numbers_and_another_seed_other_draws():
    factors, grid, weights = make_factors(3), make_grid(3), np.full(N_FACTORS, 0.7)
    first, draws1 = scoring.monte_carlo(factors, grid, weights, draws=300, seed=11, keep=[0, 1])
    second, draws2 = scoring.monte_carlo(factors, grid, weights, draws=300, seed=11, keep=[0, 1])
    third, draws3 = scoring.monte_carlo(factors, grid, weights, draws=300, seed=12, keep=[0, 1])
    for name in ("p10", "p50", "p90", "p_positive"):
        assert np.array_equal(getattr(first, name), getattr(second, name))
    assert np.array_equal(draws1, draws2)
    assert not np.array_equal(draws1, draws3)
    assert not np.array_equal(first.p50, third.p50)
    assert np.array_equal(scoring.factor_draws(factors, 50, seed=5), scoring.factor_draws(factors, 50, seed=5))
    assert not np.array_equal(scoring.factor_draws(factors, 50, seed=5), scoring.factor_draws(factors, 50, seed=6))


def test_chunk_size_and_threads_do_not_change_the_numbers():
    factors, grid, weights = make_factors(8), make_grid(8, missions=12), np.full(N_FACTORS, 0.6)
    one, _ = scoring.monte_carlo(factors, grid, weights, draws=257, seed=2, chunk=len(grid), threads=1)
    many, _ = scoring.monte_carlo(factors, grid, weights, draws=257, seed=2, chunk=7, threads=3)
    for name in ("p10", "p50", "p90", "p_positive"):
        np.testing.assert_allclose(getattr(many, name), getattr(one, name), rtol=0, atol=1e-7)


def test_evaluate_gives_the_numbers_of_the_stages_run_one_after_another():
    factors, grid, weights = make_factors(12), make_grid(12, missions=6), np.full(N_FACTORS, 0.4)
    feasible = grid.mode_idx != 1
    frame = scoring.evaluate(factors, grid, weights, feasible=feasible, draws=300, seed=3)
    scores = scoring.score(factors, grid, weights)
    uncertainty, _ = scoring.monte_carlo(factors, grid, weights, draws=300, seed=3)
    expected = scoring.results_frame(grid, scores, uncertainty, scoring.rank(scores.net, feasible))
    pd.testing.assert_frame_equal(frame, expected)


def test_concurrent_callers_get_the_same_numbers_and_blas_threads_are_restored():
    from concurrent.futures import ThreadPoolExecutor

    blas = scoring._openblas()  # numpy's bundled OpenBLAS, whose thread count the engine lowers meanwhile
    original = blas[0]() if blas else None
    if blas:
        blas[1](2)
    try:
        factors, grid, weights = make_factors(13), make_grid(13, missions=8), np.full(N_FACTORS, 0.9)
        alone, _ = scoring.monte_carlo(factors, grid, weights, draws=500, seed=8, chunk=16)
        with ThreadPoolExecutor(4) as pool:
            together = list(pool.map(lambda _: scoring.monte_carlo(factors, grid, weights, draws=500, seed=8,
                                                                   chunk=16)[0], range(4)))
        for result in together:
            np.testing.assert_array_equal(result.p50, alone.p50)
            np.testing.assert_array_equal(result.p_positive, alone.p_positive)
        if blas:
            assert blas[0]() == 2
    finally:
        if blas:
            blas[1](original)


def test_monte_carlo_percentiles_match_numpy_on_the_same_draws():
    factors, grid, weights = make_factors(5), make_grid(5), np.full(N_FACTORS, 0.5)
    # 1,000 draws put P10, P50 and P90 between order statistics (99.9, 499.5, 899.1): interpolated
    summary, draws = scoring.monte_carlo(factors, grid, weights, draws=1000, seed=1, keep=np.arange(len(grid)))
    assert draws.shape == (len(grid), 1000)
    for name, q in zip(("p10", "p50", "p90"), scoring.QUANTILES, strict=True):
        np.testing.assert_allclose(getattr(summary, name), np.quantile(draws, q, axis=1), atol=1e-6)
    np.testing.assert_allclose(summary.p_positive, (draws > 0).mean(axis=1))
    assert 0 < summary.p_positive.mean() < 1  # the fixture has options on both sides of zero


def test_an_options_scores_do_not_depend_on_the_other_options_in_the_grid():
    factors, grid, weights = make_factors(6), make_grid(6, missions=6), np.full(N_FACTORS, 0.8)
    some = np.arange(0, len(grid), 5)
    np.testing.assert_allclose(scoring.score(factors, grid.take(some), weights).net,
                               scoring.score(factors, grid, weights).net[some])
    whole, _ = scoring.monte_carlo(factors, grid, weights, draws=200, seed=4)
    part, _ = scoring.monte_carlo(factors, grid.take(some), weights, draws=200, seed=4)
    np.testing.assert_allclose(part.p90, whole.p90[some], atol=1e-7)


def test_pert_and_triangular_draws_stay_in_their_triples_with_the_textbook_means():
    rng = np.random.default_rng(0)
    triples = np.array([[0.1, 0.2, 0.6], [0.0, 0.9, 1.0], [0.3, 0.3, 0.3]])
    pert = scoring.draw_triples(rng, triples, 200_000, "pert")
    triangular = scoring.draw_triples(rng, triples, 200_000, "triangular")
    for sample in (pert, triangular):
        assert (sample >= triples[:, :1]).all() and (sample <= triples[:, 2:]).all()
    np.testing.assert_allclose(pert.mean(axis=1), (triples[:, 0] + 4 * triples[:, 1] + triples[:, 2]) / 6, atol=2e-3)
    np.testing.assert_allclose(triangular.mean(axis=1), triples.mean(axis=1), atol=2e-3)
    assert (pert[2] == 0.3).all()
    with pytest.raises(ValueError, match="unknown distribution"):
        scoring.draw_triples(rng, triples, 10, "uniform")


# --- the model's structure ---------------------------------------------------------------------

def test_the_grid_holds_every_mission_mode_and_non_empty_function_subset():
    grid = scoring.build_grid(["A", "B"], [[0, 1, 2], [3]], ["a", "b", "c", "d"], np.zeros((2, 5)))
    assert len(grid) == (7 + 1) * len(scoring.MODES)
    labels = grid.labels()
    a_sets = set(labels.loc[labels["mission"] == "A", "functions"])
    assert a_sets == {"a", "b", "c", "a+b", "a+c", "b+c", "a+b+c"}
    assert set(labels.loc[labels["mission"] == "B", "functions"]) == {"d"}
    assert (labels.groupby(["mission", "functions"], observed=True).size() == len(scoring.MODES)).all()
    assert set(grid.function_mask[grid.mission_idx == 1]) == {0b1000}


def test_a_mission_counts_at_most_eight_functions_so_255_sets():
    grid = scoring.build_grid(["A"], [list(range(10))], list(scoring.FUNCTIONS), np.zeros((1, 5)), modes=[3])
    assert len(grid) == 255
    assert len(set(grid.function_mask)) == 255
    assert (grid.function_mask < 1 << 8).all()  # the ninth and tenth functions are left out


def test_a_mode_effect_of_zero_switches_a_factor_off_for_that_mode():
    factors = make_factors(1)
    effects = np.ones_like(factors.mode_effect)
    effects[0] = [0, 1, 0, 0.5]
    factors = scoring.Factors(factors.codes, factors.sign, factors.category, factors.likelihood, factors.impact,
                              effects, factors.function_effect, factors.feature_effect)
    grid = make_grid(1)
    modifier = scoring.modifiers(factors, grid)
    assert (modifier[np.isin(grid.mode_idx, [0, 2]), 0] == 0).all()
    on = modifier[grid.mode_idx == 1, 0]
    half = modifier[grid.mode_idx == 3, 0]
    assert (on > 0).any()
    np.testing.assert_allclose(half, on * 0.5, rtol=1e-6)


@settings(max_examples=40, deadline=None)
@given(seeds)
def test_adding_a_function_never_lowers_an_exposure(seed):
    rng = np.random.default_rng(seed)
    own = [sorted(rng.choice(N_FUNCTIONS, size=rng.integers(2, N_FUNCTIONS + 1), replace=False)) for _ in range(3)]
    factors = make_factors(seed)
    grid = scoring.build_grid(["A", "B", "C"], own, [f"g{i}" for i in range(N_FUNCTIONS)], rng.random((3, 5)))
    modifier = scoring.modifiers(factors, grid)
    key = grid.mission_idx.astype(np.int64) * 8 + grid.mode_idx
    masks = grid.function_mask
    subset = (key[:, None] == key[None, :]) & ((masks[:, None] & masks[None, :]) == masks[:, None])
    smaller, larger = np.nonzero(subset)
    assert len(smaller) > len(grid)  # some strict subsets exist
    assert (modifier[larger] >= modifier[smaller]).all()


def test_an_option_with_no_functions_has_no_exposure_and_is_never_positive():
    factors, grid = make_factors(2), make_grid(2)
    empty = scoring.Grid(grid.missions, grid.functions, grid.features, np.array([0]), np.array([3]), np.array([0]))
    assert (scoring.modifiers(factors, empty) == 0).all()
    assert scoring.score(factors, empty, np.ones(N_FACTORS)).net[0] == 0
    summary, _ = scoring.monte_carlo(factors, empty, np.ones(N_FACTORS), draws=1000, seed=1)
    assert summary.p10[0] == summary.p90[0] == 0
    assert summary.p_positive[0] == 0  # a net of exactly zero is not a positive one


def test_mission_features_scale_a_factor_by_its_multiplier():
    factors = make_factors(9)
    features = np.zeros((2, 5))
    features[1, 1] = 1.0  # Chapter VII
    grid = scoring.build_grid(["plain", "chapter_vii"], [[0], [0]], [f"g{i}" for i in range(N_FUNCTIONS)], features)
    modifier = scoring.modifiers(factors, grid).reshape(2, len(scoring.MODES), N_FACTORS)
    np.testing.assert_allclose(modifier[1], modifier[0] * factors.feature_effect[:, 1], rtol=1e-6)


# --- aggregation: weighted sum and TOPSIS against pymcdm ----------------------------------------

def test_topsis_reproduces_a_published_worked_example_and_pymcdm():
    """The example of F. Faez, "TOPSIS Method in MADM" (course notes, faez.ir/CourseFile/TOPSIS.pdf),
    as published in the README of the topsis-jamesfallon package (PyPI; gitlab.com/jamesfallon/
    topsis-python): four alternatives, four criteria, weights 0.1 / 0.4 / 0.3 / 0.2, the last
    criterion a cost. Published closeness: 0.74269409, 0.40359933, 0.17586999, 0.44142927."""
    from pymcdm.methods import TOPSIS
    from pymcdm.normalizations import vector_normalization

    matrix = np.array([[7, 9, 9, 8], [8, 7, 8, 7], [9, 6, 8, 9], [6, 7, 8, 6]], dtype=float)
    weights = np.array([0.1, 0.4, 0.3, 0.2])
    benefit = np.array([True, True, True, False])
    ours = scoring.topsis(matrix, weights, benefit)
    np.testing.assert_allclose(ours, [0.74269409, 0.40359933, 0.17586999, 0.44142927], atol=5e-9)
    oracle = TOPSIS(normalization_function=vector_normalization)(matrix, weights, np.where(benefit, 1, -1))
    np.testing.assert_allclose(ours, oracle, atol=1e-12)
    assert list(scoring.rank(ours)) == [1, 3, 4, 2]
    np.testing.assert_allclose(scoring.topsis(matrix, weights * 7, benefit), ours)  # scale-free


@settings(max_examples=60, deadline=None)
@given(seeds, st.integers(2, 15), st.integers(1, 7))
def test_topsis_and_weighted_sum_match_pymcdm_on_random_matrices(seed, n, c):
    from pymcdm.methods import TOPSIS, WSM
    from pymcdm.normalizations import max_normalization, sum_normalization, vector_normalization

    rng = np.random.default_rng(seed)
    matrix = rng.uniform(0.05, 1.0, (n, c))
    weights = rng.dirichlet(np.ones(c))
    types = np.where(rng.random(c) < 0.5, 1, -1)
    benefit = types > 0
    np.testing.assert_allclose(scoring.topsis(matrix, weights, benefit),
                               TOPSIS(normalization_function=vector_normalization)(matrix, weights, types), atol=1e-9)
    # pymcdm's WSM turns a cost criterion into 1 - x / max(x): the same scores as ours on
    # x / max(x), shifted by the constant sum of the cost weights.
    scaled = matrix / matrix.max(axis=0)
    np.testing.assert_allclose(scoring.weighted_sum(scaled, weights, benefit) + weights[~benefit].sum(),
                               WSM(normalization_function=max_normalization)(matrix, weights, types), atol=1e-12)
    everything_a_benefit = np.ones(c, dtype=int)
    np.testing.assert_allclose(scoring.weighted_sum(matrix / matrix.sum(axis=0), weights, everything_a_benefit > 0),
                               WSM(normalization_function=sum_normalization)(matrix, weights, everything_a_benefit),
                               atol=1e-12)


def test_the_net_score_is_the_weighted_sum_model_of_the_exposures():
    factors, grid = make_factors(4), make_grid(4)
    weights = np.linspace(0.1, 1, N_FACTORS)
    scores = scoring.score(factors, grid, weights)
    scale = scoring.signed_scale(factors, weights)
    np.testing.assert_allclose(scoring.weighted_sum(scores.exposure, np.abs(scale), ~factors.is_risk), scores.net)


def test_evaluate_ranks_by_topsis_when_asked():
    factors, grid = make_factors(7), make_grid(7)
    frame = scoring.evaluate(factors, grid, np.full(N_FACTORS, 0.5), method="topsis", draws=50)
    best = frame.loc[frame["rank"] == 1, "topsis"]
    assert (best == frame["topsis"].max()).all()
    assert (frame.sort_values("topsis", ascending=False)["rank"].diff().dropna() >= 0).all()


# --- ranks and feasibility ---------------------------------------------------------------------

def test_infeasible_options_get_no_rank_and_push_nobody_down():
    ranks = scoring.rank(np.array([0.3, 0.9, 0.5, -0.2]), feasible=np.array([True, False, True, True]))
    assert np.isnan(ranks[1])
    assert list(ranks[[0, 2, 3]]) == [2, 1, 3]


def test_tied_options_share_the_best_of_their_ranks():
    assert list(scoring.rank(np.array([0.2, 0.5, 0.5, 0.1]))) == [3, 1, 1, 4]


# --- weight uncertainty (SMAA) -----------------------------------------------------------------

def dominance_case() -> tuple[scoring.Factors, scoring.Grid]:
    """One risk and one opportunity: individual deployments carry a tenth of the risk and all
    of the opportunity; the other modes the reverse."""
    factors = scoring.Factors(
        codes=("risk", "opportunity"), sign=np.array([-1, 1]), category=np.array(["c", "c"]),
        likelihood=np.full((2, 3), 0.5), impact=np.full((2, 3), 0.5),
        mode_effect=np.array([[1, 1, 1, 0.1], [0.1, 0.1, 0.1, 1]]),
        function_effect=np.ones((2, 1)), feature_effect=np.ones((2, 5)))
    grid = scoring.build_grid(["A", "B"], [[0], [0]], ["g0"], np.array([[0, 0, 0, 0, 0], [0.5] * 5]))
    return factors, grid


def test_an_option_that_dominates_every_other_always_ranks_first():
    factors, grid = dominance_case()
    share = scoring.rank_acceptability(factors, grid, np.ones(2), samples=300, seed=1)
    assert share.sum() == pytest.approx(1.0)
    assert share[grid.mode_idx == 3].sum() == pytest.approx(1.0)  # two tied individual options share it
    np.testing.assert_allclose(share[grid.mode_idx == 3], 0.5)


@settings(max_examples=30, deadline=None)
@given(seeds, st.one_of(st.none(), st.floats(0.05, 1.0)))
def test_first_rank_acceptability_sums_to_one_over_feasible_options(seed, spread):
    factors, grid = make_factors(seed), make_grid(seed)
    feasible = np.random.default_rng(seed).random(len(grid)) < 0.6
    feasible[0] = True
    share = scoring.rank_acceptability(factors, grid, np.full(N_FACTORS, 0.5), samples=120, seed=seed,
                                       spread=spread, feasible=feasible)
    assert share.sum() == pytest.approx(1.0)
    assert (share[~feasible] == 0).all()
    assert (share >= 0).all()


def test_sampled_weights_stay_in_bounds_and_perturbations_centre_on_the_given_weights():
    weights = np.array([0.2, 0.5, 0.9])
    uniform = scoring.sample_weights(weights, samples=2000, seed=1, w_max=2.0)
    assert uniform.shape == (3, 2000) and (uniform >= 0).all() and (uniform <= 2.0).all()
    around = scoring.sample_weights(weights, samples=20_000, seed=1, spread=0.1)
    assert (around <= 1.0).all()
    np.testing.assert_allclose(np.median(around, axis=1), weights, rtol=0.03)


def test_the_rank_acceptability_matrix_puts_the_dominant_option_first():
    factors, grid = dominance_case()
    options = [0, 3, 7]  # A national contingent, A individual, B individual
    matrix = scoring.rank_acceptability_matrix(factors, grid, np.ones(2), options, samples=200, seed=2)
    assert list(matrix.index) == options and list(matrix.columns) == [1, 2, 3]
    np.testing.assert_allclose(matrix.sum(axis=1), 1.0)
    assert matrix.loc[3, 1] == 1.0 and matrix.loc[7, 1] == 1.0  # tied: both first
    assert matrix.loc[0, 3] == 1.0


# --- sensitivity and export --------------------------------------------------------------------

def test_sensitivity_matches_rescoring_at_each_end_and_is_sorted_by_swing():
    factors, grid = make_factors(4), make_grid(4)
    weights, option = np.full(N_FACTORS, 0.5), 5
    tornado = scoring.sensitivity(factors, grid, weights, option, parameters=("weight", "likelihood x impact",
                                                                              "likelihood", "impact"))
    assert len(tornado) == 4 * N_FACTORS
    assert list(tornado["swing"]) == sorted(tornado["swing"], reverse=True)
    assert tornado.attrs["base"] == pytest.approx(scoring.score(factors, grid, weights).net[option])
    for f in (0, 1):  # a risk and an opportunity
        row = tornado[(tornado["factor"] == f"factor_{f}") & (tornado["parameter"] == "weight")].iloc[0]
        for end, value in (("low", 0.0), ("high", 1.0)):
            moved = weights.copy()
            moved[f] = value
            assert row[end] == pytest.approx(scoring.score(factors, grid, moved).net[option])
        row = tornado[(tornado["factor"] == f"factor_{f}") & (tornado["parameter"] == "likelihood")].iloc[0]
        likelihood = factors.likelihood.copy()
        likelihood[f, 1] = likelihood[f, 2]
        moved = scoring.Factors(factors.codes, factors.sign, factors.category, likelihood, factors.impact,
                                factors.mode_effect, factors.function_effect, factors.feature_effect)
        assert row["high"] == pytest.approx(scoring.score(moved, grid, weights).net[option])


def test_the_results_frame_has_the_export_columns_and_unranked_options_show_na():
    factors, grid = make_factors(3), make_grid(3)
    feasible = grid.mode_idx != 1
    frame = scoring.evaluate(factors, grid, np.full(N_FACTORS, 0.5), feasible=feasible, draws=100, seed=9)
    assert list(frame.columns) == ["mission", "mode", "functions", "risk", "opportunity", "net",
                                   "p10", "p50", "p90", "p_positive", "rank"]
    assert len(frame) == len(grid)
    assert frame["rank"].dtype == "Int64"
    assert frame.loc[~feasible, "rank"].isna().all() and frame.loc[feasible, "rank"].notna().all()
    assert frame.loc[feasible, "rank"].min() == 1
    assert set(frame["mode"]) == set(scoring.MODES)
    for row in frame.head(20).itertuples():
        mask = grid.function_mask[row.Index]
        assert row.functions == "+".join(f"g{g}" for g in range(N_FUNCTIONS) if mask >> g & 1)
    csv = frame.to_csv(index=False)
    assert pd.read_csv(pd.io.common.StringIO(csv)).shape == frame.shape


@pytest.mark.parametrize(("change", "message"), [
    ({"likelihood": np.array([[0.5, 0.4, 0.6]])}, "low <= most likely <= high"),
    ({"impact": np.array([[0.1, 0.2, 1.5]])}, "low <= most likely <= high"),
    ({"sign": np.array([0])}, "sign must be"),
    ({"function_effect": np.array([[-1.0]])}, "non-negative"),
    ({"mode_effect": np.ones((1, 3))}, "mode_effect must be"),
])
def test_malformed_factor_tables_are_refused(change, message):
    fields = {"codes": ("x",), "sign": np.array([1]), "category": np.array(["c"]),
              "likelihood": np.array([[0.1, 0.2, 0.3]]), "impact": np.array([[0.1, 0.2, 0.3]]),
              "mode_effect": np.ones((1, 4)), "function_effect": np.ones((1, 1)), "feature_effect": np.ones((1, 5))}
    with pytest.raises(ValueError, match=message):
        scoring.Factors(**{**fields, **change})


def test_weights_outside_their_range_and_features_outside_zero_one_are_refused():
    factors, grid = make_factors(1), make_grid(1)
    with pytest.raises(ValueError, match="weights must lie in"):
        scoring.score(factors, grid, np.full(N_FACTORS, 1.5))
    scoring.score(factors, grid, np.full(N_FACTORS, 1.5), w_max=2.0)
    with pytest.raises(ValueError, match="weights has shape"):
        scoring.score(factors, grid, np.ones(3))
    with pytest.raises(ValueError, match="features must lie in"):
        scoring.build_grid(["A"], [[0]], ["g0"], np.full((1, 5), 1.2))
