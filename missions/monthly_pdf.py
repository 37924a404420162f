"""The UN's monthly report "Contribution of Uniformed Personnel to UN by Mission, Country, and
Personnel Type", as published (a PDF rendered by Microsoft Reporting Services), -> the rows of the
UN monthly CSV the product ships. Pure: bytes in, a DataFrame or CSV bytes out; no Django.

pypdf (a maintained, pure-Python PDF library) extracts each page's text, one cell a line, in
reading order. Every page repeats a header (title, "As of:" date, column names) and a footer
("Report Generated On:", "Page n of m"); between them the body runs mission by mission:

    MINURSO                      <- a mission starts after the header or after "Total <previous>"
    Bangladesh                   <- a contributor (a long name may wrap onto two lines)
    Experts on Mission / 8 / 1 / 9
    Troops / 14 / 6 / 20         <- further personnel types of the same contributor
    Total MINURSO / m / f / t    <- the mission's printed totals
    Grand Total / m / f / t      <- the report's, after the last mission

The parse is checked against the PDF's own arithmetic: male + female = total on every row, every
mission's rows add up to its printed total, and the missions add up to the grand total. A PDF
that is not this report, or that breaks any check, is refused with the page and the reason.

Decompression is bounded (pypdf's configuration: at most `MAX_STREAM_BYTES` out of one stream),
pages are capped at `MAX_PAGES` and text at `MAX_TEXT_CHARS`, so a crafted PDF cannot exhaust memory.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

import pandas as pd

from missions.importers import PERSONNEL_TYPES_UN, normalise_name

TITLE = "Contribution of Uniformed Personnel to UN"
SUBTITLE = "by Mission, Country, and Personnel Type"
MAX_PAGES = 400            # the report runs to about 30 pages
MAX_STREAM_BYTES = 5_000_000  # one page's content stream is about 10 kB
MAX_TEXT_CHARS = 5_000_000
CSV_COLUMNS = [
    "report_date", "year", "month", "mission_acronym", "contributing_country", "isocode3",
    "country_name_in_pdf", "personnel_type", "male_personnel", "female_personnel", "total_personnel",
    "source_pdf", "source_layout",
]
LAYOUT = "pdf-2025"  # the layout of the reports the UN publishes since 2024 (one cell a line)
ACRONYM = re.compile(r"[A-Z][A-Z0-9-]{1,19}")
NUMBER = re.compile(r"\d{1,3}(?:,\d{3})+|\d+")
DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")


class PdfReportError(ValueError):
    """The PDF is not the UN's monthly report, or cannot be read as one; str() says why and where."""


@dataclass(frozen=True)
class Report:
    as_of: pd.Timestamp
    rows: pd.DataFrame          # CSV_COLUMNS, one row per mission x contributor x personnel type
    grand_total: tuple[int, int, int]
    pages: int


def is_pdf(raw: bytes) -> bool:
    return raw[:1024].lstrip().startswith(b"%PDF-")


def page_texts(raw: bytes) -> list[str]:
    """Each page's extracted text, with pypdf's resource limits tightened for an upload."""
    from pypdf import PdfReader, apply_configuration
    from pypdf.errors import PyPdfError

    try:
        with apply_configuration(
            zlib_maximum_output_length=MAX_STREAM_BYTES, lzw_maximum_output_length=MAX_STREAM_BYTES,
            run_length_maximum_output_length=MAX_STREAM_BYTES, brotli_maximum_output_length=MAX_STREAM_BYTES,
            jbig2_maximum_output_length=MAX_STREAM_BYTES, maximum_declared_stream_length=MAX_STREAM_BYTES,
            array_based_stream_maximum_output_length=MAX_STREAM_BYTES,
            stream_decoding_work_maximum_length=4 * MAX_STREAM_BYTES, image_maximum_buffer_size=MAX_STREAM_BYTES,
        ):
            reader = PdfReader(io.BytesIO(raw))
            if reader.is_encrypted:
                raise PdfReportError("the PDF is encrypted; upload the report as the UN publishes it")
            count = len(reader.pages)
            if count > MAX_PAGES:
                raise PdfReportError(f"the PDF has {count} pages; the UN's monthly report has about 30 "
                                     f"(at most {MAX_PAGES} are read)")
            texts, size = [], 0
            for page in reader.pages:
                text = page.extract_text() or ""
                size += len(text)
                if size > MAX_TEXT_CHARS:
                    raise PdfReportError("the PDF holds far more text than the UN's monthly report")
                texts.append(text)
    except PdfReportError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, OSError,
            RecursionError, MemoryError) as exc:
        raise PdfReportError(f"the file cannot be read as a PDF: {exc}") from exc
    return texts


