"""Issue 25, F4 (scenarios): a result is stored only for the parameters it was computed from:
a computation that a save overtook never overwrites the newer result, nor is stored as fresh."""

import pytest

from risks import services, tasks
from risks.models import Lease, Scenario, ScenarioResult
from tests.risks.test_pages import builder_data

pytestmark = pytest.mark.django_db


def test_a_result_for_the_old_parameters_is_never_stored_as_fresh(analyst_client, monkeypatch):
    queued: list[list[int]] = []
    monkeypatch.setattr(tasks, "enqueue", lambda task, ids: queued.append(ids) or None)
    assert analyst_client.post("/scenarios/new/", builder_data(size=10)).status_code == 302
    scenario = Scenario.objects.get(name="Observers in the Sahara and Kashmir")
    compute = services.compute_scenario
    edited: list[int] = []

    def edited_meanwhile(s, inputs=None):
        fields = compute(s, inputs)  # computed for 10 people ...
        if not edited:  # ... while the owner saves 40 (the builder marks stale and queues)
            version = analyst_client.get(f"/scenarios/{scenario.pk}/edit/").context["form"]["version"].value()
            edited.append(analyst_client.post(f"/scenarios/{scenario.pk}/edit/",
                                              builder_data(size=40, version=version)).status_code)
        return fields

    monkeypatch.setattr(services, "compute_scenario", edited_meanwhile)
    tasks.recompute_many.delay(queued.pop(0))
    assert edited == [302]
    result = ScenarioResult.objects.filter(scenario=scenario).first()
    assert result is None or result.is_stale or result.fingerprint == services.read_inputs(
        services.scenario_parameters(Scenario.objects.get(pk=scenario.pk))).fingerprint
    for ids in queued:
        tasks.recompute_many.delay(ids)
    result = ScenarioResult.objects.get(scenario=scenario)
    scenario.refresh_from_db()
    assert scenario.size == 40 and not result.is_stale
    assert result.fingerprint == services.read_inputs(services.scenario_parameters(scenario)).fingerprint
    assert services.stale_scenarios() == []


def test_a_late_task_does_not_overwrite_a_newer_result(analyst_client, monkeypatch):
    """The edit's task finishes first (on another worker); the overtaken one must not write over it."""
    monkeypatch.setattr(tasks, "enqueue", lambda task, ids: None)
    assert analyst_client.post("/scenarios/new/", builder_data(size=10)).status_code == 302
    scenario = Scenario.objects.get(name="Observers in the Sahara and Kashmir")
    compute = services.compute_scenario
    edited: list[int] = []

    def overtaken(s, inputs=None):
        fields = compute(s, inputs)
        if not edited:
            version = analyst_client.get(f"/scenarios/{scenario.pk}/edit/").context["form"]["version"].value()
            edited.append(analyst_client.post(f"/scenarios/{scenario.pk}/edit/",
                                              builder_data(size=40, version=version)).status_code)
            Lease.objects.all().delete()  # as if the slow first computation's lease had lapsed
            assert services.recompute_scenario(scenario.pk) == "updated"  # the edit's task, done first
        return fields

    monkeypatch.setattr(services, "compute_scenario", overtaken)
    assert services.recompute_scenario(scenario.pk) == "superseded"
    scenario.refresh_from_db()
    result = ScenarioResult.objects.get(scenario=scenario)
    assert not result.is_stale
    assert result.fingerprint == services.read_inputs(services.scenario_parameters(scenario)).fingerprint


def test_one_computation_per_scenario_at_a_time(analyst_client, monkeypatch):
    monkeypatch.setattr(tasks, "enqueue", lambda task, ids: None)
    assert analyst_client.post("/scenarios/new/", builder_data(size=10)).status_code == 302
    scenario = Scenario.objects.get(name="Observers in the Sahara and Kashmir")
    compute = services.compute_scenario
    second: list[str] = []

    def duplicate_meanwhile(s, inputs=None):
        if not second:
            second.append(services.recompute_scenario(scenario.pk))
        return compute(s, inputs)

    monkeypatch.setattr(services, "compute_scenario", duplicate_meanwhile)
    assert services.recompute_scenario(scenario.pk) == "updated"
    assert second == ["busy"] and not Lease.objects.exists()  # released once done
