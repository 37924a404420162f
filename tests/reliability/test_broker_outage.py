"""The broker (Redis) is down: saves still work, pages keep the last results and say a
recomputation is pending, and the sweeper queues the work once the broker is back."""

import socket
import time

import pytest
from celery import shared_task
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse

from missions.models import MandateFunction, Mission
from risks import services, tasks
from risks.models import ContributionMode, Factor, GridRun, Scenario, ScenarioResult
from tests.conftest import make_user
from tests.workers import app, publishing_to, start_worker, wait_for

DEAD_BROKER = "redis://127.0.0.1:6390/0"  # nothing listens there


@pytest.fixture
def broker_down():
    with socket.socket() as probe:
        if probe.connect_ex(("127.0.0.1", 6390)) == 0:
            pytest.skip("something listens on 127.0.0.1:6390, the port this test uses as a dead broker")
    with publishing_to(DEAD_BROKER):
        yield


def computed_scenario(owner) -> Scenario:
    scenario = Scenario.objects.create(name="Outage", owner=owner, mode=ContributionMode.objects.get(code="individual"))
    scenario.missions.set(Mission.objects.filter(acronym__in=["MINURSO", "UNMOGIP"]))
    scenario.functions.set(MandateFunction.objects.filter(code="ceasefire_monitoring"))
    services.recompute_scenario(scenario.pk)
    return scenario


def form_data(*forms_and_formsets) -> dict:
    """What a browser posts back from these forms (and formsets) left as they were rendered."""
    data = {}
    forms = []
    for item in forms_and_formsets:
        if hasattr(item, "management_form"):
            management = item.management_form
            data.update({management.add_prefix(n): management[n].value() for n in management.fields})
            forms += item.forms
        else:
            forms.append(item)
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            if value is None or value is False:
                continue
            key = form.add_prefix(name)
            data[key] = "on" if value is True else [str(v) for v in value] if isinstance(value, list | tuple) else value
    return data


def admin_form_data(page) -> dict:
    return form_data(page.context["adminform"].form, *(inline.formset for inline in page.context["inline_admin_formsets"]))


def test_a_task_module_imported_after_the_broker_was_switched_is_still_registered():
    """publishing_to() once dropped the app from Celery's active apps, so a later test that first
    imported missions.tasks failed with NotRegistered: missions.tasks.preview_release."""
    assert app.tasks  # finalized, as it is once any task ran
    with publishing_to(DEAD_BROKER):
        pass

    @shared_task(name="tests.reliability.imported_later")
    def imported_later() -> str:
        return "ran"

    assert "tests.reliability.imported_later" in app.tasks


@pytest.mark.django_db
def test_saves_succeed_quickly_and_pages_keep_the_last_result_while_the_broker_is_down(
        broker_down, client, django_user_model, django_capture_on_commit_callbacks, caplog):
    curator = make_user(django_user_model, "superuser")
    scenario = computed_scenario(curator)
    last = ScenarioResult.objects.get(scenario=scenario)
    client.force_login(curator)

    # A curator changes a factor in the admin.
    factor = Factor.objects.get(code="human_rights_violations")
    url = reverse("admin:risks_factor_change", args=[factor.pk])
    data = admin_form_data(client.get(url))
    data["likelihood_mode"] = likelihood = round((factor.likelihood_low + factor.likelihood_high) / 2, 3)
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        saved = client.post(url, data)
    assert saved.status_code == 302, saved.context["adminform"].form.errors if saved.context else saved
    assert time.monotonic() - started < 10
    factor.refresh_from_db()
    assert factor.likelihood_mode == pytest.approx(likelihood)
    assert "broker unreachable" in caplog.text

    # The last result is still there, marked stale, and the page says a recomputation is pending.
    result = ScenarioResult.objects.get(scenario=scenario)
    assert result.is_stale and result.fingerprint == last.fingerprint
    page = client.get(scenario.get_absolute_url()).content.decode()
    assert "a recomputation is pending" in page
    assert f"{last.net:.3f}" in page

    # An analyst-facing save (the scenario builder) works too and says what happened.
    edit = reverse("risks:edit", args=[scenario.pk])
    data = form_data(client.get(edit).context["form"])
    data["size"] = "40"
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(edit, data, follow=True)
    assert page.status_code == 200
    assert time.monotonic() - started < 10
    assert Scenario.objects.get(pk=scenario.pk).size == 40
    assert "The task queue cannot be reached right now" in page.content.decode()
    assert "a recomputation is pending" in page.content.decode()
    assert client.get(reverse("risks:explorer")).status_code == 200


@pytest.mark.django_db
def test_recompute_scores_stale_refreshes_only_what_is_stale(django_user_model, capsys):
    owner = make_user(django_user_model, "analyst")
    fresh, stale = computed_scenario(owner), computed_scenario(owner)
    services.mark_stale([stale.pk])
    GridRun.objects.all().delete()

    call_command("recompute_scores", "--stale")

    out = capsys.readouterr().out
    assert "option grid:" in out and "'updated': 1" in out
    assert not ScenarioResult.objects.filter(scenario__in=[fresh, stale], is_stale=True).exists()
    assert not services.grid_outdated()
    call_command("recompute_scores", "--stale")
    assert "nothing stale" in capsys.readouterr().out


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_once_the_broker_is_back_the_sweeper_queues_what_was_left_and_a_worker_refreshes_it(
        workers, django_user_model):
    scenario = computed_scenario(make_user(django_user_model, "analyst"))
    last = ScenarioResult.objects.get(scenario=scenario)
    with publishing_to(DEAD_BROKER):  # what an admin save does, while the broker is down
        with transaction.atomic():
            Factor.objects.filter(code="human_rights_violations").update(likelihood_mode=0.25)
            services.inputs_changed()
    assert ScenarioResult.objects.get(scenario=scenario).is_stale
    assert tasks.queue_length() == 0  # nothing reached the queue

    assert tasks.sweep_stale() == "queued the grid and 1 scenarios"
    assert tasks.sweep_stale() == "a recomputation is already queued or running"  # no pile-up
    workers.append(start_worker())
    assert wait_for(lambda: not ScenarioResult.objects.get(scenario=scenario).is_stale, 60)
    assert wait_for(lambda: not services.grid_outdated(), 60)
    result = ScenarioResult.objects.get(scenario=scenario)
    assert result.fingerprint != last.fingerprint
    assert result.fingerprint == services.read_inputs(services.scenario_parameters(scenario)).fingerprint
    assert wait_for(lambda: tasks.sweep_stale() == "nothing stale", 30)
