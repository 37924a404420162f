"""Curators' uploads of newer UN releases in the admin: preview, apply in one step, roll back."""

import gzip
import io

import pandas as pd
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from missions import releases
from missions.models import Country, DataFile, DataRelease, Deployment, Fatality, Mission, MissionStrength
from tests.conftest import make_user
from tests.missions.test_import import UN_FILE, rewrite_line, shipped_un_frame

ADD = "/admin/missions/datarelease/add/"


def newer_release(frame: pd.DataFrame | None = None) -> tuple[pd.DataFrame, dict]:
    """The shipped UN file plus 2025-08 and 2025-09 (July's rows, one more Mexican per row in September)
    and one corrected past month (a row of June 2025). Returns the file and what was changed."""
    un = shipped_un_frame() if frame is None else frame
    july = un[un["report_date"] == "2025-07-31"]
    august = july.assign(report_date="2025-08-31", month="8")
    september = july.assign(report_date="2025-09-30", month="9")
    mexican = (september["isocode3"] == "MEX") & (september["male_personnel"] != "")
    for column in ("male_personnel", "total_personnel"):  # one more Mexican in each of its rows
        september.loc[mexican, column] = (september.loc[mexican, column].astype(int) + 1).astype(str)
    june = un.index[(un["report_date"] == "2025-06-30") & (un["isocode3"] == "MEX")
                    & (un["male_personnel"] != "")][0]
    old = {c: un.at[june, c] for c in ("male_personnel", "female_personnel", "total_personnel")}
    un = un.copy()
    un.at[june, "male_personnel"] = str(int(old["male_personnel"]) + 2)
    un.at[june, "total_personnel"] = str(int(old["total_personnel"]) + 2)
    newer = pd.concat([un, august, september], ignore_index=True)
    return newer, {"row": un.loc[june], "old": old, "new_rows": len(august) + len(september),
                   "september_total": int(september["total_personnel"].astype(int).sum()),
                   "mexicans_added": int(mexican.sum())}


def as_upload(frame: pd.DataFrame, name="un_monthly_2025_09.csv.gz") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, gzip.compress(frame.to_csv(index=False).encode()), "application/gzip")


def snapshot() -> dict:
    return {
        "un": releases.current_frame("un_monthly").sort_values(["month", "mission", "country", "personnel_type"])
        .reset_index(drop=True),
        "counts": (Deployment.objects.count(), Fatality.objects.count(), Mission.objects.count(),
                   Country.objects.count(), MissionStrength.objects.count()),
        "files": list(DataFile.objects.order_by("dataset").values("dataset", "sha256", "rows", "last_month")),
    }


def assert_same(before: dict, after: dict) -> None:
    assert after["counts"] == before["counts"]
    assert after["files"] == before["files"]
    pd.testing.assert_frame_equal(after["un"], before["un"])


@pytest.fixture
def curator_client(client, django_user_model):
    client.force_login(make_user(django_user_model, "curator"))
    return client


def upload(client, file, dataset="un_monthly"):
    return client.post(ADD, {"dataset": dataset, "file": file})


@pytest.mark.django_db
def test_the_preview_shows_exactly_the_months_added_and_the_corrected_row_and_writes_nothing(
        curator_client, django_capture_on_commit_callbacks):
    newer, change = newer_release()
    before = snapshot()
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(curator_client, as_upload(newer))
    assert response.status_code == 302
    release = DataRelease.objects.get()
    assert release.status == "previewed", release.preview
    p = release.preview
    assert p["months_added"] == ["2025-08", "2025-09"]
    assert p["rows_in_new_months"] == change["new_rows"]
    assert p["month_totals"]["2025-09"] == change["september_total"]
    assert (p["changed_count"], p["added_count"], p["removed_count"], p["months_removed"]) == (1, 0, 0, [])
    row = p["changed"][0]
    assert row["key"]["month"] == "2025-06-01" and row["key"]["country"] == "MEX"
    assert row["key"]["mission"] == change["row"]["mission_acronym"]
    assert row["old"]["total"] == change["old"]["total_personnel"]
    assert int(row["new"]["total"]) == int(change["old"]["total_personnel"]) + 2
    assert_same(before, snapshot())  # nothing written
    page = curator_client.get(response["Location"]).content.decode()
    assert "2025-08" in page and "2025-09" in page and 'id="rows-changed"' in page and 'id="apply-release"' in page


