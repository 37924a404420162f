"""The UN's monthly report as published (PDF): parsed to exactly the shipped rows, uploaded by a
curator with the same preview and apply as a CSV, refused clearly when it is not that report."""

import functools
import io
import tracemalloc
import zlib
from pathlib import Path

import pandas as pd
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from missions import importers, monthly_pdf, releases
from missions.models import DataRelease, Deployment
from tests.conftest import make_user
from tests.missions.test_import import shipped_un_frame

PDFS = settings.PKO_DATA_DIR / "un" / "monthly-pdf"
ADD = "/admin/missions/datarelease/add/"
MONTHS = {"2025_05": "2025-05-31", "2025_06": "2025-06-30", "2025_07": "2025-07-31"}


def pdf(month: str) -> bytes:
    return (PDFS / f"UN_country_contributions_{month}.pdf").read_bytes()


def lookup() -> dict[str, str]:
    countries = importers.read_table(importers.find_file(settings.PKO_DATA_DIR / "curated", "countries"),
                                     ["iso3", "name_en", "aliases"])
    return importers.country_lookup(countries)


def sorted_rows(frame: pd.DataFrame) -> pd.DataFrame:
    columns = [*importers.UN_MONTHLY_COLUMNS, "country_name_in_pdf"]
    return frame[columns].astype(str).sort_values(columns).reset_index(drop=True)


@pytest.mark.parametrize("month, report_date", MONTHS.items())
def test_each_published_pdf_gives_exactly_the_shipped_rows_of_its_month(month, report_date):
    report = monthly_pdf.parse_report(pdf(month))
    parsed = monthly_pdf.to_frame(report, lookup(), f"UN_country_contributions_{month}.pdf")
    shipped = shipped_un_frame()
    shipped = shipped[shipped["report_date"] == report_date]
    assert len(parsed) == len(shipped) > 800
    pd.testing.assert_frame_equal(sorted_rows(parsed), sorted_rows(shipped))
    assert report.as_of == pd.Timestamp(report_date)
    assert report.grand_total[2] == shipped["total_personnel"].astype(int).sum()


@functools.cache
def july_page_texts() -> tuple[str, ...]:
    """pypdf's text of the July report: about a second of extraction, done once per test process."""
    return tuple(monthly_pdf.page_texts(pdf("2025_07")))


def real_pages() -> list[str]:
    return list(july_page_texts())  # a list of its own: tests edit pages in place


def parse_pages(monkeypatch, pages: list[str]) -> monthly_pdf.Report:
    monkeypatch.setattr(monthly_pdf, "page_texts", lambda raw: pages)
    return monthly_pdf.parse_report(b"%PDF-1.4 stand-in")


def test_a_row_whose_sexes_do_not_add_up_is_refused_with_its_page(monkeypatch):
    pages = real_pages()
    # BINUH's Madagascar row prints 1 / 2 / 3: make its total 4.
    pages[0] = pages[0].replace("Madagascar\nIndividual Police\n1\n2\n3", "Madagascar\nIndividual Police\n1\n2\n4")
    with pytest.raises(monthly_pdf.PdfReportError, match=r"page 1: BINUH Madagascar Individual Police: male \+ female = 3 but total is 4"):
        parse_pages(monkeypatch, pages)


def test_a_mission_whose_rows_differ_from_its_printed_total_is_refused(monkeypatch):
    pages = real_pages()
    pages[0] = pages[0].replace("Total BINUH\n15\n3\n18", "Total BINUH\n15\n3\n19")
    with pytest.raises(monthly_pdf.PdfReportError, match="the rows of BINUH add up to .* but the PDF prints"):
        parse_pages(monkeypatch, pages)


def test_a_report_missing_its_last_page_is_refused(monkeypatch):
    with pytest.raises(monthly_pdf.PdfReportError, match="ends inside UNVMC|no \"Grand Total\""):
        parse_pages(monkeypatch, real_pages()[:-1])


def test_a_report_with_pages_of_two_dates_is_refused(monkeypatch):
    pages = real_pages()
    pages[3] = pages[3].replace("31/07/2025", "30/06/2025")
    with pytest.raises(monthly_pdf.PdfReportError, match="page 4 is dated 30/06/2025, page 1 31/07/2025"):
        parse_pages(monkeypatch, pages)


def test_a_wrapped_country_name_is_joined():
    report = monthly_pdf.parse_report(pdf("2025_07"))
    names = set(report.rows["country_name_in_pdf"])
    assert "Democratic Republic of the Congo" in names and "Democratic Republic of the" not in names


def test_a_foreign_pdf_is_refused_as_not_the_report():
    from weasyprint import HTML

    foreign = HTML(string="<h1>Annual report 2025</h1><p>Revenue 1,234</p>").write_pdf()
    with pytest.raises(monthly_pdf.PdfReportError, match="page 1 is not a page of the UN's report"):
        monthly_pdf.parse_report(foreign)


@pytest.mark.parametrize("raw, message", [
    (b"Mission,Country\nBINUH,Benin\n", "not a PDF"),
    (pdf("2025_07")[:40_000], "cannot be read as a PDF|ends inside|no \"Grand Total\"|is not a page"),
])
def test_broken_files_are_refused_with_a_reason(raw, message):
    with pytest.raises(monthly_pdf.PdfReportError, match=message):
        monthly_pdf.parse_report(raw)


