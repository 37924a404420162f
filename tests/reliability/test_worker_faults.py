"""Workers killed mid-recomputation: the work runs again and the results end up complete.

Real workers against Redis and the test PostgreSQL database (see tests/workers.py), slowed
down by tests.reliability.slow_worker so the kill always lands mid-task.
"""

import os
import signal

import numpy as np
import pytest
from celery.result import AsyncResult
from django_celery_results.models import TaskResult

from missions.models import MandateFunction, Mission
from risks import services, tasks
from risks.models import ContributionMode, GridRun, Scenario, ScenarioResult
from tests.workers import children, start_worker, wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]
SLOW_WORKER = "tests.reliability.slow_worker"


def make_scenarios(django_user_model, count: int) -> list[int]:
    owner = django_user_model.objects.create_user("fault-analyst", password="x-test-only")
    individual = ContributionMode.objects.get(code="individual")
    picks = [["MINURSO", "UNMOGIP"], ["UNIFIL"], ["UNMISS", "MINUSCA"], ["UNFICYP"]]
    ids = []
    for i in range(count):
        scenario = Scenario.objects.create(name=f"Fault {i}", owner=owner, mode=individual)
        scenario.missions.set(Mission.objects.filter(acronym__in=picks[i % len(picks)]))
        scenario.functions.set(MandateFunction.objects.all())
        ids.append(scenario.pk)
    return ids


def progress(task_id: str) -> int:
    info = AsyncResult(task_id).info
    return info.get("done", 0) if isinstance(info, dict) else 0


def assert_every_result_is_fresh(scenario_ids: list[int]) -> None:
    results = {r.scenario_id: r for r in ScenarioResult.objects.filter(scenario_id__in=scenario_ids)}
    assert sorted(results) == sorted(scenario_ids)
    for scenario_id, result in results.items():
        scenario = Scenario.objects.get(pk=scenario_id)
        assert not result.is_stale
        assert result.fingerprint == services.read_inputs(services.scenario_parameters(scenario)).fingerprint
        assert len(result.options) == Mission.objects.count()


def test_a_recomputation_whose_pool_process_is_killed_runs_again_to_a_complete_result(workers, django_user_model):
    ids = make_scenarios(django_user_model, 3)
    worker = start_worker(SLOW_WORKER, pool="prefork", env={"PKO_TEST_DELAY": "1"})
    workers.append(worker)
    [first_child] = children(worker.pid)

    task = tasks.recompute_many.delay(ids)
    assert wait_for(lambda: progress(task.id) >= 1, 60), "the first scenario was never done"
    os.kill(first_child, signal.SIGKILL)  # what the OOM killer does to a pool process

    outcome = task.get(timeout=90)
    # The worker survived, started a new pool process and ran the task again from the top: the
    # scenario finished before the kill was found up to date, the others were computed.
    assert worker.poll() is None
    assert children(worker.pid) != [first_child]
    assert outcome["unchanged"] >= 1
    assert outcome["updated"] + outcome["unchanged"] == len(ids)
    assert_every_result_is_fresh(ids)


def test_the_option_grid_survives_its_whole_worker_being_killed(workers):
    first = start_worker(SLOW_WORKER, pool="prefork", env={"PKO_TEST_DELAY": "1"})
    workers.append(first)
    inputs = services.read_inputs()
    task = tasks.recompute_grid_async(chunk_missions=40)
    assert wait_for(lambda: TaskResult.objects.filter(task_name="risks.tasks.score_grid_chunk",
                                                      status="STARTED").exists(), 60)
    os.killpg(first.pid, signal.SIGKILL)  # the machine went away: worker and pool processes
    first.wait(timeout=10)

    # Another worker takes over: Redis hands it the dead worker's unacknowledged chunk once
    # the visibility timeout has passed, and the queued chunks and the merge straight away.
    workers.append(start_worker(SLOW_WORKER, pool="prefork", env={"CELERY_VISIBILITY_TIMEOUT": "6"}))
    options = task.get(timeout=90)

    [run] = GridRun.objects.all()
    assert run.fingerprint == inputs.fingerprint
    grid = services.load_grid(run)
    assert len(grid) == options
    assert not grid.duplicated(["mission", "mode", "functions"]).any()
    # The same numbers as one uninterrupted pass over the same inputs.
    expected = services.rank_grid(services.score_grid(inputs)).astype({"mission": str, "mode": str})
    both = grid.merge(expected, on=["mission", "mode", "functions"], suffixes=("", "_uninterrupted"),
                      validate="one_to_one")
    assert len(both) == len(expected) == options
    assert (both["feasibility"] == both["feasibility_uninterrupted"]).all()
    np.testing.assert_allclose(both["net"], both["net_uninterrupted"])
    np.testing.assert_array_equal(both["rank"].astype(float), both["rank_uninterrupted"].astype(float))


def test_a_killed_worker_blocks_the_sweeper_only_until_its_lease_lapses(workers, django_user_model, monkeypatch):
    """Issue 25, F6: the dead task's record stays PROGRESS for the broker's visibility timeout (an
    hour); its lease lapses within TASK_LEASE_SECONDS, and the next worker marks the record failed."""
    ids = make_scenarios(django_user_model, 4)
    lease = {"TASK_LEASE_SECONDS": "3"}
    first = start_worker(SLOW_WORKER, pool="prefork", env={"PKO_TEST_DELAY": "2", **lease})
    workers.append(first)
    monkeypatch.setattr(services, "grid_outdated", lambda: False)  # only the scenarios are at stake here
    task = tasks.recompute_many.delay(ids)
    assert wait_for(lambda: progress(task.id) >= 1, 60), "the first scenario was never done"
    assert tasks.sweep_stale() == "a recomputation is already queued or running"  # alive: renewing its lease
    os.killpg(first.pid, signal.SIGKILL)  # worker and pool process, mid-task
    first.wait(timeout=10)
    assert TaskResult.objects.get(task_id=task.id).status == "PROGRESS"

    assert wait_for(lambda: tasks.sweep_stale().startswith("queued"), 15), "the sweeper still waits for a dead task"
    workers.append(start_worker(env=lease))  # reconciles at start, then runs what the sweeper queued
    assert wait_for(lambda: TaskResult.objects.get(task_id=task.id).status == "FAILURE", 30)
    assert wait_for(lambda: not services.stale_scenarios(), 120)
    assert_every_result_is_fresh(ids)
