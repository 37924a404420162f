"""The scoring engine: pure numpy/pandas, no Django, no I/O.

An *option* is a cell of the selective-peacekeeping grid: one mission x one contribution mode x
one set of the mission's functions (a bitmask over the function vocabulary). A *factor* is a
risk (sign -1) or an opportunity (sign +1).

Model, for factor f and option o = (mission i, mode m, functions G):

    modifier[o, f] = mode[f, m] * prod_k feature[f, k] ** x[i, k]            mission x mode part
                     / (max_m' mode[f, m'] * prod_k max(1, feature[f, k]))
                   * max_{g in G} function[f, g] / max_g' function[f, g']     function part
    exposure[o, f] = likelihood[f] * impact[f] * modifier[o, f]                in [0, 1]
    risk[o]        = sum over risks of w[f] * exposure[o, f] / (w_max * n_risks)        in [0, 1]
    opportunity[o] = sum over opportunities of the same / (w_max * n_opportunities)    in [0, 1]
    net[o]         = opportunity[o] - risk[o]                                 in [-1, 1]

* mode, function and feature effects are non-negative multipliers (1 = no effect, 0 = the factor
  cannot arise); x[i, k] are mission features in [0, 1] (FEATURES). In logs the modifier is
  linear in the mode one-hot and the features, less a constant of the factor.
* Each part is divided by the largest value it can take, a constant of the factor, so the
  modifier lies in [0, 1] and one option's score never depends on which other options are
  scored. The (low, most likely, high) triples therefore describe the factor where it bites
  hardest: the most exposed mode, mission features at their most exposing end, and the most
  exposed function.
* A set of functions is as exposed as its most exposed function: doing more can never lower an
  exposure, so adding a function trades the opportunities it opens against the risks it brings.
  A function that raises no factor's maximum ties with the smaller set. No functions: no exposure.
* Weights w[f] in [0, w_max] (category weight x factor weight) are never renormalised by their
  sum, only divided by constants: raising a risk's weight can only lower a net score, raising an
  opportunity's can only raise it.
* Monte Carlo: likelihood and impact are drawn (PERT or triangular over the triple) once per
  factor and shared by every option (common random numbers), so all options' net draws are one
  matrix product (options x factors) @ (factors x draws), computed in float32 chunks. Each
  factor's stream is seeded by (seed, factor code): results do not depend on the factor order.
* Ranks: 1 is best (highest value); ties share the smallest rank; options outside the
  feasibility mask get no rank (NaN) and never count as anyone's competitor.
"""

from __future__ import annotations

import ctypes
import glob
import os
import threading
import zlib
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache, cached_property

import numpy as np
import pandas as pd

MODES = ("national_contingent", "private_military_company", "mixed_contingent", "individual")
FUNCTIONS = ("ceasefire_monitoring", "public_security_police", "humanitarian_relief", "political_process",
             "confidence_building", "electoral_assistance", "rule_of_law", "peacebuilding_ddr",
             "protection_of_civilians", "human_rights")
FEATURES = ("hostility", "chapter_vii", "spanish_host", "latam_presence", "duration")
QUANTILES = (0.1, 0.5, 0.9)
MAX_FUNCTIONS = 8            # 2**8 - 1 = 255 function sets per mission and mode
W_MAX = 1.0
CHUNK_BYTES = 4 << 20        # one Monte Carlo block (rows x draws float32) stays in L2/L3
THREADS = max(1, min(8, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1))


# --- inputs ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Factors:
    """The factor table, F rows in a fixed order.

    codes (F,) str; sign (F,) +1 opportunity / -1 risk; category (F,) str;
    likelihood, impact (F, 3): low <= most likely <= high, in [0, 1];
    mode_effect (F, len(MODES)), function_effect (F, G), feature_effect (F, len(FEATURES)):
    non-negative multipliers (1 = no effect, 0 = switched off).
    """

    codes: tuple[str, ...]
    sign: np.ndarray
    category: np.ndarray
    likelihood: np.ndarray
    impact: np.ndarray
    mode_effect: np.ndarray
    function_effect: np.ndarray
    feature_effect: np.ndarray

    def __post_init__(self) -> None:
        f = len(self.codes)
        for name in ("sign", "category", "likelihood", "impact", "mode_effect", "function_effect", "feature_effect"):
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

    @property
    def is_risk(self) -> np.ndarray:
        return np.asarray(self.sign) < 0

    def reordered(self, order: Sequence[int]) -> Factors:
        """The same factors in another order."""
        order = np.asarray(order)
        return Factors(tuple(np.asarray(self.codes)[order]), *(np.asarray(getattr(self, name))[order] for name in (
            "sign", "category", "likelihood", "impact", "mode_effect", "function_effect", "feature_effect")))