def bomb_pdf(size: int) -> bytes:
    """A one-page PDF whose content stream inflates to `size` bytes of spaces."""
    stream = zlib.compress(b" " * size, 9)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >> /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def test_a_decompression_bomb_is_refused_without_inflating_it():
    # 60 MB of content in a file of about 60 kB: under pypdf's default limit (75 MB), over ours (5 MB).
    bomb = bomb_pdf(60_000_000)
    assert len(bomb) < 1_000_000 and monthly_pdf.is_pdf(bomb)
    tracemalloc.start()
    try:
        with pytest.raises(monthly_pdf.PdfReportError, match="cannot be read as a PDF: Limit reached"):
            monthly_pdf.parse_report(bomb)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 25_000_000, f"peak {peak / 1e6:.0f} MB"


# --- the curator's upload ------------------------------------------------------------------------

@pytest.fixture
def curator_client(client, django_user_model):
    client.force_login(make_user(django_user_model, "curator"))
    return client


def held_rows(month: str) -> pd.DataFrame:
    frame = releases.current_frame("un_monthly")
    frame = frame[frame["month"].astype(str).str.startswith(month)]
    return frame.sort_values(["mission", "country", "personnel_type"]).reset_index(drop=True)


@pytest.mark.django_db
def test_a_curator_uploads_the_uns_pdf_and_applying_it_restores_that_month_exactly(
        curator_client, django_capture_on_commit_callbacks):
    july = held_rows("2025-07")
    assert len(july) > 800
    Deployment.objects.filter(source="un", month__gte="2025-07-01").delete()  # as if July were not yet loaded
    with django_capture_on_commit_callbacks(execute=True):
        response = curator_client.post(ADD, {"dataset": "un_monthly", "file": SimpleUploadedFile(
            "UN_country_contributions_2025_07.pdf", pdf("2025_07"), "application/pdf")})
    assert response.status_code == 302, response.content.decode()[:2000]
    release = DataRelease.objects.get()
    assert release.status == "previewed", release.preview
    preview = release.preview
    assert preview["months_added"] == ["2025-07"] and preview["months_removed"] == []
    assert preview["rows_in_new_months"] == len(july)
    assert (preview["changed_count"], preview["added_count"], preview["removed_count"]) == (0, 0, 0)
    curator_client.post(f"/admin/missions/datarelease/{release.pk}/apply/")
    release.refresh_from_db()
    assert release.status == "applied"
    pd.testing.assert_frame_equal(held_rows("2025-07"), july)


@pytest.mark.django_db
def test_the_pdf_of_a_month_already_held_changes_nothing(curator_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        curator_client.post(ADD, {"dataset": "un_monthly", "file": SimpleUploadedFile(
            "june.pdf", pdf("2025_06"), "application/pdf")})
    preview = DataRelease.objects.get().preview
    assert preview["months_added"] == [] and preview["months_removed"] == []
    assert (preview["changed_count"], preview["added_count"], preview["removed_count"]) == (0, 0, 0)


@pytest.mark.django_db
@pytest.mark.parametrize("dataset, name, raw, message", [
    ("fatalities", "july.pdf", "real", "A PDF is accepted only for the UN monthly contributions"),
    ("un_monthly", "report.pdf", "foreign", "cannot be read as the UN&#x27;s monthly report"),
    ("un_monthly", "report.pdf", b"%PDF-1.7\nnot really", "cannot be read as the UN&#x27;s monthly report"),
])
def test_the_upload_refuses_a_pdf_it_cannot_take_and_stores_nothing(curator_client, dataset, name, raw, message):
    if raw == "real":
        raw = pdf("2025_07")
    elif raw == "foreign":
        from weasyprint import HTML

        raw = HTML(string="<p>Minutes of the meeting</p>").write_pdf()
    response = curator_client.post(ADD, {"dataset": dataset, "file": SimpleUploadedFile(name, raw, "application/pdf")})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not DataRelease.objects.exists()


# --- the command -------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_the_command_imports_the_three_pdfs_and_finds_the_shipped_rows():
    out = io.StringIO()
    call_command("import_un_data", un_monthly=sorted(PDFS.glob("*.pdf")), stdout=out)
    text = out.getvalue()
    assert "as of 31 July 2025, 871 rows (61,127 personnel" in text
    assert "The reports' rows equal those of the shipped" in text


@pytest.mark.django_db
def test_the_command_refuses_a_csv_mixed_with_pdfs(tmp_path):
    csv = tmp_path / "un.csv"
    csv.write_text("report_date\n")
    with pytest.raises(CommandError, match="not both"):
        call_command("import_un_data", un_monthly=[csv, PDFS / "UN_country_contributions_2025_07.pdf"])


@pytest.mark.django_db
def test_the_command_refuses_a_broken_pdf_and_changes_nothing(tmp_path):
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(pdf("2025_07")[:30_000])
    before = Deployment.objects.count()
    with pytest.raises(CommandError, match="import aborted, nothing was changed: broken.pdf"):
        call_command("import_un_data", un_monthly=[broken])
    assert Deployment.objects.count() == before


def test_the_shipped_pdfs_are_the_ones_described_in_sources():
    # data/un/SOURCES.md is the shared copy, byte for byte (data/tools/check_catalogues.py); it
    # names the three files, and data/SOURCES.md says what this product uses them for.
    text = Path(settings.PKO_DATA_DIR / "un" / "SOURCES.md").read_text()
    for month in MONTHS:
        assert (PDFS / f"UN_country_contributions_{month}.pdf").exists()
        assert f"_{month[-2:]}.pdf" in text
    assert "monthly-pdf/" in text and "UN_country_contributions_2025_05.pdf" in text
    assert "monthly-pdf/" in Path(settings.PKO_DATA_DIR / "SOURCES.md").read_text()
