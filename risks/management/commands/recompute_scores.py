import time

from django.core.management.base import BaseCommand, CommandError

from risks import services, tasks
from risks.catalogue import load_catalogue
from risks.models import Scenario


class Command(BaseCommand):
    help = "Recompute scenario results (and the full option grid with --all), through the task queue."

    def add_arguments(self, parser):
        target = parser.add_mutually_exclusive_group(required=True)
        target.add_argument("--all", action="store_true", help="the option grid and every scenario")
        target.add_argument("--scenario", type=int, help="one scenario id")
        target.add_argument("--stale", action="store_true",
                            help="only what is stale or missing: scenarios and the grid (after a broker outage)")
        parser.add_argument("--timeout", type=int, default=600, help="seconds to wait for the workers")

    def handle(self, *args, all: bool, scenario: int | None, stale: bool, timeout: int, **options):
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
        started = time.perf_counter()
        options_count = tasks.recompute_grid_async().get(timeout=timeout)
        self.stdout.write(f"option grid: {options_count} options scored in {time.perf_counter() - started:.1f} s")
        ids = list(Scenario.objects.values_list("id", flat=True))
        services.mark_stale(ids)
        outcome = tasks.recompute_many.delay(ids).get(timeout=timeout)
        self.stdout.write(f"scenarios: {outcome}")
