from __future__ import annotations

import csv
import io

from briefings.exporters.base import Exporter
from pkoanalysis.spreadsheets import formula_safe as cell
from risks import scale

# index*: the 0-100 index the pages show (risks.scale: 0 = not deploying, 100 = the best admissible
# option of the scenario; empty for an option a gate or deal-breaker excludes); raw_*: the engine's
# net score (opportunities minus risks) and its percentiles. excluded_by: the deal-breakers or
# strict gates that keep an option out of the ranking; size (persons), months, expected_fatalities
# (over the deployment), p_any_fatality (0-1, over the deployment) and net_cost_usd (a year) are
# each option's own, as the briefing prints them.
CSV_COLUMNS = ["mission", "selected", "functions", "feasibility", "index", "index_p10", "index_p50", "index_p90",
               "raw_net_score", "raw_p10", "raw_p50", "raw_p90", "risk", "opportunity", "p_positive", "topsis", "rank",
               "partner", "excluded_by", "size", "months", "expected_fatalities", "p_any_fatality", "net_cost_usd"]
RAW = {"raw_net_score": "net", "raw_p10": "p10", "raw_p50": "p50", "raw_p90": "p90"}
INDEX = {"index": "net", "index_p10": "p10", "index_p50": "p50", "index_p90": "p90"}

SCORE_COLUMNS = {"risk", "opportunity", *RAW, *INDEX, "p_positive", "topsis", "rank", "expected_fatalities",
                 "p_any_fatality", "net_cost_usd"}


def scored(option: dict) -> bool:
    """An option with none of the chosen functions its mode performs is not scored: the engine
    still returns numbers for it (an empty task list), which mean nothing."""
    return bool(option["functions"])


def option_index(option: dict, key: str, anchor: float | None) -> float | None:
    """The option's net score or percentile on the index; None when it is not scored or a gate or
    deal-breaker excludes it (risks.scale: no index for an option Mexico cannot build)."""
    if not scored(option) or option.get("excluded_by"):
        return None
    return scale.index(option[key], anchor)


def option_row(option: dict, size: int, months: int, anchor: float | None = None) -> list:
    option = {**option, "size": size, "months": months}

    def value(c: str):
        if c == "functions":
            return "+".join(option[c])
        if c in SCORE_COLUMNS and not scored(option):
            return None
        if c in INDEX:
            return option_index(option, INDEX[c], anchor)
        return option.get(RAW.get(c, c), "")
    return [value(c) for c in CSV_COLUMNS]


class CsvExporter(Exporter):
    """Every option, machine-readable: stable English column names, full precision, scores
    empty for missions that were not scored in this scenario."""

    identifier, extension, content_type = "csv", "csv", "text/csv"

    def content(self) -> bytes:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(CSV_COLUMNS)
        anchor = scale.anchor(self.data.result["options"])
        for option in self.data.result["options"]:
            writer.writerow([cell(value) for value in option_row(option, self.data.size, self.data.duration_months,
                                                                 anchor)])
        return buffer.getvalue().encode("utf-8")
