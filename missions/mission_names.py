"""The UN's official Spanish names of missions (data/curated/mission_names_es.csv) -> Mission.name_es.

The file: acronym,name_es,source,checked (one row per mission; `source` cites where the name was
read, `checked` the date it was read, YYYY-MM-DD). Pure parsing, like missions.importers: no
Django. `changes` picks what to write: empty names are filled and a curator's edit is kept unless
the import is asked to refresh from the file, so loading twice changes nothing
(missions.services.write_names_es writes them, with each mission's history).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from missions.importers import Parsed, check_unique, fail_at, file_sha256, read_table, to_date
from pkoanalysis.names import invisible_characters

COLUMNS = ["acronym", "name_es", "source", "checked"]
MAX_LENGTH = 250  # Mission.name_es


def parse(path: Path, mission_codes: set[str]) -> Parsed:
    """Validated rows: every acronym a known mission, once; a name without invisible characters;
    every name cited and dated."""
    frame = read_table(path, COLUMNS)
    for i, row in frame.iterrows():
        if row["acronym"] not in mission_codes:
            raise fail_at(path, i, "acronym", f"unknown mission {row['acronym']!r}")
        if not row["name_es"]:
            raise fail_at(path, i, "name_es", "a row gives the mission's Spanish name")
        if len(row["name_es"]) > MAX_LENGTH:
            raise fail_at(path, i, "name_es", f"longer than {MAX_LENGTH} characters")
        hidden = invisible_characters(row["name_es"])
        if hidden:
            raise fail_at(path, i, "name_es", f"invisible or direction-changing characters: {', '.join(hidden)}")
        if not row["source"]:
            raise fail_at(path, i, "source", "every name cites where it was read")
    frame["checked"] = to_date(path, frame, "checked")
    check_unique(path, frame, ["acronym"], "acronym")
    return Parsed("mission_names_es", path, file_sha256(path), frame)


def changes(frame: pd.DataFrame, current: dict[str, str], refresh: bool) -> dict[str, str]:
    """acronym -> the Spanish name to write: where the mission has none, or (refresh) where it
    differs from the file. current: acronym -> the name_es held now."""
    wanted = dict(zip(frame["acronym"], frame["name_es"], strict=True))
    return {a: name for a, name in wanted.items()
            if a in current and current[a] != name and (refresh or not current[a])}
