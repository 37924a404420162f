"""data/curated/mission_names_es.csv: the UN's Spanish names of missions, each cited and dated."""

import datetime as dt
from pathlib import Path

import pandas as pd

CURATED = Path(__file__).resolve().parents[2] / "data" / "curated"


def names() -> pd.DataFrame:
    return pd.read_csv(CURATED / "mission_names_es.csv", dtype=str, keep_default_na=False)


def test_the_spanish_names_file_has_its_columns_and_one_row_per_known_mission():
    frame = names()
    assert list(frame.columns) == ["acronym", "name_es", "source", "checked"]
    missions = pd.read_csv(CURATED / "missions.csv", dtype=str, keep_default_na=False)
    assert set(frame["acronym"]) <= set(missions["acronym"])
    assert frame["acronym"].is_unique


def test_every_spanish_name_is_cited_and_dated_and_is_not_the_english_one():
    english = pd.read_csv(CURATED / "missions.csv", dtype=str, keep_default_na=False)[["acronym", "name"]]
    frame = names().merge(english, on="acronym")
    assert (frame["name_es"].str.strip() != "").all() and (frame["name_es"] != frame["name"]).all()
    assert frame["source"].str.contains("http", regex=False).all()
    checked = pd.to_datetime(frame["checked"], format="%Y-%m-%d")
    assert (checked.dt.date <= dt.date(2026, 12, 5)).all() and (checked.dt.year >= 2026).all()


def test_the_open_peacekeeping_operations_named_by_un_pages_read_as_the_un_writes_them():
    spanish = names().set_index("acronym")["name_es"]
    assert spanish["MINURSO"] == "Misión de las Naciones Unidas para el Referéndum del Sáhara Occidental"
    assert spanish["UNISFA"] == "Fuerza Provisional de Seguridad de las Naciones Unidas para Abyei"
    assert spanish["UNMIK"] == "Misión de Administración Provisional de las Naciones Unidas en Kosovo"
