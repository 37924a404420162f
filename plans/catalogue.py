"""The plan's curated inputs: the sizes each mode is offered at (risks/catalogue/sizes.csv), and the
pathway's growth rules (plans/catalogue/pathway_rules.csv, every row with its source; assumptions are labelled as such)."""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

from risks.engine import pathway
from risks.inputs import unit_sizes

FOLDER = Path(__file__).resolve().parent / "catalogue"


def _rows(name: str) -> list[dict]:
    with open(FOLDER / name, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    for line, row in enumerate(rows, start=2):
        if not (row.get("source") or "").strip():
            raise ValueError(f"{name}, line {line}: every curated number needs its source")
    return rows


def sizes() -> dict[str, tuple[float, ...]]:
    """Persons per option, by mode code (MODES order), smallest first: the standard unit sizes
    every surface uses (risks/catalogue/sizes.csv, read by risks.inputs)."""
    return unit_sizes()


@cache
def rules_table() -> list[dict]:
    return _rows("pathway_rules.csv")


@cache
def rules() -> pathway.Rules:
    values = {row["code"]: float(row["value"]) for row in rules_table()}
    years = int(values["horizon_years"])
    capacity = tuple(values.get(f"formed_capacity_{t + 1}", values.get(f"formed_capacity_{years}", 0))
                     for t in range(years))
    return pathway.Rules(years=years, individual_years_before_mixed=int(values["individual_years_before_mixed"]),
                         presence_years_before_national=int(values["presence_years_before_national"]),
                         first_national_year=int(values["first_national_year"]) - 1, formed_capacity=capacity)
