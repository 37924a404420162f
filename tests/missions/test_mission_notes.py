"""The curators' notes on missions in Spanish (data/curated/mission_notes_es.csv ->
Mission.notes_es): one for every English note in missions.csv, loaded by the import the way the
Spanish names are (missions.mission_names), and shown on Spanish pages."""

import csv
import shutil

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from missions import mission_names, services
from missions.history import record_loaded_state
from missions.importers import DataFileError
from missions.models import Mission

CURATED = settings.PKO_DATA_DIR / "curated"
UNVMC_EN = "Second Colombia mission (verifying reintegration and security guarantees"
UNVMC_ES = "Segunda misión en Colombia (verifica la reincorporación y las garantías de seguridad"


def rows(name: str) -> list[dict[str, str]]:
    with open(CURATED / name, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def english_notes() -> dict[str, str]:
    return {r["acronym"]: r["notes"] for r in rows("missions.csv") if r["notes"].strip()}


def test_every_spanish_note_is_of_a_mission_with_an_english_note_and_every_english_note_has_one():
    spanish = rows("mission_notes_es.csv")
    acronyms = [r["acronym"] for r in spanish]
    assert len(acronyms) == len(set(acronyms))
    english = english_notes()
    assert set(acronyms) - set(english) == set(), "a Spanish note for a mission without an English one"
    assert set(english) - set(acronyms) == set(), "an English note without its Spanish translation"
    assert all(r["notes_es"].strip() and r["notes_es"] != english[r["acronym"]] for r in spanish)


def test_the_translations_keep_the_markers_and_the_document_symbols():
    english = english_notes()
    for r in rows("mission_notes_es.csv"):
        en = english[r["acronym"]]
        assert r["notes_es"].count("[unverified") == en.count("[unverified"), r["acronym"]
        for symbol in ("S/RES/2694 (2023)", "UN_country_contributions_2025_07.pdf", "34.51N 47.93E"):
            assert (symbol in en) == (symbol in r["notes_es"]), (r["acronym"], symbol)


@pytest.mark.django_db
def test_the_sessions_import_filled_every_spanish_note():
    held = dict(Mission.objects.exclude(notes_es="").values_list("acronym", "notes_es"))
    assert held == {r["acronym"]: r["notes_es"] for r in rows("mission_notes_es.csv")}


@pytest.mark.django_db
def test_a_spanish_mission_page_shows_the_spanish_note_and_an_english_one_the_english(analyst_client):
    analyst_client.cookies["django_language"] = "es"
    html = analyst_client.get("/missions/UNVMC/").content.decode()
    assert UNVMC_ES in html and UNVMC_EN not in html
    analyst_client.cookies["django_language"] = "en"
    html = analyst_client.get("/missions/UNVMC/").content.decode()
    assert UNVMC_EN in html and UNVMC_ES not in html


def load(tmp_path, text: str, refresh: bool = False) -> services.LoadReport:
    path = tmp_path / "mission_notes_es.csv"
    path.write_text(text, encoding="utf-8")
    codes = set(Mission.objects.values_list("acronym", flat=True))
    parsed = mission_names.parse(path, codes, mission_names.NOTES)
    report = services.LoadReport()
    services.write_notes_es(parsed, refresh, report)
    record_loaded_state([Mission])
    return report


@pytest.mark.django_db
def test_a_note_fills_once_keeps_a_curators_edit_and_a_refresh_rewrites_it(tmp_path):
    Mission.objects.filter(acronym="UNVMC").update(notes_es="")
    version = Mission.objects.get(acronym="UNVMC").version
    assert load(tmp_path, 'acronym,notes_es\nUNVMC,"Nota, en prueba."\n').changed
    unvmc = Mission.objects.get(acronym="UNVMC")
    assert unvmc.notes_es == "Nota, en prueba." and unvmc.version == version + 1
    assert unvmc.history.first().notes_es == "Nota, en prueba."
    assert not load(tmp_path, "acronym,notes_es\nUNVMC,Otra nota.\n").changed
    assert Mission.objects.get(acronym="UNVMC").notes_es == "Nota, en prueba."
    load(tmp_path, "acronym,notes_es\nUNVMC,Otra nota.\n", refresh=True)
    assert Mission.objects.get(acronym="UNVMC").notes_es == "Otra nota."


@pytest.mark.django_db
@pytest.mark.parametrize("row, column", [
    ("UNVMCX,Nota.\n", "acronym"),
    ("UNVMC,\n", "notes_es"),
    ("UNVMC,Nota\u202e oculta.\n", "notes_es"),
    (f"UNVMC,{'x' * 5001}\n", "notes_es"),
])
def test_a_bad_row_is_refused_naming_its_place(tmp_path, row, column):
    with pytest.raises(DataFileError) as raised:
        load(tmp_path, "acronym,notes_es\nUNTSO,Nota.\n" + row)
    assert f"line 3, column '{column}'" in str(raised.value)


@pytest.mark.django_db
def test_the_import_refuses_a_notes_file_naming_an_unknown_mission_and_changes_nothing(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(CURATED, data / "curated")
    (data / "un").symlink_to(settings.PKO_DATA_DIR / "un")
    with open(data / "curated" / "mission_notes_es.csv", "a", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerow(["MINUXXX", "Una nota de una misión que no existe."])
    Mission.objects.filter(acronym="UNVMC").update(notes_es="")
    before = dict(Mission.objects.values_list("acronym", "notes_es"))
    with pytest.raises(CommandError) as error:
        call_command("import_un_data", path=data, verbosity=0)
    message = str(error.value)
    assert "mission_notes_es.csv" in message and "unknown mission 'MINUXXX'" in message
    assert "nothing was changed" in message
    assert dict(Mission.objects.values_list("acronym", "notes_es")) == before
