"""The value model: what an option is, and its expected score. Pure numpy/pandas.

An *option* is a cell of the selective-peacekeeping grid: one mission i x one contribution mode
m x one set G of the mission's functions (a bitmask), with a size n (persons) and a duration
T (months). A *factor* f is a risk (sign -1) or an opportunity (sign +1) measured by one of
three quantities:

* ``judgement``: a curated likelihood L and impact I, each a (low, most likely, high) triple in
  [0, 1], shaped by multipliers for the mode, the functions and the mission's features:

      modifier[o, f] = mode[f, m] * prod_k feature[f, k] ** x[i, k]
                       / (max_m' mode[f, m'] * prod_k max(1, feature[f, k]))
                     * max_{g in G} function[f, g] / max_g' function[f, g']          in [0, 1]
      exposure[o, f] = E[L_f] * E[I_f] * modifier[o, f] * s(n) ** size_scaled[f]

  with the size curve (diminishing returns, Bernoulli's log utility of headcount)

      s(n) = log(1 + n / N0) / log(1 + N_REF / N0),     N0 = 10, N_REF = 1000

  so s(10) = 0.15, s(150) = 0.60, s(1000) = 1: ten persons give 15% of what a battalion-size
  contribution gives; s is increasing and concave, and s(n) > 1 beyond N_REF (not capped).

* ``fatalities``: expected uniformed fatalities a year from the data-calibrated hazard (see
  risks.engine.hazard), over the criterion's stated span (risks.engine.value):

      EF[o]          = lambda[i, group(m)] * person_years[o] * max(1, max_{g in G} function[f, g]) / 1000
      exposure[o, f] = EF[o] / (T / 12) / span_f,    span_f = 1 expected death a year by default

  lambda is the mission's fatality rate per 1,000 person-years for the personnel group the mode
  sends (formed units or individuals); function multipliers here are raw (1 = the mission's
  average exposure), and person_years = n * T / 12. EF is over the whole deployment (shown and
  used by deal-breakers); the exposure is per year, like the cost and the opportunities, so the
  duration does not tilt the balance. Not capped: a large contingent in a lethal mission can be
  beyond the stated worst level.

* ``net_cost``: the net fiscal cost to Mexico per year (see risks.engine.costs), over its span:

      exposure[o, f] = n * 12 * (E[cost_m] - reimbursement_m) / span_f,  span_f = US$50 million a year

Judgement exposures are divided by their span too (1 on the judgement scale by default), so
every exposure is the option's partial value relative to not deploying: x_f / |best_f - worst_f|
(risks.engine.value). The weight of a data criterion is priced there (the analyst's price of
an expected death and of a US$), not set here.

Scores, for weights w >= 0 (any scale; never renormalised by their sum, never divided by the
number of factors, so adding a factor leaves every other factor's contribution unchanged):

    contribution[o, f] = sign[f] * w[f] * exposure[o, f]
    risk[o]            = sum over risks of w * exposure                     >= 0
    opportunity[o]     = sum over opportunities of w * exposure             >= 0
    net[o]             = opportunity[o] - risk[o]

Raising a risk's weight can only lower a net score, raising an opportunity's only raise it. The
deterministic pass uses the expectation of every uncertain input (E[L] E[I] with the PERT means,
the posterior mean of lambda, the PERT mean of the cost), so it equals the Monte Carlo mean
(risks.engine.uncertainty) up to sampling error.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

from risks.engine.value import DEFAULT_RANGES

MODES = ("national_contingent", "private_military_company", "mixed_contingent", "individual", "civilian")
FORMED_MODES = ("national_contingent", "private_military_company", "mixed_contingent")
FUNCTIONS = ("ceasefire_monitoring", "public_security_police", "humanitarian_relief", "political_process",
             "confidence_building", "electoral_assistance", "rule_of_law", "peacebuilding_ddr",
             "protection_of_civilians", "human_rights")
FEATURES = ("hostility", "chapter_vii", "spanish_host", "latam_presence", "duration")
QUANTITIES = ("judgement", "fatalities", "net_cost")
GROUPS = ("formed", "individual")        # hazard groups: who the mode sends
MAX_FUNCTIONS = 8                        # 2**8 - 1 = 255 function sets per mission and mode
N0, N_REF = 10.0, 1000.0                 # the size curve s(n)


def size_curve(n: np.ndarray | float) -> np.ndarray:
    """s(n) = log(1 + n / N0) / log(1 + N_REF / N0): 0 at n = 0, 1 at N_REF, concave."""
    return np.log1p(np.asarray(n, dtype=float) / N0) / np.log1p(N_REF / N0)


def pert_mean(triples: np.ndarray) -> np.ndarray:
    """(N,) PERT mean (low + 4 most likely + high) / 6 of (N, 3) triples."""
    triples = np.asarray(triples, dtype=float)
    return (triples[:, 0] + 4 * triples[:, 1] + triples[:, 2]) / 6


# --- inputs ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Factors:
    """The factor table, F rows in a fixed order.

    codes (F,) str; sign (F,) +1 opportunity / -1 risk; category (F,) str;
    likelihood, impact (F, 3): low <= most likely <= high, in [0, 1] (used by judgement factors
    only); mode_effect (F, len(MODES)), function_effect (F, G), feature_effect (F, len(FEATURES)):
    non-negative multipliers (1 = no effect, 0 = switched off); quantity (F,) one of QUANTITIES
    (at most one 'fatalities' and one 'net_cost' factor); size_scaled (F,) bool: the judgement
    exposure grows with s(n). correlation (F, F): the Gaussian-copula correlation of the
    factors' likelihoods (identity: independent). span (F,) > 0: |best - worst| of the factor's
    stated range in its attribute's unit (risks.engine.value; default DEFAULT_RANGES).
    """

    codes: tuple[str, ...]
    sign: np.ndarray
    category: np.ndarray
    likelihood: np.ndarray
    impact: np.ndarray
    mode_effect: np.ndarray
    function_effect: np.ndarray
    feature_effect: np.ndarray
    quantity: np.ndarray | None = None
    size_scaled: np.ndarray | None = None
    correlation: np.ndarray | None = None
    span: np.ndarray | None = None

    def __post_init__(self) -> None:
        f = len(self.codes)
        if self.quantity is None:
            object.__setattr__(self, "quantity", np.array(["judgement"] * f))
        if self.size_scaled is None:
            object.__setattr__(self, "size_scaled", np.zeros(f, dtype=bool))
        if self.correlation is None:
            object.__setattr__(self, "correlation", np.eye(f))
        for name in ("sign", "category", "likelihood", "impact", "mode_effect", "function_effect", "feature_effect",
                     "quantity", "size_scaled"):
            if len(getattr(self, name)) != f:
                raise ValueError(f"{name} has {len(getattr(self, name))} rows for {f} factors")
        for name in ("likelihood", "impact"):
            triple = np.asarray(getattr(self, name), dtype=float)
            if triple.shape != (f, 3) or (triple < 0).any() or (triple > 1).any() or (np.diff(triple, axis=1) < 0).any():
                raise ValueError(f"{name} must be (factors, 3) with low <= most likely <= high within [0, 1]")
        if not np.isin(self.sign, (-1, 1)).all():
            raise ValueError("sign must be +1 (opportunity) or -1 (risk)")
        if np.asarray(self.mode_effect).shape != (f, len(MODES)):
            raise ValueError(f"mode_effect must be (factors, {len(MODES)})")
        if np.asarray(self.feature_effect).shape != (f, len(FEATURES)):
            raise ValueError(f"feature_effect must be (factors, {len(FEATURES)})")
        for name in ("mode_effect", "function_effect", "feature_effect"):
            effect = np.asarray(getattr(self, name), dtype=float)
            if not np.isfinite(effect).all() or (effect < 0).any():
                raise ValueError(f"{name} must be finite and non-negative")
        quantity = np.asarray(self.quantity)
        if not np.isin(quantity, QUANTITIES).all():
            raise ValueError(f"quantity must be one of {QUANTITIES}")
        for name in ("fatalities", "net_cost"):
            if (quantity == name).sum() > 1:
                raise ValueError(f"at most one factor may measure {name}")
        if self.span is None:
            object.__setattr__(self, "span", DEFAULT_RANGES.spans(quantity))
        span = np.asarray(self.span, dtype=float)
        if span.shape != (f,) or not np.isfinite(span).all() or (span <= 0).any():
            raise ValueError("span must be one positive, finite range per factor")
        r = np.asarray(self.correlation, dtype=float)
        if r.shape != (f, f) or not np.allclose(r, r.T) or not np.allclose(np.diag(r), 1) or (np.abs(r) > 1).any():
            raise ValueError("correlation must be a symmetric (factors, factors) matrix with a unit diagonal")
        if f and np.linalg.eigvalsh(r).min() < -1e-9:
            raise ValueError("correlation must be positive semi-definite (these correlations cannot hold together)")

    @property
    def is_risk(self) -> np.ndarray:
        return np.asarray(self.sign) < 0

    @property
    def judgement(self) -> np.ndarray:
        return np.asarray(self.quantity) == "judgement"

    def index_of(self, quantity: str) -> int | None:
        found = np.flatnonzero(np.asarray(self.quantity) == quantity)
        return int(found[0]) if len(found) else None

    def expected_li(self) -> np.ndarray:
        """(F,) E[L] E[I] (PERT means) for judgement factors, 1 for the others."""
        return np.where(self.judgement, pert_mean(self.likelihood) * pert_mean(self.impact), 1.0)

    def reordered(self, order) -> Factors:
        """The same factors in another order."""
        order = np.asarray(order)
        return Factors(tuple(np.asarray(self.codes)[order]), *(np.asarray(getattr(self, name))[order] for name in (
            "sign", "category", "likelihood", "impact", "mode_effect", "function_effect", "feature_effect",
            "quantity", "size_scaled")), correlation=np.asarray(self.correlation)[np.ix_(order, order)],
            span=np.asarray(self.span)[order])


@dataclass(frozen=True)
class Modes:
    """Per contribution mode (len(MODES),), in MODES order.

    cost (M, 3): national cost per person-month in US$ (low, most likely, high);
    reimbursement (M,): what the UN pays the government per person-month (0 where it pays the
    personnel directly); group (M,): index into GROUPS of the hazard group the mode sends.
    """

    cost: np.ndarray
    reimbursement: np.ndarray
    group: np.ndarray

    def __post_init__(self) -> None:
        cost = np.asarray(self.cost, dtype=float)
        if cost.shape != (len(MODES), 3) or (cost < 0).any() or (np.diff(cost, axis=1) < 0).any():
            raise ValueError(f"cost must be ({len(MODES)}, 3), non-negative, low <= most likely <= high")
        if np.shape(self.reimbursement) != (len(MODES),) or (np.asarray(self.reimbursement) < 0).any():
            raise ValueError("reimbursement must be one non-negative amount per mode")
        if np.shape(self.group) != (len(MODES),) or not np.isin(self.group, range(len(GROUPS))).all():
            raise ValueError(f"group must index {GROUPS}, one per mode")

    @classmethod
    def default(cls) -> Modes:
        """Illustrative values for tests and benchmarks (the app reads curated ones)."""
        return cls(cost=np.array([[2500, 3500, 5000], [4000, 6000, 9000], [2200, 3000, 4500], [1500, 2000, 3000],
                                  [2000, 3000, 4500]]),
                   reimbursement=np.array([1428, 1428, 1428, 0.0, 0.0]), group=np.array([0, 0, 0, 1, 1]))


@dataclass(frozen=True)
class Grid:
    """The options to score.

    missions (Nm,) and functions (G,) are vocabularies; features (Nm, len(FEATURES)) in [0, 1];
    hazard_shape, hazard_rate (Nm, len(GROUPS)): the Gamma posterior of each mission's fatality
    rate per 1,000 person-years, per hazard group (rate in thousands of person-years), see
    risks.engine.hazard. Per option (O,): mission_idx, mode_idx, function_mask (bitmask over
    functions), size (persons > 0), months (> 0).
    """

    missions: tuple[str, ...]
    functions: tuple[str, ...]
    features: np.ndarray
    mission_idx: np.ndarray
    mode_idx: np.ndarray
    function_mask: np.ndarray
    size: np.ndarray | None = None
    months: np.ndarray | None = None
    hazard_shape: np.ndarray | None = None
    hazard_rate: np.ndarray | None = None

    def __post_init__(self) -> None:
        n, nm = len(self.mission_idx), len(self.missions)
        if self.size is None:
            object.__setattr__(self, "size", np.full(n, 10.0))
        if self.months is None:
            object.__setattr__(self, "months", np.full(n, 12.0))
        if self.hazard_shape is None:  # no data: 1 death per 1,000 person-years, weakly known
            object.__setattr__(self, "hazard_shape", np.full((nm, len(GROUPS)), 1.0))
            object.__setattr__(self, "hazard_rate", np.full((nm, len(GROUPS)), 1.0))
        features = np.asarray(self.features, dtype=float)
        if features.shape != (nm, len(FEATURES)):
            raise ValueError(f"features must be (missions, {len(FEATURES)}), not {features.shape}")
        if not ((features >= 0) & (features <= 1)).all():
            raise ValueError("mission features must lie in [0, 1]")
        if not n == len(self.mode_idx) == len(self.function_mask) == len(self.size) == len(self.months):
            raise ValueError("mission_idx, mode_idx, function_mask, size and months need one entry per option")
        if n and (not np.isfinite(self.size).all() or (np.asarray(self.size) <= 0).any()
                  or (np.asarray(self.months) <= 0).any()):
            raise ValueError("size and months must be positive")
        for name in ("hazard_shape", "hazard_rate"):
            value = np.asarray(getattr(self, name), dtype=float)
            if value.shape != (nm, len(GROUPS)) or (value <= 0).any():
                raise ValueError(f"{name} must be positive, (missions, {len(GROUPS)})")

    def __len__(self) -> int:
        return len(self.mission_idx)

    def take(self, options) -> Grid:
        """A grid of the listed options (indices or a boolean mask), same vocabularies."""
        return Grid(self.missions, self.functions, self.features, np.asarray(self.mission_idx)[options],
                    np.asarray(self.mode_idx)[options], np.asarray(self.function_mask)[options],
                    np.asarray(self.size)[options], np.asarray(self.months)[options],
                    self.hazard_shape, self.hazard_rate)

    @property
    def person_years(self) -> np.ndarray:
        return np.asarray(self.size, dtype=float) * np.asarray(self.months, dtype=float) / 12

    def group_idx(self, modes: Modes) -> np.ndarray:
        return np.asarray(modes.group)[np.asarray(self.mode_idx)]

    def labels(self) -> pd.DataFrame:
        """Columns mission, mode, functions ('+'-joined codes), categorical; size, months."""
        masks = np.asarray(self.function_mask, dtype=np.int64)
        if len(self.functions) <= 16:  # cheaper than np.unique: mark the masks present in a table
            present = np.zeros(1 << len(self.functions), dtype=bool)
            present[masks] = True
            distinct = np.flatnonzero(present)
            codes = (np.cumsum(present) - 1)[masks]
        else:
            distinct, codes = np.unique(masks, return_inverse=True)
        joined = ["+".join(code for g, code in enumerate(self.functions) if mask >> g & 1) for mask in distinct]
        return pd.DataFrame({
            "mission": pd.Categorical.from_codes(self.mission_idx, categories=list(self.missions)),
            "mode": pd.Categorical.from_codes(self.mode_idx, categories=list(MODES)),
            "functions": pd.Categorical.from_codes(np.asarray(codes).ravel(), categories=joined),
            "size": np.asarray(self.size, dtype=float), "months": np.asarray(self.months, dtype=float),
        })


def function_sets(own, max_functions: int = MAX_FUNCTIONS) -> np.ndarray:
    """Bitmasks of every non-empty subset of the functions `own` (indices into the vocabulary),
    counting only the first `max_functions`: (2**k - 1,) int64, smaller sets first."""
    own = np.asarray(list(own)[:max_functions], dtype=np.int64)
    subsets = np.arange(1, 1 << len(own), dtype=np.int64)
    bits = (subsets[:, None] >> np.arange(len(own))) & 1
    masks = bits @ (np.int64(1) << own) if len(own) else np.zeros(0, dtype=np.int64)
    return masks[np.lexsort((masks, bits.sum(axis=1)))]


def build_grid(missions, mission_functions, functions, features, modes=None,
               max_functions: int = MAX_FUNCTIONS, sizes=None, months: float = 12.0,
               hazard_shape=None, hazard_rate=None) -> Grid:
    """Every mission x mode x non-empty subset of the mission's functions.

    mission_functions[i]: indices into `functions` of mission i's mandate functions, most
    important first: only the first `max_functions` count. features: (missions, len(FEATURES)).
    sizes: persons per mode (len(MODES),), default DEFAULT_SIZES; months: every option's
    duration. Options are ordered by mission, then function set (smaller first), then mode.
    """
    sets = [function_sets(own, max_functions) for own in mission_functions]
    counts = np.array([len(s) for s in sets], dtype=np.int64)
    masks = np.concatenate(sets) if sets else np.zeros(0, dtype=np.int64)
    mission_idx = np.repeat(np.arange(len(sets), dtype=np.int32), counts)
    modes = np.arange(len(MODES), dtype=np.int8) if modes is None else np.asarray(modes, dtype=np.int8)
    sizes = np.asarray(DEFAULT_SIZES if sizes is None else sizes, dtype=float)
    mode_idx = np.tile(modes, len(masks))
    return Grid(tuple(missions), tuple(functions), np.asarray(features, dtype=float),
                np.repeat(mission_idx, len(modes)), mode_idx, np.repeat(masks, len(modes)),
                sizes[mode_idx], np.full(len(mode_idx), float(months)), hazard_shape, hazard_rate)


DEFAULT_SIZES = (150.0, 150.0, 40.0, 10.0, 5.0)  # persons per mode, in MODES order (the grid's defaults)


# --- the deterministic pass --------------------------------------------------------------------

def _ratio(values: np.ndarray, ceiling: np.ndarray) -> np.ndarray:
    return np.divide(values, ceiling, out=np.zeros_like(values), where=ceiling > 0)


def _function_table(effect: np.ndarray, masks: np.ndarray, relative: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """(U, F) max over each distinct function set of the (relative or raw) function effects,
    and each option's row in it."""
    values = (_ratio(effect, effect.max(axis=1, keepdims=True)) if relative else effect).T   # (G, F)
    g = len(values)
    if g <= 16:  # a table over every bitmask, built by doubling: table[mask | 1<<b] = max(table[mask], row b)
        table = np.zeros((1 << g, values.shape[1]))
        for b in range(g):
            np.maximum(table[:1 << b], values[b], out=table[1 << b:2 << b])
        return table, masks
    unique, inverse = np.unique(masks, return_inverse=True)
    bits = ((unique[:, None] >> np.arange(g)) & 1).astype(bool)
    return np.where(bits[:, :, None], values[None], 0).max(axis=1), inverse.ravel()


