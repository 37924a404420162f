"""Load test: 64 connections for 60 s on the main pages, rotating through them, against the
production front (nginx from deploy/nginx.conf before gunicorn on loopback); then the trivial
view (/healthz/) through the same front in the same run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pkoanalysis .venv/bin/python bench/bench_load.py

Prints throughput and p50/p99 latency, their ratios to the trivial view, and the errors: any
answer other than 200 (a redirect to the login page counts) and any socket error or timeout.
Exits 1 if there was one. Needs wrk, nginx and the data loaded (see bench_pages.py).
BENCH_DURATION, BENCH_CONNECTIONS, BENCH_WORKERS (gunicorn processes, default 4) and
BENCH_FRONT_PORT (nginx, default 20580; gunicorn on the next port) change the run;
BENCH_FRONT=gunicorn measures gunicorn alone, as before the front existed.
"""

import os
import re
import sys
import tempfile
from pathlib import Path

from harness import prepare_environment, served, served_behind_nginx, setup, warm, wrk

DURATION = os.getenv("BENCH_DURATION", "60s")
BASELINE_DURATION = os.getenv("BENCH_BASELINE_DURATION", "15s")
CONNECTIONS = int(os.getenv("BENCH_CONNECTIONS", "64"))
WORKERS = int(os.getenv("BENCH_WORKERS", "4"))
FRONT = os.getenv("BENCH_FRONT", "nginx")

# wrk sends the pages in turn (each thread from its own offset) and counts every non-200 answer.
ROTATE = """
local paths = {%(paths)s}
local threads = {}

function setup(thread)
  thread:set("offset", #threads)
  table.insert(threads, thread)
end

function init(args)
  counter = offset
  bad = 0
end

function request()
  counter = counter + 1
  return wrk.format("GET", paths[counter %% #paths + 1])
end

function response(status, headers, body)
  if status ~= 200 then bad = bad + 1 end
end

function done(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do total = total + thread:get("bad") end
  io.write(string.format("Non-200 responses: %%d\\n", total))
end
"""


def milliseconds(text: str) -> float:
    value, unit = re.fullmatch(r"([\d.]+)(\w+)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def main() -> None:
    prepare_environment()
    cookie, scenario = setup()
    from missions.models import Mission

    mission = Mission.objects.filter(is_active=True).order_by("acronym").values_list("acronym", flat=True).first()
    paths = ["/", "/missions/", f"/missions/{mission}/", "/scenarios/", f"/scenarios/{scenario}/",
             "/scenarios/explorer/?mode=individual&feasibility=not_infeasible&active=on", "/api/missions/"]
    script = Path(tempfile.mkdtemp(prefix="bench-load-")) / "rotate.lua"
    script.write_text(ROTATE % {"paths": ", ".join(f'"{p}"' for p in paths)})
    front = served_behind_nginx if FRONT == "nginx" else served
    with front(workers=WORKERS) as base:
        warm([base + p for p in paths], cookie)
        pages = wrk(f"{base}/", cookie, CONNECTIONS, DURATION, script)
        trivial = wrk(f"{base}/healthz/", cookie, CONNECTIONS, BASELINE_DURATION)
    non_200 = int(re.search(r"Non-200 responses: (\d+)", pages["output"]).group(1))
    errors = pages["socket_errors"] + non_200
    where = "nginx in front of gunicorn" if FRONT == "nginx" else "gunicorn alone"
    print(f"{where}, {WORKERS} workers, wrk {CONNECTIONS} connections; {len(paths)} pages in turn for {DURATION}, "
          f"then /healthz/ for {BASELINE_DURATION}")
    print("pages: " + ", ".join(paths))
    for name, r in (("main pages (mixed)", pages), ("trivial view (/healthz/)", trivial)):
        print(f"{name:26s} {r['rps']:8.1f} req/s  p50 {r['p50']:>8s}  p99 {r['p99']:>8s}")
    print(f"ratio to trivial: throughput {pages['rps'] / trivial['rps']:.3f}, "
          f"p50 latency x{milliseconds(pages['p50']) / milliseconds(trivial['p50']):.1f}, "
          f"p99 latency x{milliseconds(pages['p99']) / milliseconds(trivial['p99']):.1f}")
    print(f"errors: {errors} (non-200 answers {non_200}, socket errors and timeouts {pages['socket_errors']}; "
          f"trivial view {trivial['errors']})")
    if errors or trivial["errors"]:
        sys.exit(1)


if __name__ == "__main__":
    main()
