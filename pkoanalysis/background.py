"""The embedded default's worker: without a broker, what a save queues runs in one background
thread of the web process, after the response, one job after another (as a single Celery worker
would), instead of holding the curator's request for the whole recomputation.

`after_commit(job)` registers `job` to run once the transaction commits: in that thread when
settings.RECOMPUTE_IN_THREAD is on (the default without a broker), else at once (with a broker,
the job only publishes tasks; tests run it inline so they can read its results). Until a job
finishes, the results it recomputes are marked stale, and pages say so, as with a broker.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable

from django.conf import settings
from django.db import close_old_connections, connections, transaction

log = logging.getLogger(__name__)

_jobs: queue.Queue[tuple[str, Callable[[], object]]] = queue.Queue()
_worker: threading.Thread | None = None
_lock = threading.Lock()


def after_commit(job: Callable[[], object], name: str) -> None:
    """Run job() after the current transaction commits: in the background thread, or inline."""
    if settings.RECOMPUTE_IN_THREAD:
        transaction.on_commit(lambda: submit(job, name))
    else:
        transaction.on_commit(job)


def submit(job: Callable[[], object], name: str) -> None:
    global _worker
    with _lock:
        if _worker is None or not _worker.is_alive():
            _worker = threading.Thread(target=work, name="pko-background", daemon=True)
            _worker.start()
    _jobs.put((name, job))


def work() -> None:
    while True:
        name, job = _jobs.get()
        close_old_connections()
        started = time.monotonic()
        try:
            job()
            log.info("background job %s done in %.1f s", name, time.monotonic() - started)
        except Exception:  # noqa: BLE001 - a thread has no caller: log it; the results stay stale
            log.exception("background job %s failed; its results stay stale until a recomputation", name)
        finally:
            connections.close_all()  # this thread's own connections (SQLite: release the file)
            _jobs.task_done()


def idle(timeout: float = 60.0) -> bool:
    """Wait until every submitted job is done (tests, the edit benchmark). False on timeout."""
    deadline = time.monotonic() + timeout
    while _jobs.unfinished_tasks:
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True
