"""Leases: "this is being worked on", told by a row with a short time to live that its holder
renews while it works (a heartbeat). A worker killed mid-task stops renewing, so its lease lapses
within LEASE_SECONDS and the work counts as abandoned; a result backend's "started" record, by
contrast, stays "started" for as long as the broker keeps the message (an hour).

Used for one recomputation per plan or scenario at a time, and by the sweeper and a starting
worker to tell running work from lost work (risks.tasks)."""

from __future__ import annotations

import threading
import time
import uuid
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from risks.models import Lease

POLL_SECONDS = 0.25


def ttl() -> timedelta:
    return timedelta(seconds=settings.TASK_LEASE_SECONDS)


_held = threading.local()  # the leases this thread holds: waiting for one of them would wait for itself


def acquire(name: str, wait: float = 0.0) -> str | None:
    """Take the lease `name` if nobody holds it (or its holder's time ran out): its token, else
    None. With `wait`, try again for up to that many seconds while another holds it."""
    held = _held.__dict__.setdefault("names", set())
    deadline = time.monotonic() + wait
    token = take(name)
    while token is None and name not in held and time.monotonic() < deadline:
        time.sleep(POLL_SECONDS)
        token = take(name)
    if token is not None:
        held.add(name)
    return token


def take(name: str) -> str | None:
    token, now = uuid.uuid4().hex, timezone.now()
    if Lease.objects.filter(name=name, expires_at__lte=now).update(holder=token, expires_at=now + ttl()):
        return token
    try:
        with transaction.atomic():
            Lease.objects.create(name=name, holder=token, expires_at=now + ttl())
    except IntegrityError:  # held, and alive
        return None
    return token


def renew(name: str, token: str) -> bool:
    """The heartbeat: extend the lease by LEASE_SECONDS; False when it is no longer ours."""
    return bool(Lease.objects.filter(name=name, holder=token).update(expires_at=timezone.now() + ttl()))


def release(name: str, token: str) -> None:
    _held.__dict__.setdefault("names", set()).discard(name)
    Lease.objects.filter(name=name, holder=token).delete()


def alive(names) -> set[str]:
    """Which of these leases are held by a live holder now."""
    return set(Lease.objects.filter(name__in=list(names), expires_at__gt=timezone.now())
               .values_list("name", flat=True))


def any_alive(prefix: str) -> bool:
    return Lease.objects.filter(name__startswith=prefix, expires_at__gt=timezone.now()).exists()


def forget_lapsed() -> int:
    return Lease.objects.filter(expires_at__lte=timezone.now()).delete()[0]
