"""Where weights come from: swing weighting, rank-order centroid, AHP, group aggregation. Pure numpy.

Every function returns normalised weights (non-negative, summing to one), in the order of
its input.

* Swing weighting (von Winterfeldt and Edwards, *Decision Analysis and Behavioral Research*,
  1986, ch. 8; Edwards and Barron, *OBHDP* 60, 1994): the criterion whose swing from worst to
  best matters most is rated 100, each other one r_i in [0, 100] against it; w_i = r_i / sum r.
* Rank-order centroid (Barron and Barrett, *Management Science* 42(11), 1996): for n criteria
  ranked 1 (most important) .. n, w_k = (1/n) sum_{i=k..n} 1/i, the centroid of the weights
  consistent with the order. Tied criteria share the mean of the positions they occupy.
* AHP (Saaty, *The Analytic Hierarchy Process*, McGraw-Hill, 1980): a positive reciprocal
  matrix A (a_ij = how many times more important i is than j, on the 1-9 scale, a_ji = 1/a_ij);
  w = the principal right eigenvector, normalised; lambda_max its eigenvalue;
  CI = (lambda_max - n) / (n - 1), CR = CI / RI(n) with Saaty's random index (RANDOM_INDEX);
  CR <= 0.10 is acceptable (Saaty 1980, sec. 1.4). A consistent matrix (a_ij = w_i / w_j) has
  lambda_max = n and CR = 0. For n <= 2 every reciprocal matrix is consistent.
* The judgment that most breaks consistency: the one whose replacement by w_i / w_j (the ratio
  the other judgments imply), snapped to the nearest value of the 1-9 scale, lowers CR most.
* Groups: AHP judgments by the element-wise geometric mean (Aczél and Saaty, *J. Math.
  Psychology* 27, 1983: the only synthesis that keeps the reciprocal property); swing and rank
  weights by the arithmetic mean of each participant's normalised weights.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

import numpy as np

# Saaty's random index: the mean CI of random reciprocal matrices of order n (Saaty 1980,
# table 1.3, p. 21; the same values in Saaty, "How to make a decision: the analytic hierarchy
# process", European Journal of Operational Research 48, 1990, p. 15).
RANDOM_INDEX = {1: 0.0, 2: 0.0, 3: 0.58, 4: 0.90, 5: 1.12, 6: 1.24, 7: 1.32, 8: 1.41, 9: 1.45, 10: 1.49}
CR_LIMIT = 0.10
# Saaty's fundamental scale and its reciprocals: 1/9 .. 1 .. 9.
SCALE = tuple(sorted({*(float(k) for k in range(1, 10)), *(1.0 / k for k in range(2, 10))}))
TOLERANCE = 1e-6
RECIPROCAL_TOLERANCE = 0.02  # a_ij x a_ji may differ from 1 by rounding only (3 and 0.33)


class ElicitationError(ValueError):
    """Judgments from which no weights can be derived; the message says which and why."""


def normalised(values) -> np.ndarray:
    values = np.asarray(values, dtype=float)
    if values.ndim != 1 or not len(values) or not np.all(np.isfinite(values)) or (values < 0).any():
        raise ElicitationError("weights must be finite numbers, none negative")
    total = values.sum()
    if total <= 0:
        raise ElicitationError("at least one weight must be above zero")
    return values / total


def swing(ratings) -> np.ndarray:
    """Ratings (n,) in [0, 100], the most important criterion at exactly 100 -> weights."""
    ratings = np.asarray(ratings, dtype=float)
    if ratings.ndim != 1 or not len(ratings) or not np.all(np.isfinite(ratings)):
        raise ElicitationError("every criterion needs a rating")
    if (ratings < 0).any() or (ratings > 100).any():
        raise ElicitationError("ratings lie between 0 and 100")
    if ratings.max() != 100:
        raise ElicitationError("the criterion whose swing matters most is rated 100")
    return ratings / ratings.sum()


def rank_order_centroid(ranks) -> np.ndarray:
    """Ranks (n,) as positions 1 = most important (ties allowed) -> ROC weights."""
    ranks = np.asarray(ranks, dtype=float)
    n = len(ranks)
    if ranks.ndim != 1 or not n or not np.all(np.isfinite(ranks)) or (ranks < 1).any() or (ranks % 1).any():
        raise ElicitationError("ranks are whole numbers from 1 (most important)")
    centroid = np.array([np.sum(1.0 / np.arange(k, n + 1)) / n for k in range(1, n + 1)])
    order = np.argsort(ranks, kind="stable")
    weights = np.empty(n)
    weights[order] = centroid
    for rank in np.unique(ranks):  # tied criteria share the positions they occupy
        tied = ranks == rank
        weights[tied] = weights[tied].mean()
    return weights


def check_matrix(matrix) -> np.ndarray:
    """A positive reciprocal matrix as float, or ElicitationError naming the first bad entry
    (0-based row and column)."""
    a = np.asarray(matrix, dtype=float)
    if a.ndim != 2 or a.shape[0] != a.shape[1] or not len(a):
        raise ElicitationError("a pairwise comparison matrix is square")
    for i, j in np.ndindex(a.shape):
        if not np.isfinite(a[i, j]) or a[i, j] <= 0:
            raise ElicitationError(f"judgment ({i}, {j}) must be a positive number, not {a[i, j]}")
    for i, j in np.ndindex(a.shape):
        if abs(a[i, j] * a[j, i] - 1) > RECIPROCAL_TOLERANCE:
            raise ElicitationError(f"judgment ({j}, {i}) = {a[j, i]:g} is not the reciprocal of ({i}, {j}) = {a[i, j]:g}")
    upper = np.triu_indices(len(a), 1)  # the judgments above the diagonal rule; below, exact reciprocals
    a[upper[1], upper[0]] = 1.0 / a[upper]
    np.fill_diagonal(a, 1.0)
    return a


def matrix_from_pairs(n: int, pairs: dict[tuple[int, int], float]) -> np.ndarray:
    """The reciprocal matrix from the judgments a_ij for i < j ({(i, j): value}); every pair
    once. A missing or non-positive judgment raises ElicitationError naming it."""
    a = np.eye(n)
    for i, j in combinations(range(n), 2):
        value = pairs.get((i, j))
        if value is None:
            raise ElicitationError(f"the comparison ({i}, {j}) is missing")
        if not np.isfinite(value) or value <= 0:
            raise ElicitationError(f"the comparison ({i}, {j}) must be a positive number, not {value}")
        a[i, j], a[j, i] = value, 1.0 / value
    return a


@dataclass(frozen=True)
class AHP:
    weights: np.ndarray      # (n,) principal eigenvector, normalised
    lambda_max: float
    ci: float
    cr: float                # 0 for n <= 2

    @property
    def consistent(self) -> bool:
        return self.cr <= CR_LIMIT


def ahp(matrix) -> AHP:
    a = check_matrix(matrix)
    n = len(a)
    values, vectors = np.linalg.eig(a)
    k = int(np.argmax(values.real))  # Perron root: real, largest, its vector of one sign
    weights = np.abs(vectors[:, k].real)
    weights = weights / weights.sum()
    lam = float(values[k].real)
    ci = max(lam - n, 0.0) / (n - 1) if n > 1 else 0.0
    ri = RANDOM_INDEX.get(n)
    if ri is None:
        raise ElicitationError(f"Saaty's random index is tabulated for 1 to {max(RANDOM_INDEX)} criteria, not {n}")
    return AHP(weights, lam, ci, ci / ri if ri else 0.0)


def snap(value: float) -> float:
    """The value of Saaty's scale nearest to `value` on a log scale."""
    return min(SCALE, key=lambda s: abs(np.log(s) - np.log(value)))


