"""Monte Carlo: reproducibility, percentiles, copula, threads (risks.engine.uncertainty)."""

from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from risks.engine import model, uncertainty

from .conftest import N_FACTORS, make_factors, make_grid


def draws_of(factors, grid, weights, draws, seed):
    mc, inputs, design = uncertainty.monte_carlo(factors, grid, weights, draws=draws, seed=seed)
    return mc, uncertainty.net_draws(design, *uncertainty.signed_samples(factors, inputs, weights))


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 2**32 - 1), st.sampled_from(["pert", "triangular"]))
def test_p10_p50_p90_are_ordered_and_p_positive_is_a_share(seed, distribution):
    factors, grid = make_factors(seed), make_grid(seed)
    summary, _, _ = uncertainty.monte_carlo(factors, grid, np.full(N_FACTORS, 0.5), draws=150, seed=seed,
                                            distribution=distribution)
    assert (summary.p10 <= summary.p50).all() and (summary.p50 <= summary.p90).all()
    assert ((summary.p_positive >= 0) & (summary.p_positive <= 1)).all()


def test_percentiles_and_the_chance_of_a_positive_net_match_numpy_on_the_same_draws():
    factors, grid, weights = make_factors(5), make_grid(5), np.full(N_FACTORS, 0.5)
    summary, draws = draws_of(factors, grid, weights, 1000, 1)
    for name, q in zip(("p10", "p50", "p90"), uncertainty.QUANTILES, strict=True):
        np.testing.assert_allclose(getattr(summary, name), np.quantile(draws, q, axis=1), atol=1e-5)
    np.testing.assert_allclose(summary.p_positive, (draws > 0).mean(axis=1))
    np.testing.assert_allclose(summary.mean, draws.mean(axis=1), atol=1e-5)
    assert ((summary.p_positive > 0) & (summary.p_positive < 1)).any()  # it discriminates


def test_the_same_seed_gives_identical_numbers_and_another_seed_other_draws():
    factors, grid, weights = make_factors(3), make_grid(3), np.full(N_FACTORS, 0.7)
    first, a = draws_of(factors, grid, weights, 300, 11)
    second, b = draws_of(factors, grid, weights, 300, 11)
    _, c = draws_of(factors, grid, weights, 300, 12)
    assert np.array_equal(a, b) and not np.array_equal(a, c)
    assert np.array_equal(first.p50, second.p50)


def test_chunk_size_and_threads_do_not_change_the_numbers_beyond_float32_rounding():
    factors, grid, weights = make_factors(8), make_grid(8, missions=12), np.full(N_FACTORS, 0.6)
    one, _, _ = uncertainty.monte_carlo(factors, grid, weights, draws=257, seed=2, chunk=len(grid), threads=1)
    many, _, _ = uncertainty.monte_carlo(factors, grid, weights, draws=257, seed=2, chunk=7, threads=3)
    for name in ("p10", "p50", "p90", "p_positive", "mean"):
        np.testing.assert_allclose(getattr(many, name), getattr(one, name), rtol=1e-6, atol=1e-6)


def test_concurrent_callers_get_the_same_numbers_and_blas_threads_are_restored():
    blas = uncertainty._openblas()
    original = blas[0]() if blas else None
    if blas:
        blas[1](2)
    try:
        factors, grid, weights = make_factors(13), make_grid(13, missions=8), np.full(N_FACTORS, 0.9)
        alone, _, _ = uncertainty.monte_carlo(factors, grid, weights, draws=500, seed=8, chunk=16)
        with ThreadPoolExecutor(4) as pool:
            together = list(pool.map(lambda _: uncertainty.monte_carlo(factors, grid, weights, draws=500, seed=8,
                                                                       chunk=16)[0], range(4)))
        for result in together:
            np.testing.assert_array_equal(result.p50, alone.p50)
        if blas:
            assert blas[0]() == 2
    finally:
        if blas:
            blas[1](original)


def test_pert_and_triangular_draws_stay_in_their_triples_with_the_textbook_means():
    rng = np.random.default_rng(0)
    triples = np.array([[0.1, 0.2, 0.6], [0.0, 0.9, 1.0], [0.3, 0.3, 0.3]])
    pert = uncertainty.draw_triples(rng, triples, 200_000, "pert")
    triangular = uncertainty.draw_triples(rng, triples, 200_000, "triangular")
    for sample in (pert, triangular):
        assert (sample >= triples[:, :1]).all() and (sample <= triples[:, 2:]).all()
    np.testing.assert_allclose(pert.mean(axis=1), model.pert_mean(triples), atol=2e-3)
    np.testing.assert_allclose(triangular.mean(axis=1), triples.mean(axis=1), atol=2e-3)
    assert (pert[2] == 0.3).all()
    # the inverse CDF used for correlated draws is the same law
    u = rng.random((3, 200_000))
    np.testing.assert_allclose(uncertainty.inverse_cdf(triples, u).mean(axis=1), model.pert_mean(triples), atol=2e-3)
    with pytest.raises(ValueError, match="unknown distribution"):
        uncertainty.draw_triples(rng, triples, 10, "uniform")


def test_correlated_likelihoods_move_together_with_the_copulas_rank_correlation():
    factors = make_factors(2)                       # factors 0 and 2 correlated at 0.6
    likelihood = np.empty((len(factors.codes), 20_000))
    # L alone: impacts fixed at 1 for this check
    ones = np.ones_like(factors.impact)
    only_l = model.Factors(factors.codes, factors.sign, factors.category, factors.likelihood, ones,
                           factors.mode_effect, factors.function_effect, factors.feature_effect,
                           factors.quantity, factors.size_scaled, factors.correlation)
    likelihood = uncertainty.factor_draws(only_l, 20_000, seed=4)
    rho = stats.spearmanr(likelihood[0], likelihood[2]).statistic
    assert rho == pytest.approx(6 / np.pi * np.arcsin(0.6 / 2), abs=0.03)
    assert abs(stats.spearmanr(likelihood[0], likelihood[4]).statistic) < 0.03
    independent = model.Factors(*(getattr(only_l, name) for name in (
        "codes", "sign", "category", "likelihood", "impact", "mode_effect", "function_effect", "feature_effect",
        "quantity", "size_scaled")), correlation=np.eye(len(factors.codes)))
    plain = uncertainty.factor_draws(independent, 20_000, seed=4)
    np.testing.assert_array_equal(plain[4], likelihood[4])  # a factor outside the block keeps its draws
    np.testing.assert_allclose(likelihood[0].mean(), plain[0].mean(), atol=0.01)  # same marginal law


def test_hazard_draws_follow_each_missions_posterior_and_do_not_depend_on_the_others():
    grid = make_grid(9, missions=3)
    inputs = uncertainty.sample_inputs(make_factors(9), grid, model.Modes.default(), 50_000, seed=1)
    np.testing.assert_allclose(inputs.hazard.mean(axis=2), grid.hazard_shape / grid.hazard_rate, rtol=0.03)
    fewer = model.Grid(grid.missions[:2], grid.functions, grid.features[:2], grid.mission_idx[:1],
                       grid.mode_idx[:1], grid.function_mask[:1], grid.size[:1], grid.months[:1],
                       grid.hazard_shape[:2], grid.hazard_rate[:2])
    again = uncertainty.sample_inputs(make_factors(9), fewer, model.Modes.default(), 50_000, seed=1)
    np.testing.assert_array_equal(again.hazard, inputs.hazard[:2])
