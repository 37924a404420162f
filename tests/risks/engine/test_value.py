"""The multi-attribute value model (risks.engine.value): stated ranges, prices, invariances."""

from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from risks.engine import mcda, model, value

from .conftest import COST, FATALITIES, N_JUDGEMENT, make_factors, make_grid

SEEDS = st.integers(0, 2**32 - 1)
SCALES = st.floats(1e-3, 1e3)


def weights_of(factors, category_weights, prices, shares=None):
    return value.factor_weights(factors.quantity, factors.category, factors.span, category_weights, shares or {},
                                factors.codes, prices)


def ranking(net):
    return mcda.rank(np.round(net, 9))


def test_a_linear_partial_value_is_0_at_the_worst_level_1_at_the_best_and_extends_beyond():
    assert value.partial_value([1.0, 0.0, 0.5, 2.0], worst=1.0, best=0.0).tolist() == [0.0, 1.0, 0.5, -1.0]


@given(st.floats(-5, 5).filter(lambda c: abs(c) > 1e-3))
def test_an_exponential_partial_value_keeps_its_ends_and_bends_with_its_curvature(curvature):
    v = value.partial_value(np.array([0.0, 0.5, 1.0]), worst=0.0, best=1.0, curvature=curvature)
    np.testing.assert_allclose(v[[0, 2]], [0, 1], atol=1e-12)
    assert (v[1] > 0.5) == (curvature > 0)   # concave above the line, convex below


@given(st.floats(-10, 10), st.floats(-3, 3), SCALES)
def test_rescaling_a_unit_with_its_stated_range_leaves_every_partial_value_unchanged(x, curvature, k):
    criterion = value.Criterion("net_cost", "US$ a year", 50.0, 0.0, 0.0)
    assert value.partial_value(x * k, criterion.worst * k, criterion.best * k, curvature) == pytest.approx(
        value.partial_value(x, criterion.worst, criterion.best, curvature), rel=1e-9, abs=1e-9)


@settings(max_examples=25, deadline=None)
@given(SEEDS, SCALES, st.sampled_from(["money", "deaths"]))
def test_rescaling_an_attributes_unit_with_its_range_and_price_leaves_the_ranking_unchanged(seed, k, unit):
    """Money in US$ or in US$ / k (costs, reimbursements, the cost range and both prices all
    move with it); deaths counted in 1/k of a death (rates, the fatality range and the price of
    a death move with it)."""
    factors, grid, modes = make_factors(seed), make_grid(seed), model.Modes.default()
    prices = value.Prices(99e6, 25e6)
    before = model.score(factors, grid, weights_of(factors, {}, prices), modes).net
    span = np.asarray(factors.span, dtype=float).copy()
    if unit == "money":
        span[COST] *= k
        modes = model.Modes(modes.cost * k, modes.reimbursement * k, modes.group)
        prices = value.Prices(prices.value_of_death_usd * k, prices.usd_per_point * k)
    else:
        span[FATALITIES] *= k
        grid = replace(grid, hazard_rate=grid.hazard_rate / k)   # the Gamma mean grows k times
        prices = value.Prices(prices.value_of_death_usd / k, prices.usd_per_point)
    factors = replace(factors, span=span)
    after = model.score(factors, grid, weights_of(factors, {}, prices), modes).net
    np.testing.assert_allclose(after, before, rtol=1e-6, atol=1e-9)
    assert (ranking(after) == ranking(before)).all()


@settings(max_examples=25, deadline=None)
@given(SEEDS, st.floats(0, 1), st.floats(0, 1))
def test_raising_a_risks_weight_never_raises_an_options_value(seed, low, raise_by):
    factors, grid = make_factors(seed), make_grid(seed)
    base = np.full(len(factors.codes), 0.5)
    for f in np.flatnonzero(factors.is_risk):
        heavier = base.copy()
        heavier[f] = base[f] + raise_by
        assert (model.score(factors, grid, heavier).net <= model.score(factors, grid, base).net + 1e-12).all()


@settings(max_examples=25, deadline=None)
@given(SEEDS, st.floats(0.1, 1000), st.floats(1, 10))
def test_a_dearer_death_or_a_dearer_dollar_never_raises_an_options_value(seed, death_musd, factor):
    factors, grid = make_factors(seed), make_grid(seed)
    cheap = value.Prices(death_musd * 1e6, 25e6)
    net = model.score(factors, grid, weights_of(factors, {}, cheap)).net
    dearer_death = value.Prices(death_musd * 1e6 * factor, 25e6)
    dearer_dollar = value.Prices(death_musd * 1e6, 25e6 / factor)   # fewer US$ per point: each US$ weighs more
    for prices in (dearer_death, dearer_dollar):
        assert (model.score(factors, grid, weights_of(factors, {}, prices)).net <= net + 1e-9).all()


def test_a_category_weight_is_shared_among_its_judged_criteria_and_the_data_criteria_are_priced():
    factors = make_factors(0)
    prices = value.Prices(99e6, 25e6)
    w = weights_of(factors, {"conduct": 0.6, "reputation": 0.3}, prices, shares={"factor_0": 0.5})
    judged = np.arange(N_JUDGEMENT)
    conduct = judged[np.asarray(factors.category)[judged] == "conduct"]
    assert w[conduct].sum() == pytest.approx(0.6)
    assert w[judged[np.asarray(factors.category)[judged] == "reputation"]].sum() == pytest.approx(0.3)
    assert w[0] == pytest.approx(0.6 * 0.5 / (0.5 + len(conduct) - 1))
    assert w[FATALITIES] == pytest.approx(factors.span[FATALITIES] * 99 / 25)
    assert w[COST] == pytest.approx(factors.span[COST] / 25e6)
    assert value.implied_value_of_death(w, factors.quantity, factors.span) == pytest.approx(99e6)


def test_the_stated_ranges_refuse_what_the_model_cannot_mean():
    with pytest.raises(ValueError, match="must differ"):
        value.Criterion("fatalities", "deaths", 1.0, 1.0)
    with pytest.raises(ValueError, match="not deploying"):
        value.Criterion("fatalities", "deaths", 2.0, 1.0)
    with pytest.raises(ValueError, match="linear"):
        value.Ranges(fatalities=value.Criterion("fatalities", "deaths", 1.0, 0.0, curvature=2.0))
    with pytest.raises(ValueError, match="positive"):
        value.Prices(0.0, 25e6)
    with pytest.raises(ValueError, match="span"):
        replace(make_factors(0), span=np.zeros(len(make_factors(0).codes)))
