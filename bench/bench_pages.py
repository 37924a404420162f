"""Load the scenario and explorer pages through gunicorn with wrk, against a trivial view on the
same server in the same run. Prints requests/s, latency percentiles and the throughput ratio.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pkoanalysis .venv/bin/python bench/bench_pages.py

Needs wrk (Debian package) and the data loaded in that database (bin/run or import_un_data,
seed_risk_model). It creates a bench user and scenario if missing. 16 connections, 10 s a page.
"""

import os

from harness import prepare_environment, served, setup, warm, wrk

DURATION = os.getenv("BENCH_DURATION", "10s")
TARGET_RATIO, TARGET_P95_MS = 0.3, 100


def main() -> None:
    prepare_environment()
    cookie, scenario = setup()
    with served() as base:
        pages = {
            "trivial view (/healthz/)": f"{base}/healthz/",
            "scenario page": f"{base}/scenarios/{scenario}/",
            "explorer page": f"{base}/scenarios/explorer/?mode=individual&feasibility=not_infeasible&active=on",
            "overview page": f"{base}/",
        }
        warm(list(pages.values()), cookie)
        for url in pages.values():  # every worker loads its code and fills its memo before anything is measured
            wrk(url, cookie, duration="2s")
        results = {name: wrk(url, cookie, duration=DURATION) for name, url in pages.items()}
    baseline = results["trivial view (/healthz/)"]["rps"]
    print(f"gunicorn 4 workers, wrk 16 connections, {DURATION} per page; target for the scenario and explorer "
          f"pages: >= {TARGET_RATIO}x the trivial view's throughput, p95 < {TARGET_P95_MS} ms")
    for name, r in results.items():
        ratio = r["rps"] / baseline
        verdict = "" if name.startswith("trivial") else (
            "  target met" if ratio >= TARGET_RATIO and (r["p95_ms"] or 1e9) < TARGET_P95_MS else "  target NOT met")
        print(f"{name:28s} {r['rps']:8.1f} req/s  p50 {r['p50']}  p90 {r['p90']}  p95 {r['p95_ms']:.1f}ms  "
              f"p99 {r['p99']}  errors {r['errors']}  ratio to trivial {ratio:.2f}{verdict}")


if __name__ == "__main__":
    main()
