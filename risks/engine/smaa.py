"""Stochastic multicriteria acceptability analysis, SMAA-2 (Lahdelma & Salminen, 2001,
Operations Research 49(3): 444-454). Pure numpy.

Weights and uncertain inputs are sampled *jointly*: draw d pairs the d-th weight vector with the
d-th draw of every input (risks.engine.uncertainty), so the analysis covers both at once. For
options i and ranks r, over draws d:

    rank acceptability    b[i, r] = P(rank(i) = r)                       rows and columns sum to 1
    central weight vector wc[i]  = E[w | rank(i) = 1]                    the typical weights that make i best
    confidence factor     pc[i]  = P(i is best | w = wc[i])              over the inputs alone

Weights are sampled on the simplex of the analyst's total W = sum(w), never clipped:

* no preference information: w = W * Dirichlet(1, ..., 1), uniform on the simplex (the
  classical SMAA assumption);
* around the analyst's weights: w = W * Dirichlet(kappa * w / W), whose mean is exactly the
  analyst's weights and each share p's standard deviation sqrt(p (1 - p) / (kappa + 1)); a
  weight of 0 stays 0. kappa = CONCENTRATION by default (share 0.1: sd 0.05).

Ranks are invariant to the weights' common scale, so sampling on the simplex loses nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from risks.engine import uncertainty
from risks.engine.model import Factors

CONCENTRATION = 30.0


def sample_weights(weights: np.ndarray, samples: int, seed: int = 0, concentration: float | None = CONCENTRATION
                   ) -> np.ndarray:
    """(F, samples) weight vectors with the analyst's total (see the module docstring);
    concentration None: uniform on the simplex."""
    weights = np.asarray(weights, dtype=float)
    total = weights.sum()
    out = np.zeros((len(weights), samples))
    if total <= 0:
        return out
    rng = np.random.default_rng([int(seed), 5_141])
    live = weights > 0 if concentration is not None else np.ones(len(weights), dtype=bool)
    alpha = np.ones(live.sum()) if concentration is None else concentration * weights[live] / total
    out[live] = rng.dirichlet(alpha, size=samples).T * total
    return out


@dataclass(frozen=True)
class Acceptability:
    """SMAA-2 results for n options: acceptability (n, n) ranks 1..n; central (n, F) weight
    vectors (NaN rows for options never first); confidence (n,) (NaN likewise)."""

    acceptability: np.ndarray
    central: np.ndarray
    confidence: np.ndarray


def smaa2(factors: Factors, inputs: uncertainty.Inputs, design: uncertainty.Design, weights: np.ndarray,
          options: np.ndarray, seed: int = 0, concentration: float | None = CONCENTRATION) -> Acceptability:
    """SMAA-2 among the listed options (indices into the design: tens to a few hundred)."""
    options = np.asarray(options, dtype=np.intp)
    n, f = len(options), len(factors.codes)
    if n == 0:
        return Acceptability(np.zeros((0, 0)), np.zeros((0, f)), np.zeros(0))
    sampled = sample_weights(weights, inputs.draws, seed, concentration)              # (F, D)
    values = uncertainty.net_draws(design, *uncertainty.signed_samples(factors, inputs, sampled), options)
    order = np.argsort(-values, axis=0, kind="stable")                                   # (n, D)
    ranks = np.empty_like(order)
    np.put_along_axis(ranks, order, np.arange(n)[:, None], axis=0)
    acceptability = np.stack([(ranks == r).mean(axis=1) for r in range(n)], axis=1)
    first = ranks == 0
    counts = first.sum(axis=1)
    central = np.full((n, f), np.nan)
    confidence = np.full(n, np.nan)
    for i in np.flatnonzero(counts):
        central[i] = sampled[:, first[i]].mean(axis=1)
        fixed = uncertainty.net_draws(design, *uncertainty.signed_samples(factors, inputs, central[i]), options)
        confidence[i] = (fixed.argmax(axis=0) == i).mean()
    return Acceptability(acceptability, central, confidence)


def first_rank(factors: Factors, inputs: uncertainty.Inputs, design: uncertainty.Design, weights: np.ndarray,
               candidates: np.ndarray, seed: int = 0, concentration: float | None = CONCENTRATION) -> np.ndarray:
    """(O,) first-rank acceptability over a whole grid: the share of joint draws in which the
    option is the best candidate (ties: the first in grid order). Sums to 1 over candidates."""
    sampled = sample_weights(weights, inputs.draws, seed, concentration)
    best = uncertainty.best_per_draw(design, *uncertainty.signed_samples(factors, inputs, sampled), candidates)
    best = best[best >= 0]
    return np.bincount(best, minlength=len(design.a)) / inputs.draws
