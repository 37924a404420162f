import time

from django.core.management.base import BaseCommand, CommandError

from risks import services, tasks
from risks.catalogue import load_catalogue
from risks.models import Scenario


class Command(BaseCommand):
    help = "Recompute scenario results (and the full option grid with --all), through the task queue."

    def add_arguments(self, parser):
        target = parser.add_mutually_exclusive_group(required=True)
        target.add_argument("--all", action="store_true",
                            help="the option grid and every scenario (what is up to date is skipped)")
        target.add_argument("--scenario", type=int, help="one scenario id")
        target.add_argument("--stale", action="store_true",
                            help="only what is stale or missing: scenarios and the grid (after a broker outage)")
        parser.add_argument("--force", action="store_true",
                            help="with --all: recompute even results that match their inputs")
        parser.add_argument("--timeout", type=int, default=600, help="seconds to wait for the workers")

    def handle(self, *args, all: bool, scenario: int | None, stale: bool, force: bool, timeout: int, **options):
        load_catalogue()  # creates only what is missing
        if stale:
            if services.grid_outdated():
                self.stdout.write(f"option grid: {tasks.recompute_grid_async().get(timeout=timeout)} options scored")
            ids = services.stale_scenarios()
            outcome = tasks.recompute_many.delay(ids).get(timeout=timeout) if ids else "nothing stale"
            self.stdout.write(f"stale scenarios: {outcome}")
            return
        if scenario is not None:
            if not Scenario.objects.filter(pk=scenario).exists():
                raise CommandError(f"no scenario with id {scenario}")
            outcome = tasks.recompute_scenario.delay(scenario).get(timeout=timeout)
            self.stdout.write(f"scenario {scenario}: {outcome}")
            return
        # --all: results are keyed by a fingerprint of their inputs, so what already matches its
        # inputs is kept (a second run costs a read of the inputs); --force recomputes anyway.
        started = time.perf_counter()
        if force or services.grid_outdated():
            options_count = tasks.recompute_grid_async().get(timeout=timeout)
            self.stdout.write(f"option grid: {options_count} options scored in {time.perf_counter() - started:.1f} s")
        else:
            self.stdout.write("option grid: up to date, nothing to score")
        ids = list(Scenario.objects.values_list("id", flat=True))
        if force:
            services.mark_stale(ids)
        started = time.perf_counter()
        outcome = tasks.recompute_many.delay(ids).get(timeout=timeout) if ids else {"updated": 0, "unchanged": 0}
        self.stdout.write(f"scenarios: {outcome['updated']} recomputed, {outcome['unchanged']} already up to date "
                          f"({len(ids)} in all, {time.perf_counter() - started:.1f} s)")
