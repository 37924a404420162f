"""Plans on the real shipped data: the page, the command, the API, staleness, and an expert's
reading of the answer."""

import csv

import pytest
from django.core.management import CommandError, call_command

from missions.models import Mission
from plans import services
from plans.models import Plan, PlanResult
from risks import inputs as risk_inputs
from risks.services import inputs_changed

pytestmark = pytest.mark.django_db

ASKED = {"name": "300 people, US$ 20 M, no Chapter VII", "max_people": 300, "max_cost_usd": 20_000_000,
         "exclude_chapter_vii": "on", "objective": "expected", "cvar_alpha": 0.1, "cvar_weight": 0.5}


@pytest.fixture
def plan(analyst_client):
    response = analyst_client.post("/plans/new/", ASKED)
    assert response.status_code == 302
    return Plan.objects.get(name=ASKED["name"])


def test_an_analyst_solves_a_plan_and_sees_its_frontier_acceptability_and_pathway(analyst_client, plan):
    result = PlanResult.objects.get(plan=plan)
    assert result.status == "optimal" and not result.is_stale
    data = result.data
    chapter_vii = set(Mission.objects.filter(chapter_vii=True).values_list("acronym", flat=True))
    chosen = data["options"]
    assert chosen, "some admissible option adds value"
    assert sum(o["size"] for o in chosen) <= 300
    assert sum(o["net_cost_usd"] for o in chosen) <= 20_000_000
    assert not {o["mission"] for o in chosen} & chapter_vii
    assert len({o["mission"] for o in chosen}) == len(chosen)  # one option per mission
    assert data["totals"]["fatalities_p10"] <= data["totals"]["expected_fatalities"] <= data["totals"]["fatalities_p90"]
    values = [p["value"] for p in data["frontier"]["people"]]
    assert values == sorted(values)
    assert result.robustness["draws"] == services.ROBUST_DRAWS == result.robust_done
    assert all(0 < r["share"] <= 1 for r in result.robustness["options"])
    assert len(data["pathway"]["years"]) == 5
    html = analyst_client.get(plan.get_absolute_url()).content.decode()
    for element in ("plan-options", "fig-frontier-people", "fig-frontier-cost", "fig-acceptability", "fig-pathway",
                    "fig-references"):
        assert element in html
    assert analyst_client.get(f"/plans/{plan.pk}/progress/").json()["state"] == "SUCCESS"


def test_the_plan_reads_as_an_expert_would_sign_it(plan):
    """No unit where the mission takes none; none where the mandate ends; growth in order."""
    data = PlanResult.objects.get(plan=plan).data
    missions = risk_inputs.read_inputs().missions
    for year in data["pathway"]["years"]:
        for o in year["options"]:
            assert o["mission"] != "UNIFIL"  # its mandate ends on 31 December 2026, before the pathway starts
            if o["mode"] != "individual":
                assert missions.loc[o["mission"], "takes_formed"], o
    first = data["pathway"]["years"][0]
    assert all(o["mode"] == "individual" for o in first["options"])  # no formed unit trained in year 1
    for year in data["pathway"]["years"]:
        assert sum(o["size"] for o in year["options"]) <= 300
    # the reference paths are the real first years in the shipped data
    refs = data["references"]
    assert [p["year"] for p in refs["ARG"]][:1] == [1991] and [p["year"] for p in refs["MEX"]][:1] == [2015]
    assert refs["URY"][2]["people"] > 500  # Uruguay's UNTAC battalions (1992-93)


def test_infeasible_limits_are_explained_on_the_page(analyst_client):
    response = analyst_client.post("/plans/new/", {**ASKED, "name": "too small", "max_people": 3,
                                                   "required_missions": [Mission.objects.get(acronym="MINURSO").pk,
                                                                         Mission.objects.get(acronym="UNFICYP").pk]})
    plan = Plan.objects.get(name="too small")
    assert PlanResult.objects.get(plan=plan).status == "infeasible"
    html = analyst_client.get(response.url).content.decode()
    assert "The personnel cap binds" in html and "need 4 people" in html  # two officers each, the smallest option