def _number(text: str, page: int, what: str) -> int:
    if not NUMBER.fullmatch(text):
        raise PdfReportError(f"page {page}: expected a number for {what}, found {text!r}")
    return int(text.replace(",", ""))


def _body(text: str, page: int) -> tuple[list[str], pd.Timestamp]:
    """The body lines of one page (between its header and footer) and its "As of" date."""
    lines = [line.strip() for line in text.split("\n")]
    if not any(line.startswith(TITLE) for line in lines[:5]) or SUBTITLE not in lines[:6]:
        raise PdfReportError(
            f"page {page} is not a page of the UN's report \"{TITLE} {SUBTITLE}\"")
    try:
        at = lines.index("As of:")
        found = DATE.fullmatch(lines[at + 1])
        day, month, year = (int(g) for g in found.groups())
        as_of = pd.Timestamp(year=year, month=month, day=day)
    except (ValueError, IndexError, AttributeError) as exc:
        raise PdfReportError(f"page {page}: no readable \"As of\" date (dd/mm/yyyy)") from exc
    try:
        female = lines.index("Female", at)
        if lines[female + 1] != "Total":
            raise ValueError
        start = female + 2
    except (ValueError, IndexError) as exc:
        raise PdfReportError(f"page {page}: the column headings Male / Female / Total are missing") from exc
    end = next((i for i in range(len(lines) - 1, start - 1, -1) if lines[i].startswith("Report Generated On")),
               len(lines))
    return [line for line in lines[start:end] if line], as_of


def parse_report(raw: bytes) -> Report:
    """The report's rows, checked against its printed totals. Country names stay as printed
    (`country_name_in_pdf`); `to_csv` maps them to ISO3 codes."""
    if not is_pdf(raw):
        raise PdfReportError("the file is not a PDF")
    texts = page_texts(raw)
    if not texts:
        raise PdfReportError("the PDF has no pages")
    rows: list[tuple] = []
    as_of = None
    mission = None          # the mission whose rows are being read
    name: list[str] = []    # the contributor's name, possibly over two lines
    country = None
    grand = None
    mission_rows_start = 0
    for number, text in enumerate(texts, start=1):
        lines, page_date = _body(text, number)
        if as_of is None:
            as_of = page_date
        elif page_date != as_of:
            raise PdfReportError(f"page {number} is dated {page_date:%d/%m/%Y}, page 1 {as_of:%d/%m/%Y}")
        i = 0
        while i < len(lines):
            line = lines[i]
            if grand is not None:
                raise PdfReportError(f"page {number}: {line!r} after the grand total")
            if line == "Grand Total" or line.startswith("Total "):
                values = tuple(_number(v, number, line) for v in lines[i + 1:i + 4])
                if len(values) != 3:
                    raise PdfReportError(f"page {number}: {line!r} lacks its three figures")
                if line == "Grand Total":
                    if mission is not None:
                        raise PdfReportError(f"page {number}: the grand total comes before \"Total {mission}\"")
                    grand = values
                else:
                    if mission is None or line != f"Total {mission}":
                        raise PdfReportError(f"page {number}: {line!r} does not close the mission being read "
                                             f"({mission or 'none'})")
                    printed = sum_rows(rows[mission_rows_start:])
                    if printed != values:
                        raise PdfReportError(
                            f"page {number}: the rows of {mission} add up to {printed} (male, female, total) "
                            f"but the PDF prints {values}")
                    mission, country, name = None, None, []
                i += 4
                continue
            if mission is None:
                if not ACRONYM.fullmatch(line):
                    raise PdfReportError(f"page {number}: expected a mission's acronym, found {line!r}")
                mission, mission_rows_start = line, len(rows)
                i += 1
                continue
            if line in PERSONNEL_TYPES_UN:
                if name:
                    country, name = " ".join(name), []
                if country is None:
                    raise PdfReportError(f"page {number}: {line!r} in {mission} with no contributor before it")
                values = tuple(_number(v, number, f"{mission} {country} {line}") for v in lines[i + 1:i + 4])
                if len(values) != 3:
                    raise PdfReportError(f"page {number}: {mission} {country} {line} lacks its three figures")
                if values[0] + values[1] != values[2]:
                    raise PdfReportError(f"page {number}: {mission} {country} {line}: male + female = "
                                         f"{values[0] + values[1]} but total is {values[2]}")
                rows.append((mission, country, line, *values))
                i += 4
                continue
            if NUMBER.fullmatch(line):
                raise PdfReportError(f"page {number}: a figure ({line}) where a name or a personnel type was expected")
            name.append(line)
            i += 1
    if mission is not None:
        raise PdfReportError(f"the PDF ends inside {mission} (no \"Total {mission}\")")
    if grand is None:
        raise PdfReportError("the PDF has no \"Grand Total\": is it the whole report?")
    if sum_rows(rows) != grand:
        raise PdfReportError(f"the rows add up to {sum_rows(rows)} but the grand total printed is {grand}")
    frame = pd.DataFrame(rows, columns=["mission_acronym", "country_name_in_pdf", "personnel_type",
                                        "male_personnel", "female_personnel", "total_personnel"])
    return Report(as_of=as_of, rows=frame, grand_total=grand, pages=len(texts))


