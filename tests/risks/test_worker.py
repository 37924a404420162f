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
            close_other_connections()


def test_a_real_worker_recomputes_a_scenario_and_refreshes_it_after_an_edit(live_worker, django_user_model):
    owner = django_user_model.objects.create_user("worker-analyst", password="x-test-only")
    scenario = Scenario.objects.create(name="Worker path", owner=owner, mode=ContributionMode.objects.get(code="individual"))
    scenario.missions.set(Mission.objects.filter(acronym__in=["MINURSO", "UNMOGIP"]))
    scenario.functions.set(MandateFunction.objects.filter(code="ceasefire_monitoring"))

    assert tasks.recompute_scenario.delay(scenario.pk).get(timeout=60) == "updated"
    first = ScenarioResult.objects.get(scenario=scenario)
    assert not first.is_stale

    # What saving a factor in the admin does: stale now, fresh again once the worker is done.
    Factor.objects.filter(code="personnel_fatalities").update(likelihood_mode=0.25)
    started = time.monotonic()
    services.inputs_changed()
    assert ScenarioResult.objects.get(scenario=scenario).is_stale
    assert wait_for(lambda: not ScenarioResult.objects.get(scenario=scenario).is_stale, 30)
    refreshed = ScenarioResult.objects.get(scenario=scenario)
    assert refreshed.fingerprint != first.fingerprint
    assert time.monotonic() - started < 30


def test_the_grid_fans_out_in_chunks_to_the_worker(live_worker):
    result = tasks.recompute_grid_async(chunk_missions=40)
    assert result.get(timeout=120) > 1000
    assert services.current_grid()["rank"].notna().any()
