"""The multi-attribute value model: criteria, their stated ranges, and the prices of a death and
of a US$. Pure numpy.

Multi-attribute value theory (Keeney and Raiffa, *Decisions with Multiple Objectives*, 1976;
Belton and Stewart, *Multiple Criteria Decision Analysis*, 2002, ch. 5). Every criterion f has
an attribute x_f in its natural unit and a partial value function from a STATED worst level
to a STATED best level, fixed in the catalogue (risks/catalogue/criteria.csv), never re-derived
from the options a scenario happens to hold:

    z_f(x) = (x - worst_f) / (best_f - worst_f)          0 at the worst level, 1 at the best
    v_f(x) = z_f(x)                                       linear (curvature c = 0)
    v_f(x) = (1 - exp(-c z)) / (1 - exp(-c))              exponential, curvature c != 0
                                                          (Kirkwood, *Strategic Decision Making*,
                                                          1997, ch. 4: c > 0 concave, c < 0 convex)

Levels outside [worst, best] extend the same curve (a contingent in a lethal mission can be
worse than the stated worst level; nothing is clipped). Three attributes:

    judgement   the curated judgement scale: E[L] E[I] x modifier x s(n) (risks.engine.model),
                worst 1 for a risk (certain, full impact, at the most aggravating mode, functions
                and mission, at N_REF persons), best 0 (the risk does not arise); reversed for
                an opportunity (worst 0: nothing gained; best 1: realised in full)
    fatalities  expected deaths of Mexican personnel a year (the data-calibrated hazard)
    net_cost    net fiscal cost to Mexico, US$ a year (risks.engine.costs)

The option's value is the weighted sum (additive model; preferential independence assumed):

    V(o) = sum_f w_f v_f(x_f(o)),    and relative to not deploying (x = 0 everywhere)
    net(o) = V(o) - V(stay home) = sum_f w_f (v_f(x_f(o)) - v_f(0))

With linear partial values and 0 at one end of every stated range (the catalogue's rule:
not deploying sits at the best level of every risk and the worst of every opportunity),

    net(o) = sum_f sign_f w_f x_f(o) / span_f,     span_f = |best_f - worst_f|,
    sign_f = +1 if best_f > worst_f (an opportunity), -1 otherwise (a risk)

which is what risks.engine.model computes (its exposure is x_f / span_f). The Monte Carlo's
one-product form (risks.engine.uncertainty) needs this linearity, so the catalogue's criteria
are linear; partial_value() gives the exponential shape for the deterministic reading of a
single criterion.

Weights are swing weights on those ranges (von Winterfeldt and Edwards 1986, ch. 8): w_f is
the value of moving criterion f from its worst to its best level. The analyst weighs the
CATEGORIES (a category's swing moves all its judgement criteria from worst to best at once);
within a category the factor weights are shares (they sum to one over the category's
judgement criteria). The two data criteria are priced instead (Prices):

    w_net_cost   = span_net_cost   / usd_per_point
    w_fatalities = span_fatalities x value_of_death / usd_per_point

usd_per_point: the US$ a year of net cost that weigh as much as the full swing of a category
at weight 1 (the heaviest category, as scenarios store them). value_of_death: the US$ one
expected death a year weighs, so the analysis values an expected death at value_of_death.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

ATTRIBUTES = ("judgement", "fatalities", "net_cost")


@dataclass(frozen=True)
class Criterion:
    """One attribute's stated range: worst and best levels in `unit`; curvature 0 = linear."""

    attribute: str
    unit: str
    worst: float
    best: float
    curvature: float = 0.0
    source: str = ""

    def __post_init__(self) -> None:
        if self.attribute not in ATTRIBUTES:
            raise ValueError(f"attribute must be one of {ATTRIBUTES}")
        if not (np.isfinite(self.worst) and np.isfinite(self.best) and np.isfinite(self.curvature)):
            raise ValueError(f"{self.attribute}: worst, best and curvature must be finite")
        if self.worst == self.best:
            raise ValueError(f"{self.attribute}: the worst and best levels must differ")
        if 0.0 not in (self.worst, self.best):
            raise ValueError(f"{self.attribute}: not deploying (level 0) must be the worst or the best level")

    @property
    def span(self) -> float:
        return abs(self.best - self.worst)

    def value(self, x) -> np.ndarray:
        return partial_value(x, self.worst, self.best, self.curvature)


def partial_value(x, worst: float, best: float, curvature: float = 0.0) -> np.ndarray:
    """v(x) on the stated range (module docstring): 0 at worst, 1 at best, extended beyond."""
    z = (np.asarray(x, dtype=float) - worst) / (best - worst)
    if curvature == 0:
        return z
    return -np.expm1(-curvature * z) / -np.expm1(-curvature)


