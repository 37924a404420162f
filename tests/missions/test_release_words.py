"""The release preview in plain words: personnel types by name, counts with their own plurals, in
English and Spanish."""

import re

import pytest
from django.utils import translation

from missions.models import DataRelease, PersonnelType
from tests.missions.test_releases import as_upload, curator_client, newer_release, upload  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db


def text(html: str, element_id: str) -> str:
    found = re.search(rf'id="{element_id}"[^>]*>(.*?)</(li|table)>', html, re.S).group(1)
    return " ".join(re.sub(r"<[^>]+>", " ", found).split())


def test_the_preview_names_personnel_types_and_counts_rows_in_either_language(
        curator_client, django_capture_on_commit_callbacks):  # noqa: F811
    newer, change = newer_release()
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(curator_client, as_upload(newer))
    release = DataRelease.objects.get()
    code = release.preview["changed"][0]["key"]["personnel_type"]
    url = response["Location"]

    page = curator_client.get(url).content.decode()
    changed = text(page, "rows-changed")
    assert str(PersonnelType(code).label) in changed
    assert not re.search(rf"\b{code}\b", changed)  # no internal code
    assert text(page, "rows-counts") == "In months already here: 1 row changed, 0 rows added, 0 rows removed."

    curator_client.cookies["django_language"] = "es"
    page = curator_client.get(url).content.decode()
    with translation.override("es"):
        label = str(PersonnelType(code).label)
    with translation.override("en"):
        assert label != str(PersonnelType(code).label)
    assert label in text(page, "rows-changed")
    assert text(page, "rows-counts") == \
        "En meses que ya estaban: 1 fila cambiada, 0 filas añadidas, 0 filas eliminadas."
