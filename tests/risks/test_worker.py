"""End to end through a real Celery worker and Redis: the production path, not eager mode.

Needs PostgreSQL (the worker is another process and must see the test database) and Redis at
TEST_REDIS_URL (default redis://127.0.0.1:6379/15). CI provides both.
"""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.db import connection

from missions.models import MandateFunction, Mission
from pkoanalysis.celery import app
from risks import services, tasks
from risks.models import ContributionMode, Factor, Scenario, ScenarioResult
from tests.conftest import reload_real_data

ROOT = Path(__file__).resolve().parents[2]
BROKER = os.getenv("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def live_worker():
    if connection.vendor != "postgresql":
        pytest.skip("a worker process needs a database it can share: run with DATABASE_URL (PostgreSQL)")
    reload_real_data()
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "CELERY_BROKER_URL": BROKER,
    }
    name = f"test-{uuid.uuid4().hex[:8]}@%h"
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "pkoanalysis", "worker", "-P", "solo", "-n", name,
         "--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "warning"],
        cwd=ROOT, env=env,
    )
    saved = {key: app.conf[key] for key in ("task_always_eager", "broker_url")}
    app.conf.update(task_always_eager=False, broker_url=BROKER)
    reset_connections()
    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=3)
            app.control.purge(connection=conn)
        deadline = time.monotonic() + 30
        while not app.control.ping(timeout=0.5, destination=[name.replace("%h", os.uname().nodename)]):
            assert worker.poll() is None, "the worker exited"
            assert time.monotonic() < deadline, "the worker did not answer within 30 s"
        yield worker
    finally:
        app.conf.update(**saved)
        reset_connections()
        worker.terminate()
        worker.wait(timeout=20)
        # Close anything the worker left open, so the test database can be dropped afterwards.
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                           "WHERE datname = current_database() AND pid <> pg_backend_pid()")


def reset_connections() -> None:
    """Drop pooled broker connections made under the eager settings of earlier tests."""
    app.close()
    app._pool = None
    app.amqp._producer_pool = None


def wait_for(condition, seconds: float = 30.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


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
