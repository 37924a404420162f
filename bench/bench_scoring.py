"""Time the full option grid through the scoring engine against a bare numpy matrix product of
the same shapes, in the same run. Prints times, their ratio and peak memory; asserts nothing.

    .venv/bin/python bench/bench_scoring.py [--missions 110] [--factors 30] [--draws 1000] [--repeat 5]

The grid is synthetic but full size: every mission x 4 modes x every non-empty subset of 8
functions (255), i.e. 112,200 options for 110 missions. The full pass is what a recomputation
of the grid does: modifiers, deterministic scores, Monte Carlo P10/P50/P90 and P(net > 0),
ranks among feasible options, and the export frame. The baseline is one float32
(options x factors) @ (factors x draws) product with numpy's default threading.
"""

import argparse
import resource
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from risks import scoring  # noqa: E402


def synthetic(missions: int, factors: int, seed: int = 1) -> tuple[scoring.Factors, scoring.Grid, np.ndarray]:
    rng = np.random.default_rng(seed)
    functions = scoring.FUNCTIONS
    own = [sorted(rng.choice(len(functions), size=8, replace=False).tolist()) for _ in range(missions)]
    features = rng.random((missions, len(scoring.FEATURES)))
    grid = scoring.build_grid([f"M{i:03d}" for i in range(missions)], own, functions, features)
    triples = np.sort(rng.random((2, factors, 3)), axis=2)
    table = scoring.Factors(
        codes=tuple(f"factor_{f:02d}" for f in range(factors)), sign=np.where(np.arange(factors) % 2, 1, -1),
        category=np.array(["synthetic"] * factors), likelihood=triples[0], impact=triples[1],
        mode_effect=rng.uniform(0, 2, (factors, len(scoring.MODES))),
        function_effect=rng.uniform(0.3, 1.5, (factors, len(functions))),
        feature_effect=rng.uniform(0.5, 2, (factors, len(scoring.FEATURES))),
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
    feasible = grid.mode_idx != scoring.MODES.index("private_military_company")

    # The stages one after another, for the breakdown.
    stages: dict[str, list[float]] = {}

    def timed(name, fn, *args, **kwargs):
        started = time.perf_counter()
        result = fn(*args, **kwargs)
        stages.setdefault(name, []).append(time.perf_counter() - started)
        return result

    for _ in range(args.repeat):
        modifier = timed("modifiers", scoring.modifiers, table, grid)
        scores = timed("deterministic scores", scoring.score, table, grid, weights, modifier=modifier)
        uncertainty, _ = timed("Monte Carlo (draws, matmul, P10/P50/P90, P>0)", scoring.monte_carlo,
                               table, grid, weights, draws=args.draws, seed=7, modifier=modifier)
        ranks = timed("ranks among feasible options", scoring.rank, scores.net, feasible)
        timed("results frame", scoring.results_frame, grid, scores, uncertainty, ranks)

    # The full pass as the application runs it: scoring.evaluate overlaps the deterministic
    # work with the Monte Carlo.
    def full_pass():
        return scoring.evaluate(table, grid, weights, feasible=feasible, draws=args.draws, seed=7)

    engine = best_of(full_pass, args.repeat)
    frame = full_pass()
    engine_peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    a = np.random.default_rng(2).random((len(grid), args.factors), dtype=np.float32)
    b = np.random.default_rng(3).random((args.factors, args.draws), dtype=np.float32)
    bare = best_of(lambda: a @ b, args.repeat)
    out = np.empty((len(grid), args.draws), dtype=np.float32)
    bare_preallocated = best_of(lambda: np.matmul(a, b, out=out), args.repeat)

    ok = (frame["p10"] <= frame["p50"]).all() and (frame["p50"] <= frame["p90"]).all()
    print(f"options: {len(grid):,}  factors: {args.factors}  draws: {args.draws}  "
          f"worker threads: {scoring.THREADS}  best of {args.repeat}")
    print("stages run one after another (best of each):")
    for name, times in stages.items():
        print(f"  {name:<48} {min(times) * 1000:7.1f} ms")
    print(f"engine, full pass (scoring.evaluate):             {engine:.3f} s")
    print(f"bare numpy matmul ({len(grid)} x {args.factors}) @ ({args.factors} x {args.draws}), float32: {bare:.3f} s")
    print(f"ratio engine / bare matmul: {engine / bare:.2f}x")
    print(f"(the same product into a preallocated output, no page faults: {bare_preallocated:.3f} s, "
          f"ratio {engine / bare_preallocated:.2f}x)")
    print(f"peak memory (max RSS) after the engine runs: {engine_peak_mb:.0f} MB "
          f"(the bare product alone allocates {len(grid) * args.draws * 4 / 2**20:.0f} MB)")
    print(f"sanity: p10 <= p50 <= p90 everywhere: {ok}; ranked options: {frame['rank'].notna().sum():,}")


if __name__ == "__main__":
    main()
