"""The curated files of Security Council decisions and UN cuts -> validated DataFrames. Pure
parsing, like missions.importers (whose helpers and errors it uses): no Django, no database."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from missions.importers import (
    DataFileError,
    Parsed,
    check_unique,
    fail_at,
    file_sha256,
    read_table,
    to_bool,
    to_count,
    to_date,
    to_float,
)

DECISION_KINDS = {"establish", "renew", "final_renewal", "terminate", "change_tasks", "change_strength"}
SYMBOL = re.compile(r"S/RES/[0-9]{1,5} \([0-9]{4}\)")  # as missions.council_models
VERIFY = "[verify]"
DECISION_COLUMNS = ["acronym", "symbol", "adopted", "kind", "mandate_end", "tasks_added", "tasks_removed",
                    "troops", "police", "observers", "summary", "source", "source_url", "verified", "note"]
CUT_COLUMNS = ["acronym", "announced", "uniformed_share", "uniformed_low", "uniformed_high", "budget_share",
               "sheds_formed_units", "reimbursement_delay_months", "summary", "source", "source_url", "verified",
               "note"]


def _check_citation(path: Path, frame: pd.DataFrame) -> None:
    for i, row in frame.iterrows():
        if row["verified"] and not row["source_url"].startswith(("https://", "http://")):
            raise fail_at(path, i, "source_url", "a verified row needs the address of its source")
        if not row["verified"] and not row["note"].startswith(VERIFY):
            raise fail_at(path, i, "note", f"an unverified row says what to verify, starting with {VERIFY!r}")
        if not row["summary"] or not row["source"]:
            raise fail_at(path, i, "summary" if not row["summary"] else "source", "every row says what and cites it")


def parse_decisions(path: Path, mission_codes: set[str], function_codes: set[str]) -> Parsed:
    """mandate_decisions.csv: one row per Security Council decision about one mission."""
    frame = read_table(path, DECISION_COLUMNS)
    for i, acronym in frame["acronym"].items():
        if acronym not in mission_codes:
            raise fail_at(path, i, "acronym", f"unknown mission {acronym!r}")
    for i, kind in frame["kind"].items():
        if kind not in DECISION_KINDS:
            raise fail_at(path, i, "kind", f"unknown kind {kind!r} (one of {', '.join(sorted(DECISION_KINDS))})")
    for i, symbol in frame["symbol"].items():
        if symbol and not SYMBOL.fullmatch(symbol):
            raise fail_at(path, i, "symbol", f"{symbol!r} is not a resolution symbol like S/RES/2798 (2025)")
    for column in ("tasks_added", "tasks_removed"):
        for i, codes in frame[column].items():
            for code in filter(None, codes.split("|")):
                if code not in function_codes:
                    raise fail_at(path, i, column, f"unknown function code {code!r}")
    frame["adopted"] = to_date(path, frame, "adopted")
    frame["mandate_end"] = to_date(path, frame, "mandate_end", allow_empty=True)
    backwards = frame["mandate_end"] < frame["adopted"]
    if backwards.any():
        raise fail_at(path, backwards.idxmax(), "mandate_end", "the mandate ends before the decision was adopted")
    for column in ("troops", "police", "observers"):
        frame[column] = to_count(path, frame, column, allow_empty=True)
    frame["verified"] = to_bool(path, frame, "verified")
    for i, row in frame.iterrows():
        if row["verified"] and not row["symbol"]:
            raise fail_at(path, i, "symbol", "a verified decision names its resolution")
    _check_citation(path, frame)
    check_unique(path, frame, ["acronym", "adopted", "kind"], "kind")
    return Parsed("decisions", path, file_sha256(path), frame)


SUMMARY_ES_COLUMNS = ["acronym", "adopted", "kind", "summary_es"]


def parse_summaries_es(path: Path, mission_codes: set[str]) -> Parsed:
    """mandate_decisions_es.csv: the Spanish of a decision's summary, keyed as the decisions are
    (acronym, adopted, kind). A translation, not a new fact: the decision's own row cites it."""
    frame = read_table(path, SUMMARY_ES_COLUMNS)
    for i, row in frame.iterrows():
        if row["acronym"] not in mission_codes:
            raise fail_at(path, i, "acronym", f"unknown mission {row['acronym']!r}")
        if row["kind"] not in DECISION_KINDS:
            raise fail_at(path, i, "kind", f"unknown kind {row['kind']!r} (one of {', '.join(sorted(DECISION_KINDS))})")
        if not row["summary_es"]:
            raise fail_at(path, i, "summary_es", "a row gives the summary in Spanish")
    frame["adopted"] = to_date(path, frame, "adopted")
    check_unique(path, frame, ["acronym", "adopted", "kind"], "kind")
    return Parsed("decisions_es", path, file_sha256(path), frame)


def parse_cuts(path: Path, mission_codes: set[str]) -> Parsed:
    """un_cuts.csv: the 2025-26 cuts; an empty acronym is every peacekeeping operation."""
    frame = read_table(path, CUT_COLUMNS)
    for i, acronym in frame["acronym"].items():
        if acronym and acronym not in mission_codes:
            raise fail_at(path, i, "acronym", f"unknown mission {acronym!r}")
    frame["announced"] = to_date(path, frame, "announced")
    for column in ("uniformed_share", "budget_share"):
        frame[column] = to_float(path, frame, column, 0, 1)
    frame["reimbursement_delay_months"] = to_float(path, frame, "reimbursement_delay_months", 0, 120)
    for column in ("uniformed_low", "uniformed_high"):
        frame[column] = to_count(path, frame, column, allow_empty=True)
    reversed_range = frame["uniformed_high"] < frame["uniformed_low"]
    if reversed_range.any():
        raise fail_at(path, reversed_range.idxmax(), "uniformed_high", "the high end is below the low end")
    frame["sheds_formed_units"] = to_bool(path, frame, "sheds_formed_units")
    frame["verified"] = to_bool(path, frame, "verified")
    _check_citation(path, frame)
    check_unique(path, frame, ["acronym", "announced"], "announced")
    return Parsed("cuts", path, file_sha256(path), frame)


def optional(directory: Path, stem: str) -> Path | None:
    """The file, or None where a data directory predates it (older copies of data/)."""
    from missions.importers import find_file

    try:
        return find_file(directory, stem)
    except DataFileError:
        return None
