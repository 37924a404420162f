"""A curator's edit shows in the admin's history as exactly its own changes, old -> new: the load
left one history row per curated row (many-to-many fields included) to compare with."""

import re

import pytest
from django.core.management import call_command

from missions.history import LOADED_REASON
from missions.models import Country, MandateFunction, Mission
from risks.models import ContributionMode, Factor
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def form_data(response) -> dict:
    """The admin change form's current values, as the browser would post them back."""
    form = response.context["adminform"].form
    data = {}
    for name in form.fields:
        value = form[name].value()
        if isinstance(value, bool):
            if value:
                data[name] = "on"
        elif isinstance(value, list | tuple):
            data[name] = [getattr(v, "pk", v) for v in value]
        elif value is not None:
            data[name] = str(value)
    # Inline formsets (the mission's Council decisions): their management form and rows as shown.
    for inline in response.context.get("inline_admin_formsets", []):
        formset = inline.formset
        for field in formset.management_form:
            data[field.html_name] = "" if field.value() is None else str(field.value())
        for form in formset.forms:
            for field in form:
                value = field.value()
                if isinstance(value, bool):
                    if value:
                        data[field.html_name] = "on"
                elif value is not None:
                    data[field.html_name] = str(getattr(value, "pk", value))
    return data


def changes(html: str) -> list[list[str]]:
    """Each history row's listed changes, newest row first, as plain text."""
    table = html.split('id="change-history"', 1)[1].split("</table>", 1)[0]
    rows = table.split("<tbody>", 1)[1].split("</tr>")[:-1]
    return [[" ".join(re.sub(r"<[^>]+>", " ", li).replace("&nbsp;", " ").split())
             for li in re.findall(r"<li>(.*?)</li>", row, re.S)] for row in rows]


def test_every_loaded_curated_row_has_a_history_row_holding_its_tasks():
    mission = Mission.objects.filter(functions__isnull=False).distinct().first()
    loaded = mission.history.earliest("history_id")
    assert loaded.history_change_reason == LOADED_REASON or mission.history.count() > 1
    latest = mission.history.latest("history_id")
    assert set(latest.functions.values_list("mandatefunction_id", flat=True)) == \
        set(mission.functions.values_list("pk", flat=True)) != set()
    for model in (Country, MandateFunction, Mission, ContributionMode, Factor):
        assert set(model.objects.values_list("pk", flat=True)) <= set(model.history.values_list("id", flat=True)), model


def test_loading_again_writes_no_history_row_when_nothing_changed():
    from django.conf import settings

    rows = Mission.history.count() + Country.history.count() + Factor.history.count()
    call_command("import_un_data", path=settings.PKO_DATA_DIR, verbosity=0)
    from risks.catalogue import load_catalogue

    load_catalogue()
    assert Mission.history.count() + Country.history.count() + Factor.history.count() == rows


def test_a_curators_first_edit_shows_only_that_field_old_and_new(client, django_user_model):
    curator = make_user(django_user_model, "curator")
    client.force_login(curator)
    mission = Mission.objects.get(acronym="MINURSO")
    old = mission.hq_location
    url = f"/admin/missions/mission/{mission.pk}/change/"
    data = form_data(client.get(url))
    data["hq_location"] = "Laayoune (edited)"
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    html = client.get(f"/admin/missions/mission/{mission.pk}/history/").content.decode()
    newest, *earlier = changes(html)
    assert len(newest) == 1 and old in newest[0] and "Laayoune (edited)" in newest[0], newest
    assert "→" in newest[0] or "&rarr;" in html
    assert LOADED_REASON in html


def test_a_first_edit_of_the_tasks_shows_the_task_added():
    mission = Mission.objects.get(acronym="OSESyria")
    before = set(mission.functions.values_list("code", flat=True))
    added = MandateFunction.objects.exclude(code__in=before).first()
    mission.functions.add(added)
    newest, previous = mission.history.order_by("-history_id")[:2]
    delta = newest.diff_against(previous)
    assert delta.changed_fields == ["functions"]
    (change,) = delta.changes
    assert {row["mandatefunction"] for row in change.new} - {row["mandatefunction"] for row in change.old} == {added.pk}
