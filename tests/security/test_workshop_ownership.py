"""Issue 25, F1: a workshop belongs to one scenario and its owner. Another analyst could point
their own scenario at someone else's workshop weight set, then add and edit its participants,
changing the real owner's scenario weights under their own name."""

import pytest
from django.contrib.auth.models import Group

from risks.models import Scenario
from tests.risks.test_pages import builder_data
from tests.weights.test_pages import swing_data
from weights.models import Participant, WeightSet


def participant_data(label: str, top: str = "budget") -> dict:
    return {**{f"p-{k}": v for k, v in swing_data(top=top).items() if k != "name"}, "p-label": label}


@pytest.fixture
def analyst2(django_user_model):
    user = django_user_model.objects.create_user(username="analyst2", password="pw-for-tests-only")
    user.groups.add(Group.objects.get(name="analyst"))
    return user


@pytest.fixture
def workshop(analyst_client):
    """The analyst's scenario with a one-participant workshop (SRE)."""
    assert analyst_client.post("/scenarios/new/", builder_data(name="Analyst's own")).status_code == 302
    scenario = Scenario.objects.get(name="Analyst's own")
    response = analyst_client.post(f"/weights/workshop/{scenario.pk}/?method=swing",
                                   participant_data("SRE", top="international_standing"))
    assert response.status_code == 302
    scenario.refresh_from_db()
    return scenario, scenario.weight_set


@pytest.mark.django_db
def test_another_analyst_cannot_take_over_a_workshop(analyst_client, analyst2, workshop):
    from django.test import Client

    scenario, weight_set = workshop
    weights_before = dict(scenario.category_weights)
    sre = weight_set.participants.get()
    assert weight_set.scenario_id == scenario.pk and weight_set.owner == scenario.owner

    client = Client()  # analyst_client is the `client` fixture: analyst2 gets a browser of their own
    client.force_login(analyst2)
    # 1. Pointing a new scenario, or an existing one, at the analyst's workshop set is refused.
    response = client.post("/scenarios/new/", builder_data(name="Mine", weight_set=weight_set.pk))
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    assert not Scenario.objects.filter(name="Mine").exists()
    assert client.post("/scenarios/new/", builder_data(name="Mine")).status_code == 302
    mine = Scenario.objects.get(name="Mine")
    edit = client.get(f"/scenarios/{mine.pk}/edit/")
    version = edit.context["form"]["version"].value()
    response = client.post(f"/scenarios/{mine.pk}/edit/",
                           builder_data(name="Mine", weight_set=weight_set.pk, version=version))
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    mine.refresh_from_db()
    assert mine.weight_set_id is None
    # Duplicating the analyst's scenario copies its weights, not its workshop.
    assert client.post(f"/scenarios/{scenario.pk}/duplicate/").status_code == 302
    copy = Scenario.objects.get(owner=analyst2, name__startswith="Copy of")
    assert copy.weight_set_id is None and copy.category_weights == scenario.category_weights

    # 2. Even a scenario already pointing at it (a row saved before this rule) opens no door.
    Scenario.objects.filter(pk=mine.pk).update(weight_set=weight_set)
    response = client.post(f"/weights/workshop/{mine.pk}/?method=swing", participant_data("Intruder"))
    assert response.status_code == 302
    assert list(weight_set.participants.values_list("label", flat=True)) == ["SRE"]
    assert client.post(f"/weights/participants/{sre.pk}/", participant_data("SRE")).status_code == 403
    assert client.post(f"/weights/participants/{sre.pk}/remove/").status_code == 403
    assert client.get(f"/weights/participants/{sre.pk}/").status_code == 403

    # 3. The analyst's scenario, workshop and history are untouched; the owner still edits it.
    scenario.refresh_from_db()
    weight_set.refresh_from_db()
    assert scenario.category_weights == weights_before and scenario.weight_set_id == weight_set.pk
    assert list(weight_set.participants.values_list("label", flat=True)) == ["SRE"]
    assert "analyst2" not in {h.history_user.username for h in weight_set.history.all() if h.history_user}
    assert "analyst2" not in {h.history_user.username for h in Participant.history.filter(weight_set_id=weight_set.pk)
                              if h.history_user}
    again = participant_data("SRE", top="international_standing")
    assert analyst_client.post(f"/weights/participants/{sre.pk}/", again).status_code == 302

    # 4. The API says the same: the set is the analyst's scenario's workshop, its weights unchanged.
    body = client.get(f"/api/weight-sets/{weight_set.pk}/").json()
    assert body["scenario"] == scenario.pk and body["owner"] == "analyst-user"
    assert [p["label"] for p in body["participants"]] == ["SRE"]
    assert client.get(f"/api/scenarios/{scenario.pk}/").json()["category_weights"] == weights_before


@pytest.mark.django_db
def test_a_curators_workshop_on_an_analysts_scenario_belongs_to_that_scenarios_owner(
        django_user_model, analyst_client, analyst):
    from django.test import Client

    from tests.conftest import make_user

    assert analyst_client.post("/scenarios/new/", builder_data(name="Analyst's own")).status_code == 302
    scenario = Scenario.objects.get(name="Analyst's own")
    client = Client()
    client.force_login(make_user(django_user_model, "curator"))
    assert client.post(f"/weights/workshop/{scenario.pk}/?method=swing", participant_data("SEMAR")).status_code == 302
    assert client.post(f"/weights/new/swing/?scenario={scenario.pk}", swing_data(name="By a curator")).status_code == 302
    workshop_set = WeightSet.objects.get(participants__label="SEMAR")
    assert workshop_set.owner == analyst and workshop_set.scenario_id == scenario.pk
    assert WeightSet.objects.get(name="By a curator").owner == analyst
    # The analyst may pick their own sets and the presets in the builder, nobody else's.
    form = analyst_client.get(f"/scenarios/{scenario.pk}/edit/").context["form"]
    choices = set(form.fields["weight_set"].queryset)
    assert WeightSet.objects.get(name="By a curator") in choices and workshop_set in choices
    assert set(WeightSet.objects.filter(owner=None)) <= choices
    other = Scenario.objects.create(name="Another", owner=analyst, mode=scenario.mode)
    other_form = analyst_client.get(f"/scenarios/{other.pk}/edit/").context["form"]
    assert workshop_set not in set(other_form.fields["weight_set"].queryset)  # one scenario's workshop


@pytest.mark.django_db
def test_the_admin_offers_only_weight_sets_the_scenarios_owner_may_use(rf, django_user_model, analyst2, workshop):
    from django.contrib import admin

    from tests.conftest import make_user

    scenario, weight_set = workshop
    mine = Scenario.objects.create(name="Mine", owner=analyst2, mode=scenario.mode)
    request = rf.get("/")
    request.user = make_user(django_user_model, "superuser")
    form = admin.site._registry[Scenario].get_form(request, mine)(instance=mine)
    assert weight_set not in set(form.fields["weight_set"].queryset)
    assert set(WeightSet.objects.filter(owner=None)) <= set(form.fields["weight_set"].queryset)
    theirs = admin.site._registry[Scenario].get_form(request, scenario)(instance=scenario)
    assert weight_set in set(theirs.fields["weight_set"].queryset)
