"""The missions' Spanish texts shipped beside missions.csv, each file filling one Mission field:
the UN's official Spanish names (data/curated/mission_names_es.csv -> Mission.name_es) and the
curators' notes in Spanish (data/curated/mission_notes_es.csv -> Mission.notes_es).

names: acronym,name_es,source,checked (one row per mission; `source` cites where the name was
read, `checked` the date it was read, YYYY-MM-DD). notes: acronym,notes_es (one row per mission
with a note in missions.csv; the English note is the source, so no citation of its own). Pure
parsing, like missions.importers: no Django. `changes` picks what to write: empty values are
filled and a curator's edit is kept unless the import is asked to refresh from the file, so
loading twice changes nothing (missions.services.write_texts_es writes them, with each mission's
history).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from missions.importers import Parsed, check_unique, fail_at, file_sha256, read_table, to_date
from pkoanalysis.names import invisible_characters


@dataclass(frozen=True)
class SpanishText:
    """One shipped file of Spanish texts and the Mission field it fills."""

    stem: str  # the file's name in data/curated, without .csv
    field: str  # the Mission field, also the file's column
    what: str  # how the import report and the errors name one value
    max_length: int  # the field's
    cited: bool  # rows carry source and checked

    @property
    def columns(self) -> list[str]:
        return ["acronym", self.field, *(["source", "checked"] if self.cited else [])]


NAMES = SpanishText("mission_names_es", "name_es", "Spanish name", 250, cited=True)
NOTES = SpanishText("mission_notes_es", "notes_es", "Spanish note", 5000, cited=False)  # DESCRIPTION_MAX_LENGTH
TEXTS = (NAMES, NOTES)
COLUMNS = NAMES.columns
MAX_LENGTH = NAMES.max_length


def parse(path: Path, mission_codes: set[str], text: SpanishText = NAMES) -> Parsed:
    """Validated rows: every acronym a known mission, once; a text without invisible characters;
    (names) every name cited and dated."""
    frame = read_table(path, text.columns)
    for i, row in frame.iterrows():
        value = row[text.field]
        if row["acronym"] not in mission_codes:
            raise fail_at(path, i, "acronym", f"unknown mission {row['acronym']!r}")
        if not value:
            raise fail_at(path, i, text.field, f"a row gives the mission's {text.what}")
        if len(value) > text.max_length:
            raise fail_at(path, i, text.field, f"longer than {text.max_length} characters")
        hidden = invisible_characters(value)
        if hidden:
            raise fail_at(path, i, text.field, f"invisible or direction-changing characters: {', '.join(hidden)}")
        if text.cited and not row["source"]:
            raise fail_at(path, i, "source", f"every {text.what} cites where it was read")
    if text.cited:
        frame["checked"] = to_date(path, frame, "checked")
    check_unique(path, frame, ["acronym"], "acronym")
    return Parsed(text.stem, path, file_sha256(path), frame)


def changes(frame: pd.DataFrame, current: dict[str, str], refresh: bool, field: str = "name_es") -> dict[str, str]:
    """acronym -> the Spanish text to write: where the mission has none, or (refresh) where it
    differs from the file. current: acronym -> the value of `field` held now."""
    wanted = dict(zip(frame["acronym"], frame[field], strict=True))
    return {a: value for a, value in wanted.items()
            if a in current and current[a] != value and (refresh or not current[a])}
