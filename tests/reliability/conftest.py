import pytest
from django.db import connection

from tests.conftest import reload_real_data
from tests.workers import close_other_connections, publishing_to, purge, stop_worker


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