@pytest.mark.django_db
def test_apply_replaces_in_one_step_and_rollback_restores_exactly(curator_client, django_capture_on_commit_callbacks):
    newer, change = newer_release()
    before = snapshot()
    with django_capture_on_commit_callbacks(execute=True):
        upload(curator_client, as_upload(newer))
    release = DataRelease.objects.get()
    curator_client.post(f"/admin/missions/datarelease/{release.pk}/apply/")
    release.refresh_from_db()
    assert release.status == "applied" and release.applied_by.username == "curator-user"
    assert release.counts == {"before": len(before["un"]), "after": len(before["un"]) + change["new_rows"]}
    un = DataFile.objects.get(dataset="un_monthly")
    assert un.last_month.isoformat() == "2025-09-01" and un.sha256 == release.sha256
    assert Deployment.objects.filter(source="un").count() == len(before["un"]) + change["new_rows"]
    assert [h.status for h in release.history.order_by("history_date")][-1] == "applied"
    page = curator_client.get("/").content.decode()
    assert "UN data through September 2025" in page

    # import_un_data (bin/run runs it every time) keeps the curator's release.
    call_command("import_un_data", verbosity=0)
    assert DataFile.objects.get(dataset="un_monthly").sha256 == release.sha256

    curator_client.post(f"/admin/missions/datarelease/{release.pk}/rollback/")
    release.refresh_from_db()
    assert release.status == "rolled_back" and release.rolled_back_by.username == "curator-user"
    assert_same(before, snapshot())
    assert "UN data through July 2025" in curator_client.get("/").content.decode()
    # Rolled back: it cannot be applied or rolled back again.
    curator_client.post(f"/admin/missions/datarelease/{release.pk}/apply/")
    curator_client.post(f"/admin/missions/datarelease/{release.pk}/rollback/")
    assert_same(before, snapshot())


@pytest.mark.django_db
@pytest.mark.parametrize("line, change, expected", [
    (1, lambda s: s.replace("total_personnel", "total"), "lacks the column(s) total_personnel"),
    (5, lambda s: s.replace(",8,0,8,", ",8,0,x8,"), "'x8' is not a number"),
    (7, lambda s: s.replace("MINURSO", "MINUXXX", 1), "unknown:MINUXXX"),
    (9, lambda s: s.replace(",HRV,", ",XYZ,", 1), "unknown:XYZ"),
    (11, lambda s: s.replace(",21,0,21,", ",21,0,20,", 1), "male + female = 21 but total is 20"),
    (13, lambda s: s.replace("2015-01-31", "2015-02-30", 1), "is not a date"),
    (15, lambda s: s.replace(",", ",,", 3), "not a well-formed CSV file"),
])
def test_a_corrupted_file_uploaded_in_the_admin_changes_nothing(curator_client, django_capture_on_commit_callbacks,
                                                                tmp_path, line, change, expected):
    path = tmp_path / UN_FILE
    path.write_bytes(gzip.decompress((releases.settings.PKO_DATA_DIR / "un" / f"{UN_FILE}.gz").read_bytes()))
    original = path.read_text(encoding="utf-8").splitlines()[line - 1]
    rewrite_line(path, line, change)
    assert path.read_text(encoding="utf-8").splitlines()[line - 1] != original, "the test corrupted nothing"
    before = snapshot()
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(curator_client, SimpleUploadedFile(UN_FILE, path.read_bytes(), "text/csv"))
    release = DataRelease.objects.first()
    if release is None:  # refused at the door: the form says why
        assert response.status_code == 200 and expected in response.content.decode()
    elif expected.startswith("unknown:"):  # listed for the curator to map or create; not appliable
        assert release.status == "previewed"
        assert [u["code"] for found in release.preview["unknown"].values() for u in found] == [expected[8:]]
        curator_client.post(f"/admin/missions/datarelease/{release.pk}/apply/")
        assert DataRelease.objects.get(pk=release.pk).status == "previewed"
    else:
        assert release.status == "failed"
        error = release.preview["errors"][0]
        assert expected in error["message"]
        assert error["file"] == UN_FILE
        if "well-formed" not in expected:
            assert error["line"] == line and error["column"]
        page = curator_client.get(f"/admin/missions/datarelease/{release.pk}/change/").content.decode()
        assert 'id="release-errors"' in page and 'id="apply-release"' not in page
        curator_client.post(f"/admin/missions/datarelease/{release.pk}/apply/")
        assert DataRelease.objects.get(pk=release.pk).status == "failed"
    assert_same(before, snapshot())


