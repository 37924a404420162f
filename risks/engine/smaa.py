"""Stochastic multicriteria acceptability analysis, SMAA-2 (Lahdelma & Salminen, 2001,
Operations Research 49(3): 444-454). Pure numpy.

Weights and uncertain inputs are sampled *jointly*: draw d pairs the d-th weight vector with the
d-th draw of every input (risks.engine.uncertainty), so the analysis covers both at once. For
options i and ranks r, over draws d:

    rank acceptability    b[i, r] = P(rank(i) = r)                       rows and columns sum to 1
    central weight vector wc[i]  = E[w | rank(i) = 1]                    the typical weights that make i best
    confidence factor     pc[i]  = P(i is best | w = wc[i])              over the inputs alone

What is sampled is what the analyst elicited: the CATEGORY weights (risks.engine.value). A
category's weight W_c = sum of its judged factors' weights moves, its factors keep their shares
of it, and the priced criteria (expected deaths, net cost) keep the weights the scenario's
prices give them (prices are stated, not elicited). The categories are sampled on the simplex
of their total W = sum_c W_c, never clipped:

* no preference information: W * Dirichlet(1, ..., 1), uniform on the simplex (the classical
  SMAA assumption);
* around the analyst's weights: W * Dirichlet(kappa * W_c / W), whose mean is exactly the
  analyst's weights and each share p's standard deviation sqrt(p (1 - p) / (kappa + 1)); a
  weight of 0 stays 0. kappa = CONCENTRATION by default (share 0.1: sd 0.05), or the
  workshop's own spread when there is one (concentration_from_spread: the method-of-moments
  fit of a Dirichlet to the participants' normalised weights, Minka 2000, "Estimating a
  Dirichlet distribution", eq. 21).

Without groups every factor weight is its own category (the engine's tests use this).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from risks.engine import uncertainty
from risks.engine.model import Factors

CONCENTRATION = 30.0


def weight_groups(factors: Factors) -> np.ndarray:
    """(F,) int: the index of each judged factor's category, -1 for the priced criteria."""
    _codes, index = np.unique(np.asarray(factors.category), return_inverse=True)
    return np.where(factors.judgement, index.ravel(), -1)


def concentration_from_spread(vectors) -> float | None:
    """The Dirichlet concentration kappa whose spread matches the participants' normalised
    weight vectors (P, C): kappa + 1 = mean over categories of p (1 - p) / var(p), over the
    categories that vary; None with fewer than two participants or no disagreement."""
    stack = np.asarray(vectors, dtype=float)
    if stack.ndim != 2 or len(stack) < 2:
        return None
    stack = stack / stack.sum(axis=1, keepdims=True)
    mean, var = stack.mean(axis=0), stack.var(axis=0, ddof=1)
    varies = (var > 1e-12) & (mean > 0) & (mean < 1)
    if not varies.any():
        return None
    return float(max(np.mean(mean[varies] * (1 - mean[varies]) / var[varies]) - 1, 1e-3))


def sample_weights(weights: np.ndarray, samples: int, seed: int = 0, concentration: float | None = CONCENTRATION,
                   groups: np.ndarray | None = None) -> np.ndarray:
    """(F, samples) weight vectors (see the module docstring); concentration None: uniform on
    the simplex. groups (F,): category index per factor, -1 = fixed (default: each its own)."""
    weights = np.asarray(weights, dtype=float)
    groups = np.arange(len(weights)) if groups is None else np.asarray(groups)
    out = np.repeat(np.where(groups < 0, weights, 0.0)[:, None], samples, axis=1)
    sampled = np.flatnonzero(groups >= 0)
    labels, member = np.unique(groups[sampled], return_inverse=True)
    category = np.bincount(member.ravel(), weights=weights[sampled], minlength=len(labels))   # (C,)
    total = category.sum()
    if total <= 0:
        return out
    rng = np.random.default_rng([int(seed), 5_141])
    live = category > 0 if concentration is not None else np.ones(len(category), dtype=bool)
    alpha = np.ones(live.sum()) if concentration is None else concentration * category[live] / total
    drawn = np.zeros((len(category), samples))
    drawn[live] = rng.dirichlet(alpha, size=samples).T * total
    share = np.divide(weights[sampled], category[member.ravel()], out=np.full(len(sampled), 0.0),
                      where=category[member.ravel()] > 0)
    # A category the analyst set to 0 but the uniform law revives: its factors share it equally.
    empty = category[member.ravel()] <= 0
    if empty.any():
        size = np.bincount(member.ravel(), minlength=len(labels))
        share[empty] = 1.0 / size[member.ravel()[empty]]
    out[sampled] = drawn[member.ravel()] * share[:, None]
    return out


@dataclass(frozen=True)
class Acceptability:
    """SMAA-2 results for n options: acceptability (n, n) ranks 1..n; central (n, F) weight
    vectors (NaN rows for options never first); confidence (n,) (NaN likewise); stay_home: the
    share of draws in which no listed option beats not deploying (net <= 0 for all);
    recommended (n,): the share of draws in which the option is first AND beats not deploying
    (sums to 1 - stay_home: an option worse than staying home is never the recommendation)."""

    acceptability: np.ndarray
    central: np.ndarray
    confidence: np.ndarray
    stay_home: float = 1.0
    recommended: np.ndarray | None = None


def smaa2(factors: Factors, inputs: uncertainty.Inputs, design: uncertainty.Design, weights: np.ndarray,
          options: np.ndarray, seed: int = 0, concentration: float | None = CONCENTRATION) -> Acceptability:
    """SMAA-2 among the listed options (indices into the design: tens to a few hundred),
    sampling the category weights (weight_groups)."""
    options = np.asarray(options, dtype=np.intp)
    n, f = len(options), len(factors.codes)
    if n == 0:
        return Acceptability(np.zeros((0, 0)), np.zeros((0, f)), np.zeros(0), 1.0, np.zeros(0))
    sampled = sample_weights(weights, inputs.draws, seed, concentration, weight_groups(factors))   # (F, D)
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
    return Acceptability(acceptability, central, confidence, float((values.max(axis=0) <= 0).mean()),
                         (first & (values > 0)).mean(axis=1))


def first_rank(factors: Factors, inputs: uncertainty.Inputs, design: uncertainty.Design, weights: np.ndarray,
               candidates: np.ndarray, seed: int = 0, concentration: float | None = CONCENTRATION) -> np.ndarray:
    """(O,) first-rank acceptability over a whole grid: the share of joint draws in which the
    option is the best candidate (ties: the first in grid order). Sums to 1 over candidates."""
    sampled = sample_weights(weights, inputs.draws, seed, concentration, weight_groups(factors))
    best = uncertainty.best_per_draw(design, *uncertainty.signed_samples(factors, inputs, sampled), candidates)
    best = best[best >= 0]
    return np.bincount(best, minlength=len(design.a)) / inputs.draws