def modifiers(factors: Factors, grid: Grid) -> np.ndarray:
    """(O, F) float32 judgement modifiers in [0, 1] (module docstring); the size curve is not in
    them. Columns of non-judgement factors hold their raw function multiplier instead."""
    mode = np.asarray(factors.mode_effect, dtype=float)                       # (F, M)
    feature = np.asarray(factors.feature_effect, dtype=float)                 # (F, K)
    x = np.asarray(grid.features, dtype=float)                                # (Nm, K)
    mission_part = np.power(feature[None], x[:, None, :]).prod(axis=2)      # (Nm, F); 0 ** 0 == 1
    ceiling = mode.max(axis=1) * np.maximum(feature, 1).prod(axis=1)         # (F,)
    per_mission_mode = np.minimum(_ratio(mission_part[:, None, :] * mode.T[None], ceiling), 1)  # (Nm, M, F)
    effect = np.asarray(factors.function_effect, dtype=float)
    masks = np.asarray(grid.function_mask)
    table, rows = _function_table(effect, masks)
    flat = np.asarray(grid.mission_idx, dtype=np.int64) * len(MODES) + np.asarray(grid.mode_idx)
    result = per_mission_mode.reshape(-1, len(factors.codes)).astype(np.float32)[flat]
    result *= table.astype(np.float32)[rows]  # both factors <= 1, so is their rounded product
    other = np.flatnonzero(~factors.judgement)
    if len(other):
        raw, raw_rows = _function_table(effect[other], masks, relative=False)
        result[:, other] = raw.astype(np.float32)[raw_rows]
    return result