@pytest.mark.django_db
@pytest.mark.parametrize("name, content, expected", [
    ("contributions.pdf", b"%PDF-1.7 ...", "cannot be read as the UN&#x27;s monthly report"),
    ("contributions.xlsx", b"PK\x03\x04 ...", "Upload a .csv file"),
    ("contributions.csv", b"\x89PNG\r\n\x1a\n\x00\xff\xfe", "not UTF-8 text"),
    ("contributions.csv.gz", b"\x1f\x8bnot really gzip", "not a readable gzip file"),
    ("contributions.csv", b"", "The submitted file is empty"),
    ("contributions.csv", b"a,b,c\n1,2,3\n", "lacks the column(s) report_date"),
    ("fatalities.csv", gzip.decompress((releases.settings.PKO_DATA_DIR / "un" / "psdata_DPPADPOSS-FATALITIES.csv.gz")
                                       .read_bytes())[:4000], "another data set"),
])
def test_a_file_of_another_format_is_refused_with_a_clear_error(curator_client, name, content, expected):
    before = snapshot()
    response = upload(curator_client, SimpleUploadedFile(name, content))
    assert response.status_code == 200
    assert expected in response.content.decode()
    assert not DataRelease.objects.exists()
    assert_same(before, snapshot())


@pytest.mark.django_db
def test_a_file_over_the_size_cap_is_refused(curator_client, settings):
    settings.PKO_RELEASE_MAX_MB = 0.001
    response = upload(curator_client, SimpleUploadedFile("big.csv", b"report_date\n" + b"x\n" * 2000))
    assert "at most" in response.content.decode() and not DataRelease.objects.exists()


@pytest.mark.django_db
def test_unknown_missions_and_countries_are_mapped_or_created_and_rollback_removes_them(
        curator_client, django_capture_on_commit_callbacks):
    newer, _change = newer_release()
    september = newer["report_date"] == "2025-09-30"
    first_unmiss = newer.index[september & (newer["mission_acronym"] == "UNMISS")][0]
    newer.loc[september & (newer["mission_acronym"] == "UNMIK"), "mission_acronym"] = "UNXNEW"  # a mission this site lacks
    newer.at[first_unmiss, "isocode3"] = "XKX"  # a spelling the site lacks
    before = snapshot()
    with django_capture_on_commit_callbacks(execute=True):
        upload(curator_client, as_upload(newer))
    release = DataRelease.objects.get()
    unknown = release.preview["unknown"]
    assert [u["code"] for u in unknown["missions"]] == ["UNXNEW"]
    assert [u["code"] for u in unknown["countries"]] == ["XKX"]
    assert unknown["countries"][0]["line"] == first_unmiss + 2
    page = curator_client.get(f"/admin/missions/datarelease/{release.pk}/change/").content.decode()
    assert 'id="mapping-form"' in page and 'id="apply-release"' not in page
    mexico_row = newer.loc[first_unmiss]
    with django_capture_on_commit_callbacks(execute=True):
        curator_client.post(f"/admin/missions/datarelease/{release.pk}/map/",
                            {"missions:UNXNEW": "+create", "countries:XKX": "SRB"})
    release.refresh_from_db()
    assert release.status == "previewed", release.preview
    assert release.preview["creating"] == {"missions": ["UNXNEW"], "countries": []}
    curator_client.post(f"/admin/missions/datarelease/{release.pk}/apply/")
    assert Mission.objects.filter(acronym="UNXNEW").exists()
    assert Deployment.objects.filter(mission__acronym="UNXNEW", month="2025-09-01").exists()
    assert Deployment.objects.filter(mission__acronym="UNMISS", month="2025-09-01", country__iso3="SRB",
                                     personnel_type=releases.importers.PERSONNEL_TYPES_UN[
                                         mexico_row["personnel_type"]]).exists()
    curator_client.post(f"/admin/missions/datarelease/{release.pk}/rollback/")
    assert not Mission.objects.filter(acronym="UNXNEW").exists()
    assert_same(before, snapshot())


