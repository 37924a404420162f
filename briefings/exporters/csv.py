from __future__ import annotations

import csv
import io

from briefings.exporters.base import Exporter
from pkoanalysis.spreadsheets import formula_safe as cell

# excluded_by: the deal-breakers or strict gates that keep an option out of the ranking; size
# (persons), months, expected_fatalities (over the deployment), p_any_fatality (0-1, over the
# deployment) and net_cost_usd (a year) are each option's own, as the briefing prints them.
CSV_COLUMNS = ["mission", "selected", "functions", "feasibility", "risk", "opportunity", "net", "p10", "p50", "p90",
               "p_positive", "topsis", "rank", "partner", "excluded_by", "size", "months", "expected_fatalities",
               "p_any_fatality", "net_cost_usd"]


SCORE_COLUMNS = {"risk", "opportunity", "net", "p10", "p50", "p90", "p_positive", "topsis", "rank",
                 "expected_fatalities", "p_any_fatality", "net_cost_usd"}


def scored(option: dict) -> bool:
    """An option with none of the chosen functions its mode performs is not scored: the engine
    still returns numbers for it (an empty task list), which mean nothing."""
    return bool(option["functions"])


def option_row(option: dict, size: int, months: int) -> list:
    option = {**option, "size": size, "months": months}
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
            writer.writerow([cell(value) for value in option_row(option, self.data.size, self.data.duration_months)])
        return buffer.getvalue().encode("utf-8")
