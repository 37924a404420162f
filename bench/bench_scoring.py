"""Time the full option grid through the engine against bare numpy matrix products of the same
shapes, in the same run. Prints times, their ratio and peak memory; asserts nothing.

    .venv/bin/python bench/bench_scoring.py [--missions 110] [--factors 30] [--draws 1000] [--repeat 5]

The grid is synthetic but full size: every mission x 4 modes x every non-empty subset of 8
functions (255), i.e. 112,200 options for 110 missions, with the modes' default sizes, a data
hazard per mission and group, a net-cost factor and a correlated block of five factors. The full
pass (risks.engine.evaluate) is what a recomputation does: expected scores, correlated Monte Carlo
(P10/P50/P90, P(net > 0), mean), deal-breakers, ranks, and SMAA first-rank acceptability with
weights and inputs sampled jointly. It needs two products of (options x (factors + modes)) @
((factors + modes) x draws): one at the analyst's weights, one at the sampled weights. The
baseline is those two bare float32 products, with numpy's default threading.
"""

import argparse
import resource
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from risks.engine import evaluate, model, uncertainty  # noqa: E402


def synthetic(missions: int, factors: int, seed: int = 1) -> tuple[model.Factors, model.Grid, np.ndarray]:
    rng = np.random.default_rng(seed)
    functions = model.FUNCTIONS
    own = [sorted(rng.choice(len(functions), size=8, replace=False).tolist()) for _ in range(missions)]
    features = rng.random((missions, len(model.FEATURES)))
    shape = rng.uniform(1, 150, (missions, len(model.GROUPS)))
    rate = rng.uniform(2, 150, (missions, len(model.GROUPS)))
    grid = model.build_grid([f"M{i:03d}" for i in range(missions)], own, functions, features,
                            hazard_shape=shape, hazard_rate=rate)
    triples = np.sort(rng.random((2, factors, 3)), axis=2)
    quantity = np.array(["judgement"] * (factors - 2) + ["fatalities", "net_cost"])
    correlation = np.eye(factors)
    block = np.arange(5)
    correlation[np.ix_(block, block)] = 0.4
    np.fill_diagonal(correlation, 1)
    table = model.Factors(
        codes=tuple(f"factor_{f:02d}" for f in range(factors)),
        sign=np.where((np.arange(factors) % 2) & (quantity == "judgement"), 1, -1),
        category=np.array(["synthetic"] * factors), likelihood=triples[0], impact=triples[1],
        mode_effect=rng.uniform(0, 2, (factors, len(model.MODES))),
        function_effect=rng.uniform(0.3, 1.5, (factors, len(functions))),
        feature_effect=rng.uniform(0.5, 2, (factors, len(model.FEATURES))),
        quantity=quantity, size_scaled=rng.random(factors) < 0.5, correlation=correlation,
    )
    return table, grid, rng.random(factors)


