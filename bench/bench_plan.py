"""Time the plan's optimisation on the real data against scoring the same options, in the same
run. Prints times and ratios; asserts nothing.

    DEBUG=true .venv/bin/python bench/bench_plan.py [--repeat 3] [--draws 200]

The problem is the app's: every active mission x 4 modes x its function sets x the curated sizes
(risks/catalogue/sizes.csv), judged by the gates; the admissible ones enter the MILP. The limits
are the issue's: at most 300 people, US$ 20 million a year, no Chapter VII missions.

* baseline: scoring those options (risks.engine.evaluate: expected scores, 1,000 Monte Carlo
  draws, deal-breakers) plus the extra SMAA and fatality draws the plan reads (plans.candidates.build)
* the full problem: one binary per admissible option, no reduction (portfolio.solve(reduced=False))
* the app's solve: the exact reduction first (one function set per mission, mode and size)
* the risk-averse solve: CVaR over 200 draws (Rockafellar-Uryasev, every option enters)
* the frontiers (2 x 25 re-solves) and the five-year pathway (one multi-period MILP)
* robustness: --draws re-solves under joint SMAA weight and input draws
"""

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pkoanalysis.settings")
os.environ.setdefault("DEBUG", "true")


def best_of(fn, repeat: int) -> tuple[float, object]:
    times, out = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - started)
    return min(times), out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--draws", type=int, default=200)
    args = parser.parse_args()
    import django

    django.setup()
    from plans import candidates, services
    from risks.engine import portfolio
    from risks.inputs import read_inputs

    inputs = read_inputs()
    baseline, c = best_of(lambda: candidates.build(inputs), args.repeat)
    params = services.default_parameters(exclude_chapter_vii=True)
    limits, _ = services.limits_for(params, inputs, c.missions)
    rows = [("baseline: score the options (judge, evaluate, draws)", baseline)]
    full, solution = best_of(lambda: portfolio.solve(c.options, limits, reduced=False), args.repeat)
    rows.append((f"full problem: {len(c.options)} binaries, no reduction", full))
    reduced, same = best_of(lambda: portfolio.solve(c.options, limits), args.repeat)
    assert abs(same.value - solution.value) < 1e-9, "the reduction is exact"
    rows.append(("app's solve (exact reduction first)", reduced))
    cvar_options = services.with_draws(c, {**params, "objective": "cvar"})
    cvar, _ = best_of(lambda: portfolio.solve(cvar_options, limits, portfolio.Objective("cvar", 0.1, 0.5)), 1)
    rows.append((f"CVaR objective, {services.CVAR_DRAWS} draws", cvar))
    frontier, _ = best_of(lambda: services.frontiers(c.options, limits, portfolio.Objective()), 1)
    rows.append((f"frontiers: {2 * services.FRONTIER_POINTS} re-solves", frontier))
    path, _ = best_of(lambda: services.compute_pathway(c, inputs, limits), 1)
    rows.append(("five-year pathway (one multi-period MILP)", path))
    robust, _ = best_of(lambda: portfolio.acceptability(c.options, limits, c.smaa_draws, 0, args.draws), 1)
    rows.append((f"robustness: {args.draws} re-solves", robust))
    print(f"{c.considered} options judged, {len(c.options)} admissible, {len(c.missions)} active missions; "
          f"optimal plan: {len(solution.chosen)} options, value {solution.value:.3f}")
    for label, seconds in rows:
        print(f"{label:<58} {seconds * 1000:9.1f} ms   {seconds / baseline:7.2f} x baseline")


if __name__ == "__main__":
    main()
