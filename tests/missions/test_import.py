"""The UN data import: complete, idempotent, atomic, with errors that name file, line and column."""

import gzip
import shutil
from io import StringIO
from pathlib import Path

import pandas as pd
import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from missions.models import DataFile, Deployment, Fatality, MandateFunction, Mission, MissionStrength

UN_FILE = "un_uniformed_contributions_monthly_2015_2025.csv"


def shipped_un_frame() -> pd.DataFrame:
    return pd.read_csv(settings.PKO_DATA_DIR / "un" / f"{UN_FILE}.gz", keep_default_na=False, dtype=str)


def counts() -> dict[str, int]:
    return {
        "deployments": Deployment.objects.count(), "missions": Mission.objects.count(),
        "fatalities": Fatality.objects.count(), "strength": MissionStrength.objects.count(),
        "files": DataFile.objects.count(),
    }


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A writable copy of the shipped data directory, with plain (uncompressed) CSV files."""
    target = tmp_path / "data"
    shutil.copytree(settings.PKO_DATA_DIR / "curated", target / "curated")
    (target / "un").mkdir()
    for gz in (settings.PKO_DATA_DIR / "un").glob("*.csv.gz"):
        (target / "un" / gz.name.removesuffix(".gz")).write_bytes(gzip.decompress(gz.read_bytes()))
    return target


def rewrite_line(path: Path, line: int, change) -> None:
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[line - 1] = change(lines[line - 1])
    path.write_text("".join(lines), encoding="utf-8")


def run_import(path: Path, **kwargs) -> str:
    from io import StringIO

    out = StringIO()
    call_command("import_un_data", path=path, stdout=out, **kwargs)
    return out.getvalue()


@pytest.mark.django_db
def test_the_shipped_data_is_loaded_whole():
    un = shipped_un_frame()
    stored = Deployment.objects.filter(source="un")
    assert sum(stored.values_list("total", flat=True)) == un["total_personnel"].astype(int).sum()
    assert Deployment.objects.filter(source="ipi").exists()
    assert Deployment.objects.filter(source="ipi").order_by("month").first().month.isoformat() == "1990-11-01"
    assert stored.order_by("-month").first().month.isoformat() == "2025-07-01"
    assert Fatality.objects.count() == 4429
    assert MissionStrength.objects.count() > 4000


@pytest.mark.django_db
def test_months_without_a_mission_breakdown_are_kept_as_country_totals():
    un = shipped_un_frame()
    sept_2023 = un[un["report_date"] == "2023-09-30"]["total_personnel"].astype(int).sum()
    rows = Deployment.objects.filter(month="2023-09-01")
    assert not rows.filter(mission__isnull=False).exists()
    assert sum(rows.values_list("total", flat=True)) == sept_2023


@pytest.mark.django_db
def test_a_second_run_changes_nothing_and_says_so():
    before = counts()
    output = run_import(settings.PKO_DATA_DIR)
    assert counts() == before
    assert "Nothing to do" in output
    assert "unchanged" in output


@pytest.mark.django_db
@pytest.mark.parametrize("filename, line, change, expected", [
    (UN_FILE, 1, lambda s: s.replace("total_personnel", "total"), "line 1, column 'total_personnel': wrong header"),
    (UN_FILE, 5, lambda s: s.replace(",8,0,8,", ",8,0,x8,"), "line 5, column 'total_personnel': 'x8' is not a number"),
    (UN_FILE, 7, lambda s: s.replace("MINURSO", "MINUXXX", 1), "line 7, column 'mission_acronym': unknown mission 'MINUXXX'"),
    (UN_FILE, 9, lambda s: s.replace(",HRV,", ",XYZ,", 1), "line 9, column 'isocode3': unknown country code 'XYZ'"),
    (UN_FILE, 11, lambda s: s.replace(",21,0,21,", ",21,0,20,", 1), "line 11, column 'total_personnel': male + female = 21 but total is 20"),
    ("ipi_country_month_totals_1990_2014.csv", 4, lambda s: "Atlantis" + s[s.index(","):], "line 4, column 'Contributor': unknown country 'Atlantis'"),
    ("psdata_DPPADPOSS-FATALITIES.csv", 3, lambda s: s.replace("1948-07-13", "1948-13-13"), "line 3, column 'incident_date'"),
])
def test_a_corrupted_file_aborts_naming_the_place_and_changes_nothing(data_copy, filename, line, change, expected):
    path = data_copy / "un" / filename
    original = path.read_text(encoding="utf-8").splitlines()[line - 1]
    rewrite_line(path, line, change)
    assert path.read_text(encoding="utf-8").splitlines()[line - 1] != original, "the test did not corrupt anything"
    DataFile.objects.all().delete()  # force every data set to be rewritten if parsing passed
    before = counts()
    with pytest.raises(CommandError) as error:
        run_import(data_copy)
    assert filename in str(error.value)
    assert expected in str(error.value)
    assert "nothing was changed" in str(error.value)
    assert counts() == before


@pytest.mark.django_db
def test_a_duplicated_row_is_refused_with_both_lines_named(data_copy):
    path = data_copy / "un" / UN_FILE
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines.insert(20, lines[9])  # line 10 again, as line 21
    path.write_text("".join(lines), encoding="utf-8")
    before = counts()
    with pytest.raises(CommandError, match=r"line 21, column 'personnel_type': duplicated row: .* as line 10"):
        run_import(data_copy)
    assert counts() == before


@pytest.mark.django_db
def test_a_newer_un_monthly_file_replaces_the_old_figures(data_copy, tmp_path):
    un = shipped_un_frame()
    newer = un[un["report_date"] >= "2025-01-01"].copy()
    newer.loc[newer["isocode3"] == "MEX", ["male_personnel", "total_personnel"]] = "1"
    newer.loc[newer["isocode3"] == "MEX", "female_personnel"] = "0"
    path = tmp_path / "un_monthly_2025_08.csv"
    newer.to_csv(path, index=False)
    output = run_import(data_copy, un_monthly=path)
    assert f"replaced {len(newer)} rows" in output
    mexico = Deployment.objects.filter(country__iso3="MEX", source="un")
    assert set(mexico.values_list("total", flat=True)) == {1}
    assert not Deployment.objects.filter(source="un", month__lt="2025-01-01").exists()
    assert Deployment.objects.filter(source="ipi").exists()  # other data sets untouched


@pytest.mark.django_db
def test_a_missing_directory_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="is not a directory"):
        run_import(tmp_path / "nowhere")


@pytest.mark.django_db
def test_a_plain_import_keeps_a_curators_edit_and_a_refresh_overwrites_it_with_history():
    from missions.selectors import data_vintage
    from missions.services import REFRESH_REASON

    # A mission whose tasks no Council decision curated here decides (missions.decisions).
    mission = Mission.objects.get(acronym="OSESyria")
    mission.notes = "a curator's note"
    mission.save()
    mission.functions.add(*MandateFunction.objects.filter(code="ceasefire_monitoring"))
    version, vintage = Mission.objects.get(pk=mission.pk).version, data_vintage()

    assert "Nothing to do" in run_import(settings.PKO_DATA_DIR)
    assert Mission.objects.get(pk=mission.pk).notes == "a curator's note"

    output = run_import(settings.PKO_DATA_DIR, refresh_catalogues=True)
    assert "missions: 0 created, 1 overwritten from the file, 114 already as in the file" in output
    assert "missions' tasks overwritten from the file: OSESyria" in output
    assert "Import finished." in output
    refreshed = Mission.objects.get(pk=mission.pk)
    assert "appointment of the first" in refreshed.notes  # the shipped note
    assert not Mission.objects.get(acronym="UNAMI").is_active  # the Council's decision, not the file, decides
    assert not refreshed.functions.filter(code="ceasefire_monitoring").exists()
    assert refreshed.version == version + 1  # an edit form opened before is refused
    assert refreshed.history.first().history_change_reason == REFRESH_REASON
    assert data_vintage() != vintage  # kept pages and the model's inputs are read again

    again = run_import(settings.PKO_DATA_DIR, refresh_catalogues=True)
    assert "missions: 0 created, 0 overwritten from the file, 115 already as in the file" in again
    assert "Nothing to do" in again


@pytest.mark.django_db
def test_a_second_import_reads_the_files_digests_and_parses_none_of_them(monkeypatch):
    from missions import importers

    def refuse(*args, **kwargs):
        raise AssertionError("an unchanged file was parsed again")

    for parser in ("parse_un_monthly", "parse_ipi_country_totals", "parse_strength", "parse_fatalities"):
        monkeypatch.setattr(importers, parser, refuse)
    out = StringIO()
    call_command("import_un_data", stdout=out)
    assert "Nothing to do: the database already holds these files." in out.getvalue()
    assert "un_monthly: unchanged (108885 rows" in out.getvalue()