@pytest.mark.django_db
def test_a_preview_made_before_other_data_was_applied_must_be_made_again(
        curator_client, django_capture_on_commit_callbacks):
    newer, _change = newer_release()
    with django_capture_on_commit_callbacks(execute=True):
        upload(curator_client, as_upload(newer))
        upload(curator_client, as_upload(newer.iloc[:-5]))
    first, second = DataRelease.objects.order_by("pk")
    curator_client.post(f"/admin/missions/datarelease/{first.pk}/apply/")
    curator_client.post(f"/admin/missions/datarelease/{second.pk}/apply/")
    second.refresh_from_db()
    assert second.status == "previewed"
    assert DataFile.objects.get(dataset="un_monthly").sha256 == first.sha256


@pytest.mark.django_db
def test_a_newer_fatalities_file_is_previewed_by_incident(curator_client, django_capture_on_commit_callbacks):
    raw = gzip.decompress((releases.settings.PKO_DATA_DIR / "un" / "psdata_DPPADPOSS-FATALITIES.csv.gz").read_bytes())
    frame = pd.read_csv(io.BytesIO(raw), dtype=str, keep_default_na=False)
    frame.at[0, "type_of_incident"] = "Accident" if frame.at[0, "type_of_incident"] != "Accident" else "Illness"
    frame = frame.drop(index=1)
    before = snapshot()
    with django_capture_on_commit_callbacks(execute=True):
        upload(curator_client, as_upload(frame, "fatalities.csv.gz"), dataset="fatalities")
    release = DataRelease.objects.get()
    assert release.status == "previewed", release.preview
    assert (release.preview["changed_count"], release.preview["removed_count"]) == (1, 1)
    curator_client.post(f"/admin/missions/datarelease/{release.pk}/apply/")
    assert Fatality.objects.count() == before["counts"][1] - 1
    curator_client.post(f"/admin/missions/datarelease/{release.pk}/rollback/")
    assert_same(before, snapshot())


@pytest.mark.django_db
@pytest.mark.parametrize("role, status", [("analyst", 403), ("consultant", 403), ("curator", 200)])
def test_only_curators_may_upload_a_release(client, django_user_model, role, status):
    user = make_user(django_user_model, role)
    user.is_staff = True  # even with the admin open to them, analysts and consultants only read
    user.save()
    client.force_login(user)
    assert client.get(ADD).status_code == status
    response = client.post(ADD, {"dataset": "un_monthly", "file": SimpleUploadedFile("x.csv", b"report_date\n")})
    assert response.status_code == status
    assert not DataRelease.objects.exists()


@pytest.mark.django_db
def test_the_attention_list_names_what_curators_must_look_at(curator_client, client):
    from datetime import date

    Mission.objects.filter(acronym="MINURSO").update(mandate_end=None, is_active=True, kind="pko")
    Mission.objects.filter(acronym="UNFICYP").update(mandate_end=date(2020, 1, 31), mandate_source="S/RES/1",
                                                     is_active=True, kind="pko")
    Fatality.objects.filter(pk=Fatality.objects.order_by("pk").first().pk).update(
        nationality=None, nationality_name="Atlantis")
    from risks.models import Factor

    factor = Factor.objects.order_by("code").first()
    Factor.objects.filter(pk=factor.pk).update(source="A report of 2009")
    page = curator_client.get("/admin/missions/mission/attention/").content.decode()
    assert "MINURSO" in page and "without a current mandate end date" in page
    assert "UNFICYP" in page and "2020-01-31 has passed" in page
    assert "UNAMA" in page and "Marked [verify]" in page  # its latest Council decision is unverified
    assert "Atlantis" in page
    assert factor.code in page and "from 2009" in page
    assert "months old" in page  # the shipped data ends in July 2025
    assert 'href="/admin/missions/mission/attention/"' in curator_client.get("/admin/").content.decode()


