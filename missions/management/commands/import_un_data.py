import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from missions import importers, monthly_pdf
from missions.importers import DataFileError
from missions.monthly_pdf import PdfReportError
from missions.services import UN_MONTHLY, load_un_data


def monthly_file(path: Path, given: list[Path] | None, scratch: Path, out) -> Path | None:
    """The UN monthly file to load: None (the shipped one), the one CSV given, or the shipped file
    with the months of the PDF reports given added or replaced, written to `scratch`."""
    if not given:
        return None
    pdfs = [f for f in given if monthly_pdf.is_pdf(f.read_bytes()[:1024])]
    if not pdfs:
        if len(given) > 1:
            raise CommandError("give one UN monthly CSV, or any number of the UN's monthly PDF reports")
        return given[0]
    if len(pdfs) != len(given):
        raise CommandError("give one UN monthly CSV, or any number of the UN's monthly PDF reports, not both")
    countries = importers.read_table(importers.find_file(path / "curated", "countries"), ["iso3", "name_en", "aliases"])
    names = importers.country_lookup(countries)
    base_file = importers.find_file(path / "un", UN_MONTHLY)
    shipped = importers.read_table(base_file, importers.UN_MONTHLY_COLUMNS)
    base = shipped
    for pdf in pdfs:
        try:
            report = monthly_pdf.parse_report(pdf.read_bytes())
        except PdfReportError as exc:
            raise PdfReportError(f"{pdf.name}: {exc}") from exc
        base = monthly_pdf.merge_month(base, monthly_pdf.to_frame(report, names, pdf.name))
        out.write(f"{pdf.name}: the UN's report as of {report.as_of:%d %B %Y}, {len(report.rows)} rows "
                  f"({report.grand_total[2]:,} personnel, equal to the PDF's grand total)")
    if same_rows(base, shipped):
        out.write(f"The reports' rows equal those of the shipped {base_file.name} for their months.")
        return None
    target = scratch / f"{UN_MONTHLY}.csv"
    base.to_csv(target, index=False, lineterminator="\n")
    return target


def same_rows(a, b) -> bool:
    columns = importers.UN_MONTHLY_COLUMNS
    a, b = (f[columns].astype(str).sort_values(columns).reset_index(drop=True) for f in (a, b))
    return a.equals(b)


class Command(BaseCommand):
    help = (
        "Load the shipped UN peacekeeping data (idempotent, atomic). "
        "Use --un-monthly to load a newer UN monthly contributions file of the same format (CSV), or the "
        "UN's monthly reports as published (PDF; each adds or replaces its month)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--path", type=Path, default=settings.PKO_DATA_DIR,
                            help="data directory holding curated/ and un/ (default: the shipped data)")
        parser.add_argument("--un-monthly", type=Path, default=None, nargs="+", metavar="FILE",
                            help="a newer UN monthly contributions CSV (.csv or .csv.gz) to load instead, or one "
                                 "or more of the UN's monthly PDF reports, each adding or replacing its month")
        parser.add_argument("--refresh-catalogues", action="store_true",
                            help="overwrite curated countries, functions and missions from the files")

    def handle(self, *args, path: Path, un_monthly: Path | None, refresh_catalogues: bool, **options):
        if not path.is_dir():
            raise CommandError(f"{path} is not a directory")
        if isinstance(un_monthly, (str, Path)):  # call_command(un_monthly=path), as before PDFs
            un_monthly = [Path(un_monthly)]
        for file in un_monthly or []:
            if not file.is_file():
                raise CommandError(f"{file} is not a file")
        with tempfile.TemporaryDirectory() as scratch:
            try:
                monthly = monthly_file(path, un_monthly, Path(scratch), self.stdout)
                report = load_un_data(path, un_monthly=monthly, refresh_catalogues=refresh_catalogues)
            except (DataFileError, PdfReportError) as exc:
                raise CommandError(f"import aborted, nothing was changed: {exc}") from exc
        for line in report.lines:
            self.stdout.write(line)
        if report.changed:
            self.stdout.write(self.style.SUCCESS("Import finished."))
        else:
            self.stdout.write(self.style.SUCCESS("Nothing to do: the database already holds these files."))
