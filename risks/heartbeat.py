"""Every task holds a lease while it runs (risks.leases), renewed by a heartbeat: that, not the
result backend's "started" record, tells running work from work a killed worker left behind.

A worker process killed mid-task (SIGKILL, out of memory, the machine gone) leaves its task's
result record at STARTED or PROGRESS until the broker redelivers the message, an hour later
(the visibility timeout); its lease lapses within TASK_LEASE_SECONDS. The sweeper asks the leases
(risks.services.recomputation_in_flight), and a worker that starts marks the records whose lease
has lapsed as failed (reconcile), so no page polls them forever and the sweeper requeues their work.
"""

from __future__ import annotations

import logging
import threading

from celery import signals
from django.conf import settings
from django.db import connections
from django.utils import timezone

from risks import leases

log = logging.getLogger(__name__)
RUNNING_STATES = ("STARTED", "PROGRESS", "RETRY")
_beats: dict[str, tuple[str, threading.Event | None]] = {}


def lease_name(task_name: str, task_id: str) -> str:
    return f"task:{task_name}:{task_id}"[:100]


def beat(name: str, token: str, stop: threading.Event) -> None:
    """Renew the lease every third of its time to live until the task ends."""
    try:
        while not stop.wait(settings.TASK_LEASE_SECONDS / 3):
            try:
                leases.renew(name, token)
            except Exception:  # noqa: BLE001 - a missed beat is retried; the task goes on
                log.warning("could not renew %s", name, exc_info=True)
    finally:
        connections.close_all()  # this thread's own connections


def task_started(task_id=None, task=None, **kwargs) -> None:
    name = lease_name(task.name, task_id)
    token = leases.acquire(name)
    if token is None:
        return
    stop = None
    if not task.request.is_eager:  # in-process tasks die with their caller: nothing to watch
        stop = threading.Event()
        threading.Thread(target=beat, args=(name, token, stop), name=f"lease-{task_id}", daemon=True).start()
    _beats[task_id] = (token, stop)


def task_ended(task_id=None, task=None, **kwargs) -> None:
    token, stop = _beats.pop(task_id, (None, None))
    if stop is not None:
        stop.set()
    if token is not None:
        leases.release(lease_name(task.name, task_id), token)


def reconcile(**kwargs) -> int:
    """At worker start: task records left running whose lease has lapsed were killed with their
    worker; mark them failed (the work they did not finish stays stale, and the sweeper queues
    it). Returns how many."""
    from django_celery_results.models import TaskResult

    running = list(TaskResult.objects.filter(status__in=RUNNING_STATES).values_list("task_id", "task_name"))
    live = leases.alive(lease_name(name or "", task_id) for task_id, name in running)
    lost = [task_id for task_id, name in running if lease_name(name or "", task_id) not in live]
    if lost:
        TaskResult.objects.filter(task_id__in=lost, status__in=RUNNING_STATES).update(
            status="FAILURE", date_done=timezone.now(),
            result='{"exc_type": "WorkerLostError", "exc_message": ["its worker stopped while running it"], '
                   '"exc_module": "billiard.exceptions"}')
        log.warning("marked %d tasks left running by a stopped worker as failed: %s", len(lost), lost)
    leases.forget_lapsed()
    return len(lost)


def connect() -> None:
    signals.task_prerun.connect(task_started, dispatch_uid="risks.heartbeat.started", weak=False)
    signals.task_postrun.connect(task_ended, dispatch_uid="risks.heartbeat.ended", weak=False)
    signals.worker_ready.connect(reconcile, dispatch_uid="risks.heartbeat.reconcile", weak=False)
