"""P10/P50/P90 are exactly the full sort's order statistics (whatever method reads them)."""

import numpy as np
import pytest

from risks.engine import uncertainty

from .conftest import N_FACTORS, make_factors, make_grid


@pytest.mark.parametrize("draws", [1000, 257, 10])
def test_percentiles_are_the_sorted_draws_order_statistics_to_the_last_bit(draws):
    factors, grid, weights = make_factors(11), make_grid(11, missions=6), np.full(N_FACTORS, 0.7)
    _, inputs, design = uncertainty.monte_carlo(factors, grid, weights, draws=draws, seed=3)
    s, h = uncertainty.signed_samples(factors, inputs, weights)
    chunk = 64
    summary = uncertainty.summarise(design, s, h, chunk=chunk, threads=2)
    positions = np.asarray(uncertainty.QUANTILES) * (draws - 1)
    lower = np.floor(positions).astype(np.intp)
    upper = np.minimum(lower + 1, draws - 1)
    fraction = (positions - lower).astype(np.float32)
    for start in range(0, len(grid), chunk):
        rows = np.arange(start, min(start + chunk, len(grid)))
        ordered = np.sort(uncertainty.net_draws(design, s, h, rows), axis=1)   # the same block, the old way
        expected = ordered[:, lower] + (ordered[:, upper] - ordered[:, lower]) * fraction
        np.testing.assert_array_equal(summary[:3, rows], expected.T)
        # P(net > 0) counts the draws above zero; a draw within float32 rounding of zero may fall on
        # either side depending on the order of the sums, so one draw's difference is allowed.
        np.testing.assert_allclose(summary[3, rows], (ordered > 0).sum(axis=1) / np.float32(draws),
                                   rtol=0, atol=1.0 / draws + 1e-7)