@dataclass(frozen=True)
class Terms:
    """The option-side coefficients of every uncertain input, so that

        exposure[o, f] = judgement[o, f] * (L_f I_f)          for judgement factors
        exposure[o, fat] = hazard[o] * lambda[mission(o), group(o)]
        exposure[o, cost] = cost[o] * (cost_{mode(o)} - reimbursement_{mode(o)})

    judgement (O, F) float32 (zero outside judgement columns, over each factor's span); hazard
    (O,): persons x function multiplier / 1000 / span (exposure per unit of lambda, per year);
    cost (O,): n x 12 / span; fatalities_per_rate (O,): person-years x function multiplier / 1000 (EF over the
    deployment = this x lambda); annual_person_months (O,): n x 12.
    """

    judgement: np.ndarray
    hazard: np.ndarray
    cost: np.ndarray
    fatalities_per_rate: np.ndarray
    annual_person_months: np.ndarray


def terms(factors: Factors, grid: Grid) -> Terms:
    """The option-side coefficients (see Terms)."""
    modifier = modifiers(factors, grid)
    size = size_curve(grid.size).astype(np.float32)
    span = np.asarray(factors.span, dtype=float)
    judgement = modifier * np.where(factors.judgement, 1.0 / span, 0.0).astype(np.float32)
    scaled = np.flatnonzero(factors.judgement & np.asarray(factors.size_scaled, dtype=bool))
    if len(scaled):
        judgement[:, scaled] *= size[:, None]
    fat = factors.index_of("fatalities")
    # Tasks as done: personnel share their mission's base exposure whatever tasks are chosen
    # (observers monitor; fewer tasks never means fewer deaths), only riskier tasks raise it.
    multiplier = np.maximum(modifier[:, fat].astype(float), 1.0) if fat is not None else np.ones(len(grid))
    per_rate = grid.person_years * multiplier / 1000
    annual = np.asarray(grid.size, dtype=float) * 12
    per_year = np.asarray(grid.size, dtype=float) * multiplier / 1000      # expected deaths a year per unit rate
    cost = factors.index_of("net_cost")
    return Terms(judgement, per_year / span[fat] if fat is not None else np.zeros(len(grid)),
                 annual / span[cost] if cost is not None else np.zeros(len(grid)),
                 per_rate, annual)