def best_of(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--missions", type=int, default=110)
    parser.add_argument("--factors", type=int, default=30)
    parser.add_argument("--draws", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    table, grid, weights = synthetic(args.missions, args.factors)
    feasible = grid.mode_idx != model.MODES.index("private_military_company")
    modes = model.Modes.default()

    stages: dict[str, list[float]] = {}

    def timed(name, fn, *a, **kw):
        started = time.perf_counter()
        result = fn(*a, **kw)
        stages.setdefault(name, []).append(time.perf_counter() - started)
        return result

    for _ in range(args.repeat):
        inputs = timed("input draws (copula, hazard, cost)", uncertainty.sample_inputs, table, grid, modes,
                       args.draws, 7)
        design = timed("design (modifiers, size curve, cost, hazard terms)", uncertainty.design, table, grid, modes)
        timed("expected scores", model.score, table, grid, weights, modes)
        timed("Monte Carlo summary (product, sort, P10/P50/P90, P>0)", uncertainty.monte_carlo, table, grid,
              weights, modes, inputs=inputs, design_=design)

    def full_pass():
        return evaluate.evaluate(table, grid, weights, modes, feasible=feasible, draws=args.draws, seed=7)

    engine = best_of(full_pass, args.repeat)
    result = full_pass()
    frame = result.frame
    engine_peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    columns = args.factors + len(model.MODES)
    a = np.random.default_rng(2).random((len(grid), columns), dtype=np.float32)
    b = np.random.default_rng(3).random((columns, args.draws), dtype=np.float32)
    c = np.random.default_rng(4).random((columns, args.draws), dtype=np.float32)
    bare = best_of(lambda: (a @ b, a @ c), args.repeat)
    out = np.empty((len(grid), args.draws), dtype=np.float32)
    bare_preallocated = best_of(lambda: (np.matmul(a, b, out=out), np.matmul(a, c, out=out)), args.repeat)

    ok = (frame["p10"] <= frame["p50"]).all() and (frame["p50"] <= frame["p90"]).all()
    exact = exactness(table, grid, weights, modes, result, args.draws)
    selection = quantile_step(args.draws)
    print(f"options: {len(grid):,}  factors: {args.factors} (+{len(model.MODES)} cost columns)  "
          f"draws: {args.draws}  worker threads: {uncertainty.THREADS}  best of {args.repeat}")
    print("stages run one after another (best of each):")
    for name, times in stages.items():
        print(f"  {name:<56} {min(times) * 1000:7.1f} ms")
    print(f"engine, full pass with SMAA (evaluate):            {engine:.3f} s")
    print(f"two bare numpy matmuls ({len(grid)} x {columns}) @ ({columns} x {args.draws}), float32: {bare:.3f} s")
    print(f"ratio engine / bare matmuls: {engine / bare:.2f}x")
    print(f"(the same products into a preallocated output, no page faults: {bare_preallocated:.3f} s, "
          f"ratio {engine / bare_preallocated:.2f}x)")
    print(f"peak memory (max RSS) after the engine runs: {engine_peak_mb:.0f} MB "
          f"(one bare product alone allocates {len(grid) * args.draws * 4 / 2**20:.0f} MB)")
    print(f"sanity: p10 <= p50 <= p90 everywhere: {ok}; ranked options: {frame['rank'].notna().sum():,}; "
          f"first-rank acceptability sums to {frame['acceptability'].sum():.3f}")
    print(f"P10/P50/P90 against np.quantile on the same draws ({exact['options']:,} options): largest difference "
          f"{exact['diff']:.2e} (float32 interpolation), identical order statistics: {exact['same']}")
    print("the quantile step on one block of " + f"{selection['rows']} options x {args.draws} draws (one thread): "
          + ", ".join(f"{name} {ms:.2f} ms" for name, ms in selection["times"].items()))
    target = engine / bare <= 1.5
    print(f"target (engine at most 1.5x the two bare products): {'met' if target else 'NOT met'} "
          f"({engine / bare:.2f}x; {engine / bare_preallocated:.2f}x against preallocated products)")


def exactness(table, grid, weights, modes, result, draws: int) -> dict:
    """The engine's P10/P50/P90 against numpy's 'linear' quantiles of the same float32 draws, and
    whether they are exactly the full sort's order statistics interpolated in float32 as the engine
    does. The draws are rebuilt block by block as the engine builds them (its chunks, one BLAS
    thread), so they are the same numbers to the last bit: three blocks, first, middle and last."""
    s, h = uncertainty.signed_samples(table, result.inputs, weights)
    chunk = max(1, uncertainty.CHUNK_BYTES // (4 * draws))
    starts = sorted({0, (len(grid) // 2) // chunk * chunk, (len(grid) - 1) // chunk * chunk})
    positions = np.asarray(uncertainty.QUANTILES) * (draws - 1)
    lower = np.floor(positions).astype(int)
    upper = np.minimum(lower + 1, draws - 1)
    diff, same, options = 0.0, True, 0
    with uncertainty.single_threaded_blas():
        for start in starts:
            stop = min(start + chunk, len(grid))
            net = uncertainty._net_block(result.design, s, h, start, stop, np.empty((chunk, draws), np.float32)).copy()
            ordered = np.sort(net, axis=1)
            frame = result.frame.iloc[start:stop]
            options += stop - start
            for k, name in enumerate(("p10", "p50", "p90")):
                engine = frame[name].to_numpy()
                diff = max(diff, float(np.abs(engine - np.quantile(net, uncertainty.QUANTILES[k], axis=1)).max()))
                low, high = ordered[:, lower[k]], ordered[:, upper[k]]
                same &= bool(np.array_equal(engine.astype(np.float32),
                                            low + (high - low) * np.float32(positions[k] - lower[k])))
    return {"options": options, "diff": diff, "same": same}


def quantile_step(draws: int, rows: int = 1024, repeat: int = 20) -> dict:
    """Time ways of reading P10/P50/P90 from a block of draws (one thread): the full SIMD sort the
    engine uses, np.partition with the six order statistics, and np.partition at one of them."""
    block = np.random.default_rng(5).standard_normal((rows, draws)).astype(np.float32)
    positions = np.asarray(uncertainty.QUANTILES) * (draws - 1)
    kth = sorted({int(p) for p in np.floor(positions)} | {min(int(p) + 1, draws - 1) for p in np.floor(positions)})
    ways = {"sort (the engine)": lambda x: x.sort(axis=1),
            f"np.partition at {len(kth)} order statistics": lambda x: x.partition(kth, axis=1),
            "np.partition at one of them (the least a partition-based selection needs)": lambda x: x.partition(kth[len(kth) // 2], axis=1)}
    times = {}
    work = np.empty_like(block)
    for name, way in ways.items():
        best = float("inf")
        for _ in range(repeat):
            np.copyto(work, block)
            started = time.perf_counter()
            way(work)
            best = min(best, time.perf_counter() - started)
        times[name] = best * 1000
    return {"rows": rows, "times": times}


if __name__ == "__main__":
    main()
