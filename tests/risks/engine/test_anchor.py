"""Not deploying as the anchor: anchored TOPSIS, ranks only above it, SMAA on category weights,
Kendall's tau between methods."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from risks.engine import evaluate, mcda, model, smaa

from .conftest import N_FACTORS, make_factors, make_grid


def test_anchored_topsis_puts_a_purely_harmful_option_below_not_deploying():
    # One risk, one opportunity; option 0 only harms, option 1 only helps.
    matrix = np.array([[0.8, 0.0], [0.0, 0.6]])
    closeness, baseline = mcda.anchored_topsis(matrix, np.ones(2), np.array([False, True]))
    assert closeness[0] < baseline < closeness[1]
    plain = mcda.topsis(matrix, np.ones(2), np.array([False, True]))
    assert plain[0] < plain[1]   # without the anchor nothing says option 0 is worse than staying home


@settings(max_examples=15, deadline=None)
@given(st.integers(0, 2**32 - 1), st.sampled_from(["weighted_sum", "topsis"]))
def test_only_options_that_beat_not_deploying_are_ranked(seed, method):
    factors, grid = make_factors(seed), make_grid(seed)
    result = evaluate.evaluate(factors, grid, np.full(N_FACTORS, 0.5), draws=50, seed=seed, method=method,
                               acceptability=False)
    ranked = result.frame["rank"].notna().to_numpy()
    assert (ranked == (result.admissible & (result.by > result.baseline))).all()
    assert (result.frame["below_baseline"].to_numpy() == (result.by <= result.baseline)).all()


def test_kendall_tau_is_undefined_rather_than_nan():
    assert mcda.kendall_tau([1, 2, 3], [1, 2, 3]) == pytest.approx(1)
    assert mcda.kendall_tau([1, 2, 3], [3, 2, 1]) == pytest.approx(-1)
    assert mcda.kendall_tau([1, 2, 3], [5, 5, 5]) is None
    assert mcda.kendall_tau([1], [2]) is None
    assert mcda.kendall_tau([], []) is None


def test_smaa_samples_category_weights_and_keeps_shares_and_prices():
    factors = make_factors(3)
    weights = np.linspace(0.2, 1.0, N_FACTORS)
    groups = smaa.weight_groups(factors)
    sampled = smaa.sample_weights(weights, 5000, seed=1, groups=groups)
    fixed = groups < 0
    np.testing.assert_allclose(sampled[fixed], np.broadcast_to(weights[fixed][:, None], sampled[fixed].shape))
    judged = ~fixed
    np.testing.assert_allclose(sampled[judged].sum(axis=0), np.full(5000, weights[judged].sum()))
    for g in np.unique(groups[judged]):
        members = np.flatnonzero(groups == g)
        share = sampled[members] / sampled[members].sum(axis=0)
        np.testing.assert_allclose(share, np.broadcast_to((weights[members] / weights[members].sum())[:, None], share.shape),
                                   rtol=1e-9)
        np.testing.assert_allclose(sampled[members].sum(axis=0).mean(), weights[members].sum(), rtol=0.02)


def test_a_workshops_spread_sets_the_concentration():
    rng = np.random.default_rng(0)
    true = np.array([0.5, 0.3, 0.2])
    vectors = rng.dirichlet(true * 12, size=4000)
    assert smaa.concentration_from_spread(vectors) == pytest.approx(12, rel=0.1)
    assert smaa.concentration_from_spread([true]) is None
    assert smaa.concentration_from_spread([true, true]) is None


def test_stay_home_is_the_share_of_draws_where_nothing_beats_not_deploying():
    factors, grid = make_factors(5), make_grid(5)
    from risks.engine import uncertainty

    inputs = uncertainty.sample_inputs(factors, grid, model.Modes.default(), 200, 1)
    design = uncertainty.design(factors, grid, model.Modes.default())
    options = np.arange(0, len(grid), 7)
    result = smaa.smaa2(factors, inputs, design, np.full(N_FACTORS, 0.5), options, seed=1)
    sampled = smaa.sample_weights(np.full(N_FACTORS, 0.5), 200, 1, smaa.CONCENTRATION, smaa.weight_groups(factors))
    values = uncertainty.net_draws(design, *uncertainty.signed_samples(factors, inputs, sampled), options)
    assert result.stay_home == pytest.approx((values.max(axis=0) <= 0).mean())
    # The recommendation: first and better than staying home; with staying home the shares sum to one.
    assert result.recommended.sum() + result.stay_home == pytest.approx(1)
    assert (result.recommended <= result.acceptability[:, 0] + 1e-12).all()