def expected_rate(grid: Grid, modes: Modes) -> np.ndarray:
    """(O,) posterior mean fatality rate per 1,000 person-years for each option's group."""
    mean = np.asarray(grid.hazard_shape) / np.asarray(grid.hazard_rate)
    return mean[np.asarray(grid.mission_idx), grid.group_idx(modes)]


def check_weights(factors: Factors, weights: np.ndarray) -> np.ndarray:
    weights = np.asarray(weights, dtype=float)
    if weights.shape != np.shape(factors.sign):
        raise ValueError(f"weights has shape {weights.shape}, expected {np.shape(factors.sign)}")
    if not np.isfinite(weights).all() or (weights < 0).any():
        raise ValueError("weights must be finite and non-negative")
    return weights


@dataclass(frozen=True)
class Scores:
    """The deterministic pass at the expectation of every input, float64.

    exposure (O, F) >= 0; weights (F,); risk, opportunity, net (O,); expected_fatalities,
    p_any_fatality (O,); net_cost_usd (O,) per year. contributions (O, F) = sign * w *
    exposure, so net == contributions.sum(axis=1).
    """

    exposure: np.ndarray
    weights: np.ndarray
    sign: np.ndarray
    expected_fatalities: np.ndarray
    p_any_fatality: np.ndarray
    net_cost_usd: np.ndarray

    @cached_property
    def contributions(self) -> np.ndarray:
        return self.exposure * (self.sign * self.weights)

    @cached_property
    def risk(self) -> np.ndarray:
        return self.exposure @ np.where(self.sign < 0, self.weights, 0.0)

    @cached_property
    def opportunity(self) -> np.ndarray:
        return self.exposure @ np.where(self.sign > 0, self.weights, 0.0)

    @property
    def net(self) -> np.ndarray:
        return self.opportunity - self.risk


