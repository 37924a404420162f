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


if __name__ == "__main__":
    main()
