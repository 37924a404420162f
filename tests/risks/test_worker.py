"""End to end through a real Celery worker and Redis: the production path, not eager mode.

Needs PostgreSQL (the worker is another process and must see the test database) and Redis at
TEST_REDIS_URL (default redis://127.0.0.1:6379/15). CI provides both.
"""

import time

import pytest
from django.db import connection

from missions.models import MandateFunction, Mission
from risks import services, tasks
from risks.models import ContributionMode, Factor, Scenario, ScenarioResult
from tests.conftest import reload_real_data
from tests.workers import close_other_connections, publishing_to, purge, start_worker, stop_worker, wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def live_worker():
    if connection.vendor != "postgresql":
        pytest.skip("a worker process needs a database it can share: run with DATABASE_URL (PostgreSQL)")
    reload_real_data()
    with publishing_to():
        purge()
        worker = start_worker()
        try:
            yield worker
        finally:
            stop_worker(worker)
            purge()  # what the edits queued and the stopped worker never took
            close_other_connections()


def computed_scenario(owner) -> tuple[Scenario, ScenarioResult]:
    """Observers in two missions, computed by the worker; returns the scenario and its result."""
    scenario = Scenario.objects.create(name="Worker path", owner=owner, mode=ContributionMode.objects.get(code="individual"))
    scenario.missions.set(Mission.objects.filter(acronym__in=["MINURSO", "UNMOGIP"]))
    scenario.functions.set(MandateFunction.objects.filter(code="ceasefire_monitoring"))
    assert tasks.recompute_scenario.delay(scenario.pk).get(timeout=60) == "updated"
    return scenario, ScenarioResult.objects.get(scenario=scenario)


def test_a_real_worker_recomputes_a_scenario_and_refreshes_it_after_an_edit(live_worker, django_user_model):
    scenario, first = computed_scenario(django_user_model.objects.create_user("worker-analyst", password="x-test-only"))
    assert not first.is_stale

    # What saving a factor in the admin does: stale now, fresh again once the worker is done.
    Factor.objects.filter(code="human_rights_violations").update(likelihood_mode=0.25)
    started = time.monotonic()
    services.inputs_changed()
    current = ScenarioResult.objects.get(scenario=scenario)
    assert current.is_stale or current.fingerprint != first.fingerprint  # stale, unless the worker was quicker
    assert wait_for(lambda: not ScenarioResult.objects.get(scenario=scenario).is_stale, 30)
    refreshed = ScenarioResult.objects.get(scenario=scenario)
    assert refreshed.fingerprint != first.fingerprint
    assert time.monotonic() - started < 30


def test_the_grid_fans_out_in_chunks_to_the_worker(live_worker):
    result = tasks.recompute_grid_async(chunk_missions=40)
    assert result.get(timeout=120) > 1000
    assert services.current_grid()["rank"].notna().any()


def test_a_curator_edits_a_factor_in_the_admin_and_the_worker_refreshes_the_results(live_worker, client,
                                                                                     django_user_model):
    from tests.security.test_edit_conflicts import admin_post_data

    scenario, before = computed_scenario(
        django_user_model.objects.create_user("admin-path-analyst", password="x-test-only"))

    client.force_login(django_user_model.objects.create_superuser("admin-path-curator", password="x-test-only"))
    factor = Factor.objects.get(code="human_rights_violations")
    url = f"/admin/risks/factor/{factor.pk}/change/"
    data = admin_post_data(client.get(url))
    started = time.monotonic()
    response = client.post(url, {**data, "likelihood_mode": "0.35"})
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else response

    # Stale from the commit until the worker is done (a fast worker may already be done here).
    assert wait_for(lambda: ScenarioResult.objects.filter(scenario=scenario, is_stale=False)
                    .exclude(fingerprint=before.fingerprint).exists(), 30)
    after = ScenarioResult.objects.get(scenario=scenario)
    assert after.computed_at > before.computed_at
    assert time.monotonic() - started < 30