def gzip_bomb(header: bytes, unpacked_mb: int) -> bytes:
    """A valid .csv.gz: a real header, then `unpacked_mb` MB of one repeated line (about 1,000:1)."""
    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, mode="wb", compresslevel=9) as out:
        out.write(header)
        line = b"2025-09-30,MINUSCA,MEX,Troops,1,0,1\n" * 28000  # ~1 MB
        for _ in range(unpacked_mb):
            out.write(line)
    return buffer.getvalue()


@pytest.mark.django_db
def test_a_gzip_bomb_is_refused_at_the_limit_without_being_unpacked_in_memory(curator_client, settings):
    import tracemalloc

    settings.PKO_RELEASE_MAX_UNPACKED_MB = 4
    header = b"report_date,mission_acronym,isocode3,personnel_type,male_personnel,female_personnel,total_personnel\n"
    bomb = gzip_bomb(header, 64)
    assert len(bomb) < 200_000  # 64 MB unpacked from a file the upload cap takes easily
    # The same refusal once first, so the first rendering of the page (templates, translations)
    # is not counted in the peak.
    upload(curator_client, SimpleUploadedFile("small-bomb.csv.gz", gzip_bomb(header, 5), "application/gzip"))
    tracemalloc.start()
    try:
        response = upload(curator_client, SimpleUploadedFile("bomb.csv.gz", bomb, "application/gzip"))
        _now, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert response.status_code == 200
    assert "decompresses to more than 4 MB" in response.content.decode()
    assert not DataRelease.objects.exists()
    assert peak < 16 * 1024 * 1024, f"peak {peak / 1e6:.0f} MB while refusing a 64 MB bomb"


@pytest.mark.django_db
def test_a_gzip_file_within_the_unpacked_limit_is_taken_whole(settings):
    settings.PKO_RELEASE_MAX_UNPACKED_MB = 4
    header = b"report_date,mission_acronym,isocode3,personnel_type,male_personnel,female_personnel,total_personnel\n"
    two_members = gzip.compress(header) + gzip.compress(b"2025-09-30,MINUSCA,MEX,Troops,1,0,1\n")  # as `cat a.gz b.gz`
    assert releases.check_upload("un_monthly", "x.csv.gz", two_members).count(b"\n") == 2
    assert releases.check_upload("un_monthly", "x.csv.gz", gzip_bomb(header, 3)).startswith(header)
    with pytest.raises(releases.UploadError, match="more than 4 MB"):
        releases.check_upload("un_monthly", "x.csv.gz", gzip_bomb(header, 5))
    with pytest.raises(releases.UploadError, match="not a readable gzip file"):
        releases.check_upload("un_monthly", "x.csv.gz", gzip_bomb(header, 1)[:-20])  # cut short


def release_with_mission_named(curator_client, django_capture_on_commit_callbacks, code: str) -> DataRelease:
    """A newer UN file whose September MINUSCA rows name the mission `code`, uploaded and previewed."""
    newer, _change = newer_release()
    september = newer["report_date"] == "2025-09-30"
    newer.loc[september & (newer["mission_acronym"] == "MINUSCA"), "mission_acronym"] = code
    with django_capture_on_commit_callbacks(execute=True):
        upload(curator_client, as_upload(newer))
    release = DataRelease.objects.get()
    assert [u["code"] for u in release.preview["unknown"]["missions"]] == [code]
    return release


