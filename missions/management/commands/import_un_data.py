from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from missions.importers import DataFileError
from missions.services import load_un_data


class Command(BaseCommand):
    help = (
        "Load the shipped UN peacekeeping data (idempotent, atomic). "
        "Use --un-monthly to load a newer UN monthly contributions file of the same format."
    )

    def add_arguments(self, parser):
        parser.add_argument("--path", type=Path, default=settings.PKO_DATA_DIR,
                            help="data directory holding curated/ and un/ (default: the shipped data)")
        parser.add_argument("--un-monthly", type=Path, default=None,
                            help="a newer UN monthly contributions CSV (.csv or .csv.gz) to load instead")
        parser.add_argument("--refresh-catalogues", action="store_true",
                            help="overwrite curated countries, functions and missions from the files")

    def handle(self, *args, path: Path, un_monthly: Path | None, refresh_catalogues: bool, **options):
        if not path.is_dir():
            raise CommandError(f"{path} is not a directory")
        if un_monthly is not None and not un_monthly.is_file():
            raise CommandError(f"{un_monthly} is not a file")
        try:
            report = load_un_data(path, un_monthly=un_monthly, refresh_catalogues=refresh_catalogues)
        except DataFileError as exc:
            raise CommandError(f"import aborted, nothing was changed: {exc}") from exc
        for line in report.lines:
            self.stdout.write(line)
        if report.changed:
            self.stdout.write(self.style.SUCCESS("Import finished."))
        else:
            self.stdout.write(self.style.SUCCESS("Nothing to do: the database already holds these files."))
