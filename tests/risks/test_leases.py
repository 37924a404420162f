"""Issue 25, F6: a worker killed mid-recomputation left its task's record at PROGRESS, and the
sweeper said "already queued or running" every minute for 15 minutes. Running work holds a lease
its worker renews; the sweeper and a starting worker ask the leases instead."""

import uuid
from datetime import timedelta

import pytest
from celery import signals
from django.utils import timezone
from django_celery_results.models import TaskResult

from missions.models import MandateFunction, Mission
from risks import failures, heartbeat, leases, services, tasks
from risks.models import ContributionMode, Lease, Scenario

pytestmark = pytest.mark.django_db


def stale_scenario(owner) -> Scenario:
    scenario = Scenario.objects.create(name="Left stale", owner=owner,
                                       mode=ContributionMode.objects.get(code="individual"))
    scenario.missions.set(Mission.objects.filter(acronym="MINURSO"))
    scenario.functions.set(MandateFunction.objects.filter(code="ceasefire_monitoring"))
    return scenario


def left_running(seconds_left: float | None) -> str:
    """A recompute_many record a worker left at PROGRESS a minute ago, and its lease: lapsed
    (negative), alive (positive) or none (None)."""
    task_id = str(uuid.uuid4())
    TaskResult.objects.create(task_id=task_id, task_name="risks.tasks.recompute_many", status="PROGRESS",
                              result='{"done": 14, "total": 40}')
    TaskResult.objects.filter(task_id=task_id).update(date_done=timezone.now() - timedelta(minutes=1))
    if seconds_left is not None:
        Lease.objects.create(name=heartbeat.lease_name("risks.tasks.recompute_many", task_id), holder="x",
                             expires_at=timezone.now() + timedelta(seconds=seconds_left))
    return task_id


@pytest.fixture
def sweeper(monkeypatch):
    queued: list[list[int]] = []
    monkeypatch.setattr(tasks, "queue_length", lambda: 0)
    monkeypatch.setattr(services, "grid_outdated", lambda: False)
    monkeypatch.setattr(tasks.recompute_many, "delay", lambda ids: queued.append(ids))
    return queued


def test_a_killed_workers_task_does_not_block_the_sweeper(analyst, sweeper):
    scenario = stale_scenario(analyst)
    left_running(seconds_left=-1)  # its worker was killed: nobody renewed the lease
    assert tasks.sweep_stale() == "queued 1 scenarios" and sweeper == [[scenario.pk]]


def test_a_killed_worker_that_never_took_a_lease_does_not_block_it_either(analyst, sweeper):
    scenario = stale_scenario(analyst)
    left_running(seconds_left=None)
    assert tasks.sweep_stale() == "queued 1 scenarios" and sweeper == [[scenario.pk]]


def test_a_live_recomputation_still_holds_the_sweeper_back(analyst, sweeper):
    stale_scenario(analyst)
    left_running(seconds_left=30)
    assert tasks.sweep_stale() == "a recomputation is already queued or running" and sweeper == []


def test_a_starting_worker_marks_tasks_left_running_by_a_dead_worker_as_failed(analyst):
    lost, no_lease, alive = left_running(-1), left_running(None), left_running(30)
    signals.worker_ready.send(sender=None)
    status = dict(TaskResult.objects.values_list("task_id", "status"))
    assert status[lost] == status[no_lease] == "FAILURE" and status[alive] == "PROGRESS"
    assert "WorkerLostError" in TaskResult.objects.get(task_id=lost).result
    assert not Lease.objects.filter(expires_at__lte=timezone.now()).exists()  # lapsed leases forgotten
    body = pytest.importorskip("django.test").Client()
    body.force_login(analyst)
    assert body.get(f"/tasks/{lost}/").json()["state"] == "FAILURE"  # no page polls it forever


def test_a_running_task_holds_its_lease_and_releases_it(analyst, monkeypatch):
    scenario = stale_scenario(analyst)
    seen: list[bool] = []
    real = failures.recompute_or_record

    def watching(scenario_id):
        seen.append(services.recomputation_in_flight())
        return real(scenario_id)

    monkeypatch.setattr(failures, "recompute_or_record", watching)
    assert tasks.recompute_many.delay([scenario.pk]).get()["updated"] == 1
    assert seen == [True] and not services.recomputation_in_flight() and not Lease.objects.exists()


def test_a_lease_is_taken_once_renewed_by_its_holder_and_free_again_when_it_lapses(settings):
    settings.TASK_LEASE_SECONDS = 60
    token = leases.acquire("plan:1")
    assert token and leases.acquire("plan:1") is None
    Lease.objects.filter(name="plan:1").update(expires_at=timezone.now() + timedelta(seconds=1))
    assert leases.renew("plan:1", token)
    assert Lease.objects.get(name="plan:1").expires_at > timezone.now() + timedelta(seconds=50)
    assert not leases.renew("plan:1", "someone else")
    Lease.objects.filter(name="plan:1").update(expires_at=timezone.now() - timedelta(seconds=1))  # holder died
    again = leases.acquire("plan:1")
    assert again and again != token and not leases.renew("plan:1", token)
    leases.release("plan:1", again)
    assert not Lease.objects.exists()


def test_a_second_computation_waits_for_the_first_instead_of_being_dropped():
    # Another worker holds the plan for half a second more (then releases it, or dies).
    Lease.objects.create(name="plan:7", holder="another worker", expires_at=timezone.now() + timedelta(seconds=0.5))
    assert leases.acquire("plan:7") is None  # not waiting: busy
    token = leases.acquire("plan:7", wait=5)
    assert token and Lease.objects.get(name="plan:7").holder == token
    # The holder itself never waits for its own lease (a nested call would wait for itself).
    assert leases.acquire("plan:7", wait=5) is None
    leases.release("plan:7", token)
