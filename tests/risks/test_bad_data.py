"""Bad data stays with its scenario: the admin refuses weights the builder would refuse, and a
scenario that fails to compute is marked failed with its reason while the others go on."""

import pytest
from django.contrib.admin.sites import site
from django.test import RequestFactory

from missions.models import MandateFunction, Mission
from risks import services, tasks
from risks.models import ContributionMode, Scenario
from tests.conftest import make_user
from tests.risks.test_pages import builder_data

pytestmark = pytest.mark.django_db


def scenario(owner, name: str, **fields) -> Scenario:
    s = Scenario.objects.create(name=name, owner=owner, mode=ContributionMode.objects.get(code="individual"), **fields)
    s.missions.set(Mission.objects.filter(acronym="MINURSO"))
    s.functions.set(MandateFunction.objects.filter(code="ceasefire_monitoring"))
    return s


def spoil(s: Scenario, weights) -> None:
    """What the admin used to let through (and data saved before this rule may still hold)."""
    Scenario.objects.filter(pk=s.pk).update(category_weights=weights)


def admin_form(user, instance, **data):
    request = RequestFactory().get("/")
    request.user = user
    model_admin = site._registry[Scenario]
    form_class = model_admin.get_form(request, instance, change=True)
    initial = {"name": instance.name, "owner": instance.owner_id, "mode": instance.mode_id, "size": 20,
               "duration_months": 12, "aggregation": "weighted_sum", "category_weights": "{}",
               "factor_weights": "{}", "strict_gates": "[]", "preset": "", "notes": "",
               "missions": [m.pk for m in instance.missions.all()], "functions": [f.pk for f in instance.functions.all()],
               "version": instance.version, "value_of_death_musd": 99, "usd_per_point_musd": 50}
    return form_class({**initial, **data}, instance=instance)


@pytest.mark.parametrize(("field", "value", "reason"), [
    ("category_weights", '{"budget": "abc"}', "must be a number from 0 to 1"),
    ("category_weights", "[1, 2, 3]", "Weights are an object"),
    ("category_weights", '{"budget": 2}', "must be a number from 0 to 1"),
    ("category_weights", '{"budget": true}', "must be a number from 0 to 1"),
    ("category_weights", '{"no_such_category": 0.5}', "is not a category code"),
    ("factor_weights", '{"no_such_factor": 0.5}', "is not a factor code"),
    ("strict_gates", '["no_such_gate"]', "list of gate codes"),
    ("strict_gates", '{"a": 1}', "list of gate codes"),
])
def test_the_admin_refuses_weights_the_builder_would_refuse(analyst, django_user_model, field, value, reason):
    curator = make_user(django_user_model, "curator")
    form = admin_form(curator, scenario(analyst, "Admin weights"), **{field: value})
    assert not form.is_valid()
    assert reason in " ".join(form.errors[field])


def test_the_admin_accepts_weights_within_the_builders_rules(analyst, django_user_model):
    curator = make_user(django_user_model, "curator")
    form = admin_form(curator, scenario(analyst, "Admin weights"), category_weights='{"budget": 0.5, "reputation": 1}',
                      strict_gates='["art_89_x"]')
    assert form.is_valid(), form.errors


def test_an_admin_post_with_bad_weights_is_answered_with_the_form_not_a_500(client, analyst, django_user_model):
    curator = make_user(django_user_model, "curator")
    s = scenario(analyst, "Posted weights")
    client.force_login(curator)
    form = admin_form(curator, s, category_weights='{"budget": "abc"}')
    response = client.post(f"/admin/risks/scenario/{s.pk}/change/", form.data)
    assert response.status_code == 200 and "must be a number from 0 to 1" in response.content.decode()


def test_one_failing_scenario_is_marked_failed_and_the_others_are_computed(analyst):
    first, bad, last = (scenario(analyst, n) for n in ("First", "Bad", "Last"))
    spoil(bad, {"budget": "abc"})
    outcome = tasks.recompute_many.delay([first.pk, bad.pk, last.pk]).get()
    assert outcome == {"updated": 2, "unchanged": 0, "missing": 0, "failed": 1}
    assert services.ScenarioResult.objects.filter(scenario__in=[first, last]).count() == 2
    bad.refresh_from_db()
    assert "ValueError" in bad.computation_error and "abc" in bad.computation_error


def test_recompute_never_answers_500_and_the_page_says_why_it_failed(analyst_client, analyst):
    bad = scenario(analyst, "Bad")
    spoil(bad, [1, 2, 3])
    response = analyst_client.post(f"/scenarios/{bad.pk}/recompute/")
    assert response.status_code == 302
    page = analyst_client.get(bad.get_absolute_url())
    assert page.status_code == 200
    assert "The last computation of this scenario failed: AttributeError" in page.content.decode()
    listing = analyst_client.get("/scenarios/").content.decode()
    assert "computation failed" in listing


def test_a_scenario_with_bad_stored_weights_can_still_be_opened_and_fixed_in_the_builder(analyst_client, analyst):
    bad = scenario(analyst, "Bad")
    spoil(bad, {"budget": "abc"})
    tasks.recompute_many.delay([bad.pk])
    form = analyst_client.get(f"/scenarios/{bad.pk}/edit/")
    assert form.status_code == 200
    data = builder_data(name="Fixed", version=Scenario.objects.get(pk=bad.pk).version)
    assert analyst_client.post(f"/scenarios/{bad.pk}/edit/", data).status_code == 302
    bad.refresh_from_db()
    assert bad.computation_error == "" and services.ScenarioResult.objects.filter(scenario=bad).exists()


def test_the_sweeper_leaves_a_failed_scenario_for_a_save_instead_of_failing_every_minute(analyst, monkeypatch):
    good, bad = scenario(analyst, "Good"), scenario(analyst, "Bad")
    spoil(bad, {"budget": "abc"})
    tasks.recompute_many.delay([bad.pk])
    queued = []
    monkeypatch.setattr(tasks, "queue_length", lambda: 0)
    monkeypatch.setattr(services, "recomputation_in_flight", lambda: False)
    monkeypatch.setattr(services, "grid_outdated", lambda: False)
    monkeypatch.setattr(tasks.recompute_many, "delay", lambda ids: queued.append(ids))
    tasks.sweep_stale()
    assert good.pk in queued[0] and bad.pk not in queued[0]


@pytest.mark.django_db
def test_the_admin_refuses_a_price_out_of_range_with_the_reason(analyst, django_user_model):
    curator = make_user(django_user_model, "curator")
    form = admin_form(curator, scenario(analyst, "Admin prices"), value_of_death_musd=0)
    assert not form.is_valid()
    assert "Prices lie between US$0.1 million and US$10,000 million." in str(form.errors)