def test_a_mission_both_required_and_left_out_is_refused_with_the_reason(analyst_client):
    minurso = Mission.objects.get(acronym="MINURSO").pk
    response = analyst_client.post("/plans/new/", {**ASKED, "required_missions": [minurso],
                                                   "excluded_missions": [minurso]})
    assert response.status_code == 200
    assert "cannot be both required and left out: MINURSO" in response.content.decode()
    assert not Plan.objects.exists()


def test_consultants_read_plans_but_do_not_make_them(client, django_user_model, plan):
    from tests.conftest import make_user

    client.force_login(make_user(django_user_model, "consultant"))
    assert client.post("/plans/new/", ASKED).status_code == 403
    assert client.get(plan.get_absolute_url()).status_code == 200
    assert client.get(f"/plans/{plan.pk}/edit/").status_code == 403


def test_plans_go_stale_when_the_inputs_change_and_are_recomputed(plan, django_capture_on_commit_callbacks):
    before = PlanResult.objects.get(plan=plan).computed_at
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        inputs_changed()
    assert PlanResult.objects.get(plan=plan).is_stale
    for callback in callbacks:
        callback()
    after = PlanResult.objects.get(plan=plan)
    assert not after.is_stale and after.computed_at > before
    assert plan.runs.count() == 2  # the history keeps both computations


def test_the_api_reads_plans_and_their_results(analyst_client, plan):
    listed = analyst_client.get("/api/plans/").json()
    assert [p["name"] for p in listed["results"]] == [plan.name]
    assert analyst_client.get(f"/api/plans/{plan.pk}/").json()["exclude_chapter_vii"] is True
    result = analyst_client.get(f"/api/plans/{plan.pk}/result/").json()
    assert result["status"] == "optimal" and result["data"]["options"]
    assert analyst_client.get("/api/plans/999999/result/").status_code == 404


def test_solve_plan_writes_the_chosen_options_as_csv(tmp_path):
    out = tmp_path / "plan.csv"
    call_command("solve_plan", "--max-people", "300", "--max-cost-usd", "20000000", "--exclude-chapter-vii",
                 "--output", str(out))
    rows = list(csv.DictReader(out.open()))
    assert list(rows[0]) == ["mission", "mode", "functions", "size", "net_cost_usd", "expected_fatalities", "value"]
    assert sum(float(r["size"]) for r in rows) <= 300
    assert sum(float(r["net_cost_usd"]) for r in rows) <= 20_000_000
    chapter_vii = set(Mission.objects.filter(chapter_vii=True).values_list("acronym", flat=True))
    assert not {r["mission"] for r in rows} & chapter_vii
    tight = tmp_path / "tight.csv"
    call_command("solve_plan", "--max-people", "30", "--output", str(tight))
    assert sum(float(r["size"]) for r in csv.DictReader(tight.open())) <= 30


def test_solve_plan_explains_infeasible_limits_and_writes_nothing(tmp_path):
    out = tmp_path / "plan.csv"
    with pytest.raises(CommandError, match="personnel cap binds"):
        call_command("solve_plan", "--max-people", "3", "--require", "MINURSO", "UNFICYP", "--output", str(out))
    assert not out.exists()
    with pytest.raises(CommandError, match="unknown missions: NOPE"):
        call_command("solve_plan", "--require", "NOPE")
    with pytest.raises(CommandError, match="no such folder"):
        call_command("solve_plan", "--output", str(tmp_path / "missing" / "plan.csv"))


def test_the_risk_averse_objective_is_stated_and_solved(analyst_client):
    analyst_client.post("/plans/new/", {**ASKED, "name": "cautious", "objective": "cvar", "cvar_weight": 1})
    result = PlanResult.objects.get(plan__name="cautious")
    assert result.status == "optimal"
    assert "CVaR_0.1" in result.data["formula"]
    assert sum(o["size"] for o in result.data["options"]) <= 300


