"""Issue 25, F4 and F7: a plan's result is stored only for the parameters it was computed from,
and one recomputation of a plan runs at a time (with progress counted for that run only)."""

from unittest import mock

import pytest

from plans import services, tasks
from plans.models import Plan, PlanResult

pytestmark = pytest.mark.django_db

ASKED = {"name": "Small", "max_people": 20, "max_cost_usd": 20_000_000, "objective": "expected",
         "cvar_alpha": 0.1, "cvar_weight": 0.5}


def test_a_result_computed_for_old_limits_is_never_stored_as_fresh(analyst_client, monkeypatch):
    queued: list[list[int]] = []
    monkeypatch.setattr(tasks, "enqueue_recompute", lambda ids: queued.append(ids) or object())
    assert analyst_client.post("/plans/new/", ASKED).status_code == 302
    plan = Plan.objects.get(name="Small")
    compute = services.compute_plan

    def edited_meanwhile(p, inputs=None):
        fields = compute(p, inputs)  # computed for max_people=20 ...
        if not edited:  # ... while the analyst raises the cap (the view saves, marks stale, queues)
            edited.append(analyst_client.post(f"/plans/{plan.pk}/edit/", {**ASKED, "max_people": 40}).status_code)
        return fields

    edited: list[int] = []
    monkeypatch.setattr(services, "compute_plan", edited_meanwhile)
    tasks.recompute_plan(queued.pop(0)[0])  # the task queued by the creation, running during the edit
    assert edited == [302]
    result = PlanResult.objects.filter(plan=plan).first()
    assert result is None or result.is_stale or result.data["parameters"]["max_people"] == 40
    for ids in queued:  # the edit's own task
        tasks.recompute_plan(ids[0])
    result = PlanResult.objects.get(plan=plan)
    assert result.data["parameters"]["max_people"] == 40 and not result.is_stale
    assert services.waiting() == []


def test_two_recomputations_of_one_plan_do_not_both_run(analyst_client, monkeypatch):
    monkeypatch.setattr(tasks, "enqueue_recompute", lambda ids: object())
    assert analyst_client.post("/plans/new/", ASKED).status_code == 302
    plan = Plan.objects.get(name="Small")
    chunks = mock.Mock(side_effect=services.robustness_chunk)
    monkeypatch.setattr(services, "robustness_chunk", chunks)
    compute = services.compute_plan
    second: list[str] = []

    def duplicate_meanwhile(p, inputs=None):
        if not second:  # the same task delivered twice (queued by the save and by the signal)
            second.append("running")
            second.append(tasks.recompute_plan(plan.pk))
        return compute(p, inputs)

    monkeypatch.setattr(services, "compute_plan", duplicate_meanwhile)
    assert tasks.recompute_plan(plan.pk) == "optimal"
    assert second[-1] == "busy"
    assert plan.runs.count() == 1
    assert chunks.call_count == services.ROBUST_DRAWS // tasks.ROBUST_CHUNK  # 8 chunks, not 16
    result = PlanResult.objects.get(plan=plan)
    assert result.robust_done == result.robust_total == services.ROBUST_DRAWS
    assert result.robustness["draws"] == services.ROBUST_DRAWS


def test_progress_counts_only_the_current_run(analyst_client, monkeypatch):
    monkeypatch.setattr(tasks, "enqueue_recompute", lambda ids: object())
    monkeypatch.setattr(tasks, "robustness_async", lambda *args, **kwargs: None)  # chunks run by hand below
    assert analyst_client.post("/plans/new/", ASKED).status_code == 302
    plan = Plan.objects.get(name="Small")
    tasks.recompute_plan(plan.pk)
    old = PlanResult.objects.get(plan=plan)
    services.mark_stale([plan.pk])
    tasks.recompute_plan(plan.pk)  # a second run of the same inputs and limits
    new = PlanResult.objects.get(plan=plan)
    assert new.fingerprint == old.fingerprint and new.run_id != old.run_id
    services.robustness_chunk(plan.pk, old.fingerprint, 0, 25, run_id=old.run_id)  # a late chunk of the old run
    services.robustness_chunk(plan.pk, new.fingerprint, 0, 25, run_id=new.run_id)
    assert PlanResult.objects.get(plan=plan).robust_done == 25
