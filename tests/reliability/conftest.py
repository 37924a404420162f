from pathlib import Path

import pytest
from django.db import connection

from tests.conftest import reload_real_data
from tests.workers import close_other_connections, publishing_to, purge, stop_worker

HERE = Path(__file__).parent


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist reads the groups (--dist loadgroup)
def pytest_collection_modifyitems(items):
    """These tests start nginx, gunicorn and PostgreSQL clusters on ports they probe for, stop
    Redis connections and time recoveries: one xdist worker runs them all, one after another,
    while the other workers share out the rest of the suite."""
    for item in items:
        if HERE in item.path.parents:
            item.add_marker(pytest.mark.xdist_group("reliability"))


@pytest.fixture
def workers():
    """Publishing to the test Redis; tests append the workers they start, stopped afterwards."""
    if connection.vendor != "postgresql":
        pytest.skip("a worker process needs a database it can share: run with DATABASE_URL (PostgreSQL)")
    reload_real_data()
    started = []
    with publishing_to():
        purge()
        try:
            yield started
        finally:
            for worker in started:
                stop_worker(worker)
            purge()
            close_other_connections()
