"""Every surface that ranks or recommends options shows only options that can exist, on the
shipped data: none larger than the mission's share cap, no formed unit where the mission has
none (or none for the task), none in a mission the Council ended, and no plan year that breaks
the pathway's rules. One rule decides (risks.engine.feasibility); a test per surface."""

import csv
import re

import pandas as pd
import pytest
from django.core.management import call_command

from briefings.data import briefing_data
from briefings.recommendation import recommend
from missions.models import MandateFunction, Mission
from plans import catalogue
from plans.models import PlanResult
from risks import explorer, services
from risks import inputs as model_inputs
from risks.engine import feasibility
from risks.models import ContributionMode, Scenario, ScenarioResult

pytestmark = pytest.mark.django_db
FORMED = feasibility.FORMED_MODES


def assert_can_exist(options, missions: pd.DataFrame) -> int:
    """Each option (mission, mode, size, functions '+'-joined) can exist; returns how many were checked."""
    strength = feasibility.mission_strength(missions)
    n = 0
    for o in options:
        row = missions.loc[o["mission"]]
        formed = o["mode"] in FORMED
        cap = feasibility.MAX_SHARE_OF_STRENGTH * strength.loc[o["mission"], "formed" if formed else "individual"]
        if o["mode"] != "civilian":  # civilian experts join the civilian staff, which uniformed reports omit
            assert float(o["size"]) <= cap, o
        assert not bool(row["mandate_final"]), o                      # the Council ended the mission
        if formed:
            assert bool(row["takes_formed"]), o
            tasks = set(str(o["functions"]).split("+")) if o.get("functions") else set()
            if tasks & set(feasibility.MILITARY_TASKS):
                assert row["kind"] == "pko" and row["troops"] > 0, o  # a military component for the task
            assert float(o["size"]) in catalogue.sizes()[o["mode"]], o
        n += 1
    return n


@pytest.fixture
def missions(db) -> pd.DataFrame:
    return model_inputs.read_inputs().missions


def test_the_exported_grid_ranks_only_options_that_can_exist_once_per_mission_mode_and_size(tmp_path, missions):
    out = tmp_path / "grid.csv"
    call_command("export_scores", "--output", str(out))
    rows = list(csv.DictReader(out.open()))
    ranked = [r for r in rows if r["rank"]]
    assert assert_can_exist(ranked, missions) > 10
    keys = [(r["mission"], r["mode"], r["size"]) for r in ranked]
    assert len(keys) == len(set(keys))  # no near-duplicates: one task set per decision
    by_key = {(r["mission"], r["mode"], r["size"]) for r in rows if r["excluded_by"] == services.BETTER_TASK_SET}
    # A variant stands aside only for the admissible option of the same decision: ranked, or shown as
    # worse than not deploying (the value model never ranks those).
    shown = set(keys) | {(r["mission"], r["mode"], r["size"]) for r in rows
                         if not r["excluded_by"] and r["worse_than_not_deploying"] == "True"}
    assert by_key <= shown
    named = {(r["mission"], r["mode"]): r for r in rows}
    assert "strength_cap" in named[("MINURSO", "mixed_contingent")]["excluded_by"]   # 20 troops
    assert "strength_cap" in named[("UNAMA", "individual")]["excluded_by"]           # one expert
    assert "mandate_ended" in named[("UNIFIL", "individual")]["excluded_by"]


def test_the_explorer_and_overview_show_only_options_that_can_exist(missions):
    for mode in ("national_contingent", "mixed_contingent", "individual"):
        top = explorer.explore(mode, "not_infeasible", True, top=50)["top"]
        admissible = top[top["excluded_by"] == ""]
        assert assert_can_exist(admissible.to_dict(orient="records"), missions) >= 1
    from risks.templatetags.best_options import build_answer

    answer = build_answer()
    shown = [r for r in answer["rows"] if not r["none"]]
    for r in shown:
        r["functions"] = ""  # names, not codes, here: the tasks are checked on the grid above
    assert assert_can_exist(shown, missions) >= 2


def scenario(owner, mode: str, size: int, functions: list[str], months: int = 12) -> ScenarioResult:
    s = Scenario.objects.create(name=f"{mode} {size}", owner=owner, mode=ContributionMode.objects.get(code=mode),
                                size=size, duration_months=months)
    s.missions.set(Mission.objects.filter(is_active=True))
    s.functions.set(MandateFunction.objects.filter(code__in=functions))
    services.recompute_scenario(s.pk)
    return ScenarioResult.objects.get(scenario=s)


def test_a_scenario_ranks_no_platoon_in_minurso_nor_formed_monitoring_in_unsmil(analyst, missions):
    result = scenario(analyst, "mixed_contingent", 40, ["ceasefire_monitoring", "humanitarian_relief"])
    # Admissible: ranked, or shown as worse than not deploying; both must be options that can exist.
    admissible = [{**o, "mode": "mixed_contingent", "size": 40, "functions": "+".join(o["functions"])}
                  for o in result.options if not o["excluded_by"]]
    assert assert_can_exist(admissible, missions) >= 2
    by = {o["mission"]: o for o in result.options}
    assert by["MINURSO"]["rank"] is None and "strength_cap" in by["MINURSO"]["excluded_by"]
    assert by["UNSMIL"]["rank"] is None and "military_component" in by["UNSMIL"]["excluded_by"]
    assert by["UNIFIL"]["rank"] is None and "mandate_ended" in by["UNIFIL"]["excluded_by"]


