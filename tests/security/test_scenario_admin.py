"""Only a superuser gives a scenario to someone else: for curators the owner is read-only."""

import pytest

from risks.models import ContributionMode, Scenario
from tests.conftest import make_user
from tests.risks.test_bad_data import admin_form, scenario

pytestmark = pytest.mark.django_db


def test_a_curator_cannot_reassign_a_scenario_to_a_superuser(client, analyst, django_user_model):
    curator, boss = make_user(django_user_model, "curator"), make_user(django_user_model, "superuser")
    s = scenario(analyst, "Owned by the analyst")
    client.force_login(curator)
    page = client.get(f"/admin/risks/scenario/{s.pk}/change/").content.decode()
    assert 'name="owner"' not in page
    data = admin_form(curator, s, owner=boss.pk, name="Renamed").data
    response = client.post(f"/admin/risks/scenario/{s.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    s.refresh_from_db()
    assert s.name == "Renamed" and s.owner == analyst


def test_a_superuser_may_reassign_a_scenario(client, analyst, django_user_model):
    boss, other = make_user(django_user_model, "superuser"), make_user(django_user_model, "consultant")
    s = scenario(analyst, "Owned by the analyst")
    client.force_login(boss)
    response = client.post(f"/admin/risks/scenario/{s.pk}/change/", admin_form(boss, s, owner=other.pk).data)
    assert response.status_code == 302
    s.refresh_from_db()
    assert s.owner == other


def test_a_scenario_a_curator_adds_in_the_admin_is_their_own(client, analyst, django_user_model):
    curator = make_user(django_user_model, "curator")
    client.force_login(curator)
    template = scenario(analyst, "Template")
    data = {k: v for k, v in admin_form(curator, template, name="Added by the curator").data.items() if k != "version"}
    data["owner"] = analyst.pk
    response = client.post("/admin/risks/scenario/add/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    added = Scenario.objects.get(name="Added by the curator")
    assert added.owner == curator and added.mode == ContributionMode.objects.get(code="individual")
