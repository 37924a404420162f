"""Two curators editing the same row: the second save is refused with a message naming who
changed it and when; the first change stands and history shows exactly one change."""

import pytest

from missions.editing import EditConflictError, save_versioned
from missions.models import Country, MandateFunction, Mission
from risks.models import ContributionMode, Factor, SafeguardGate, Scenario
from tests.conftest import make_user
from tests.risks.test_pages import builder_data


def admin_post_data(response) -> dict:
    """What a browser would send back for an admin change form, unchanged."""
    forms = [response.context["adminform"].form]
    for inline in response.context.get("inline_admin_formsets") or []:  # the history view has none
        forms += [inline.formset.management_form, *inline.formset.forms]
    data = {}
    for form in forms:
        for name in form.fields:
            value = form[name].value()  # already prepared for the widget (JSON as text)
            if value is None or value is False:
                continue
            if isinstance(value, list | tuple):
                data[form.add_prefix(name)] = [str(v) for v in value]
            else:
                data[form.add_prefix(name)] = "on" if value is True else str(value)
    return data


@pytest.fixture
def two_curators(client, django_user_model):
    from django.test import Client

    alice, bob = Client(), Client()
    alice.force_login(django_user_model.objects.create_superuser("alice", password="pw-for-tests-only"))
    bob.force_login(django_user_model.objects.create_superuser("bob", password="pw-for-tests-only"))
    return alice, bob


def scenario_row(analyst) -> Scenario:
    scenario = Scenario.objects.create(name="Shared scenario", owner=analyst,
                                       mode=ContributionMode.objects.get(code="individual"))
    scenario.missions.set(Mission.objects.filter(acronym="MINURSO"))
    scenario.functions.set(MandateFunction.objects.filter(code="ceasefire_monitoring"))
    return scenario


@pytest.mark.django_db
@pytest.mark.parametrize("model, field", [
    (Mission, "name"), (Factor, "name_en"), (ContributionMode, "name_en"), (SafeguardGate, "name_en"),
    (MandateFunction, "name_en"), (Country, "name_en"), (Scenario, "name"),
])
def test_the_second_of_two_admin_saves_is_refused_and_the_first_stands(two_curators, analyst, model, field):
    alice, bob = two_curators
    obj = scenario_row(analyst) if model is Scenario else model.objects.order_by("pk").first()
    url = f"/admin/{model._meta.app_label}/{model._meta.model_name}/{obj.pk}/change/"
    page = alice.get(url)
    assert 'type="hidden" name="version"' in page.content.decode()  # the browser sends it back
    alice_form, bob_form = admin_post_data(page), admin_post_data(bob.get(url))
    assert alice_form["version"] == bob_form["version"] == str(obj.version)
    history_before = obj.history.count()

    first = alice.post(url, {**alice_form, field: "Alice's edit"})
    assert first.status_code == 302, first.context["adminform"].form.errors if first.context else first
    second = bob.post(url, {**bob_form, field: "Bob's edit"})

    assert second.status_code == 200
    errors = " ".join(second.context["adminform"].form.non_field_errors())
    assert f"This {model._meta.verbose_name} was changed by alice at " in errors
    assert "reload to see their changes" in errors
    obj.refresh_from_db()
    assert getattr(obj, field) == "Alice's edit"
    assert obj.version == int(alice_form["version"]) + 1
    assert obj.history.count() == history_before + 1


@pytest.mark.django_db
def test_reloading_after_a_conflict_lets_the_second_curator_save(two_curators):
    alice, bob = two_curators
    url = f"/admin/missions/country/{Country.objects.get(iso3='MEX').pk}/change/"
    bob_form = admin_post_data(bob.get(url))
    alice.post(url, {**admin_post_data(alice.get(url)), "region": "Americas (edited)"})
    assert bob.post(url, {**bob_form, "name_es": "México (Bob)"}).status_code == 200
    reloaded = admin_post_data(bob.get(url))
    assert reloaded["region"] == "Americas (edited)"
    assert bob.post(url, {**reloaded, "name_es": "México (Bob)"}).status_code == 302
    mexico = Country.objects.get(iso3="MEX")
    assert (mexico.region, mexico.name_es) == ("Americas (edited)", "México (Bob)")


@pytest.mark.django_db
def test_the_scenario_builder_refuses_a_save_over_someone_elses_change(analyst_client, client, django_user_model):
    curator = make_user(django_user_model, "curator")
    client.force_login(curator)
    analyst_client.post("/scenarios/new/", builder_data())
    scenario = Scenario.objects.get(name="Observers in the Sahara and Kashmir")
    url = f"/scenarios/{scenario.pk}/edit/"
    owner_version = analyst_client.get(url).context["form"]["version"].value()
    curator_version = client.get(url).context["form"]["version"].value()
    assert client.post(url, builder_data(name="Curator's title", version=curator_version)).status_code == 302

    response = analyst_client.post(url, builder_data(name="Owner's title", version=owner_version))

    assert response.status_code == 200
    assert "This scenario was changed by curator-user at" in " ".join(response.context["form"].non_field_errors())
    scenario.refresh_from_db()
    assert scenario.name == "Curator's title"


@pytest.mark.django_db
def test_a_save_that_lost_the_race_after_validating_writes_nothing():
    loaded = Mission.objects.get(acronym="MINURSO")
    racer = Mission.objects.get(acronym="MINURSO")
    racer.name = "The racer's name"
    save_versioned(racer, racer.version)
    loaded.name = "The loser's name"
    with pytest.raises(EditConflictError, match="This mission was changed by"):
        save_versioned(loaded, loaded.version)
    assert Mission.objects.get(acronym="MINURSO").name == "The racer's name"


@pytest.mark.django_db
def test_saves_without_a_version_still_count_so_open_forms_notice(client, django_user_model):
    country = Country.objects.get(iso3="MEX")
    start = country.version
    country.region = "Edited inline"
    save_versioned(country, None)  # as the admin's list_editable does
    assert Country.objects.get(iso3="MEX").version == start + 1


@pytest.mark.django_db
def test_reverting_to_an_older_version_in_the_history_is_a_new_version(two_curators):
    alice, _bob = two_curators
    mexico = Country.objects.get(iso3="MEX")
    url = f"/admin/missions/country/{mexico.pk}/change/"
    for name in ("Mexico (first edit)", "Mexico (second edit)"):
        assert alice.post(url, {**admin_post_data(alice.get(url)), "name_en": name}).status_code == 302
    first = mexico.history.get(name_en="Mexico (first edit)")
    revert_url = f"/admin/missions/country/{mexico.pk}/history/{first.history_id}/"
    page = alice.get(revert_url)
    assert page.status_code == 200
    assert alice.post(revert_url, admin_post_data(page)).status_code == 302
    mexico.refresh_from_db()
    assert (mexico.name_en, mexico.version) == ("Mexico (first edit)", first.version + 2)