def test_a_scenario_of_ten_individuals_ranks_no_mission_with_a_handful_of_experts(analyst, missions):
    result = scenario(analyst, "individual", 10, ["political_process", "rule_of_law", "ceasefire_monitoring"])
    ranked = [{**o, "mode": "individual", "size": 10} for o in result.options if o["rank"] is not None]
    assert assert_can_exist(ranked, missions) >= 2
    by = {o["mission"]: o for o in result.options}
    for acronym in ("UNAMA", "UNSMIL"):  # 1 and 3 experts on mission
        assert by[acronym]["rank"] is None and "strength_cap" in by[acronym]["excluded_by"]


def test_a_briefing_recommends_only_options_that_can_exist(analyst, missions):
    result = scenario(analyst, "mixed_contingent", 40, ["ceasefire_monitoring", "humanitarian_relief"])
    rec = recommend(briefing_data(result.scenario), briefing_data(result.scenario).citations())
    assert rec["options"]
    options = {o["mission"]: o for o in result.options}
    assert assert_can_exist([{**options[o["acronym"]], "mode": "mixed_contingent", "size": 40,
                              "functions": "+".join(options[o["acronym"]]["functions"])} for o in rec["options"]],
                            missions) == len(rec["options"])
    assert "MINURSO" not in {o["acronym"] for o in rec["options"]}


@pytest.fixture
def plan_data(analyst_client) -> dict:
    response = analyst_client.post("/plans/new/", {
        "name": "300 people, US$ 20 M, no Chapter VII", "max_people": 300, "max_cost_usd": 20_000_000,
        "exclude_chapter_vii": "on", "objective": "expected", "cvar_alpha": 0.1, "cvar_weight": 0.5})
    assert response.status_code == 302
    return PlanResult.objects.get().data


def test_the_plan_fields_only_what_the_pathway_rules_allow_in_its_first_year(plan_data, missions):
    rules = catalogue.rules()
    options = plan_data["options"]
    assert assert_can_exist(options, missions) >= 1
    formed = sum(o["size"] for o in options if o["mode"] in FORMED)
    assert formed <= rules.capacity(0)   # the shipped rules train no formed personnel for year 1
    if rules.first_national_year > 0:
        assert "national_contingent" not in {o["mode"] for o in options}


def test_every_year_of_the_pathway_keeps_its_rules(plan_data, missions):
    rules = catalogue.rules()
    years = plan_data["pathway"]["years"]
    assert len(years) == rules.years
    served: dict[str, int] = {}
    for t, year in enumerate(years):
        assert_can_exist(year["options"], missions)
        formed = [o for o in year["options"] if o["mode"] in FORMED]
        assert sum(o["size"] for o in formed) <= rules.capacity(t), (t, formed)
        if t < rules.first_national_year:
            assert not [o for o in formed if o["mode"] == "national_contingent"], t
        for o in year["options"]:
            if o["mode"] == "mixed_contingent":
                prior = plan_data["pathway"]["prior"].get(o["mission"], [0, 0])[0]
                assert prior + served.get(o["mission"], 0) >= rules.individual_years_before_mixed, (t, o)
        for o in year["options"]:
            if o["mode"] == "individual":
                served[o["mission"]] = served.get(o["mission"], 0) + 1


def test_the_builder_refuses_options_that_cannot_exist(analyst_client):
    mission = Mission.objects.filter(is_active=True, acronym="UNFICYP").get()
    function = MandateFunction.objects.get(code="humanitarian_relief")
    national = ContributionMode.objects.get(code="national_contingent")
    form = {"name": "impossible", "missions": [mission.pk], "functions": [function.pk], "mode": national.pk,
            "size": 1, "duration_months": 1, "aggregation": "weighted_sum"}
    response = analyst_client.post("/scenarios/new/", form)
    assert response.status_code == 200
    text = response.content.decode()
    assert "deploys as a standard unit" in text and "at least a rotation of 12 months" in text
    assert not Scenario.objects.filter(name="impossible").exists()
    page = analyst_client.get("/scenarios/new/").content.decode()
    assert "UNIFIL" not in page  # the Council ended it: not offered
    closed = Mission.objects.filter(is_active=False, functions__isnull=False).first()
    assert closed is not None and not re.search(rf"\b{closed.acronym}\b", page)
    assert re.search(r"\bUNFICYP\b", page)


def test_an_option_has_the_same_verdict_on_every_surface_that_shows_it(analyst, plan_data):
    """The grid, a scenario and the plan judge the same option alike (one rule, one table)."""
    grid = services.current_grid()
    key = lambda mission, mode, size, functions: (mission, mode, float(size), functions)  # noqa: E731
    in_grid = {key(r.mission, r.mode, r.size, r.functions): r.feasibility for r in grid.itertuples()}
    result = scenario(analyst, "individual", 10, ["ceasefire_monitoring", "confidence_building"])
    shared = 0
    for o in result.options:
        verdict = in_grid.get(key(o["mission"], "individual", 10, "+".join(o["functions"])))
        if verdict is not None:
            assert verdict == o["feasibility"], o["mission"]
            shared += 1
    assert shared >= 3
    for year in [plan_data["options"], *[y["options"] for y in plan_data["pathway"]["years"]]]:
        for o in year:
            verdict = in_grid.get(key(o["mission"], o["mode"], o["size"], o["functions"]))
            assert verdict in (None, "feasible", "conditional"), o
