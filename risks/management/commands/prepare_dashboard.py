"""bin/run's steps after the packages, in one Django process: each step prints a numbered heading,
its own output and its time, as bin/run's first step does. Starting Django once instead of once
per step is what makes a second run, where every step finds its work done, take seconds."""

import time

from django.core.management import call_command
from django.core.management.base import BaseCommand

STEPS = [
    ("Database tables (SQLite file db.sqlite3)", "migrate", {"interactive": False}),
    ("UN data: missions, deployments 1990-2025, fatalities (skipped when already loaded)", "import_un_data", {}),
    ("Risk model catalogue: modes, safeguard gates, factors", "seed_risk_model", {}),
    ("Demo accounts: analyst, consultant, curator, admin", "seed_demo", {"verbosity": 0}),
    ("Scores: the option grid and every scenario (skipped when up to date)", "recompute_scores", {"all": True}),
    ("Demo scenarios and a demo plan for the analyst", ("seed_demo_scenarios", "seed_demo_plans"), {}),
]


class Command(BaseCommand):
    help = "bin/run's steps: tables, UN data, the risk model, demo accounts, scores, demo scenarios and plan."

    def add_arguments(self, parser):
        parser.add_argument("--first", type=int, default=2, help="the number of the first step shown (bin/run: 2)")
        parser.add_argument("--of", type=int, default=7, help="the number of steps shown in all (bin/run: 7)")

    def handle(self, *args, first: int, of: int, **options):
        for number, (what, commands, extra) in enumerate(STEPS, start=first):
            self.stdout.write(f"\n==> [{number}/{of}] {what}")
            self.stdout.flush()
            started = time.perf_counter()
            for name in (commands,) if isinstance(commands, str) else commands:
                call_command(name, stdout=self.stdout._out, stderr=self.stderr._out,
                             **{"verbosity": options["verbosity"], **extra})
            self.stdout.write(f"    ({time.perf_counter() - started:.0f} s)")
            self.stdout.flush()
