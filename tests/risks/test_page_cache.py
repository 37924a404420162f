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
    data = builder_data(name="Contingent", mode=ContributionMode.objects.get(code="national_contingent").pk, size=40,
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


# Whole pages kept per viewer (pkoanalysis.pagecache).

def csrf_token_in(html: str) -> str:
    import re

    return re.search(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]+)"', html).group(1)


@pytest.mark.django_db
def test_a_kept_page_is_served_with_fewer_queries_and_a_token_valid_in_another_session(analyst, scenario):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    first, second = Client(), Client(enforce_csrf_checks=True)
    first.force_login(analyst)
    second.force_login(analyst)
    url = scenario.get_absolute_url()
    with CaptureQueriesContext(connection) as rendered:
        html = first.get(url).content.decode()
    with CaptureQueriesContext(connection) as kept:
        again = second.get(url).content.decode()
    assert len(kept) < len(rendered) - 3
    assert "__pko_csrf_token__" not in again and csrf_token_in(again) != csrf_token_in(html)
    assert again.replace(csrf_token_in(again), "") == html.replace(csrf_token_in(html), "")
    duplicated = second.post(f"/scenarios/{scenario.pk}/duplicate/", {"csrfmiddlewaretoken": csrf_token_in(again)})
    assert duplicated.status_code == 302  # the kept page's form works in a session that never rendered it


@pytest.mark.django_db
def test_a_kept_page_follows_its_result_and_briefings_and_is_never_served_to_another_viewer(
        analyst_client, scenario, django_user_model):
    from risks.models import Briefing, ScenarioResult

    url = scenario.get_absolute_url()
    assert "These results are stale." not in analyst_client.get(url).content.decode()
    ScenarioResult.objects.filter(scenario=scenario).update(is_stale=True)  # no signal: a bulk update
    assert "These results are stale." in analyst_client.get(url).content.decode()
    briefing = Briefing.objects.create(scenario=scenario, format="pdf", client="Cliente Uno",
                                       created_by=scenario.owner)
    assert "Cliente Uno" in analyst_client.get(url).content.decode()
    Briefing.objects.filter(pk=briefing.pk).update(status="failed", error="kaleido went away")
    assert "kaleido went away" in analyst_client.get(url).content.decode()
    other = Client()
    other.force_login(django_user_model.objects.create_user("second-analyst", password="pw-for-tests-only"))
    other_user = django_user_model.objects.get(username="second-analyst")
    other_user.groups.set(scenario.owner.groups.all())
    html = other.get(url).content.decode()
    assert 'class="who">second-analyst<' in html and f'class="who">{scenario.owner.username}<' not in html


@pytest.mark.django_db
def test_a_page_with_a_message_is_rendered_and_shows_it(analyst_client, scenario, monkeypatch):
    from risks import tasks

    url = scenario.get_absolute_url()
    analyst_client.get(url)
    assert analyst_client.get(url).context is None  # kept
    monkeypatch.setattr(tasks, "enqueue", lambda *args, **kwargs: None)  # the queue is down: a message
    response = analyst_client.post(f"/scenarios/{scenario.pk}/recompute/", follow=True)
    assert response.context is not None and "The task queue cannot be reached" in response.content.decode()
    assert "The task queue cannot be reached" not in analyst_client.get(url).content.decode()  # shown once


@pytest.mark.django_db
def test_a_failed_computation_is_never_served_from_a_kept_page(analyst_client, scenario):
    url = scenario.get_absolute_url()
    analyst_client.get(url)
    Scenario.objects.filter(pk=scenario.pk).update(computation_error="the solver ran out of time")
    for _ in range(2):
        response = analyst_client.get(url)
        assert response.context is not None and "the solver ran out of time" in response.content.decode()


@pytest.mark.django_db
def test_a_change_of_inputs_renders_every_page_again(analyst_client):
    from django.core.cache import cache

    from pkoanalysis.pagecache import GENERATION_KEY
    from risks.inputs import bump_generation

    analyst_client.get("/scenarios/explorer/")
    before = cache.get(GENERATION_KEY)
    bump_generation()
    assert cache.get(GENERATION_KEY) == before + 1
    assert analyst_client.get("/scenarios/explorer/").context is not None  # rendered again
    assert analyst_client.get("/scenarios/explorer/").context is None  # then kept


@pytest.mark.django_db
def test_a_new_deployment_renders_kept_pages_again(analyst_client, monkeypatch):
    from pkoanalysis import pagecache

    analyst_client.get("/scenarios/explorer/")
    assert analyst_client.get("/scenarios/explorer/").context is None  # kept
    monkeypatch.setattr(pagecache, "code_version", lambda: "a-new-release")
    assert analyst_client.get("/scenarios/explorer/").context is not None


def test_the_code_version_follows_a_changed_template(tmp_path, settings):
    from pkoanalysis import pagecache

    (tmp_path / "templates").mkdir()
    page = tmp_path / "templates" / "page.html"
    page.write_text("one")
    settings.BASE_DIR = tmp_path
    pagecache.code_version.cache_clear()
    try:
        before = pagecache.code_version()
        page.write_text("two, longer")
        pagecache.code_version.cache_clear()
        assert pagecache.code_version() != before
    finally:
        pagecache.code_version.cache_clear()
