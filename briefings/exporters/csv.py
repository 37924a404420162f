from __future__ import annotations

import csv
import io

from briefings.exporters.base import Exporter
from pkoanalysis.spreadsheets import formula_safe as cell

CSV_COLUMNS = ["mission", "selected", "functions", "feasibility", "risk", "opportunity", "net", "p10", "p50", "p90",
               "p_positive", "topsis", "rank", "partner"]


SCORE_COLUMNS = {"risk", "opportunity", "net", "p10", "p50", "p90", "p_positive", "topsis", "rank"}


def scored(option: dict) -> bool:
    """An option with none of the chosen functions its mode performs is not scored: the engine
    still returns numbers for it (an empty task list), which mean nothing."""
    return bool(option["functions"])


def option_row(option: dict) -> list:
    return ["+".join(option[c]) if c == "functions" else
            (None if c in SCORE_COLUMNS and not scored(option) else option.get(c, "")) for c in CSV_COLUMNS]


class CsvExporter(Exporter):
    """Every option, machine-readable: stable English column names, full precision, scores
    empty for missions that were not scored in this scenario."""

    identifier, extension, content_type = "csv", "csv", "text/csv"

    def content(self) -> bytes:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(CSV_COLUMNS)
        for option in self.data.result["options"]:
            writer.writerow([cell(value) for value in option_row(option)])
        return buffer.getvalue().encode("utf-8")
