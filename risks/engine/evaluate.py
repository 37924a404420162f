"""The full pass over a grid: expected scores, Monte Carlo, deal-breakers, ranks, SMAA.

    admissible = passes the gates (verdict below infeasible) and breaks no deal-breaker
    baseline   = not deploying's value under the method: 0 net score (weighted sum), or its
                 closeness when it joins TOPSIS as an option (risks.engine.mcda.anchored_topsis)
    rank       = rank among admissible options that beat not deploying (value > baseline), by
                 net score or anchored TOPSIS closeness; an option worse than not deploying is
                 never ranked (the frame says so in 'below_baseline')
    acceptability = SMAA first-rank acceptability among admissible options (joint weight and
                    input draws, weights around the analyst's; risks.engine.smaa)
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import pandas as pd

from risks.engine import gates, mcda, smaa, uncertainty
from risks.engine.model import Factors, Grid, Modes, Scores, check_weights, score, terms

METHODS = ("weighted_sum", "topsis")


@dataclass(frozen=True)
class Evaluation:
    frame: pd.DataFrame
    scores: Scores
    uncertainty: uncertainty.Uncertainty
    inputs: uncertainty.Inputs
    design: uncertainty.Design
    broken: np.ndarray          # (O, len(DEALBREAKERS)) bool
    admissible: np.ndarray      # (O,) bool
    by: np.ndarray              # (O,) the ranking value
    baseline: float = 0.0       # not deploying's ranking value


def results_frame(grid: Grid, scores: Scores, mc: uncertainty.Uncertainty, ranks: np.ndarray) -> pd.DataFrame:
    """One row per option, in grid order: mission, mode, functions, size, months, risk,
    opportunity, net, p10, p50, p90, p_positive, expected_fatalities, p_any_fatality,
    net_cost_usd (per year), rank (Int64, <NA> where not ranked)."""
    frame = grid.labels()
    for name, values in (("risk", scores.risk), ("opportunity", scores.opportunity), ("net", scores.net),
                         ("p10", mc.p10), ("p50", mc.p50), ("p90", mc.p90), ("p_positive", mc.p_positive),
                         ("expected_fatalities", scores.expected_fatalities),
                         ("p_any_fatality", scores.p_any_fatality), ("net_cost_usd", scores.net_cost_usd)):
        frame[name] = np.asarray(values, dtype=float)
    unranked = np.isnan(ranks)
    frame["rank"] = pd.arrays.IntegerArray(np.where(unranked, 0, ranks).astype(np.int64), unranked)
    return frame


def evaluate(factors: Factors, grid: Grid, weights: np.ndarray, modes: Modes | None = None,
             feasible: np.ndarray | None = None, dealbreakers: gates.DealBreakers | None = None,
             outlives_mandate: np.ndarray | None = None, method: str = "weighted_sum", draws: int = 1000,
             seed: int = 0, distribution: str = "pert", acceptability: bool = True) -> Evaluation:
    """feasible (O,) bool: passes the gates (default all); outlives_mandate (O,) bool for the
    'within_mandate' deal-breaker. Returns the Evaluation (its frame per results_frame, plus
    'acceptability', 'below_baseline' and, for TOPSIS, 'topsis')."""
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}: use 'weighted_sum' or 'topsis'")
    modes = Modes.default() if modes is None else modes
    weights = check_weights(factors, weights)
    feasible = np.ones(len(grid), dtype=bool) if feasible is None else np.asarray(feasible, dtype=bool)
    outlives = np.zeros(len(grid), dtype=bool) if outlives_mandate is None else np.asarray(outlives_mandate, bool)
    with ThreadPoolExecutor(1) as background:  # the deterministic work overlaps the draws and the Monte Carlo
        drawn = background.submit(uncertainty.sample_inputs, factors, grid, modes, draws, seed, distribution)
        t = terms(factors, grid)
        d = uncertainty.design(factors, grid, modes, t)
        inputs = drawn.result()
        simulated = background.submit(uncertainty.monte_carlo, factors, grid, weights, modes,
                                      inputs=inputs, design_=d)
        scores = score(factors, grid, weights, modes, t)
        mc, _, _ = simulated.result()
    broken = (dealbreakers or gates.DealBreakers()).broken(
        scores.expected_fatalities, scores.p_any_fatality, scores.net_cost_usd, mc.p_positive, outlives)
    admissible = feasible & ~broken.any(axis=1)
    if method == "topsis":
        by, baseline = mcda.anchored_topsis(scores.exposure, weights, ~factors.is_risk, admissible)
    else:
        by, baseline = scores.net, 0.0
    below = by <= baseline
    ranks = mcda.rank(by, admissible & ~below)
    frame = results_frame(grid, scores, mc, ranks)
    frame["below_baseline"] = below
    if acceptability:
        frame["acceptability"] = smaa.first_rank(factors, inputs, d, weights, np.flatnonzero(admissible), seed)
    if method == "topsis":
        frame["topsis"] = by
    return Evaluation(frame, scores, mc, inputs, d, broken, admissible, by, baseline)