@pytest.mark.django_db
@pytest.mark.parametrize("code, reason", [
    ("\u041cINUSCA", "looks like MINUSCA"),        # Cyrillic capital EM for M
    ("MlNUSCA", "looks like MINUSCA"),             # lower-case L for I
    ("minusca", "looks like MINUSCA"),             # the same letters in another case
    ("UNXNEW-" + "X" * 30, "at most 20 characters"),
    ("UN\u202eNEW", "not allowed in an acronym"),  # a right-to-left override
])
def test_the_preview_refuses_to_create_a_mission_that_apply_would_refuse_or_that_looks_like_another(
        curator_client, django_capture_on_commit_callbacks, code, reason):
    release = release_with_mission_named(curator_client, django_capture_on_commit_callbacks, code)
    page = curator_client.get(f"/admin/missions/datarelease/{release.pk}/change/").content.decode()
    assert reason in page  # said before the curator chooses
    before = snapshot()
    with django_capture_on_commit_callbacks(execute=True):
        response = curator_client.post(f"/admin/missions/datarelease/{release.pk}/map/", {f"missions:{code}": "+create"})
    assert response.status_code == 302
    release.refresh_from_db()
    assert not releases.ready_to_apply(release)
    response = curator_client.post(f"/admin/missions/datarelease/{release.pk}/apply/")
    assert response.status_code == 302  # refused with a message, never a 500
    assert not Mission.objects.filter(acronym=code).exists()
    assert_same(before, snapshot())


@pytest.mark.django_db
def test_a_mapping_stored_before_the_checks_is_refused_by_the_preview_itself(
        curator_client, django_capture_on_commit_callbacks):
    code = "\u041cINUSCA"
    release = release_with_mission_named(curator_client, django_capture_on_commit_callbacks, code)
    DataRelease.objects.filter(pk=release.pk).update(mapping={"missions": {code: "+create"}, "countries": {}})
    releases.preview(release.pk)
    release.refresh_from_db()
    assert release.status == "failed" and not releases.ready_to_apply(release)
    assert "looks like MINUSCA" in release.preview["errors"][0]["message"]


@pytest.mark.django_db
def test_a_value_longer_than_the_database_takes_is_refused_by_the_preview_with_its_line(
        curator_client, django_capture_on_commit_callbacks):
    raw = gzip.decompress((releases.settings.PKO_DATA_DIR / "un" / "psdata_DPPADPOSS-FATALITIES.csv.gz").read_bytes())
    frame = pd.read_csv(io.BytesIO(raw), dtype=str, keep_default_na=False)
    frame.at[5, "casualty_id"] = "C" * 43
    with django_capture_on_commit_callbacks(execute=True):
        upload(curator_client, as_upload(frame, "fatalities.csv.gz"), dataset="fatalities")
    release = DataRelease.objects.get()
    assert release.status == "failed"
    assert release.preview["errors"][0]["line"] == 7 and release.preview["errors"][0]["column"] == "casualty_id"
    assert "43 characters; at most 40" in release.preview["errors"][0]["message"]


@pytest.mark.django_db
@pytest.mark.parametrize("failure, message", [
    ("database", "The database refused the release"),
    ("checks", "no longer passes the checks"),
])
def test_apply_answers_with_a_message_when_the_database_refuses_a_row(
        curator_client, django_capture_on_commit_callbacks, monkeypatch, failure, message):
    from django.db import DataError

    newer, _change = newer_release()
    with django_capture_on_commit_callbacks(execute=True):
        upload(curator_client, as_upload(newer))
    release = DataRelease.objects.get()
    assert releases.ready_to_apply(release)
    before = snapshot()

    def refused(*args, **kwargs):
        if failure == "checks":  # e.g. a mission the file names was deleted after the preview
            raise releases.importers.DataFileError("x.csv", 7, "mission_acronym", "unknown mission 'UNXNEW'")
        raise DataError("value too long for type character varying(40)")
    monkeypatch.setattr(releases.services, "write_dataset", refused)
    response = curator_client.post(f"/admin/missions/datarelease/{release.pk}/apply/", follow=True)
    assert response.status_code == 200
    assert message in response.content.decode()
    release.refresh_from_db()
    assert release.status == "previewed"
    assert_same(before, snapshot())
