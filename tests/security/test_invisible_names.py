"""Names cannot hide a direction change or an invisible character, and cannot pass for another
mission (issue 25 F9): bidi controls (U+202A-202E, U+2066-2069) and zero-width characters are
refused in curated and user names; look-alike acronyms are refused; pages show names inside
<bdi>, so a name cannot reorder the text after it."""

import pytest
from django.core.exceptions import ValidationError

from briefings.forms import BriefingForm
from missions.models import Country, Mission
from plans.models import Plan
from risks.models import Scenario
from tests.plans.test_plans import ASKED
from tests.risks.test_pages import builder_data
from tests.weights.test_pages import swing_data
from weights.models import WeightSet

pytestmark = pytest.mark.django_db

HOSTILE = [
    "MINUSCA \u202eAGNAHC",           # right-to-left override: shows "CHANGA" backwards
    "Observers \u2067in the Sahara",  # an isolate never closed: reorders whatever follows it
    "UNI\u200bFIL",                   # zero-width space: looks like UNIFIL, is not
    "Mexico\u2066",                   # left-to-right isolate
    "\ufeffBudget first",             # zero-width no-break space
]


@pytest.mark.parametrize("name", HOSTILE)
def test_a_curator_cannot_give_a_mission_or_a_country_a_name_with_hidden_characters(name):
    mission = Mission.objects.get(acronym="MINUSCA")
    mission.name = name
    with pytest.raises(ValidationError) as refused:
        mission.full_clean()
    assert "invisible or direction-changing" in str(refused.value.message_dict["name"])
    country = Country.objects.get(iso3="MEX")
    country.name_es = name
    with pytest.raises(ValidationError, match="invisible or direction-changing"):
        country.full_clean()


@pytest.mark.parametrize("acronym, other", [("MlNUSCA", "MINUSCA"), ("\u041cINUSCA", "MINUSCA"), ("UNlFIL", "UNIFIL"),
                                            ("Unifil", "UNIFIL"), ("UNMISS.", "UNMISS")])
def test_a_new_mission_acronym_that_looks_like_another_is_refused(acronym, other):
    mission = Mission(acronym=acronym, name="A new mission")
    with pytest.raises(ValidationError) as refused:
        mission.full_clean()
    assert f"looks like {other}" in str(refused.value.message_dict["acronym"])


def test_a_known_acronym_still_saves_as_itself():
    Mission.objects.get(acronym="MINUSCA").full_clean()  # no look-alike of itself


def test_the_admin_refuses_a_look_alike_acronym(client, django_user_model):
    from tests.conftest import make_user

    client.force_login(make_user(django_user_model, "curator"))
    page = client.post("/admin/missions/mission/add/", {"acronym": "MlNUSCA", "name": "Fake", "kind": "pko",
                                                        "host_consent": "full", "version": ""})
    assert page.status_code == 200 and "looks like MINUSCA" in page.content.decode()
    assert not Mission.objects.filter(acronym="MlNUSCA").exists()


@pytest.mark.parametrize("name", HOSTILE[:3])
def test_scenario_plan_and_weight_set_names_with_hidden_characters_are_refused(analyst_client, name):
    response = analyst_client.post("/scenarios/new/", builder_data(name=name))
    assert response.status_code in (200, 400) and "invisible or direction-changing" in response.content.decode()
    response = analyst_client.post("/plans/new/", {**ASKED, "name": name})
    assert response.status_code in (200, 400) and "invisible or direction-changing" in response.content.decode()
    response = analyst_client.post("/weights/new/swing/", swing_data(name=name))
    assert response.status_code in (200, 400) and "invisible or direction-changing" in response.content.decode()
    assert not Scenario.objects.filter(name=name).exists()
    assert not Plan.objects.filter(name=name).exists()
    assert not WeightSet.objects.filter(name=name).exists()


def test_a_briefing_for_a_client_with_hidden_characters_is_refused():
    form = BriefingForm({"format": "csv", "language": "en", "paper": "a4", "client": "SRE \u202eXEM"})
    assert not form.is_valid() and "invisible or direction-changing" in str(form.errors["client"])


def test_pages_show_names_inside_bdi_so_an_older_name_cannot_reorder_the_page(analyst_client):
    assert analyst_client.post("/scenarios/new/", builder_data()).status_code == 302
    scenario = Scenario.objects.get(name=builder_data()["name"])
    # A name from before the check (or written by a script): shown, isolated from its surroundings.
    Scenario.objects.filter(pk=scenario.pk).update(name="Old \u2067unclosed")
    Mission.objects.filter(acronym="UNIFIL").update(name="Interim Force \u202eNONABEL")
    detail = analyst_client.get(scenario.get_absolute_url()).content.decode()
    assert "<h1><bdi>Old \u2067unclosed</bdi></h1>" in detail
    assert "<bdi>Old \u2067unclosed</bdi>" in analyst_client.get("/scenarios/").content.decode()
    assert "<bdi>Interim Force \u202eNONABEL</bdi>" in analyst_client.get("/missions/?q=UNIFIL").content.decode()
    mission = analyst_client.get("/missions/UNIFIL/").content.decode()
    assert "<small><bdi>Interim Force \u202eNONABEL</bdi></small>" in mission
