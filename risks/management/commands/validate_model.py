from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from risks import validation

NAMES = {"model": "model (pooled)", "system": "system-wide rate", "own": "own record"}


class Command(BaseCommand):
    help = ("Backtest the fatality hazards (rolling origin: fit up to each cut-off year, predict the next): "
            "coverage of the 50% and 90% intervals, log score and RPS for the model and both baselines, per year "
            "and overall; write the table as CSV.")

    def add_arguments(self, parser):
        parser.add_argument("--output", type=Path, help="CSV file for the table (default: print only)")

    def handle(self, *args, output: Path | None = None, **options):
        if output is not None and output.parent and not output.parent.exists():
            raise CommandError(f"directory {output.parent} does not exist")
        v = validation.current()
        if v.table.empty:
            raise CommandError("no full year of data after the first cut-off: nothing to backtest")
        for level, title in (("mission", "each mission, all uniformed personnel"),
                             ("group", "each mission and personnel group")):
            self.stdout.write(f"\nPredicted deaths, {title} (lower log score and RPS are better)")
            self.stdout.write(f"{'year':<6}{'predictor':<18}{'units':>6}{'observed':>9}{'expected':>9}"
                              f"{'cov50':>7}{'cov90':>7}{'log score':>10}{'RPS':>8}")
            for row in validation.table_rows(v, level):
                self.stdout.write(f"{row['year'] or 'all':<6}{NAMES[row['predictor']]:<18}{row['units']:>6}"
                                  f"{row['observed']:>9}{row['predicted']:>9.1f}{row['cov50']:>7.3f}{row['cov90']:>7.3f}"
                                  f"{row['log_score']:>10.3f}{row['rps']:>8.3f}")
        found = validation.findings(v)
        self.stdout.write("\nOver all years the model " + ("beats both baselines on log score and RPS." if found["model_best"]
                                                            else f"is beaten: best log score {found['winner']['log_score']}, "
                                                                 f"best RPS {found['winner']['rps']}."))
        for b in found["beaten"]:
            self.stdout.write(f"  {b['year']}: {NAMES[b['baseline']]} beat the model on {b['score']} "
                              f"({b['value']:.3f} against {b['model']:.3f})")
        self.stdout.write("\nLargest misses of the model (mission-years):")
        for w in v.worst.itertuples():
            self.stdout.write(f"  {w.year} {w.mission:<10} expected {w.mean:6.1f} (90%: {w.low90:.0f}-{w.high90:.0f}), "
                              f"observed {w.observed:3d}, log score {w.log_score:.2f}")
        self.stdout.write(f"\nPrior and window check (model, per mission-year): best prior {found['best_prior']:g} "
                          f"thousand person-years, window {found['best_window'] or 'since 2015'}"
                          f"{' years' if found['best_window'] else ''}: log score {found['best_log_score']:.3f}, RPS "
                          f"{found['best_rps']:.3f} (the model as it is: {found['current_log_score']:.3f}, "
                          f"{found['current_rps']:.3f})")
        if output is not None:
            output.write_bytes(validation.csv_bytes(v))
            self.stdout.write(f"{len(v.table)} rows written to {output}")