def test_a_duplicate_task_changes_nothing_and_the_sweeper_requeues_what_is_stale(plan):
    from plans import tasks

    assert tasks.recompute_plan(plan.pk) == "unchanged"
    assert plan.runs.count() == 1
    assert tasks.sweep_stale_plans() == "queued 0 plans"
    services.mark_stale([plan.pk])  # as a save does when the broker is down
    assert services.waiting() == [plan.pk]
    assert tasks.sweep_stale_plans() == "queued 1 plans"
    result = PlanResult.objects.get(plan=plan)
    assert not result.is_stale and result.robustness["draws"] == services.ROBUST_DRAWS
    assert plan.runs.count() == 2


def test_the_client_briefing_carries_the_owners_latest_plan(plan, analyst):
    from django.template import Context, Template

    html = Template("{% load plan_briefing %}{% plan_section owner %}").render(Context({"owner": analyst.username}))
    assert "The national plan" in html and plan.name in html and "Phased pathway" in html
    first = PlanResult.objects.get(plan=plan).data["options"][0]["mission"]
    assert first in html
    assert Template("{% load plan_briefing %}{% plan_section 'nobody' %}").render(Context({})).strip() == ""


def test_the_briefing_frames_the_plan_as_a_different_question(plan, analyst):
    from django.template import Context, Template

    render = lambda decision: Template("{% load plan_briefing %}{% plan_section owner decision %}").render(  # noqa: E731
        Context({"owner": analyst.username, "decision": decision}))
    refused = render("do_not_deploy")
    assert "no option beats not deploying" in refused and "the difference is the weights" in refused
    assert "It does not change the recommendation above" in render("deploy_on_conditions")


@pytest.mark.django_db
def test_the_plan_section_names_modes_and_functions_never_their_codes(plan, analyst):
    import re

    from django.template import Context, Template

    from tests.briefings.test_exports import INTERNAL

    html = Template("{% load plan_briefing %}{% plan_section owner %}").render(Context({"owner": analyst.username}))
    data = PlanResult.objects.get(plan=plan).data
    codes = {c for o in data["options"] for c in o["functions"].split("+")} | {o["mode"] for o in data["options"]}
    text = re.sub(r"<[^>]+>", " ", html)
    assert not [c for c in codes if "_" in c and re.search(rf"\b{c}\b", text)]  # "individual" is also a word
    assert not INTERNAL.findall(text)


def test_no_option_makes_mexico_more_than_a_quarter_of_the_personnel_of_its_kind(plan):
    from risks.engine.feasibility import MAX_SHARE_OF_STRENGTH

    data = PlanResult.objects.get(plan=plan).data
    missions = risk_inputs.read_inputs().missions.fillna(0)
    chosen = data["options"] + [o for year in data["pathway"]["years"] for o in year["options"]]
    assert chosen
    for o in chosen:
        row = missions.loc[o["mission"]]
        strength = (row["experts"] + row["staff_officers"] + row["individual_police"] if o["mode"] == "individual"
                    else row["troops"] + row["formed_police"])
        assert o["size"] <= MAX_SHARE_OF_STRENGTH * strength, o
    assert "UNAMA" not in {o["mission"] for o in chosen}  # one expert on mission: five Mexicans would be most of it


def test_solve_plan_can_keep_to_peacekeeping_operations(tmp_path):
    out = tmp_path / "pko.csv"
    call_command("solve_plan", "--exclude-spm", "--output", str(out))
    missions = {r["mission"] for r in csv.DictReader(out.open())}
    assert missions
    assert set(Mission.objects.filter(acronym__in=missions).values_list("kind", flat=True)) == {Mission.Kind.PKO}
    with pytest.raises(CommandError, match="required missions: UNVMC"):
        call_command("solve_plan", "--exclude-spm", "--require", "UNVMC", "--output", str(tmp_path / "x.csv"))
