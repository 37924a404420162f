"""Real Celery workers for tests: a worker process against Redis and the test PostgreSQL database.

The test process publishes to BROKER (not eagerly); the worker, another process, sees only what
the test committed, so tests that use one are transactional.
"""

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.db import connection

from pkoanalysis.celery import app

ROOT = Path(__file__).resolve().parents[1]
BROKER = os.getenv("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


WORKER_APPLICATION = "pko-test-worker"  # how the workers' database connections are named


def database_url() -> str:
    db = connection.settings_dict
    return (f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
            f"?application_name={WORKER_APPLICATION}")


@contextmanager
def publishing_to(broker: str = BROKER) -> Iterator[None]:
    """Publish tasks to `broker` instead of running them eagerly; restore afterwards."""
    saved = {key: app.conf[key] for key in ("task_always_eager", "broker_url")}
    app.conf.update(task_always_eager=False, broker_url=broker)
    reset_connections()
    try:
        yield
    finally:
        app.conf.update(**saved)
        reset_connections()


def purge() -> None:
    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=3)
        app.control.purge(connection=conn)


def reset_connections() -> None:
    """Drop pooled broker connections made under earlier settings.

    Not `app.close()`: it also takes the app off Celery's list of active apps, and a module of
    @shared_task imported after that (missions.tasks, first imported by a later test) is then
    never added to the app's registry: NotRegistered. Nor closing the old pool: a producer
    still holding it would fail with "Acquire on closed pool"; dropped, it closes when collected."""
    app._pool = None
    app.amqp._producer_pool = None


def start_worker(app_module: str = "pkoanalysis", pool: str = "solo", env: dict | None = None) -> subprocess.Popen:
    """A worker on BROKER and the test database, answering pings; in its own process group
    (so a test can kill it with its pool children)."""
    name = f"test-{uuid.uuid4().hex[:8]}@%h"
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", app_module, "worker", "-P", pool, "-c", "1", "-n", name,
         "--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "warning"],
        cwd=ROOT, start_new_session=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings", "DATABASE_URL": database_url(),
             "CELERY_BROKER_URL": BROKER, **(env or {})},
    )
    deadline = time.monotonic() + 30
    while not app.control.ping(timeout=0.5, destination=[name.replace("%h", os.uname().nodename)]):
        assert worker.poll() is None, "the worker exited"
        assert time.monotonic() < deadline, "the worker did not answer within 30 s"
    return worker


def stop_worker(worker: subprocess.Popen) -> None:
    if worker.poll() is None:
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait(timeout=5)


def close_other_connections() -> None:
    """Close what workers left open, so the test database can be dropped afterwards. Only
    theirs: a live server thread of the same test session keeps its connection."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                       "WHERE datname = current_database() AND application_name = %s", [WORKER_APPLICATION])


def children(pid: int) -> list[int]:
    """Process ids whose parent is `pid` (a prefork worker's pool processes)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def wait_for(condition, seconds: float = 30.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False