def sum_rows(rows: list[tuple]) -> tuple[int, int, int]:
    return tuple(sum(r[k] for r in rows) for k in (3, 4, 5))


def to_frame(report: Report, names: dict[str, str], filename: str = "") -> pd.DataFrame:
    """The report as the UN monthly CSV's columns. `names`: lower-cased name or alias -> ISO3
    (missions.importers.country_lookup). A name it does not know keeps its printed form in
    `isocode3`, so the upload's preview lists it for the curator to map, as with a CSV."""
    rows = report.rows
    as_of = report.as_of
    iso3 = [names.get(normalise_name(n), n) for n in rows["country_name_in_pdf"]]
    return pd.DataFrame({
        "report_date": as_of.strftime("%Y-%m-%d"),
        "year": as_of.year,
        "month": as_of.month,
        "mission_acronym": rows["mission_acronym"],
        "contributing_country": rows["country_name_in_pdf"],
        "isocode3": iso3,
        "country_name_in_pdf": rows["country_name_in_pdf"],
        "personnel_type": rows["personnel_type"],
        "male_personnel": rows["male_personnel"],
        "female_personnel": rows["female_personnel"],
        "total_personnel": rows["total_personnel"],
        "source_pdf": filename,
        "source_layout": LAYOUT,
    })[CSV_COLUMNS]


def to_csv(raw: bytes, names: dict[str, str], filename: str = "") -> bytes:
    """The PDF's rows as UTF-8 CSV bytes in the shipped UN monthly file's columns."""
    return to_frame(parse_report(raw), names, filename).to_csv(index=False, lineterminator="\n").encode()


def merge_month(base: pd.DataFrame, month: pd.DataFrame) -> pd.DataFrame:
    """`base` (rows in the UN monthly CSV's columns, dates as text) with the month of `month`
    replaced by its rows: a monthly report adds or corrects one month and leaves the others."""
    period = str(month["report_date"].iloc[0])[:7]
    kept = base[base["report_date"].astype(str).str.slice(0, 7) != period]
    columns = [c for c in CSV_COLUMNS if c in base.columns] or CSV_COLUMNS
    merged = pd.concat([kept.reindex(columns=columns), month.reindex(columns=columns)], ignore_index=True)
    return merged.fillna("")
