"""The read API as a consultant's notebook uses it: token, JSON, CSV, role rules, bad input."""

import io

import pandas as pd
import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command


@pytest.fixture
def consultant(django_user_model):
    user = django_user_model.objects.create_user("notebook", password="a-long-test-password")
    user.groups.add(Group.objects.get(name="consultant"))
    return user


@pytest.fixture
def token(client, consultant):
    response = client.post("/api/token/", {"username": "notebook", "password": "a-long-test-password"})
    assert response.status_code == 200
    return response.json()["token"]


def get(client, url, token, **params):
    return client.get(url, params, HTTP_AUTHORIZATION=f"Token {token}")


@pytest.mark.django_db
def test_a_token_pulls_mexicos_deployments_into_pandas(client, token):
    response = get(client, "/api/deployments/", token, country="MEX", group_by="month")
    frame = pd.DataFrame(response.json())
    assert {"month", "total", "male", "female"} <= set(frame.columns)
    assert frame.loc[frame["month"] == "2025-07", "total"].item() == 20
    csv = get(client, "/api/deployments/", token, country="MEX", group_by="month,personnel_type", format="csv")
    assert csv["Content-Type"].startswith("text/csv")
    assert len(pd.read_csv(io.BytesIO(b"".join(csv.streaming_content)))) > 100  # streamed, row by row


@pytest.mark.django_db
def test_missions_filter_by_activity_region_host_and_function(client, token):
    rows = get(client, "/api/missions/", token, active="true", function="electoral_assistance").json()["results"]
    assert rows and all(r["is_active"] and "electoral_assistance" in r["functions"] for r in rows)
    cyprus = get(client, "/api/missions/", token, host="cyp").json()["results"]
    assert [r["acronym"] for r in cyprus] == ["UNFICYP"]
    minurso = get(client, "/api/missions/MINURSO/", token).json()
    assert minurso["host_country"] == "ESH"
    # the Spanish name the Spanish pages show (the UN's own), beside the English one
    assert minurso["name_es"].startswith("Misión de las Naciones Unidas para el Referéndum del Sáhara Occidental")


@pytest.mark.django_db
def test_fatalities_page_and_filter(client, token):
    body = get(client, "/api/fatalities/", token, mission="UNIFIL", year_from=2000, page_size=5).json()
    assert body["count"] > 5 and len(body["results"]) == 5
    assert all(r["mission"] == "UNIFIL" and r["incident_date"] >= "2000" for r in body["results"])


@pytest.mark.django_db
def test_factors_modes_scenarios_results_and_grid(client, token, analyst):
    from missions.models import MandateFunction, Mission
    from risks import services
    from risks.models import ContributionMode, Scenario

    assert len(get(client, "/api/modes/", token).json()) == 5
    risks = get(client, "/api/factors/", token, kind="risk").json()
    assert risks and all(f["kind"] == "risk" for f in risks)
    scenario = Scenario.objects.create(name="API scenario", owner=analyst,
                                       mode=ContributionMode.objects.get(code="individual"))
    scenario.missions.set(Mission.objects.filter(acronym="MINURSO"))
    scenario.functions.set(MandateFunction.objects.filter(code="ceasefire_monitoring"))
    services.recompute_scenario(scenario.pk)
    detail = get(client, f"/api/scenarios/{scenario.pk}/", token).json()
    assert (detail["value_of_death_musd"], detail["usd_per_point_musd"]) == (99.0, 50.0)  # the prices it was scored at
    result = get(client, f"/api/scenarios/{scenario.pk}/result/", token).json()
    options = pd.DataFrame(result["options"])
    assert options.loc[options["selected"], "mission"].tolist() == ["MINURSO"]
    call_command("recompute_scores", all=True, stdout=io.StringIO())
    grid = get(client, "/api/grid/", token, mode="private_military_company", page_size=50).json()
    assert grid["count"] > 0 and all(r["feasibility"] == "infeasible" for r in grid["results"])


@pytest.mark.django_db
@pytest.mark.parametrize("url, params", [
    ("/api/deployments/", {"group_by": "galaxy"}),
    ("/api/deployments/", {"start": "2020-99"}),
    ("/api/missions/", {"active": "maybe"}),
    ("/api/missions/", {"function": "juggling"}),
    ("/api/fatalities/", {"year_from": "ancient"}),
    ("/api/factors/", {"kind": "omen"}),
    ("/api/grid/", {"mode": "mercenaries"}),
])
def test_bad_parameters_answer_400_with_a_reason(client, token, url, params):
    response = get(client, url, token, **params)
    assert response.status_code == 400
    assert set(params) & set(response.json())


@pytest.mark.django_db
def test_anonymous_and_roleless_users_are_refused(client, django_user_model):
    assert client.get("/api/missions/").status_code == 401
    django_user_model.objects.create_user("nobody", password="a-long-test-password")
    token = client.post("/api/token/", {"username": "nobody", "password": "a-long-test-password"}).json()["token"]
    assert get(client, "/api/missions/", token).status_code == 403
    assert client.post("/api/token/", {"username": "nobody", "password": "wrong"}).status_code == 400


@pytest.mark.django_db
def test_the_schema_and_offline_docs_are_served(client, token, analyst_client):
    schema = get(client, "/api/schema/", token)
    assert schema.status_code == 200 and b"/api/deployments/" in schema.content
    docs = analyst_client.get("/api/docs/")
    html = docs.content.decode()
    assert docs.status_code == 200 and "swagger-ui" in html
    assert "cdn" not in html and "https://" not in html


@pytest.mark.django_db
def test_csv_cells_cannot_inject_formulas(client, token):
    from missions.models import Mission

    Mission.objects.filter(acronym="MINURSO").update(name="=HYPERLINK(\"http://evil\")")
    csv = get(client, "/api/missions/", token, format="csv", host="ESH").content.decode()
    assert "'=HYPERLINK" in csv


@pytest.mark.django_db
def test_the_missions_answer_is_kept_until_the_data_changes_and_is_the_same_in_csv(client, token):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from missions.models import Mission

    first = get(client, "/api/missions/", token, host="cyp").json()
    with CaptureQueriesContext(connection) as kept:
        assert get(client, "/api/missions/", token, host="cyp").json() == first
    assert not any("missions_mission" in q["sql"] and "host_country" in q["sql"] for q in kept.captured_queries)
    csv = get(client, "/api/missions/", token, host="cyp", format="csv")
    assert b"UNFICYP" in b"".join(csv.streaming_content) if csv.streaming else b"UNFICYP" in csv.content

    mission = Mission.objects.get(acronym="UNFICYP")
    mission.hq_location = "Nicosia (edited)"
    mission.save()  # a curator's edit: the data's vintage moves
    assert get(client, "/api/missions/", token, host="cyp").json()["results"][0]["hq_location"] == "Nicosia (edited)"
    assert get(client, "/api/missions/", token, host="nope!").status_code == 400
