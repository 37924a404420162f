"""Bounded answers: free text has a length limit, an account a scenario quota, and /scenarios/
pages of 50 that load only the columns they show."""

import pytest
from django.apps import apps
from django.db import IntegrityError, connection, models, transaction
from django.test.utils import CaptureQueriesContext

from missions.models import MandateFunction, Mission
from risks.models import NOTES_MAX_LENGTH, ContributionMode, Scenario
from tests.risks.test_pages import builder_data

pytestmark = pytest.mark.django_db


def test_every_free_text_field_has_a_length_limit():
    unbounded = [f"{model._meta.label}.{field.name}" for app in ("missions", "risks")
                 for model in apps.get_app_config(app).get_models() for field in model._meta.get_fields()
                 if isinstance(field, models.TextField) and field.max_length is None and field.editable]
    # Briefing.error is written by the renderer, never typed by anyone.
    assert unbounded == ["risks.Briefing.error"]


def test_the_builder_refuses_notes_over_the_limit(analyst_client):
    response = analyst_client.post("/scenarios/new/", builder_data(notes="x" * (NOTES_MAX_LENGTH + 1)))
    assert response.status_code == 200 and "at most 5000 characters" in response.content.decode()
    assert not Scenario.objects.exists()


def test_the_database_refuses_notes_over_the_limit_whatever_writes_them(analyst):
    with pytest.raises(IntegrityError), transaction.atomic():
        Scenario.objects.create(name="Long", owner=analyst, mode=ContributionMode.objects.get(code="individual"),
                                notes="x" * (NOTES_MAX_LENGTH + 1))


def test_an_account_at_its_quota_is_told_so_and_creates_nothing(analyst_client, analyst, settings):
    settings.SCENARIO_QUOTA = 2
    mode = ContributionMode.objects.get(code="individual")
    first, _second = (Scenario.objects.create(name=f"Mine {n}", owner=analyst, mode=mode) for n in range(2))
    response = analyst_client.post("/scenarios/new/", builder_data())
    assert response.status_code == 200 and "You already have 2 scenarios" in response.content.decode()
    response = analyst_client.post(f"/scenarios/{first.pk}/duplicate/", follow=True)
    assert "You already have 2 scenarios" in response.content.decode()
    assert Scenario.objects.filter(owner=analyst).count() == 2
    assert "You already have 2 scenarios" in analyst_client.get("/scenarios/new/").content.decode()


def test_below_the_quota_a_scenario_is_created(analyst_client, settings):
    settings.SCENARIO_QUOTA = 1
    assert analyst_client.post("/scenarios/new/", builder_data()).status_code == 302


def test_the_scenario_list_is_paginated_and_never_loads_notes_or_results_tables(analyst_client, analyst):
    mode = ContributionMode.objects.get(code="individual")
    Scenario.objects.bulk_create([Scenario(name=f"Scenario {n:02d}", owner=analyst, mode=mode, notes="n" * 5000)
                                  for n in range(51)])
    with CaptureQueriesContext(connection) as queries:
        first = analyst_client.get("/scenarios/").content.decode()
    assert first.count('name="pick"') == 50 and "Page 1 of 2" in first
    assert analyst_client.get("/scenarios/?page=2").content.decode().count('name="pick"') == 1
    assert analyst_client.get("/scenarios/?page=junk").status_code == 200
    sql = " ".join(q["sql"] for q in queries.captured_queries if "risks_scenario" in q["sql"])
    assert '"notes"' not in sql and '"options"' not in sql and '"category_weights"' not in sql
    assert len(queries.captured_queries) < 12


def test_a_mission_note_over_the_limit_is_refused_in_the_admin(client, django_user_model):
    from tests.conftest import make_user

    client.force_login(make_user(django_user_model, "curator"))
    mission = Mission.objects.get(acronym="MINURSO")
    page = client.get(f"/admin/missions/mission/{mission.pk}/change/")
    assert 'maxlength="5000"' in page.content.decode()
    assert MandateFunction._meta.get_field("description").max_length == 5000


def test_a_grouping_over_the_row_cap_is_refused_with_a_clear_400(analyst_client):
    response = analyst_client.get("/api/deployments/", {"group_by": "month,mission,country,personnel_type"})
    assert response.status_code == 400
    assert "more than 20,000 rows" in response.json()["detail"] and "narrow it" in response.json()["detail"]


def test_the_refusal_is_json_even_when_csv_was_asked_for(analyst_client):
    response = analyst_client.get("/api/deployments/", {"group_by": "month,mission,country,personnel_type",
                                                        "format": "csv"})
    assert response.status_code == 400 and response["Content-Type"].startswith("application/json")
    assert "narrow it" in response.json()["detail"]


def test_the_cap_counts_groups_exactly(analyst_client, settings):
    months = len(analyst_client.get("/api/deployments/", {"country": "MEX", "group_by": "month"}).json())
    settings.DEPLOYMENTS_MAX_ROWS = months
    assert analyst_client.get("/api/deployments/", {"country": "MEX", "group_by": "month"}).status_code == 200
    settings.DEPLOYMENTS_MAX_ROWS = months - 1
    assert analyst_client.get("/api/deployments/", {"country": "MEX", "group_by": "month"}).status_code == 400


def test_deployments_as_csv_are_streamed_row_by_row(analyst_client):
    response = analyst_client.get("/api/deployments/", {"country": "MEX", "group_by": "month", "format": "csv"})
    assert response.streaming and response["Content-Type"].startswith("text/csv")
    lines = b"".join(response.streaming_content).decode().splitlines()
    assert lines[0] == "month,total,male,female" and len(lines) > 100


def test_a_heavy_query_is_stopped_by_the_statement_timeout_on_postgresql(analyst_client, settings):
    if connection.vendor != "postgresql":
        pytest.skip("statement_timeout is PostgreSQL's: run with DATABASE_URL")
    settings.API_STATEMENT_TIMEOUT_MS = 1
    response = analyst_client.get("/api/deployments/", {"group_by": "month,country"})
    assert response.status_code == 400 and "took more than 0.001 s" in response.json()["detail"]
    settings.API_STATEMENT_TIMEOUT_MS = 10000
    assert analyst_client.get("/api/deployments/", {"country": "MEX"}).status_code == 200
