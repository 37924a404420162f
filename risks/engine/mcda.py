"""Aggregation and ranking: weighted sum, TOPSIS, ranks. Pure numpy.

The engine's net score is the weighted sum model (Fishburn, 1967) of the exposures:
net = exposure @ (sign * w). TOPSIS (Hwang & Yoon, 1981) is offered beside it, adapted so that
it respects what the model knows:

* the exposures are already on one value scale (each factor's expected likelihood x impact x
  modifier, or its data quantity over a stated reference), so they are *not* vector-normalised:
  normalising each column by its norm would divide out the factor's likelihood x impact (cut a
  risk's likelihood to a third and the closeness would not move). v = exposure * w;
* the ideal and anti-ideal are the best and worst of each column among the *admissible*
  options only (those passing the gates and deal-breakers): an infeasible or closed mission
  cannot set the standard others are measured against;
* closeness = d(anti-ideal) / (d(ideal) + d(anti-ideal)) in [0, 1]; all-equal options: 0.5;
* anchored on not deploying (anchored_topsis): the do-nothing option (every exposure 0) joins
  the admissible options that set the ideal and anti-ideal, and its own closeness is the
  baseline: an option whose closeness is not above it is worse than not deploying, as an
  option with a negative net score is under the weighted sum. Without the anchor TOPSIS
  measures options only against each other, so a harmful option can look close to the ideal.

Agreement of two methods: Kendall's tau-b between their values over the admissible options
(Kendall, *Rank Correlation Methods*, 1948; scipy.stats.kendalltau), undefined (None) when
either method ties every option or fewer than two options are admissible.
"""

from __future__ import annotations

import numpy as np
from scipy import stats


def weighted_sum(matrix: np.ndarray, weights: np.ndarray, benefit: np.ndarray) -> np.ndarray:
    """(O,) = matrix (O, C) @ (weights (C,) * (+1 benefit, -1 cost)); weights used as given."""
    return np.asarray(matrix, dtype=float) @ (np.asarray(weights, dtype=float) * np.where(benefit, 1.0, -1.0))


def topsis(matrix: np.ndarray, weights: np.ndarray, benefit: np.ndarray, admissible: np.ndarray | None = None,
           normalise: bool = False) -> np.ndarray:
    """TOPSIS closeness (O,) in [0, 1], 1 = at the ideal.

    matrix (O, C) criteria values; weights (C,) >= 0 (scale-free: divided by their sum);
    benefit (C,) True where more is better; admissible (O,) bool: the options that set the
    ideal and anti-ideal (default all); normalise=True gives the textbook vector normalisation
    r = x / ||x|| (over the admissible rows), used to check against published examples.
    """
    matrix = np.asarray(matrix, dtype=float)
    weights = np.asarray(weights, dtype=float)
    admissible = np.ones(len(matrix), dtype=bool) if admissible is None else np.asarray(admissible, dtype=bool)
    total = weights.sum()
    weights = weights / total if total > 0 else np.full_like(weights, 1 / max(len(weights), 1))
    if normalise:
        norm = np.sqrt((matrix[admissible] ** 2).sum(axis=0))
        matrix = matrix / np.where(norm > 0, norm, 1.0)
    v = matrix * weights
    if not admissible.any():
        return np.full(len(matrix), np.nan)
    best = np.where(benefit, v[admissible].max(axis=0), v[admissible].min(axis=0))
    worst = np.where(benefit, v[admissible].min(axis=0), v[admissible].max(axis=0))
    d_best = np.sqrt(((v - best) ** 2).sum(axis=1))
    d_worst = np.sqrt(((v - worst) ** 2).sum(axis=1))
    both = d_best + d_worst
    return np.divide(d_worst, both, out=np.full_like(both, 0.5), where=both > 0)


def anchored_topsis(matrix: np.ndarray, weights: np.ndarray, benefit: np.ndarray,
                    admissible: np.ndarray | None = None) -> tuple[np.ndarray, float]:
    """TOPSIS closeness (O,) with not deploying (a row of zeros) among the options that set the
    ideal and anti-ideal, and not deploying's own closeness (the baseline)."""
    matrix = np.asarray(matrix, dtype=float)
    admissible = np.ones(len(matrix), dtype=bool) if admissible is None else np.asarray(admissible, dtype=bool)
    closeness = topsis(np.vstack([matrix, np.zeros((1, matrix.shape[1]))]), weights, benefit,
                       np.append(admissible, True))
    return closeness[:-1], float(closeness[-1])


def kendall_tau(a: np.ndarray, b: np.ndarray) -> float | None:
    """Kendall's tau-b of two value vectors (same options); None where it is undefined."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    keep = np.isfinite(a) & np.isfinite(b)
    if keep.sum() < 2 or np.ptp(a[keep]) == 0 or np.ptp(b[keep]) == 0:
        return None
    tau = stats.kendalltau(a[keep], b[keep]).statistic
    return None if not np.isfinite(tau) else float(tau)


def rank(values: np.ndarray, admissible: np.ndarray | None = None) -> np.ndarray:
    """(O,) float ranks, 1 = best (highest value), among admissible options only; ties share
    the smallest rank; other options get NaN."""
    values = np.asarray(values, dtype=float)
    admissible = np.ones(len(values), dtype=bool) if admissible is None else np.asarray(admissible, dtype=bool)
    ranks = np.full(len(values), np.nan)
    candidates = np.flatnonzero(admissible)
    order = np.argsort(-values[candidates], kind="stable")
    ordered = values[candidates][order]
    first_of_tie = np.ones(len(ordered), dtype=bool)
    np.not_equal(ordered[1:], ordered[:-1], out=first_of_tie[1:])
    position = np.where(first_of_tie, np.arange(1, len(ordered) + 1), 0)
    ranks[candidates[order]] = np.maximum.accumulate(position) if len(position) else position
    return ranks