@dataclass(frozen=True)
class Grid:
    """The options to score.

    missions (Nm,) and functions (G,) are vocabularies; features (Nm, len(FEATURES)) in [0, 1].
    Per option (O,): mission_idx into missions, mode_idx into MODES, function_mask a bitmask
    over functions (bit g set = the option performs functions[g]).
    """

    missions: tuple[str, ...]
    functions: tuple[str, ...]
    features: np.ndarray
    mission_idx: np.ndarray
    mode_idx: np.ndarray
    function_mask: np.ndarray

    def __post_init__(self) -> None:
        features = np.asarray(self.features, dtype=float)
        if features.shape != (len(self.missions), len(FEATURES)):
            raise ValueError(f"features must be (missions, {len(FEATURES)}), not {features.shape}")
        if not ((features >= 0) & (features <= 1)).all():
            raise ValueError("mission features must lie in [0, 1]")
        if not len(self.mission_idx) == len(self.mode_idx) == len(self.function_mask):
            raise ValueError("mission_idx, mode_idx and function_mask must have one entry per option")

    def __len__(self) -> int:
        return len(self.mission_idx)

    def take(self, options: Sequence[int] | np.ndarray) -> Grid:
        """A grid of the listed options (indices or a boolean mask), same vocabularies."""
        return Grid(self.missions, self.functions, self.features, np.asarray(self.mission_idx)[options],
                    np.asarray(self.mode_idx)[options], np.asarray(self.function_mask)[options])

    def labels(self) -> pd.DataFrame:
        """Columns mission, mode, functions ('+'-joined codes), categorical, one row per option."""
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
            "functions": pd.Categorical.from_codes(codes.ravel(), categories=joined),
        })


def function_sets(own: Sequence[int], max_functions: int = MAX_FUNCTIONS) -> np.ndarray:
    """Bitmasks of every non-empty subset of the functions `own` (indices into the vocabulary),
    counting only the first `max_functions`: (2**k - 1,) int64, smaller sets first."""
    own = np.asarray(list(own)[:max_functions], dtype=np.int64)
    subsets = np.arange(1, 1 << len(own), dtype=np.int64)
    bits = (subsets[:, None] >> np.arange(len(own))) & 1
    masks = bits @ (np.int64(1) << own) if len(own) else np.zeros(0, dtype=np.int64)
    return masks[np.lexsort((masks, bits.sum(axis=1)))]


def build_grid(missions: Sequence[str], mission_functions: Sequence[Sequence[int]], functions: Sequence[str],
               features: np.ndarray, modes: Sequence[int] = tuple(range(len(MODES))),
               max_functions: int = MAX_FUNCTIONS) -> Grid:
    """Every mission x mode x non-empty subset of the mission's functions.

    mission_functions[i]: indices into `functions` of mission i's mandate functions, most
    important first: only the first `max_functions` count (255 sets at most). features:
    (missions, len(FEATURES)) in [0, 1]. Missions without functions get no options. Options are
    ordered by mission, then function set (smaller first), then mode.
    """
    sets = [function_sets(own, max_functions) for own in mission_functions]
    counts = np.array([len(s) for s in sets], dtype=np.int64)
    masks = np.concatenate(sets) if sets else np.zeros(0, dtype=np.int64)
    mission_idx = np.repeat(np.arange(len(sets), dtype=np.int32), counts)
    modes = np.asarray(modes, dtype=np.int8)
    return Grid(tuple(missions), tuple(functions), np.asarray(features, dtype=float),
                np.repeat(mission_idx, len(modes)), np.tile(modes, len(masks)), np.repeat(masks, len(modes)))


# --- deterministic pass ------------------------------------------------------------------------

def _ratio(values: np.ndarray, ceiling: np.ndarray) -> np.ndarray:
    return np.divide(values, ceiling, out=np.zeros_like(values), where=ceiling > 0)


