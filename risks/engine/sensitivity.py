"""Sensitivity: a tornado from each input's own P10/P90, and break-even weights. Pure numpy.

Tornado (one input at a time, the others at their expectation): for a judgement factor the
input is L x I, for the fatality factor the mission's rate lambda, for the cost factor the
mode's net cost per person-month; each is set to the P10 and the P90 of its own Monte Carlo
draws, so a bar spans what the simulation actually explores (joint extremes of L and I, never
reached together, are not used). Because the net score is linear in each input,

    net(input = q) = net - contribution[f] + contribution[f] * q / E[input]

Break-even weights (for the best admissible option b): the net score is linear in each weight,
net_j(w_f + delta) = net_j + delta * g_j with g_j = sign_f exposure[j, f]. Competitor j overtakes
b when delta = (net_b - net_j) / (g_j - g_b); the smallest such change upwards (g_j > g_b) and
downwards (g_j < g_b, and w_f + delta >= 0) is the factor's break-even, with the option that
then takes the top rank. A factor with no break-even cannot change the top rank alone.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from risks.engine import uncertainty
from risks.engine.model import Factors, Grid, Modes, Scores


def tornado(factors: Factors, grid: Grid, modes: Modes, scores: Scores, inputs: uncertainty.Inputs,
            option: int) -> pd.DataFrame:
    """Columns factor, low, high (net score with the input at its P10 / P90), swing = |high -
    low|, sorted by swing; attrs['base'] = the option's expected net score."""
    contribution = scores.contributions[option]
    base = float(scores.net[option])
    fat, cost = factors.index_of("fatalities"), factors.index_of("net_cost")
    rows = []
    for f, code in enumerate(factors.codes):
        if f == fat:
            sample = inputs.hazard[grid.mission_idx[option], grid.group_idx(modes)[option]]
        elif f == cost:
            sample = inputs.cost[grid.mode_idx[option]]
        else:
            sample = inputs.li[f]
        mean = float(np.mean(sample))
        p10, p90 = np.quantile(sample, (0.1, 0.9))
        low, high = (p10 / mean, p90 / mean) if mean else (1.0, 1.0)
        rows.append({"factor": code, "low": base + contribution[f] * (low - 1),
                     "high": base + contribution[f] * (high - 1)})
    frame = pd.DataFrame(rows)
    frame["swing"] = (frame["high"] - frame["low"]).abs()
    frame = frame.sort_values("swing", ascending=False, kind="stable").reset_index(drop=True)
    frame.attrs["base"] = base
    return frame


def break_even(factors: Factors, scores: Scores, admissible: np.ndarray) -> pd.DataFrame:
    """One row per factor: weight, up_weight / up_option (the smallest higher weight at which
    another option becomes best, and which; NaN / -1 if none), down_weight / down_option
    likewise downwards (to 0 at least). attrs['best'] = the best option (index), or -1."""
    candidates = np.flatnonzero(np.asarray(admissible, dtype=bool))
    rows = []
    if not len(candidates):
        frame = pd.DataFrame(columns=["factor", "weight", "up_weight", "up_option", "down_weight", "down_option"])
        frame.attrs["best"] = -1
        return frame
    net = scores.net[candidates]
    b = int(np.argmax(net))
    gap = net[b] - net                                                     # >= 0
    for f, code in enumerate(factors.codes):
        g = scores.sign[f] * scores.exposure[candidates, f]
        slope = g - g[b]
        with np.errstate(divide="ignore", invalid="ignore"):
            delta = np.where(slope != 0, gap / slope, np.nan)
        delta[b] = np.nan
        w = float(scores.weights[f])
        up = np.where(slope > 0, delta, np.inf)
        down = np.where((slope < 0) & (delta >= -w), delta, -np.inf)
        j_up, j_down = int(np.argmin(up)), int(np.argmax(down))
        rows.append({
            "factor": code, "weight": w,
            "up_weight": w + up[j_up] if np.isfinite(up[j_up]) else np.nan,
            "up_option": int(candidates[j_up]) if np.isfinite(up[j_up]) else -1,
            "down_weight": w + down[j_down] if np.isfinite(down[j_down]) else np.nan,
            "down_option": int(candidates[j_down]) if np.isfinite(down[j_down]) else -1,
        })
    frame = pd.DataFrame(rows)
    frame.attrs["best"] = int(candidates[b])
    return frame