# The stated ranges the app ships (risks/catalogue/criteria.csv holds the same, with sources);
# the pure engine's default when no catalogue is given. Not deploying is 0 on every attribute.
JUDGEMENT_RISK = Criterion("judgement", "judgement scale", 1.0, 0.0)
JUDGEMENT_OPPORTUNITY = Criterion("judgement", "judgement scale", 0.0, 1.0)
FATALITIES = Criterion("fatalities", "expected deaths a year", 1.0, 0.0)
NET_COST = Criterion("net_cost", "US$ a year", 50_000_000.0, 0.0)


@dataclass(frozen=True)
class Ranges:
    """The stated range of each attribute: judgement (for risks; opportunities mirror it),
    fatalities and net_cost."""

    judgement: Criterion = JUDGEMENT_RISK
    fatalities: Criterion = FATALITIES
    net_cost: Criterion = NET_COST

    def __post_init__(self) -> None:
        for name in ATTRIBUTES:
            criterion = getattr(self, name)
            if criterion.attribute != name:
                raise ValueError(f"the {name} range describes {criterion.attribute}")
            if criterion.curvature != 0:
                raise ValueError(f"{name}: the Monte Carlo needs linear partial values (curvature 0)")
        for name in ("fatalities", "net_cost"):
            if getattr(self, name).best > getattr(self, name).worst:
                raise ValueError(f"{name} is a risk: its best level is below its worst")

    def spans(self, quantity) -> np.ndarray:
        """(F,) span per factor from its quantity (one of ATTRIBUTES)."""
        table = {name: getattr(self, name).span for name in ATTRIBUTES}
        return np.array([table[q] for q in np.asarray(quantity)], dtype=float)

    def for_factor(self, quantity: str, sign: int) -> Criterion:
        """The factor's criterion: judgement opportunities run from 0 (worst) to the span (best)."""
        criterion = getattr(self, quantity)
        if quantity == "judgement" and sign > 0:
            return Criterion("judgement", criterion.unit, 0.0, criterion.span, criterion.curvature, criterion.source)
        return criterion


DEFAULT_RANGES = Ranges()

# US DOT, "Departmental Guidance on Valuation of a Statistical Life in Economic Analysis":
# US$13.2 million for analyses with base year 2023. The premium is the product's assumption.
VSL_USD = 13_200_000.0
POLITICAL_PREMIUM = 7.5
DEFAULT_VALUE_OF_DEATH_USD = VSL_USD * POLITICAL_PREMIUM      # US$ 99 million
# The product's judgement, stated as such: a category's full swing at weight 1 weighs as much as
# the net-cost criterion's own full swing (US$50 million a year to 0), so w_net_cost = 1.
DEFAULT_USD_PER_POINT = NET_COST.span


@dataclass(frozen=True)
class Prices:
    """value_of_death_usd: US$ per expected death; usd_per_point: US$ a year of net cost worth
    the full swing of a category at weight 1. Both > 0."""

    value_of_death_usd: float = DEFAULT_VALUE_OF_DEATH_USD
    usd_per_point: float = DEFAULT_USD_PER_POINT

    def __post_init__(self) -> None:
        for name in ("value_of_death_usd", "usd_per_point"):
            value = getattr(self, name)
            if not np.isfinite(value) or value <= 0:
                raise ValueError(f"{name} must be a positive amount")


def factor_weights(quantity, category, span, category_weights: dict, shares: dict, codes,
                   prices: Prices = Prices()) -> np.ndarray:
    """(F,) weight per factor: category weight x the factor's share of its category's judgement
    criteria (factor weights normalised within the category; default equal); for the data
    criteria, the weight their price gives on their span (F,). category_weights and shares:
    non-negative, default 1."""
    quantity, category, span = np.asarray(quantity), np.asarray(category), np.asarray(span, dtype=float)
    raw = np.array([max(float(shares.get(code, 1.0)), 0.0) for code in codes])
    judgement = quantity == "judgement"
    out = np.zeros(len(quantity))
    for cat in np.unique(category[judgement]):
        members = judgement & (category == cat)
        total = raw[members].sum()
        if total > 0:
            out[members] = max(float(category_weights.get(cat, 1.0)), 0.0) * raw[members] / total
    fatalities, cost = quantity == "fatalities", quantity == "net_cost"
    out[fatalities] = span[fatalities] * prices.value_of_death_usd / prices.usd_per_point
    out[cost] = span[cost] / prices.usd_per_point
    return out


def implied_value_of_death(weights: np.ndarray, quantity, span) -> float | None:
    """US$ per expected death that weights (F,) imply: (w_fat / span_fat) / (w_cost / span_cost);
    None without both data criteria or with a zero cost weight."""
    quantity, span = np.asarray(quantity), np.asarray(span, dtype=float)
    fat, cost = np.flatnonzero(quantity == "fatalities"), np.flatnonzero(quantity == "net_cost")
    if not len(fat) or not len(cost) or weights[cost[0]] <= 0:
        return None
    return float((weights[fat[0]] / span[fat[0]]) / (weights[cost[0]] / span[cost[0]]))
