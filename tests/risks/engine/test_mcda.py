"""Aggregation and ranks: weighted sum, TOPSIS against published examples and pymcdm."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from risks.engine import evaluate, mcda, model

from .conftest import N_FACTORS, make_factors, make_grid


def test_topsis_reproduces_a_published_worked_example_and_pymcdm():
    """F. Faez, "TOPSIS Method in MADM" (course notes), as published in the README of the
    topsis-jamesfallon package (PyPI): four alternatives, four criteria, weights 0.1 / 0.4 /
    0.3 / 0.2, the last a cost. Published closeness: 0.74269409, 0.40359933, 0.17586999, 0.44142927."""
    from pymcdm.methods import TOPSIS
    from pymcdm.normalizations import vector_normalization

    matrix = np.array([[7, 9, 9, 8], [8, 7, 8, 7], [9, 6, 8, 9], [6, 7, 8, 6]], dtype=float)
    weights = np.array([0.1, 0.4, 0.3, 0.2])
    benefit = np.array([True, True, True, False])
    ours = mcda.topsis(matrix, weights, benefit, normalise=True)
    np.testing.assert_allclose(ours, [0.74269409, 0.40359933, 0.17586999, 0.44142927], atol=5e-9)
    oracle = TOPSIS(normalization_function=vector_normalization)(matrix, weights, np.where(benefit, 1, -1))
    np.testing.assert_allclose(ours, oracle, atol=1e-12)
    assert list(mcda.rank(ours)) == [1, 3, 4, 2]
    np.testing.assert_allclose(mcda.topsis(matrix, weights * 7, benefit, normalise=True), ours)  # scale-free


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(2, 15), st.integers(1, 7))
def test_topsis_and_weighted_sum_match_pymcdm_on_random_matrices(seed, n, c):
    from pymcdm.methods import TOPSIS, WSM
    from pymcdm.normalizations import max_normalization, vector_normalization

    rng = np.random.default_rng(seed)
    matrix = rng.uniform(0.05, 1.0, (n, c))
    weights = rng.dirichlet(np.ones(c))
    types = np.where(rng.random(c) < 0.5, 1, -1)
    benefit = types > 0
    np.testing.assert_allclose(mcda.topsis(matrix, weights, benefit, normalise=True),
                               TOPSIS(normalization_function=vector_normalization)(matrix, weights, types), atol=1e-9)
    scaled = matrix / matrix.max(axis=0)
    np.testing.assert_allclose(mcda.weighted_sum(scaled, weights, benefit) + weights[~benefit].sum(),
                               WSM(normalization_function=max_normalization)(matrix, weights, types), atol=1e-12)


def test_topsis_respects_likelihood_times_impact():
    factors, grid = make_factors(4, data_factors=False), make_grid(4)
    weights = np.ones(len(factors.codes))
    before = model.score(factors, grid, weights)
    likelihood = factors.likelihood.copy()
    likelihood[0] /= 3  # a third of the likelihood of risk 0
    cut = model.Factors(factors.codes, factors.sign, factors.category, likelihood, factors.impact,
                        factors.mode_effect, factors.function_effect, factors.feature_effect,
                        factors.quantity, factors.size_scaled, factors.correlation)
    after = model.score(cut, grid, weights)
    benefit = ~factors.is_risk
    closeness = mcda.topsis(before.exposure, weights, benefit), mcda.topsis(after.exposure, weights, benefit)
    assert np.abs(closeness[1] - closeness[0]).max() > 1e-3
    # textbook vector normalisation would have divided the cut out again
    textbook = (mcda.topsis(before.exposure, weights, benefit, normalise=True),
                mcda.topsis(after.exposure, weights, benefit, normalise=True))
    np.testing.assert_allclose(textbook[1], textbook[0], atol=1e-9)


def test_topsis_takes_its_ideal_and_anti_ideal_among_admissible_options_only():
    matrix = np.array([[0.5, 0.2], [0.4, 0.1], [0.6, 0.3]])
    benefit = np.array([True, False])
    admissible = np.array([True, True, False])
    with_extreme = np.vstack([matrix, [[5.0, 0.0]]])       # an inadmissible outlier
    a = mcda.topsis(matrix, np.ones(2), benefit, admissible)
    b = mcda.topsis(with_extreme, np.ones(2), benefit, np.append(admissible, False))
    np.testing.assert_allclose(b[:3], a)


def test_evaluate_ranks_by_topsis_when_asked_with_the_same_weights_as_the_weighted_sum():
    factors, grid = make_factors(7), make_grid(7)
    weights = np.linspace(0.2, 1, N_FACTORS)
    result = evaluate.evaluate(factors, grid, weights, method="topsis", draws=50, acceptability=False)
    frame = result.frame
    closeness, baseline = mcda.anchored_topsis(result.scores.exposure, weights, ~factors.is_risk)
    np.testing.assert_allclose(frame["topsis"], closeness)
    assert result.baseline == baseline
    assert (frame.sort_values("topsis", ascending=False)["rank"].dropna().diff().dropna() >= 0).all()


def test_options_outside_the_admissible_set_get_no_rank_and_push_nobody_down():
    ranks = mcda.rank(np.array([0.3, 0.9, 0.5, -0.2]), np.array([True, False, True, True]))
    assert np.isnan(ranks[1]) and list(ranks[[0, 2, 3]]) == [2, 1, 3]
    assert list(mcda.rank(np.array([0.2, 0.5, 0.5, 0.1]))) == [3, 1, 1, 4]
