from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from risks import explorer, scale, services

COLUMNS = ["mission", "mode", "functions", "size", "months", "feasibility", "risk", "opportunity", "net",
           "p10", "p50", "p90", "p_positive", "expected_fatalities", "p_any_fatality", "net_cost_usd", "rank",
           "excluded_by", "worse_than_not_deploying", "index"]


class Command(BaseCommand):
    help = ("Write every option of the grid with its scores to a CSV file: raw net scores (net, p10, p50, p90) and "
            "the 0-100 index the pages show (index).")

    def add_arguments(self, parser):
        parser.add_argument("--output", type=Path, required=True)
        parser.add_argument("--with-reasons", action="store_true", help="add the feasibility reasons column")

    def handle(self, *args, output: Path, with_reasons: bool, **options):
        if output.parent and not output.parent.exists():
            raise CommandError(f"directory {output.parent} does not exist")
        frame = services.current_grid()
        # Admissible but not above not deploying (net <= 0): shown as such, never ranked.
        frame["worse_than_not_deploying"] = (frame["excluded_by"].fillna("") == "") & (frame["net"] <= 0)
        # The 0-100 index the pages show (risks.scale; 100 = the grid's best admissible option); net, p10,
        # p50, p90 are raw net scores. Empty for an option a gate or a deal-breaker excludes.
        anchor = explorer.grid_anchor(frame)
        frame["index"] = [scale.index(net, anchor) if not excluded else None
                          for net, excluded in zip(frame["net"], frame["excluded_by"].fillna(""), strict=True)]
        columns = COLUMNS + (["reasons"] if with_reasons else [])
        frame[columns].to_csv(output, index=False, float_format="%.6f")
        self.stdout.write(f"{len(frame)} options written to {output}")
