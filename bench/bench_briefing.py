"""Time a full PDF briefing (with its charts) against the same briefing without charts, in the
same run, on whatever database DATABASE_URL points at (the embedded SQLite by default).

    DEBUG=true .venv/bin/python bench/bench_briefing.py [--scenario ID]

Needs the data loaded (bin/run does it) and Debian's chromium for kaleido. The first chart
starts kaleido's browser; that start is timed separately (once per worker process).
"""

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scenario", type=int)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pkoanalysis.settings")
    import django

    django.setup()
    from django.utils.translation import override

    from risks import briefing_service, briefings
    from risks.models import Scenario

    scenario = Scenario.objects.get(pk=args.scenario) if args.scenario else Scenario.objects.order_by("pk").first()
    if scenario is None:
        sys.exit("no scenario: create one first (bin/run, then the builder)")
    with override("en"):
        data = briefing_service.briefing_data(scenario)
        started = time.perf_counter()
        briefings.figure_png(briefings.figures(data)[0][1])
        warmup = time.perf_counter() - started

        started = time.perf_counter()
        without = briefings.render_pdf(data, with_charts=False)
        plain = time.perf_counter() - started

        charts = len(briefings.figures(data))
        started = time.perf_counter()
        full = briefings.render_pdf(data)
        complete = time.perf_counter() - started
    print(f"scenario {scenario.pk} '{scenario.name}'")
    print(f"kaleido start + first chart (once per process): {warmup:.2f} s")
    print(f"briefing without charts: {plain:.2f} s ({len(without) // 1024} KiB)")
    print(f"full briefing, {charts} charts:   {complete:.2f} s ({len(full) // 1024} KiB)")
    print(f"ratio full / without charts: {complete / plain:.2f}x")


if __name__ == "__main__":
    main()
