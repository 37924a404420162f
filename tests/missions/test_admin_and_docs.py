"""The admin says whose it is and what a save recomputes; the API docs lead back to the app."""

import pytest

from missions.models import Deployment, Mission
from risks.models import ContributionMode, Factor, Scenario
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client(client, django_user_model):
    client.force_login(make_user(django_user_model, "superuser"))
    return client


def test_the_admin_is_branded_and_links_back_to_the_dashboard(superuser_client):
    html = superuser_client.get("/admin/").content.decode()
    assert "pkoanalysis: curate the data and the risk model" in html
    assert "Django administration" not in html
    assert '<a href="/">View site</a>' in html


def test_forms_and_lists_whose_saves_recompute_results_say_so(superuser_client, analyst):
    mission = Mission.objects.get(acronym="MINURSO")
    assert "its options in the option grid, and the scenarios and plans that include it" in \
        superuser_client.get(f"/admin/missions/mission/{mission.pk}/change/").content.decode()
    for url in (f"/admin/risks/factor/{Factor.objects.first().pk}/change/",
                "/admin/risks/factor/", "/admin/risks/contributionmode/"):
        assert "every scenario&#x27;s result and the option grid are marked stale" in \
            superuser_client.get(url).content.decode(), url
    scenario = Scenario.objects.create(name="Noted", owner=analyst, mode=ContributionMode.objects.get(code="individual"))
    assert "recomputes this scenario&#x27;s result" in \
        superuser_client.get(f"/admin/risks/scenario/{scenario.pk}/change/").content.decode()
    deployment = Deployment.objects.first()
    assert "recomputes" not in superuser_client.get(
        f"/admin/missions/deployment/{deployment.pk}/change/").content.decode()


@pytest.mark.parametrize("url", ["/api/docs/", "/api/redoc/"])
def test_the_api_docs_lead_back_to_the_dashboard(analyst_client, url):
    html = analyst_client.get(url).content.decode()
    assert '<a href="/">← Back to the dashboard</a>' in html
