import csv
import io
from collections.abc import Iterable, Iterator

from rest_framework.renderers import BaseRenderer

from pkoanalysis.spreadsheets import formula_safe


class CSVRenderer(BaseRenderer):
    """Flat tables as CSV (?format=csv). Cells that a spreadsheet would run as a formula are
    prefixed with a quote."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        rows = data.get("results", data) if isinstance(data, dict) else data
        if isinstance(rows, dict):  # an error body
            rows = [{"error": rows.get("detail", rows)}]
        buffer = io.StringIO()
        if not rows:
            columns = getattr(renderer_context.get("view"), "csv_columns", None) if renderer_context else None
            buffer.write(",".join(columns or ["no rows"]) + "\r\n")  # never an empty body
        if rows:
            writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), extrasaction="ignore")
            writer.writeheader()
            for row in rows:
                writer.writerow({k: safe(v) for k, v in row.items()})
        return buffer.getvalue().encode(self.charset)


def safe(value):
    if isinstance(value, list):
        value = "|".join(map(str, value))
    return formula_safe(value)


class Line:
    """A file-like that hands back what csv.writer writes, one row at a time."""

    def write(self, text: str) -> str:
        return text


def stream_csv(rows: Iterable[dict], columns: list[str]) -> Iterator[str]:
    """CSV text row by row (for a StreamingHttpResponse), with the same formula rule."""
    writer = csv.writer(Line())
    yield writer.writerow(columns)
    for row in rows:
        yield writer.writerow([safe(row.get(c)) for c in columns])
