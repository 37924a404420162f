"""Monte Carlo over every uncertain input, with correlated draws. Pure numpy/scipy.

Uncertain inputs and their distributions:

* each judgement factor's likelihood L and impact I: PERT over its (low, most likely, high)
  triple, Beta(1 + 4 (mode - low) / (high - low), 1 + 4 (high - mode) / (high - low)) scaled to
  [low, high], mean (low + 4 mode + high) / 6 (Vose, Risk Analysis, 2008, ch. 10); or triangular;
* the likelihoods of factors the sources say move together (conduct, reputation, domestic
  opposition) through a Gaussian copula: z = C e with C C' = R (Cholesky of the curated
  correlation matrix R), u = Phi(z), L = F_PERT^-1(u) (Nelsen, An Introduction to Copulas, 2006);
  the Spearman rank correlation of the draws is (6 / pi) asin(R / 2), close to R;
* each mission's fatality rate lambda: its Gamma posterior (risks.engine.hazard);
* each mode's national cost per person-month: PERT over its curated range.

Common random numbers: every input's stream is numpy's default_rng([seed, crc32(key)]) for a
key naming the input (the factor code, 'hazard:' + mission, 'cost:' + mode), so results do not
depend on the order of factors, missions or modes, and every option sees the same draw of a
shared input. The correlated block is factored in code order for the same reason.

The net-score draws of all options are one product plus one gathered term,

    net[o, d] = A[o] @ S[:, d] + h[o] * H[row(o), d]

with A (O, F + M) the option-side coefficients (judgement exposures without L I, and the
option's annual person-months / COST_REF in its mode's column), S (F + M, D) the signed,
weighted draws (sign w L I per factor, sign w (cost - reimbursement) per mode), h (O,) the
option's exposure per unit of lambda and H the signed, weighted lambda draws of its mission and
hazard group. Weights can differ per draw (SMAA samples weights and inputs jointly). Blocks of
rows are multiplied in float32 by worker threads, sorted and summarised; all draws never exist
at once.
"""

from __future__ import annotations

import ctypes
import glob
import os
import threading
import zlib
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache

import numpy as np
from scipy import special, stats

from risks.engine import hazard
from risks.engine.model import GROUPS, MODES, Factors, Grid, Modes, Terms, terms

QUANTILES = (0.1, 0.5, 0.9)
CHUNK_BYTES = 4 << 20        # one Monte Carlo block (rows x draws float32) stays in L2/L3
THREADS = max(1, min(8, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1))


# --- draws of the inputs -----------------------------------------------------------------------

def _stream(seed: int, key: str) -> np.random.Generator:
    return np.random.default_rng([int(seed), zlib.crc32(key.encode())])