@dataclass(frozen=True)
class Repair:
    i: int
    j: int
    current: float           # a_ij as judged
    suggested: float         # on the 1-9 scale (or its reciprocals)
    cr_after: float


def worst_judgment(matrix) -> Repair | None:
    """The judgment a_ij (i < j) whose replacement by w_i / w_j snapped to Saaty's scale lowers
    CR most, with that value and the CR it gives; None when no single change lowers CR."""
    a = check_matrix(matrix)
    result = ahp(a)
    best = None
    for i, j in combinations(range(len(a)), 2):
        suggested = snap(result.weights[i] / result.weights[j])
        if abs(suggested - a[i, j]) <= TOLERANCE:
            continue
        b = a.copy()
        b[i, j], b[j, i] = suggested, 1.0 / suggested
        cr = ahp(b).cr
        if cr < result.cr - TOLERANCE and (best is None or cr < best.cr_after):
            best = Repair(i, j, float(a[i, j]), suggested, cr)
    return best


def geometric_mean_matrix(matrices) -> np.ndarray:
    """Aczél-Saaty synthesis of several participants' matrices (same order)."""
    stack = np.stack([check_matrix(m) for m in matrices])
    return np.exp(np.log(stack).mean(axis=0))


def mean_weights(weight_vectors) -> np.ndarray:
    """The arithmetic mean of normalised weight vectors, renormalised (rounding only)."""
    stack = np.stack([normalised(w) for w in weight_vectors])
    return normalised(stack.mean(axis=0))


def spread(weight_vectors) -> dict[str, np.ndarray]:
    """Per criterion: min, max and population standard deviation of the participants' weights."""
    stack = np.stack([normalised(w) for w in weight_vectors])
    return {"min": stack.min(axis=0), "max": stack.max(axis=0), "sd": stack.std(axis=0)}


def as_model_weights(weights) -> np.ndarray:
    """Normalised weights -> the scoring model's weights in [0, 1] with the largest at 1. The
    model's scores are linear in the weights and 'not deploying' scores 0, so among the judged
    criteria this rescaling changes no ranking and no sign; it sets the unit the price of a US$
    is stated in (risks.engine.value): the full swing of the criterion that matters most."""
    weights = normalised(weights)
    return weights / weights.max()