def _function_table(effect: np.ndarray, masks: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(U, F) function part per distinct function set, and each option's row in it."""
    relative = _ratio(effect, effect.max(axis=1, keepdims=True)).T          # (G, F)
    g = len(relative)
    if g <= 16:  # a table over every bitmask, built by doubling: table[mask | 1<<b] = max(table[mask], row b)
        table = np.zeros((1 << g, relative.shape[1]))
        for b in range(g):
            np.maximum(table[:1 << b], relative[b], out=table[1 << b:2 << b])
        return table, masks
    unique, inverse = np.unique(masks, return_inverse=True)
    bits = ((unique[:, None] >> np.arange(g)) & 1).astype(bool)
    return np.where(bits[:, :, None], relative[None], 0).max(axis=1), inverse.ravel()


def modifiers(factors: Factors, grid: Grid) -> np.ndarray:
    """(O, F) float32 modifiers in [0, 1] (see the module docstring)."""
    mode = np.asarray(factors.mode_effect, dtype=float)                       # (F, M)
    feature = np.asarray(factors.feature_effect, dtype=float)                 # (F, K)
    x = np.asarray(grid.features, dtype=float)                                # (Nm, K)
    mission_part = np.power(feature[None], x[:, None, :]).prod(axis=2)      # (Nm, F); 0 ** 0 == 1
    ceiling = mode.max(axis=1) * np.maximum(feature, 1).prod(axis=1)         # (F,)
    per_mission_mode = np.minimum(_ratio(mission_part[:, None, :] * mode.T[None], ceiling), 1)  # (Nm, M, F)
    table, rows = _function_table(np.asarray(factors.function_effect, dtype=float), np.asarray(grid.function_mask))
    flat = np.asarray(grid.mission_idx, dtype=np.int64) * len(MODES) + np.asarray(grid.mode_idx)
    result = per_mission_mode.reshape(-1, len(factors.codes)).astype(np.float32)[flat]
    result *= table.astype(np.float32)[rows]  # both factors <= 1, so is their rounded product
    return result


def signed_scale(factors: Factors, weights: np.ndarray, w_max: float = W_MAX) -> np.ndarray:
    """(F,) sign * weight / (w_max * number of factors of that kind): net = exposure @ this."""
    weights = np.asarray(weights, dtype=float)
    if weights.shape != np.shape(factors.sign):
        raise ValueError(f"weights has shape {weights.shape}, expected {np.shape(factors.sign)}")
    if not np.isfinite(weights).all() or (weights < 0).any() or (weights > w_max).any():
        raise ValueError(f"weights must lie in [0, {w_max}]")
    risk = factors.is_risk
    counts = np.where(risk, max(int(risk.sum()), 1), max(int((~risk).sum()), 1))
    return np.asarray(factors.sign, dtype=float) * weights / (w_max * counts)


@dataclass(frozen=True)
class Scores:
    """The deterministic pass (most-likely likelihood and impact), float64.

    risk, opportunity, net (O,); modifier (O, F) float32; base (F,) most-likely likelihood x
    impact; scale (F,) = signed_scale(...). Computed on first access (the full grid does not
    need them): exposure (O, F) in [0, 1], and contributions (O, F), each factor's signed share
    of the net score (negative for risks), so net == contributions.sum(axis=1).
    """

    risk: np.ndarray
    opportunity: np.ndarray
    net: np.ndarray
    modifier: np.ndarray
    base: np.ndarray
    scale: np.ndarray

    @cached_property
    def exposure(self) -> np.ndarray:
        return self.modifier * self.base

    @cached_property
    def contributions(self) -> np.ndarray:
        return self.exposure * self.scale


def score(factors: Factors, grid: Grid, weights: np.ndarray, modifier: np.ndarray | None = None,
          w_max: float = W_MAX) -> Scores:
    """Score every option of the grid in one vectorised pass. weights (F,) in [0, w_max];
    modifier: modifiers(factors, grid) if already computed."""
    modifier = modifiers(factors, grid) if modifier is None else modifier
    scale = signed_scale(factors, weights, w_max)
    base = np.asarray(factors.likelihood[:, 1] * factors.impact[:, 1], dtype=float)
    by_kind = base[:, None] * np.stack([np.where(factors.is_risk, -scale, 0.0), np.where(factors.is_risk, 0.0, scale)], 1)
    with _single_threaded_blas():  # a threaded product here would leave BLAS threads spinning
        risk, opportunity = (modifier.astype(np.float64) @ by_kind).T
    return Scores(risk, opportunity, opportunity - risk, modifier, base, scale)


def weighted_sum(matrix: np.ndarray, weights: np.ndarray, benefit: np.ndarray) -> np.ndarray:
    """Weighted sum model: (O,) = matrix (O, C) @ (weights (C,) * (+1 benefit, -1 cost)).

    Weights are used as given, never renormalised by their sum. The engine's net score is
    weighted_sum(exposure, |signed_scale|, opportunities).
    """
    return np.asarray(matrix, dtype=float) @ (np.asarray(weights, dtype=float) * np.where(benefit, 1.0, -1.0))


def topsis(matrix: np.ndarray, weights: np.ndarray, benefit: np.ndarray) -> np.ndarray:
    """TOPSIS closeness coefficient (O,) in [0, 1], 1 = at the ideal (Hwang & Yoon, 1981).

    matrix (O, C) criteria values; weights (C,) >= 0; benefit (C,) bool, True where more is
    better. Vector normalisation r = x / ||x||; v = r * w with w scaled to sum 1 (closeness does
    not depend on the weights' scale); ideal = best of each column, anti-ideal = worst;
    closeness = d(anti-ideal) / (d(ideal) + d(anti-ideal)). All-zero columns count as 0; all
    options equal: 0.5. The ideal is relative to the options given, so adding an option can
    reorder others (rank reversal): compare closeness only within one call.
    """
    matrix = np.asarray(matrix, dtype=float)
    weights = np.asarray(weights, dtype=float)
    total = weights.sum()
    weights = weights / total if total > 0 else np.full_like(weights, 1 / max(len(weights), 1))
    norm = np.sqrt((matrix ** 2).sum(axis=0))
    v = matrix / np.where(norm > 0, norm, 1.0) * weights
    best = np.where(benefit, v.max(axis=0), v.min(axis=0))
    worst = np.where(benefit, v.min(axis=0), v.max(axis=0))
    d_best = np.sqrt(((v - best) ** 2).sum(axis=1))
    d_worst = np.sqrt(((v - worst) ** 2).sum(axis=1))
    both = d_best + d_worst
    return np.divide(d_worst, both, out=np.full_like(both, 0.5), where=both > 0)


def rank(values: np.ndarray, feasible: np.ndarray | None = None) -> np.ndarray:
    """(O,) float ranks, 1 = best (highest value), among feasible options only; ties share the
    smallest rank; infeasible options get NaN."""
    values = np.asarray(values, dtype=float)
    feasible = np.ones(len(values), dtype=bool) if feasible is None else np.asarray(feasible, dtype=bool)
    ranks = np.full(len(values), np.nan)
    candidates = np.flatnonzero(feasible)
    order = np.argsort(-values[candidates])  # tied values get the same rank in any order
    ordered = values[candidates][order]
    first_of_tie = np.ones(len(ordered), dtype=bool)
    np.not_equal(ordered[1:], ordered[:-1], out=first_of_tie[1:])
    position = np.where(first_of_tie, np.arange(1, len(ordered) + 1), 0)
    ranks[candidates[order]] = np.maximum.accumulate(position) if len(position) else position
    return ranks


# --- Monte Carlo -------------------------------------------------------------------------------

def draw_triples(rng: np.random.Generator, triples: np.ndarray, draws: int, distribution: str = "pert") -> np.ndarray:
    """(N, draws) samples over (low, most likely, high) rows (N, 3).

    'pert': low + (high - low) * Beta(1 + 4 (mode - low) / (high - low), 1 + 4 (high - mode) /
    (high - low)), mean (low + 4 mode + high) / 6. 'triangular': mean (low + mode + high) / 3.
    A row with low == high is that constant.
    """
    triples = np.asarray(triples, dtype=float)
    low, mode, high = triples[:, 0:1], triples[:, 1:2], triples[:, 2:3]
    width = high - low
    safe = np.where(width > 0, width, 1.0)
    if distribution == "pert":
        shape = (len(triples), draws)
        unit = rng.beta(np.broadcast_to(1 + 4 * (mode - low) / safe, shape),
                        np.broadcast_to(1 + 4 * (high - mode) / safe, shape))
    elif distribution == "triangular":  # inverse CDF, which also copes with a zero width
        u = rng.random((len(triples), draws))
        peak = (mode - low) / safe
        unit = np.where(u < peak, np.sqrt(u * peak), 1 - np.sqrt((1 - u) * (1 - peak)))
    else:
        raise ValueError(f"unknown distribution {distribution!r}: use 'pert' or 'triangular'")
    return low + unit * width


def factor_draws(factors: Factors, draws: int, seed: int, distribution: str = "pert") -> np.ndarray:
    """(F, draws) float32 samples of likelihood x impact, independent across factors.

    Factor f's stream is numpy.random.default_rng([seed, crc32(code)]): the same seed always
    gives the same numbers, whatever the order of the factors or which other factors exist.
    """
    if draws < 1 or int(seed) < 0:
        raise ValueError("draws must be >= 1 and seed a non-negative integer")
    rows = []
    for f, code in enumerate(factors.codes):
        rng = np.random.default_rng([int(seed), zlib.crc32(code.encode())])
        likelihood = draw_triples(rng, factors.likelihood[f:f + 1], draws, distribution)
        rows.append(likelihood * draw_triples(rng, factors.impact[f:f + 1], draws, distribution))
    return np.vstack(rows).astype(np.float32) if rows else np.zeros((0, draws), dtype=np.float32)


@dataclass(frozen=True)
class Uncertainty:
    """Per option (O,) float32: P10, P50, P90 of the net score (numpy's 'linear' quantiles over
    the draws) and the share of draws with net > 0."""

    p10: np.ndarray
    p50: np.ndarray
    p90: np.ndarray
    p_positive: np.ndarray


@cache
def _openblas() -> tuple[Callable[[], int], Callable[[int], None]] | None:
    """The thread-count getter and setter of the OpenBLAS bundled with numpy's wheel, or None."""
    folder = os.path.join(os.path.dirname(os.path.dirname(np.__file__)), "numpy.libs")
    for path in sorted(glob.glob(os.path.join(folder, "*openblas*"))):
        try:
            lib = ctypes.CDLL(path)  # already loaded by numpy: this only returns its handle
        except OSError:
            continue
        for prefix, suffix in (("scipy_openblas", "64_"), ("openblas", "64_"), ("openblas", "")):
            getter = getattr(lib, f"{prefix}_get_num_threads{suffix}", None)
            setter = getattr(lib, f"{prefix}_set_num_threads{suffix}", None)
            if getter is not None and setter is not None:
                getter.restype, setter.argtypes, setter.restype = ctypes.c_int, [ctypes.c_int], None
                return getter, setter
    return None


_blas_lock = threading.Lock()
_blas_users = [0, 0]  # callers inside _single_threaded_blas, and the thread count to restore


@contextmanager
def _single_threaded_blas() -> Iterator[None]:
    """Run numpy's OpenBLAS on one thread meanwhile (process-wide), then restore its setting.

    Our Monte Carlo workers already keep every core busy, each with its own small product;
    OpenBLAS threads on the same cores would fight them, and after any threaded call they keep
    spinning for a while. Measured on two cores: 1.6x slower without this. Concurrent and nested
    callers share one save and restore. Without numpy's bundled OpenBLAS this does nothing
    (correct, only slower).
    """
    blas = _openblas()
    if blas is None:
        yield
        return
    with _blas_lock:
        if _blas_users[0] == 0:
            _blas_users[1] = blas[0]()
            blas[1](1)
        _blas_users[0] += 1
    try:
        yield
    finally:
        with _blas_lock:
            _blas_users[0] -= 1
            if _blas_users[0] == 0:
                blas[1](_blas_users[1])


def _positive_counts(block: np.ndarray, step: int = 32) -> np.ndarray:
    """(rows,) number of entries > 0 in each row of a row-sorted block: a coarse count on every
    step-th column, then an exact count within the one window of `step` columns holding the
    sign change (a third of the cost of comparing every entry)."""
    n, d = block.shape
    if d < 2 * step:
        return np.count_nonzero(block > 0, axis=1)
    whole = np.count_nonzero(block[:, step - 1::step] <= 0, axis=1) * step  # entries known to be <= 0
    rows = np.arange(0, n * d, d)
    start = np.minimum(whole, d - step) + rows
    window = block.ravel().take(start[:, None] + np.arange(step))
    return d - (start - rows) - np.count_nonzero(window <= 0, axis=1)


def _summarise(a: np.ndarray, samples: np.ndarray, chunk: int, threads: int) -> np.ndarray:
    """(4, O) float32 rows p10, p50, p90, p_positive of the draws a (O, F) @ samples (F, D).

    Each worker multiplies one chunk of rows into its own reused buffer, sorts the rows
    (numpy's SIMD sort of float32 rows beats np.partition with several kth values about
    tenfold) and reads the order statistics; the draws never exist all at once.
    """
    n, d = len(a), samples.shape[1]
    positions = np.asarray(QUANTILES) * (d - 1)
    lower = np.floor(positions).astype(np.intp)
    upper = np.minimum(lower + 1, d - 1)
    fraction = (positions - lower).astype(np.float32)
    out = np.empty((4, n), dtype=np.float32)
    local = threading.local()

    def work(start: int) -> None:
        rows = a[start:start + chunk]
        if getattr(local, "buffer", None) is None:
            local.buffer = np.empty((min(chunk, n), d), dtype=np.float32)
        block = local.buffer[:len(rows)]
        np.matmul(rows, samples, out=block)
        block.sort(axis=1)
        low, high = block[:, lower], block[:, upper]
        out[:3, start:start + len(rows)] = (low + (high - low) * fraction).T
        out[3, start:start + len(rows)] = _positive_counts(block) / d

    with _single_threaded_blas():
        if threads <= 1 or n <= chunk:
            for start in range(0, n, chunk):
                work(start)
        else:
            with ThreadPoolExecutor(threads) as pool:
                list(pool.map(work, range(0, n, chunk)))
    return out


def monte_carlo(factors: Factors, grid: Grid, weights: np.ndarray, draws: int = 1000, seed: int = 0,
                modifier: np.ndarray | None = None, keep: Sequence[int] | np.ndarray | None = None,
                distribution: str = "pert", w_max: float = W_MAX, chunk: int | None = None,
                threads: int | None = None) -> tuple[Uncertainty, np.ndarray | None]:
    """Seeded Monte Carlo over likelihood and impact (see factor_draws) for every option.

    Returns the per-option summary and, for the options listed in `keep` (indices), their
    (len(keep), draws) float32 net-score draws (None without `keep`). chunk: rows per block
    (default: CHUNK_BYTES of float32 draws); threads: workers (default THREADS). Neither
    changes the numbers.
    """
    samples = factor_draws(factors, draws, seed, distribution)                     # (F, D)
    modifier = modifiers(factors, grid) if modifier is None else modifier
    a = np.ascontiguousarray(modifier * signed_scale(factors, weights, w_max).astype(np.float32), dtype=np.float32)
    chunk = max(1, chunk or CHUNK_BYTES // (4 * draws))
    p10, p50, p90, p_positive = _summarise(a, samples, chunk, threads or THREADS)
    kept = None
    if keep is not None:
        with _single_threaded_blas():
            kept = a[np.asarray(keep, dtype=np.intp)] @ samples
    return Uncertainty(p10, p50, p90, p_positive), kept


# --- weight uncertainty (SMAA) -----------------------------------------------------------------

def sample_weights(weights: np.ndarray, samples: int = 500, seed: int = 0, spread: float | None = None,
                   w_max: float = W_MAX) -> np.ndarray:
    """(F, samples) weight vectors in [0, w_max].

    spread None: no preference information, uniform on the simplex (Dirichlet(1, ..., 1)),
    scaled so each vector's largest weight is w_max (ranks do not depend on the scale).
    spread s > 0: the given weights times gamma noise with mean 1 and coefficient of variation s,
    clipped to [0, w_max].
    """
    weights = np.asarray(weights, dtype=float)
    rng = np.random.default_rng(seed)
    if spread is None:
        sampled = rng.dirichlet(np.ones(len(weights)), size=samples).T
        return sampled / sampled.max(axis=0) * w_max
    shape = 1 / spread ** 2
    return np.clip(weights[:, None] * rng.gamma(shape, 1 / shape, size=(len(weights), samples)), 0, w_max)


def _sampled_scores(factors: Factors, grid: Grid, weights: np.ndarray, samples: int, seed: int,
                    spread: float | None, modifier: np.ndarray | None, w_max: float
                    ) -> tuple[np.ndarray, np.ndarray]:
    """(O, F) float32 exposure and (F, S) float32 signed scales, one column per weight sample."""
    modifier = modifiers(factors, grid) if modifier is None else modifier
    exposure = (modifier * (factors.likelihood[:, 1] * factors.impact[:, 1])).astype(np.float32)
    unit = signed_scale(factors, np.full(len(factors.codes), w_max), w_max) / w_max  # sign / count
    sampled = sample_weights(weights, samples, seed, spread, w_max)
    return exposure, (unit[:, None] * sampled).astype(np.float32)


def rank_acceptability(factors: Factors, grid: Grid, weights: np.ndarray, samples: int = 500, seed: int = 0,
                       spread: float | None = None, feasible: np.ndarray | None = None,
                       modifier: np.ndarray | None = None, w_max: float = W_MAX) -> np.ndarray:
    """SMAA-style first-rank acceptability: (O,) share of sampled weight vectors (see
    sample_weights) under which the option has the best net score among feasible options.
    Ties split the sample evenly; infeasible options get 0; shares sum to 1 (0 if none is
    feasible)."""
    exposure, scale = _sampled_scores(factors, grid, weights, samples, seed, spread, modifier, w_max)
    feasible = np.ones(len(grid), dtype=bool) if feasible is None else np.asarray(feasible, dtype=bool)
    candidates = np.flatnonzero(feasible)
    if not len(candidates):
        return np.zeros(len(grid))
    chunk = max(1, CHUNK_BYTES // (4 * samples))
    best = np.full(samples, -np.inf, dtype=np.float32)
    for start in range(0, len(candidates), chunk):
        np.maximum(best, (exposure[candidates[start:start + chunk]] @ scale).max(axis=0), out=best)
    winners, won = [], []
    for start in range(0, len(candidates), chunk):
        rows, columns = np.nonzero(exposure[candidates[start:start + chunk]] @ scale >= best)
        winners.append(candidates[start + rows])
        won.append(columns)
    winners, won = np.concatenate(winners), np.concatenate(won)
    ties = np.bincount(won, minlength=samples)
    return np.bincount(winners, weights=1 / ties[won], minlength=len(grid)) / samples


def rank_acceptability_matrix(factors: Factors, grid: Grid, weights: np.ndarray, options: Sequence[int],
                              samples: int = 500, seed: int = 0, spread: float | None = None,
                              modifier: np.ndarray | None = None, w_max: float = W_MAX) -> pd.DataFrame:
    """SMAA rank acceptability within a small set of options (tens, not the whole grid).

    Index: the option indices given; columns 1..len(options): the share of weight samples under
    which the option takes that rank among the set (rank = 1 + number of strictly better
    options, so tied options share a rank). Each row sums to 1.
    """
    options = np.asarray(options, dtype=np.intp)
    exposure, scale = _sampled_scores(factors, grid.take(options), weights, samples, seed, spread,
                                      None if modifier is None else modifier[options], w_max)
    values = exposure @ scale                                                     # (n, S)
    ranks = 1 + (values[None, :, :] > values[:, None, :]).sum(axis=1)           # (n, S)
    counts = np.stack([(ranks == r).mean(axis=1) for r in range(1, len(options) + 1)], axis=1)
    return pd.DataFrame(counts, index=pd.Index(options, name="option"),
                        columns=pd.RangeIndex(1, len(options) + 1, name="rank"))


# --- sensitivity and export --------------------------------------------------------------------

def sensitivity(factors: Factors, grid: Grid, weights: np.ndarray, option: int,
                parameters: Sequence[str] = ("weight", "likelihood x impact"), w_max: float = W_MAX) -> pd.DataFrame:
    """One-at-a-time sensitivity of one option's net score: the data of a tornado chart.

    For each factor and parameter, everything else at the base case: 'weight' swung over
    [0, w_max]; 'likelihood x impact' both at their low, then both at their high values;
    'likelihood' or 'impact' alone likewise. Columns: factor, parameter, low, high (the net
    scores with the parameter at its low / high end), swing = |high - low|; sorted by swing,
    largest first. attrs['base'] is the option's deterministic net score.
    """
    weights = np.asarray(weights, dtype=float)
    modifier = modifiers(factors, grid.take([option]))[0].astype(float)
    likelihood, impact = np.asarray(factors.likelihood, dtype=float), np.asarray(factors.impact, dtype=float)
    scale = signed_scale(factors, weights, w_max)
    unit = signed_scale(factors, np.full(len(weights), w_max), w_max)
    exposure = modifier * likelihood[:, 1] * impact[:, 1]
    base = float(exposure @ scale)
    others = base - exposure * scale                                    # (F,) net without factor f
    ends = {
        "weight": (np.zeros_like(weights), unit * exposure),
        "likelihood x impact": (modifier * likelihood[:, 0] * impact[:, 0] * scale,
                                modifier * likelihood[:, 2] * impact[:, 2] * scale),
        "likelihood": (modifier * likelihood[:, 0] * impact[:, 1] * scale,
                       modifier * likelihood[:, 2] * impact[:, 1] * scale),
        "impact": (modifier * likelihood[:, 1] * impact[:, 0] * scale,
                   modifier * likelihood[:, 1] * impact[:, 2] * scale),
    }
    frame = pd.concat([pd.DataFrame({"factor": list(factors.codes), "parameter": name,
                                     "low": others + ends[name][0], "high": others + ends[name][1]})
                       for name in parameters], ignore_index=True)
    frame["swing"] = (frame["high"] - frame["low"]).abs()
    frame = frame.sort_values("swing", ascending=False, kind="stable").reset_index(drop=True)
    frame.attrs["base"] = base
    return frame


def results_frame(grid: Grid, scores: Scores, uncertainty: Uncertainty, ranks: np.ndarray,
                  feasibility: np.ndarray | None = None) -> pd.DataFrame:
    """One row per option, in grid order: mission, mode, functions ('+'-joined codes),
    [feasibility], risk, opportunity, net, p10, p50, p90, p_positive (float), rank (Int64,
    <NA> where the option was not ranked)."""
    frame = grid.labels()
    if feasibility is not None:
        frame["feasibility"] = feasibility
    for name, values in (("risk", scores.risk), ("opportunity", scores.opportunity), ("net", scores.net),
                         ("p10", uncertainty.p10), ("p50", uncertainty.p50), ("p90", uncertainty.p90),
                         ("p_positive", uncertainty.p_positive)):
        frame[name] = np.asarray(values, dtype=float)
    unranked = np.isnan(ranks)
    frame["rank"] = pd.arrays.IntegerArray(np.where(unranked, 0, ranks).astype(np.int64), unranked)
    return frame


def evaluate(factors: Factors, grid: Grid, weights: np.ndarray, feasible: np.ndarray | None = None,
             method: str = "weighted_sum", draws: int = 1000, seed: int = 0, distribution: str = "pert",
             w_max: float = W_MAX) -> pd.DataFrame:
    """The full pass: modifiers, deterministic scores, Monte Carlo, ranks among feasible
    options by net score ('weighted_sum') or TOPSIS closeness over the exposures ('topsis');
    returns results_frame(...) (plus a 'topsis' column for that method)."""
    if method not in ("weighted_sum", "topsis"):
        raise ValueError(f"unknown method {method!r}: use 'weighted_sum' or 'topsis'")
    signed_scale(factors, weights, w_max)  # refuse bad weights before any work starts
    modifier = modifiers(factors, grid)
    with ThreadPoolExecutor(1) as background:  # the deterministic work overlaps the Monte Carlo
        simulated = background.submit(monte_carlo, factors, grid, weights, draws=draws, seed=seed,
                                      modifier=modifier, distribution=distribution, w_max=w_max)
        scores = score(factors, grid, weights, modifier=modifier, w_max=w_max)
        if method == "weighted_sum":
            by = scores.net
        else:
            by = topsis(scores.exposure, np.abs(signed_scale(factors, weights, w_max)), ~factors.is_risk)
        ranks = rank(by, feasible)
        uncertainty, _ = simulated.result()
    frame = results_frame(grid, scores, uncertainty, ranks)
    if method == "topsis":
        frame["topsis"] = by
    return frame
