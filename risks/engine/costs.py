"""Full costs of a contribution to Mexico, per person-month, and what the UN pays back. Pure numpy.

For each mode m (risks.engine.model.MODES), in US$ per person-month, each national cost a
(low, most likely, high) triple:

    national[m]      = personnel[m]                  pay, deployment allowances, UN-specific
                                                     training, rotation travel
                     + equipment[m]                  formed units: providing, running and
                                                     maintaining the unit's major equipment and
                                                     sustaining it in the mission
    reimbursed[m]    = share[m] x (troop_cost + supplements[m] + coe[m])
                       troop_cost: the General Assembly's rate for personnel (formed units only);
                       coe: contingent-owned equipment, major equipment under a wet lease plus
                       self-sustainment, spread over the unit's persons (COE Manual);
                       share: 1 when the UN reimburses Mexico's government, 0 when it pays the
                       individuals directly, a stated pass-through for an element embedded in
                       another country's unit (the memorandum of understanding is the lead
                       nation's)
    financing[m]     = reimbursed[m] x delay_months / 12 x annual_rate
                       the cost of waiting for the UN's late payments (the 2025-26 liquidity
                       crisis delayed payments to troop- and police-contributing countries)

The engine's Modes then take cost = national + financing (the delay's own range widens the
triple: low delay with the low cost, high with the high) and reimbursement = reimbursed, so the
net cost per person-month is national + financing - reimbursed, as in risks.engine.model.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class CostParts:
    """Per mode (M rows, MODES order). personnel, equipment, delay_months: (M, 3) triples, low
    <= most likely <= high, non-negative; troop_cost, supplements, coe: (M,) US$ per
    person-month; share (M,) in [0, 1]; annual_rate: the financing cost of a late payment, a
    year's interest per US$ owed (>= 0)."""

    personnel: np.ndarray
    equipment: np.ndarray
    troop_cost: np.ndarray
    supplements: np.ndarray
    coe: np.ndarray
    share: np.ndarray
    delay_months: np.ndarray
    annual_rate: float

    def __post_init__(self) -> None:
        m = len(self.share)
        for name in ("personnel", "equipment", "delay_months"):
            triple = np.asarray(getattr(self, name), dtype=float)
            if triple.shape != (m, 3) or (triple < 0).any() or (np.diff(triple, axis=1) < 0).any():
                raise ValueError(f"{name} must be ({m}, 3), non-negative, low <= most likely <= high")
        for name in ("troop_cost", "supplements", "coe"):
            values = np.asarray(getattr(self, name), dtype=float)
            if values.shape != (m,) or (values < 0).any() or not np.isfinite(values).all():
                raise ValueError(f"{name} must be one non-negative amount per mode")
        share = np.asarray(self.share, dtype=float)
        if ((share < 0) | (share > 1)).any():
            raise ValueError("share must lie in [0, 1]")
        if not np.isfinite(self.annual_rate) or self.annual_rate < 0:
            raise ValueError("annual_rate must be a non-negative rate")

    @property
    def reimbursed(self) -> np.ndarray:
        """(M,) US$ per person-month the UN pays Mexico."""
        return np.asarray(self.share, dtype=float) * (np.asarray(self.troop_cost, dtype=float)
                                                      + np.asarray(self.supplements, dtype=float)
                                                      + np.asarray(self.coe, dtype=float))

    @property
    def financing(self) -> np.ndarray:
        """(M, 3) US$ per person-month: the cost of waiting delay_months for the reimbursement."""
        return self.reimbursed[:, None] * np.asarray(self.delay_months, dtype=float) / 12 * self.annual_rate

    @property
    def national(self) -> np.ndarray:
        """(M, 3) US$ per person-month Mexico spends."""
        return np.asarray(self.personnel, dtype=float) + np.asarray(self.equipment, dtype=float)

    def engine_costs(self) -> tuple[np.ndarray, np.ndarray]:
        """(cost (M, 3), reimbursement (M,)) for risks.engine.model.Modes."""
        return self.national + self.financing, self.reimbursed
