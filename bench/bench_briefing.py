"""Time the full PDF and PPTX briefings (with their charts) against the same documents without
charts, in the same run and warm (kaleido's browser already started), on whatever database
DATABASE_URL points at (the embedded SQLite by default).

    DEBUG=true .venv/bin/python bench/bench_briefing.py [--scenario ID] [--repeat N]

Needs the data loaded (bin/run does it) and Debian's chromium for kaleido. kaleido's start (once
per worker process) is timed separately. Each time is the best of N runs.
"""

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def best_of(repeat: int, render) -> tuple[float, int]:
    times, size = [], 0
    for _ in range(repeat):
        started = time.perf_counter()
        size = len(render().content)
        times.append(time.perf_counter() - started)
    return min(times), size


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scenario", type=int)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pkoanalysis.settings")
    import django

    django.setup()
    from django.core.cache import cache
    from django.utils.translation import override

    from briefings.charts import charts_for, figure_png
    from briefings.data import briefing_data
    from briefings.exporters import EXPORTERS
    from risks.models import Scenario

    scenario = Scenario.objects.get(pk=args.scenario) if args.scenario else Scenario.objects.order_by("pk").first()
    if scenario is None:
        sys.exit("no scenario: create one first (bin/run, then the builder)")
    with override("en"):
        data = briefing_data(scenario)
        started = time.perf_counter()
        charts = charts_for(data)
        figure_png(charts[0].figure, height=charts[0].height)
        warmup = time.perf_counter() - started
        print(f"scenario {scenario.pk} '{scenario.name}', {len(charts)} charts, best of {args.repeat}")
        print(f"kaleido start + first chart (once per process): {warmup:.2f} s")
        for fmt in ("pdf", "pptx"):
            plain, plain_size = best_of(args.repeat, EXPORTERS[fmt](data, with_charts=False).render)

            def fresh(fmt=fmt):  # every chart drawn anew: the chart-image cache emptied first
                cache.clear()
                return EXPORTERS[fmt](data).render()

            full, full_size = best_of(args.repeat, fresh)
            again, _size = best_of(args.repeat, EXPORTERS[fmt](data).render)
            print(f"{fmt.upper():4} without charts: {plain:.2f} s ({plain_size // 1024} KiB); "
                  f"full, charts drawn anew: {full:.2f} s ({full_size // 1024} KiB), {full / plain:.2f}x; "
                  f"full, unchanged charts from the image cache (a re-export): {again:.2f} s, {again / plain:.2f}x")


if __name__ == "__main__":
    main()
