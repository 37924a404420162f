"""The builder says, while an analyst chooses, which rules each chosen mission would fail and why,
as questions with answers; the shipped presets start from scenarios that can exist, or say why
not; nothing here re-judges: the verdicts are the feasibility rule's."""

import pytest

from missions.models import MandateFunction, Mission
from risks import builder
from risks.models import ContributionMode, Scenario, ScenarioResult
from risks.presets import PRESETS
from tests.risks.test_pages import builder_data

pytestmark = pytest.mark.django_db


def ids(model, field, values):
    return [model.objects.get(**{field: v}).pk for v in values]


def unit_in_unmogip(**overrides):
    """A national engineer company for UNMOGIP, an observer mission without formed units."""
    return builder_data(**{"missions": ids(Mission, "acronym", ["UNMOGIP", "UNISFA"]),
                           "functions": ids(MandateFunction, "code", ["ceasefire_monitoring"]),
                           "mode": ContributionMode.objects.get(code="national_contingent").pk, "size": 150,
                           **overrides})


def test_the_checks_endpoint_names_the_gate_an_infeasible_choice_fails_as_a_question(analyst_client):
    data = unit_in_unmogip()
    response = analyst_client.get("/scenarios/new/checks.json", {k: data[k] for k in (
        "mode", "size", "duration_months", "functions", "missions")})
    assert response.status_code == 200
    body = response.json()
    unmogip = body["missions"]["UNMOGIP"]
    assert unmogip["verdict"] == "infeasible" and unmogip["id"] == Mission.objects.get(acronym="UNMOGIP").pk
    fit = next(r for r in unmogip["reasons"] if r["gate"] == "mission_fit")
    assert fit["question"] == "Does the mission take this kind of personnel?"
    assert fit["answer"].startswith("No: UNMOGIP has no formed units")
    assert body["summary"]["worst"] == "infeasible" and body["summary"]["counts"]["infeasible"] >= 1
    # the panel for the ticked missions, rendered by the page's own template
    assert "Does the mission take this kind of personnel?" in body["html"]
    assert "Untick the" in body["html"]


def test_the_checks_agree_with_the_computed_scenario(analyst_client):
    """The builder's verdict per mission is the one the saved scenario's computation stores."""
    data = builder_data(missions=ids(Mission, "acronym", ["UNMOGIP", "MINURSO"]))
    body = analyst_client.get("/scenarios/new/checks.json", data).json()
    assert analyst_client.post("/scenarios/new/", data).status_code == 302
    result = ScenarioResult.objects.get(scenario__name=data["name"])
    stored = {o["mission"]: o["feasibility"] for o in result.options}
    for acronym, check in body["missions"].items():
        assert check["verdict"] == stored[acronym], acronym
        option = next(o for o in result.options if o["mission"] == acronym)
        assert {(r["gate"], r["level"]) for r in check["reasons"]} == {(r["gate"], r["level"]) for r in option["reasons"]}


def test_without_javascript_the_check_button_shows_the_failures_and_saves_nothing(analyst_client):
    response = analyst_client.post("/scenarios/new/", {**unit_in_unmogip(), "check": "1"})
    html = response.content.decode()
    assert response.status_code == 200 and not Scenario.objects.exists()
    assert "Does the mission take this kind of personnel?" in html
    assert "No: UNMOGIP has no formed units" in html
    assert "As chosen, the scenario is infeasible" in html


def test_untick_the_infeasible_missions_keeps_the_others(analyst_client):
    response = analyst_client.post("/scenarios/new/", {**unit_in_unmogip(), "drop_infeasible": "1"})
    assert response.status_code == 200 and not Scenario.objects.exists()
    ticked = response.context["form"].data.getlist("missions")
    assert ticked == [str(Mission.objects.get(acronym="UNISFA").pk)]
    assert response.context["summary"]["counts"]["infeasible"] == 0


def test_a_bound_form_still_validates_without_javascript(analyst_client):
    response = analyst_client.post("/scenarios/new/", unit_in_unmogip(size=7, duration_months=3))
    assert response.status_code == 200 and not Scenario.objects.exists()
    assert "deploys as a standard unit" in response.content.decode()


def test_the_checks_ask_for_a_mode_size_and_duration_first(analyst_client):
    body = analyst_client.get("/scenarios/new/checks.json", {"size": "abc"}).json()
    assert body["missions"] == {} and "Choose a mode, a size and a duration" in body["html"]


@pytest.mark.parametrize("code", sorted(PRESETS))
def test_every_preset_starts_from_missions_its_option_is_not_ruled_out_in(analyst_client, code):
    response = analyst_client.get(f"/scenarios/new/?preset={code}")
    context = response.context
    chosen = context["form"].initial["missions"]
    assert chosen, f"{code} keeps no mission"
    assert context["summary"]["worst"] in ("feasible", "conditional"), context["summary"]
    html = response.content.decode()
    # what its rules leave out is said on the page, with the reason
    for acronym, check in context["left_out"]:
        assert check["verdict"] == "infeasible" and f"<dt>{acronym}</dt>" in html
    # and saved as it comes, the computed scenario is not infeasible
    form = response.context["form"]
    data = {name: form[name].value() for name in form.fields if name != "version"}
    data = {k: ([getattr(x, "pk", x) for x in v] if isinstance(v, list) else getattr(v, "pk", v))
            for k, v in data.items() if v is not None}
    data["within_mandate"] = "on" if data.get("within_mandate") else ""
    assert analyst_client.post(f"/scenarios/new/?preset={code}", data).status_code == 302
    result = ScenarioResult.objects.get(scenario__preset=code)
    assert result.feasibility in ("feasible", "conditional")


def test_the_japan_preset_says_unmogip_takes_no_unit():
    from risks.forms import offered_missions

    preset = PRESETS["japan_safeguards"]
    candidates = list(offered_missions().filter(functions__code__in=preset["functions"]).distinct())
    kept, left = builder.preset_missions(preset, candidates)
    left = dict(left)
    assert "UNMOGIP" in left and "UNMOGIP" not in {m.acronym for m in kept}
    assert any(r["gate"] == "mission_fit" and "no formed units" in r["answer"] for r in left["UNMOGIP"]["reasons"])


def test_the_questions_cover_every_gate_and_check():
    from risks.engine import feasibility, gates

    assert set(gates.GATES) | set(feasibility.CHECKS) <= set(builder.QUESTIONS)


def test_the_checks_are_in_spanish_for_a_spanish_reader(analyst_client):
    analyst_client.cookies["django_language"] = "es"
    data = unit_in_unmogip()
    body = analyst_client.get("/scenarios/new/checks.json", data, HTTP_ACCEPT_LANGUAGE="es").json()
    fit = next(r for r in body["missions"]["UNMOGIP"]["reasons"] if r["gate"] == "mission_fit")
    assert fit["question"] == "¿La misión recibe este tipo de personal?"
    assert fit["answer"].startswith("No: UNMOGIP no tiene unidades constituidas")
