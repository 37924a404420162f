"""Load the shipped bibliography (sources/catalogue/sources.csv): missing entries are created,
curators' edits kept unless refresh is asked for."""

from __future__ import annotations

import csv
import datetime
from pathlib import Path

from sources.models import Source

SOURCES_CSV = Path(__file__).resolve().parent / "catalogue" / "sources.csv"
TEXT_FIELDS = ["kind", "authors", "title", "container", "year", "publisher", "place", "identifier", "url",
               "language", "note_en", "note_es"]


def load_sources(refresh: bool = False) -> int:
    """Returns how many sources were created."""
    created = 0
    with open(SOURCES_CSV, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            values = {k: row[k] for k in TEXT_FIELDS}
            values.update({k: datetime.date.fromisoformat(row[k]) if row[k] else None for k in ("date", "accessed")})
            source = Source.objects.filter(key=row["key"]).first()
            if source is None:
                Source.objects.create(key=row["key"], **values)
                created += 1
            elif refresh:
                for name, value in values.items():
                    setattr(source, name, value)
                source.save()
    return created
