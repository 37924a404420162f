"""The 2025-26 UN cuts in numbers: expected strength after a cut, and what a reimbursement delay
costs a contributor. Pure numpy; the data (shares, delays, sources) is curated in the missions
app (MissionCut, data/curated/un_cuts.csv).

expected_strength:  S' = S * (1 - c), c the share of uniformed personnel the mission repatriates
                    (NaN or missing: no published cut, c = 0).
delay_cost:         a sum R the UN owes, paid d months later than usual, costs the contributor the
                    interest it forgoes (or pays) meanwhile: R * ((1 + r) ** (d / 12) - 1), r the
                    contributor's annual cost of money (a decimal; the analyst's, e.g. the yield of
                    Mexico's government paper). Same currency as R; 0 when d = 0.

Reference: UN officials' briefing of 8 October 2025 (about 25% of troops and police repatriated,
13,000-14,000 people, budgets cut by about 15%); UN News, 17 October 2025.
"""

from __future__ import annotations

import numpy as np


def expected_strength(strength, cut_share) -> np.ndarray:
    """strength (n,) personnel now; cut_share (n,) in [0, 1] or NaN. Returns (n,) float."""
    share = np.nan_to_num(np.asarray(cut_share, dtype=float), nan=0.0)
    if ((share < 0) | (share > 1)).any():
        raise ValueError("a cut is a share between 0 and 1")
    return np.asarray(strength, dtype=float) * (1.0 - share)


def delay_cost(amount, delay_months, annual_rate: float) -> np.ndarray:
    """amount (n,) what the UN owes (e.g. a year's reimbursement, US$); delay_months (n,) how much
    later than usual it pays (NaN = no delay known, 0); annual_rate >= 0. Returns (n,) the cost."""
    if annual_rate < 0:
        raise ValueError("the cost of money is not negative")
    months = np.nan_to_num(np.asarray(delay_months, dtype=float), nan=0.0)
    if (months < 0).any():
        raise ValueError("a delay is not negative")
    return np.asarray(amount, dtype=float) * ((1.0 + annual_rate) ** (months / 12.0) - 1.0)
