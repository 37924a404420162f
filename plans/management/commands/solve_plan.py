"""python manage.py solve_plan --max-people 300 --max-cost-usd 20000000 --exclude-chapter-vii --output plan.csv"""

import csv
import os
import tempfile

from django.core.management.base import BaseCommand, CommandError

from missions.models import Mission
from plans import page, services
from risks.engine import model

COLUMNS = ("mission", "mode", "functions", "size", "net_cost_usd", "expected_fatalities", "value")


class Command(BaseCommand):
    help = "Solve a plan (the optimal portfolio of admissible options under the limits) and write it as CSV."

    def add_arguments(self, parser):
        parser.add_argument("--max-people", type=int, default=300)
        parser.add_argument("--max-cost-usd", type=float, default=20_000_000)
        parser.add_argument("--max-missions", type=int, default=None)
        parser.add_argument("--exclude-chapter-vii", action="store_true")
        parser.add_argument("--exclude-spm", action="store_true",
                            help="peacekeeping operations only: leave out special political missions")
        parser.add_argument("--require", nargs="*", default=[], metavar="ACRONYM")
        parser.add_argument("--exclude", nargs="*", default=[], metavar="ACRONYM")
        parser.add_argument("--modes", nargs="*", default=[], choices=model.MODES)
        parser.add_argument("--objective", choices=("expected", "cvar"), default="expected")
        parser.add_argument("--cvar-alpha", type=float, default=0.1)
        parser.add_argument("--cvar-weight", type=float, default=0.5)
        parser.add_argument("--output", default="-", help="CSV file to write ('-': standard output)")

    def handle(self, *args, **o):
        if o["max_people"] < 0 or o["max_cost_usd"] < 0:
            raise CommandError("--max-people and --max-cost-usd must not be negative")
        if not 0 < o["cvar_alpha"] <= 1 or not 0 <= o["cvar_weight"] <= 1:
            raise CommandError("--cvar-alpha must be in (0, 1] and --cvar-weight in [0, 1]")
        known = set(Mission.objects.values_list("acronym", flat=True))
        unknown = sorted((set(o["require"]) | set(o["exclude"])) - known)
        if unknown:
            raise CommandError(f"unknown missions: {', '.join(unknown)}")
        if o["exclude_spm"]:
            spm = set(Mission.objects.exclude(kind=Mission.Kind.PKO).values_list("acronym", flat=True))
            if spm & set(o["require"]):
                raise CommandError(f"--exclude-spm leaves out required missions: {', '.join(sorted(spm & set(o['require'])))}")
            o["exclude"] = sorted(set(o["exclude"]) | spm)
        params = services.default_parameters(
            max_people=o["max_people"], max_cost_usd=o["max_cost_usd"], max_missions=o["max_missions"],
            exclude_chapter_vii=o["exclude_chapter_vii"], required=sorted(o["require"]),
            excluded=sorted(o["exclude"]), modes=sorted(o["modes"]), objective=o["objective"],
            cvar_alpha=o["cvar_alpha"], cvar_weight=o["cvar_weight"])
        result = services.compute(params, extras=False)
        data = result["data"]
        if result["status"] != "optimal":
            raise CommandError("no plan meets these limits: " + " ".join(page.reason_text(r) for r in data["reasons"]))
        self.write(data["options"], o["output"])
        t = data["totals"]
        self.stderr.write(f"{len(data['options'])} options in {t['missions']} missions: {t['people']:.0f} people, "
                          f"US${t['cost_usd']:,.0f} a year, {t['expected_fatalities']:.3f} expected fatalities "
                          f"(P10 {t['fatalities_p10']:.3f}, P90 {t['fatalities_p90']:.3f}), value {t['value']:.3f}; "
                          f"{data['candidates']} admissible options of {data['considered']} judged")

    def write(self, rows, output: str) -> None:
        # Whole dollars, fatalities and value to the precision the model has (no 125000.00000000001).
        rows = [{**row, "net_cost_usd": round(row["net_cost_usd"]), "expected_fatalities": round(
            row["expected_fatalities"], 5), "value": round(row["value"], 4)} for row in rows]
        if output == "-":
            writer = csv.DictWriter(self.stdout, fieldnames=COLUMNS, extrasaction="ignore", lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
            return
        folder = os.path.dirname(os.path.abspath(output))
        if not os.path.isdir(folder):
            raise CommandError(f"no such folder: {folder}")
        handle, temporary = tempfile.mkstemp(dir=folder, suffix=".csv.tmp")
        try:
            with os.fdopen(handle, "w", newline="", encoding="utf-8") as f:  # written whole, then renamed
                writer = csv.DictWriter(f, fieldnames=COLUMNS, extrasaction="ignore")
                writer.writeheader()
                writer.writerows(rows)
            os.replace(temporary, output)
        except BaseException:
            if os.path.exists(temporary):
                os.unlink(temporary)
            raise
