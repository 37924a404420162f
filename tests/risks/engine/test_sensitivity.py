"""Tornado from each input's own P10/P90, and break-even weights (risks.engine.sensitivity)."""

import numpy as np
import pytest

from risks.engine import model, sensitivity, uncertainty

from .conftest import FATALITIES, N_FACTORS, make_factors, make_grid


def setup(seed=4):
    factors, grid = make_factors(seed), make_grid(seed)
    weights = np.full(N_FACTORS, 0.5)
    inputs = uncertainty.sample_inputs(factors, grid, model.Modes.default(), 4000, seed)
    return factors, grid, weights, inputs, model.score(factors, grid, weights)


def test_each_bar_is_the_net_score_with_that_input_at_its_own_p10_and_p90():
    factors, grid, weights, inputs, scores = setup()
    option = 5
    tornado = sensitivity.tornado(factors, grid, model.Modes.default(), scores, inputs, option)
    assert list(tornado["swing"]) == sorted(tornado["swing"], reverse=True)
    assert tornado.attrs["base"] == pytest.approx(scores.net[option])
    f = int(np.argmax(np.abs(scores.contributions[option, :8])))  # the judgement factor that matters most
    row = tornado.set_index("factor").loc[f"factor_{f}"]
    li = inputs.li[f]
    for end, q in (("low", 0.1), ("high", 0.9)):
        expected = scores.net[option] + scores.contributions[option, f] * (np.quantile(li, q) / li.mean() - 1)
        assert row[end] == pytest.approx(expected)
    # the bar spans what the simulation explores, narrower than L and I at their joint extremes
    extremes = scores.contributions[option, f] / factors.expected_li()[f] * (
        factors.likelihood[f, 2] * factors.impact[f, 2] - factors.likelihood[f, 0] * factors.impact[f, 0])
    assert row["swing"] > 0
    assert row["swing"] < abs(extremes)
    hazard_row = tornado.set_index("factor").loc[f"factor_{FATALITIES}"]
    assert hazard_row["low"] > hazard_row["high"]  # a risk: a higher rate lowers the net score


def test_break_even_weights_are_where_the_top_rank_changes():
    factors, grid, weights, _, scores = setup(6)
    admissible = np.ones(len(grid), dtype=bool)
    table = sensitivity.break_even(factors, scores, admissible)
    best = table.attrs["best"]
    assert best == int(np.argmax(scores.net))
    found = 0
    for row in table.itertuples():
        f = int(row.factor.split("_")[1])
        for weight, option in ((row.up_weight, row.up_option), (row.down_weight, row.down_option)):
            if option < 0 or weight <= 1e-9:  # a tie at weight 0 (equal exposures) cannot be crossed
                continue
            found += 1
            for nudge, winner in ((-1e-6, best), (1e-6, option)):
                moved = weights.copy()
                moved[f] = weight + nudge * np.sign(weight - weights[f])
                if moved[f] < 0:  # a break-even at weight 0 is a tie there: no weight lies beyond it
                    continue
                assert int(np.argmax(model.score(factors, grid, moved).net)) == winner
    assert found > 0