def score(factors: Factors, grid: Grid, weights: np.ndarray, modes: Modes | None = None,
          terms_: Terms | None = None) -> Scores:
    """Score every option of the grid at the expectation of its inputs. weights (F,) >= 0."""
    from risks.engine import hazard  # the hazard module imports this one

    modes = Modes.default() if modes is None else modes
    weights = check_weights(factors, weights)
    t = terms(factors, grid) if terms_ is None else terms_
    exposure = t.judgement.astype(np.float64) * factors.expected_li()
    rate = expected_rate(grid, modes)
    fat, cost = factors.index_of("fatalities"), factors.index_of("net_cost")
    per_person_month = (pert_mean(modes.cost) - np.asarray(modes.reimbursement, dtype=float))[grid.mode_idx]
    if fat is not None:
        exposure[:, fat] = t.hazard * rate
    if cost is not None:
        exposure[:, cost] = t.cost * per_person_month
    shape, scale = (np.asarray(a)[np.asarray(grid.mission_idx), grid.group_idx(modes)]
                    for a in (grid.hazard_shape, grid.hazard_rate))
    return Scores(exposure, weights, np.asarray(factors.sign, dtype=float), t.fatalities_per_rate * rate,
                  hazard.p_any(shape, scale, t.fatalities_per_rate), t.annual_person_months * per_person_month)
