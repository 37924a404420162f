"""SMAA-2: rank acceptability, central weights, confidence factors (risks.engine.smaa)."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from risks.engine import model, smaa, uncertainty

from .conftest import N_FACTORS, make_factors, make_grid


def dominance_case():
    """One risk and one opportunity (judgement only): individual deployments carry a tenth of
    the risk and all of the opportunity; the other modes the reverse."""
    factors = model.Factors(
        codes=("risk", "opportunity"), sign=np.array([-1, 1]), category=np.array(["c", "c"]),
        likelihood=np.full((2, 3), 0.5), impact=np.full((2, 3), 0.5),
        mode_effect=np.array([[1, 1, 1, 0.1, 1], [0.1, 0.1, 0.1, 1, 0.1]]),
        function_effect=np.ones((2, 1)), feature_effect=np.ones((2, 5)))
    grid = model.build_grid(["A", "B"], [[0], [0]], ["g0"], np.array([[0, 0, 0, 0, 0], [0.5] * 5]), sizes=[10] * 5)
    return factors, grid


def run(factors, grid, weights, options, draws=400, seed=1, concentration=smaa.CONCENTRATION):
    inputs = uncertainty.sample_inputs(factors, grid, model.Modes.default(), draws, seed)
    design = uncertainty.design(factors, grid, model.Modes.default())
    return smaa.smaa2(factors, inputs, design, weights, options, seed=seed, concentration=concentration)


@settings(max_examples=20, deadline=None)
@given(st.integers(0, 2**32 - 1), st.sampled_from([None, 5.0, 30.0]))
def test_the_rank_acceptability_matrix_is_doubly_stochastic(seed, concentration):
    factors, grid = make_factors(seed), make_grid(seed)
    options = np.arange(0, len(grid), max(1, len(grid) // 9))
    result = run(factors, grid, np.full(N_FACTORS, 0.5), options, draws=200, seed=seed, concentration=concentration)
    np.testing.assert_allclose(result.acceptability.sum(axis=1), 1)
    np.testing.assert_allclose(result.acceptability.sum(axis=0), 1)
    first = result.acceptability[:, 0] > 0
    assert np.isfinite(result.central[first]).all() and np.isnan(result.central[~first]).all()
    assert ((result.confidence[first] >= 0) & (result.confidence[first] <= 1)).all()


def test_an_option_that_dominates_every_other_is_always_first_with_full_confidence():
    factors, grid = dominance_case()
    individual_a, contingent_a = 3, 0
    result = run(factors, grid, np.ones(2), [contingent_a, individual_a])
    np.testing.assert_allclose(result.acceptability, [[0, 1], [1, 0]])
    assert result.confidence[1] == 1.0
    np.testing.assert_allclose(result.central[1].sum(), 2.0)   # on the simplex of the analyst's total


def test_sampled_weights_centre_on_the_analysts_without_clipping():
    weights = np.array([0.2, 0.5, 0.9, 0.0, 1.0])
    around = smaa.sample_weights(weights, 40_000, seed=1)
    np.testing.assert_allclose(around.mean(axis=1), weights, atol=5e-3)   # mean exactly the weights
    assert (around[3] == 0).all()                                         # a zero weight stays zero
    np.testing.assert_allclose(around.sum(axis=0), weights.sum())
    assert (around[4] > 1.0).mean() > 0.2                                 # not clipped at the maximum
    uniform = smaa.sample_weights(weights, 40_000, seed=1, concentration=None)
    np.testing.assert_allclose(uniform.mean(axis=1), weights.sum() / 5, rtol=0.02)


def test_first_rank_acceptability_over_a_grid_sums_to_one_over_its_candidates():
    factors, grid = make_factors(3), make_grid(3)
    candidates = np.flatnonzero(np.random.default_rng(3).random(len(grid)) < 0.6)
    inputs = uncertainty.sample_inputs(factors, grid, model.Modes.default(), 300, 3)
    design = uncertainty.design(factors, grid, model.Modes.default())
    share = smaa.first_rank(factors, inputs, design, np.full(N_FACTORS, 0.5), candidates, seed=3)
    assert share.sum() == pytest.approx(1.0)
    outside = np.ones(len(grid), dtype=bool)
    outside[candidates] = False
    assert (share[outside] == 0).all()
    small = run(factors, grid, np.full(N_FACTORS, 0.5), candidates, draws=300, seed=3)
    np.testing.assert_allclose(share[candidates], small.acceptability[:, 0], atol=1e-9)
