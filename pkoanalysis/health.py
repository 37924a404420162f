"""What /healthz/ reports: the database, the cache and the broker, each on its own (issue 25 F3).

The site serves pages from the database alone, so only a database that does not answer makes the
probe fail (503); a cache or broker outage is reported as "unavailable" with 200, since pages and
saves still work (a save's recomputation is queued again by the sweeper once the broker is back).
The parts are asked at most once a second per process, the broker at most every
BROKER_CHECK_SECONDS: the probe stays cheap under load.
"""

from __future__ import annotations

import logging
import time

from django.conf import settings
from django.core.cache import caches
from django.db import DatabaseError, connection

logger = logging.getLogger(__name__)

BROKER_CHECK_SECONDS = 10.0
_broker: dict = {"at": -BROKER_CHECK_SECONDS, "state": ""}


def database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return "ok"
    except DatabaseError as exc:
        logger.warning("health: the database does not answer: %s", exc)
        return "unavailable"


def cache() -> str:
    """ok, unavailable, or local (a per-process cache: nothing to lose)."""
    backend = caches["default"]
    ping = getattr(backend, "ping", None)
    if ping is None:
        return "local" if "locmem" in type(backend).__module__ else "ok"
    return "ok" if ping() else "unavailable"


def broker() -> str:
    """ok, unavailable, or 'not used' (no broker configured: tasks run in the web process)."""
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return "not used"
    now = time.monotonic()
    if now - _broker["at"] < BROKER_CHECK_SECONDS:
        return _broker["state"]
    from kombu import Connection

    try:
        with Connection(settings.CELERY_BROKER_URL, connect_timeout=settings.CELERY_BROKER_CONNECTION_TIMEOUT,
                        transport_options=settings.CELERY_BROKER_TRANSPORT_OPTIONS) as conn:
            conn.ensure_connection(max_retries=0, timeout=settings.CELERY_BROKER_CONNECTION_TIMEOUT)
        state = "ok"
    except Exception as exc:  # kombu raises the transport's own errors (redis, amqp, socket)
        logger.warning("health: the broker does not answer: %s", exc)
        state = "unavailable"
    _broker.update(at=now, state=state)
    return state


REPORT_SECONDS = 1.0
_report: dict = {"at": -REPORT_SECONDS, "parts": {}}


def report() -> dict[str, str]:
    """The parts' states, asked at most once a second per process: under a load balancer's probes
    (or 64 connections of them) the probe costs what a trivial view does."""
    now = time.monotonic()
    if now - _report["at"] >= REPORT_SECONDS:
        _report.update(at=now, parts={"database": database(), "cache": cache(), "broker": broker()})
    return dict(_report["parts"])
