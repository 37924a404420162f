"""Rendered fragments are cached (the scenario page's results, the explorer's body): a cached
fragment never outlives its result, never crosses languages or roles, and errors are not cached."""

import pytest
from django.test import Client

from missions.models import Mission
from risks import services
from risks.models import ContributionMode, Scenario
from tests.conftest import make_user
from tests.risks.test_pages import builder_data


@pytest.fixture
def scenario(analyst_client):
    assert analyst_client.post("/scenarios/new/", builder_data(name="Cached")).status_code == 302
    return Scenario.objects.get(name="Cached")


@pytest.mark.django_db
def test_a_recomputed_result_replaces_the_cached_fragment(analyst_client, scenario):
    url = scenario.get_absolute_url()
    old_value = f'<span class="value">{scenario.result.expected_fatalities:.3f}</span>'
    assert old_value in analyst_client.get(url).content.decode()
    scenario.size = 40  # four times the people: more expected fatalities
    scenario.save()
    services.recompute_scenario(scenario.pk)
    scenario.refresh_from_db()
    new_value = f'<span class="value">{scenario.result.expected_fatalities:.3f}</span>'
    assert new_value != old_value
    after = analyst_client.get(url).content.decode()
    assert new_value in after and old_value not in after


@pytest.mark.django_db
def test_the_fragment_is_cached_per_language_and_per_role(analyst_client, django_user_model):
    data = builder_data(name="Contingent", mode=ContributionMode.objects.get(code="national_contingent").pk, size=150,
                        missions=[Mission.objects.get(acronym=a).pk for a in ("UNMOGIP", "UNFICYP")])
    assert analyst_client.post("/scenarios/new/", data).status_code == 302
    url = Scenario.objects.get(name="Contingent").get_absolute_url()
    english = analyst_client.get(url).content.decode()
    spanish = analyst_client.get(url, HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Smallest change that improves the verdict" in english and "Build it" in english
    assert "El menor cambio que mejora el veredicto" in spanish and "Smallest change" not in spanish
    consultant = Client()
    consultant.force_login(make_user(django_user_model, "consultant"))
    html = consultant.get(url).content.decode()  # after the analyst's visit filled the cache
    assert "Smallest change that improves the verdict" in html and "Build it" not in html


@pytest.mark.django_db
def test_explorer_errors_are_not_cached_and_filters_are(analyst_client):
    bad = analyst_client.get("/scenarios/explorer/", {"mode": "mercenaries"})
    assert bad.status_code == 400 and "mercenaries" in bad.content.decode()
    worse = analyst_client.get("/scenarios/explorer/", {"mode": "pirates"})
    assert worse.status_code == 400 and "pirates" in worse.content.decode()
    national = analyst_client.get("/scenarios/explorer/", {"mode": "national_contingent", "feasibility": "conditional"})
    individual = analyst_client.get("/scenarios/explorer/", {"mode": "individual", "feasibility": "conditional"})
    assert national.content != individual.content
    again = analyst_client.get("/scenarios/explorer/", {"mode": "national_contingent", "feasibility": "conditional"})
    assert again.content.decode().split("csrfmiddlewaretoken")[0] == national.content.decode().split(
        "csrfmiddlewaretoken")[0]


@pytest.mark.django_db
def test_the_lazy_view_names_every_key_the_scenario_view_builds(scenario):
    from risks.scenario_page import VIEW_KEYS, lazy_view, scenario_view

    assert set(scenario_view(scenario.result)) == set(VIEW_KEYS)
    lazy = lazy_view(scenario.result)
    assert lazy["chosen"]() == scenario_view(scenario.result)["chosen"]