def pert_parameters(triples: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    triples = np.asarray(triples, dtype=float)
    low, mode, high = triples[:, 0:1], triples[:, 1:2], triples[:, 2:3]
    width = high - low
    safe = np.where(width > 0, width, 1.0)
    return low, width, 1 + 4 * (mode - low) / safe, 1 + 4 * (high - mode) / safe


def inverse_cdf(triples: np.ndarray, u: np.ndarray, distribution: str = "pert") -> np.ndarray:
    """(N, D) quantiles at u (N, D) in (0, 1) of the PERT or triangular laws of (N, 3) triples."""
    triples = np.asarray(triples, dtype=float)
    low, width, a, b = pert_parameters(triples)
    if distribution == "pert":
        unit = stats.beta.ppf(u, a, b)
    elif distribution == "triangular":
        peak = (triples[:, 1:2] - low) / np.where(width > 0, width, 1.0)
        unit = np.where(u < peak, np.sqrt(u * peak), 1 - np.sqrt((1 - u) * (1 - peak)))
    else:
        raise ValueError(f"unknown distribution {distribution!r}: use 'pert' or 'triangular'")
    return low + unit * width


def draw_triples(rng: np.random.Generator, triples: np.ndarray, draws: int, distribution: str = "pert") -> np.ndarray:
    """(N, draws) independent samples over (low, most likely, high) rows (N, 3). A row with
    low == high is that constant."""
    triples = np.asarray(triples, dtype=float)
    if distribution == "pert":
        low, width, a, b = pert_parameters(triples)
        shape = (len(triples), draws)
        return low + rng.beta(np.broadcast_to(a, shape), np.broadcast_to(b, shape)) * width
    return inverse_cdf(triples, rng.random((len(triples), draws)), distribution)


def factor_draws(factors: Factors, draws: int, seed: int, distribution: str = "pert") -> np.ndarray:
    """(F, draws) float32 samples of L x I per factor (1 for non-judgement factors), with the
    likelihoods of correlated factors joined by the Gaussian copula of factors.correlation."""
    if draws < 1 or int(seed) < 0:
        raise ValueError("draws must be >= 1 and seed a non-negative integer")
    f = len(factors.codes)
    out = np.ones((f, draws), dtype=np.float32)
    r = np.asarray(factors.correlation, dtype=float)
    correlated = np.flatnonzero((np.abs(r - np.eye(f)) > 0).any(axis=1) & factors.judgement)
    streams = {i: _stream(seed, factors.codes[i]) for i in range(f)}
    z = {i: streams[i].standard_normal(draws) for i in range(f)}  # every stream starts the same way
    likelihood = {}
    if len(correlated):
        block = correlated[np.argsort(np.asarray(factors.codes)[correlated])]   # code order
        sub = r[np.ix_(block, block)]
        lower = np.linalg.cholesky(sub + 1e-12 * np.eye(len(block)))
        zc = lower @ np.vstack([z[i] for i in block])
        u = np.clip(special.ndtr(zc), 1e-12, 1 - 1e-12)
        for row, i in enumerate(block):
            likelihood[i] = inverse_cdf(factors.likelihood[i:i + 1], u[row:row + 1], distribution)
    for i in np.flatnonzero(factors.judgement):
        rng = streams[i]
        li = likelihood.get(i)
        if li is None:
            li = draw_triples(rng, factors.likelihood[i:i + 1], draws, distribution)
        out[i] = li * draw_triples(rng, factors.impact[i:i + 1], draws, distribution)
    return out


def cost_draws(modes: Modes, draws: int, seed: int, distribution: str = "pert") -> np.ndarray:
    """(M, draws) float32: national cost per person-month minus the UN reimbursement, US$."""
    return np.vstack([draw_triples(_stream(seed, "cost:" + code), modes.cost[m:m + 1], draws, distribution)
                      - modes.reimbursement[m] for m, code in enumerate(MODES)]).astype(np.float32)


@dataclass(frozen=True)
class Inputs:
    """Joint draws of every uncertain input: li (F, D), cost (M, D), hazard (Nm, G, D)."""

    li: np.ndarray
    cost: np.ndarray
    hazard: np.ndarray

    @property
    def draws(self) -> int:
        return self.li.shape[1]


def sample_inputs(factors: Factors, grid: Grid, modes: Modes, draws: int = 1000, seed: int = 0,
                  distribution: str = "pert") -> Inputs:
    return Inputs(factor_draws(factors, draws, seed, distribution), cost_draws(modes, draws, seed, distribution),
                  hazard.draws(grid.hazard_shape, grid.hazard_rate, draws, seed, grid.missions))


# --- the product -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Design:
    """The option side of the product: a (O, F + M) float32, h (O,) float32, row (O,) index
    into the flattened (Nm * G) hazard rows."""

    a: np.ndarray
    h: np.ndarray
    row: np.ndarray


def design(factors: Factors, grid: Grid, modes: Modes, terms_: Terms | None = None) -> Design:
    t = terms(factors, grid) if terms_ is None else terms_
    a = np.zeros((len(grid), len(factors.codes) + len(MODES)), dtype=np.float32)
    a[:, :len(factors.codes)] = t.judgement
    a[np.arange(len(grid)), len(factors.codes) + np.asarray(grid.mode_idx)] = t.cost
    row = np.asarray(grid.mission_idx, dtype=np.intp) * len(GROUPS) + grid.group_idx(modes)
    return Design(np.ascontiguousarray(a), t.hazard.astype(np.float32), row)


def signed_samples(factors: Factors, inputs: Inputs, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(S (F + M, D), H (Nm * G, D)) float32 for weights (F,) or per-draw weights (F, D)."""
    weights = np.asarray(weights, dtype=np.float32)
    if weights.ndim == 1:
        weights = weights[:, None]
    signed = np.asarray(factors.sign, dtype=np.float32)[:, None] * weights                 # (F, 1 or D)
    s = np.empty((len(factors.codes) + len(MODES), inputs.draws), dtype=np.float32)
    np.multiply(signed, inputs.li, out=s[:len(factors.codes)])
    cost, fat = factors.index_of("net_cost"), factors.index_of("fatalities")
    s[len(factors.codes):] = inputs.cost * (signed[cost] if cost is not None else 0)
    s[:len(factors.codes)][~factors.judgement] = 0
    h = inputs.hazard.reshape(-1, inputs.draws) * (signed[fat] if fat is not None else np.float32(0))
    return s, np.ascontiguousarray(h, dtype=np.float32)


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
_blas_users = [0, 0]  # callers inside single_threaded_blas, and the thread count to restore


@contextmanager
def single_threaded_blas() -> Iterator[None]:
    """Run numpy's OpenBLAS on one thread meanwhile (process-wide), then restore its setting.

    Our workers already keep every core busy, each with its own small product; OpenBLAS threads
    on the same cores would fight them (measured on two cores: 1.6x slower). Concurrent and
    nested callers share one save and restore. Without numpy's OpenBLAS this does nothing.
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
    step-th column, then an exact count within the one window holding the sign change."""
    n, d = block.shape
    if d < 2 * step:
        return np.count_nonzero(block > 0, axis=1)
    whole = np.count_nonzero(block[:, step - 1::step] <= 0, axis=1) * step
    rows = np.arange(0, n * d, d)
    start = np.minimum(whole, d - step) + rows
    window = block.ravel().take(start[:, None] + np.arange(step))
    return d - (start - rows) - np.count_nonzero(window <= 0, axis=1)


def _blocks(n: int, chunk: int, threads: int, work: Callable[[int], None]) -> None:
    with single_threaded_blas():
        if threads <= 1 or n <= chunk:
            for start in range(0, n, chunk):
                work(start)
        else:
            with ThreadPoolExecutor(threads) as pool:
                list(pool.map(work, range(0, n, chunk)))


LOCAL_ROWS = 24   # a block with at most this many distinct hazard rows folds them into its product


def _net_block(d: Design, s: np.ndarray, h: np.ndarray, start: int, stop: int, out: np.ndarray) -> np.ndarray:
    """Net draws of options start..stop into out. The grid is ordered by mission, so a block
    touches few hazard rows: they join the product as extra columns (the option's h in its
    row's column), which costs a few more columns instead of a gather over the whole block."""
    block = out[:stop - start]
    rows = d.row[start:stop]
    present = np.unique(rows)
    if len(present) <= LOCAL_ROWS:
        local = np.zeros((stop - start, d.a.shape[1] + len(present)), dtype=np.float32)
        local[:, :d.a.shape[1]] = d.a[start:stop]
        local[np.arange(stop - start), d.a.shape[1] + np.searchsorted(present, rows)] = d.h[start:stop]
        np.matmul(local, np.concatenate([s, h[present]]), out=block)
        return block
    np.matmul(d.a[start:stop], s, out=block)
    block += d.h[start:stop, None] * h[rows]
    return block


def net_draws(d: Design, s: np.ndarray, h: np.ndarray, options=None) -> np.ndarray:
    """(len(options), D) float32 net draws of the listed options (all by default)."""
    options = np.arange(len(d.a)) if options is None else np.asarray(options, dtype=np.intp)
    sub = Design(d.a[options], d.h[options], d.row[options])
    with single_threaded_blas():
        return _net_block(sub, s, h, 0, len(options), np.empty((len(options), s.shape[1]), dtype=np.float32))


def summarise(d: Design, s: np.ndarray, h: np.ndarray, chunk: int | None = None,
              threads: int | None = None) -> np.ndarray:
    """(5, O) float32 rows p10, p50, p90, p_positive, mean of every option's net draws.

    Each worker fills one chunk of rows into its own reused buffer, sorts the rows (numpy's
    SIMD sort beats np.partition with several kth values about tenfold) and reads the order
    statistics (numpy's 'linear' quantiles)."""
    n, draws = len(d.a), s.shape[1]
    chunk = max(1, chunk or CHUNK_BYTES // (4 * draws))
    positions = np.asarray(QUANTILES) * (draws - 1)
    lower = np.floor(positions).astype(np.intp)
    upper = np.minimum(lower + 1, draws - 1)
    fraction = (positions - lower).astype(np.float32)
    out = np.empty((5, n), dtype=np.float32)
    local = threading.local()

    def work(start: int) -> None:
        stop = min(start + chunk, n)
        if getattr(local, "buffer", None) is None:
            local.buffer = np.empty((min(chunk, n), draws), dtype=np.float32)
        block = _net_block(d, s, h, start, stop, local.buffer)
        block.sort(axis=1)
        low, high = block[:, lower], block[:, upper]
        out[:3, start:stop] = (low + (high - low) * fraction).T
        out[3, start:stop] = _positive_counts(block) / draws

    _blocks(n, chunk, threads or THREADS, work)
    # The mean is linear in the draws: no pass over the block is needed for it.
    out[4] = d.a @ s.mean(axis=1) + d.h * h.mean(axis=1)[d.row]
    return out


def best_per_draw(d: Design, s: np.ndarray, h: np.ndarray, candidates: np.ndarray, chunk: int | None = None,
                  threads: int | None = None) -> np.ndarray:
    """(D,) index of the best candidate option in each draw (ties: the first in grid order);
    -1 where there is no candidate."""
    candidates = np.asarray(candidates, dtype=np.intp)
    draws = s.shape[1]
    if not len(candidates):
        return np.full(draws, -1)
    sub = Design(d.a[candidates], d.h[candidates], d.row[candidates])
    chunk = max(1, chunk or CHUNK_BYTES // (4 * draws))
    starts = list(range(0, len(candidates), chunk))
    values = np.empty((len(starts), draws), dtype=np.float32)
    where = np.empty((len(starts), draws), dtype=np.intp)
    local = threading.local()

    def buffer() -> np.ndarray:
        if getattr(local, "buffer", None) is None:
            local.buffer = np.empty((min(chunk, len(candidates)), draws), dtype=np.float32)
        return local.buffer

    # Pass 1: each block's best value per draw (a SIMD max, ~7x cheaper than an argmax).
    def best_values(start: int) -> None:
        values[start // chunk] = _net_block(sub, s, h, start, min(start + chunk, len(candidates)), buffer()).max(axis=0)

    _blocks(len(candidates), chunk, threads or THREADS, best_values)
    winning_block = values.argmax(axis=0)                       # ties: the first block, as in grid order
    # Pass 2: only the blocks that win some draw are multiplied again, for those draws' argmax.
    winners = np.flatnonzero(np.bincount(winning_block, minlength=len(starts)))

    def best_rows(k: int) -> None:
        start = starts[k]
        won = np.flatnonzero(winning_block == k)
        block = _net_block(sub, s, h, start, min(start + chunk, len(candidates)), buffer())
        where[k, won] = block[:, won].argmax(axis=0) + start

    with single_threaded_blas():
        if (threads or THREADS) <= 1 or len(winners) <= 1:
            for k in winners:
                best_rows(int(k))
        else:
            with ThreadPoolExecutor(threads or THREADS) as pool:
                list(pool.map(best_rows, winners.tolist()))
    return candidates[where[winning_block, np.arange(draws)]]


@dataclass(frozen=True)
class Uncertainty:
    """Per option (O,) float32: P10, P50, P90 and mean of the net score over the draws, and the
    share of draws with net > 0."""

    p10: np.ndarray
    p50: np.ndarray
    p90: np.ndarray
    p_positive: np.ndarray
    mean: np.ndarray


def monte_carlo(factors: Factors, grid: Grid, weights: np.ndarray, modes: Modes | None = None, draws: int = 1000,
                seed: int = 0, distribution: str = "pert", inputs: Inputs | None = None,
                design_: Design | None = None, chunk: int | None = None, threads: int | None = None
                ) -> tuple[Uncertainty, Inputs, Design]:
    """Seeded Monte Carlo of every option's net score at fixed weights (F,). Returns the
    summary, the input draws and the design (to reuse for SMAA and for kept draws). chunk and
    threads change the speed, and the numbers only by float32 rounding (relative 1e-6)."""
    modes = Modes.default() if modes is None else modes
    inputs = sample_inputs(factors, grid, modes, draws, seed, distribution) if inputs is None else inputs
    d = design(factors, grid, modes) if design_ is None else design_
    s, h = signed_samples(factors, inputs, weights)
    p10, p50, p90, p_positive, mean = summarise(d, s, h, chunk, threads)
    return Uncertainty(p10, p50, p90, p_positive, mean), inputs, d
