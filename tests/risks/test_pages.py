"""Scenario builder, scenario page, comparison and explorer, as an analyst uses them."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from missions.models import MandateFunction, Mission
from risks import services
from risks.models import ContributionMode, Scenario, ScenarioResult


def builder_data(**overrides) -> dict:
    data = {
        "name": "Observers in the Sahara and Kashmir",
        "missions": [Mission.objects.get(acronym=a).pk for a in ("MINURSO", "UNMOGIP")],
        "functions": [MandateFunction.objects.get(code="ceasefire_monitoring").pk],
        "mode": ContributionMode.objects.get(code="individual").pk,
        "size": 10, "duration_months": 12, "aggregation": "weighted_sum", "notes": "",
    }
    data.update({f"w_{code}": 100 for code in (
        "human_rights_conduct", "reputation", "constitutional_legal", "domestic_politics", "budget",
        "operational_security", "professionalisation", "transparency_accountability", "international_standing")})
    data.update(overrides)
    return data


@pytest.fixture
def built(analyst_client):
    response = analyst_client.post("/scenarios/new/", builder_data())
    assert response.status_code == 302, response.content.decode()[:2000]
    return Scenario.objects.get(name="Observers in the Sahara and Kashmir")


@pytest.mark.django_db
def test_an_analyst_builds_a_scenario_and_it_is_computed(analyst_client, built):
    result = ScenarioResult.objects.get(scenario=built)
    # MINURSO's 1991 ceasefire ended in November 2020: Japan's first principle makes it conditional.
    assert result.feasibility == "conditional" and not result.is_stale
    # and its mandate's end date is not known: conditional, never silently feasible
    assert [r["gate"] for r in result.reasons[0]["reasons"]] == ["jp_ceasefire", "mandate_unknown"]
    page = analyst_client.get(built.get_absolute_url())
    html = page.content.decode()
    assert page.status_code == 200
    for figure in ("fig-scatter", "fig-distribution", "fig-waterfall", "fig-tornado"):
        assert f'id="{figure}"' in html
    assert "Conditional" in html


@pytest.mark.django_db
def test_the_builder_explains_what_is_wrong(analyst_client):
    response = analyst_client.post("/scenarios/new/", builder_data(missions=[], size=0, w_budget=140))
    assert response.status_code == 200
    form = response.context["form"]
    assert "Choose at least one mission." in form.errors["missions"]
    assert form.errors["size"] and form.errors["w_budget"]
    assert not Scenario.objects.exists()


@pytest.mark.django_db
def test_missions_that_lack_every_chosen_function_are_refused(analyst_client):
    electoral = MandateFunction.objects.get(code="electoral_assistance").pk
    response = analyst_client.post("/scenarios/new/", builder_data(
        missions=[Mission.objects.get(acronym="UNDOF").pk], functions=[electoral]))
    assert "None of the chosen missions has any of the chosen functions" in response.content.decode()


@pytest.mark.django_db
def test_a_preset_fills_the_builder(analyst_client):
    form = analyst_client.get("/scenarios/new/?preset=japan_safeguards").context["form"]
    assert form.initial["strict_gates"] == ["jp_ceasefire", "jp_consent", "jp_impartiality", "jp_withdrawal",
                                            "jp_minimal_force", "jp_personnel_safety", "art_89_x", "host_consent"]
    assert form.initial["max_p_any_fatality_pct"] == 5 and form.initial["within_mandate"] is True
    assert form.initial["w_constitutional_legal"] == 100 and form.initial["w_budget"] == 60


@pytest.mark.django_db
def test_a_scenario_can_be_duplicated_and_the_copy_belongs_to_whoever_copied_it(analyst_client, built, analyst):
    response = analyst_client.post(f"/scenarios/{built.pk}/duplicate/")
    copy = Scenario.objects.exclude(pk=built.pk).get()
    assert response.status_code == 302 and copy.owner == analyst
    assert set(copy.missions.values_list("acronym", flat=True)) == {"MINURSO", "UNMOGIP"}
    assert ScenarioResult.objects.filter(scenario=copy).exists()


@pytest.mark.django_db
def test_someone_elses_scenario_cannot_be_edited(client, built, django_user_model):
    from django.contrib.auth.models import Group

    other = django_user_model.objects.create_user("other-analyst", password="x-test-only")
    other.groups.add(Group.objects.get(name="analyst"))
    client.force_login(other)
    assert client.get(f"/scenarios/{built.pk}/edit/").status_code == 403
    assert client.get(built.get_absolute_url()).status_code == 200  # but it can be read and shared


@pytest.mark.django_db
def test_consultants_read_but_do_not_build(client, built, django_user_model):
    from django.contrib.auth.models import Group

    consultant = django_user_model.objects.create_user("a-consultant", password="x-test-only")
    consultant.groups.add(Group.objects.get(name="consultant"))
    client.force_login(consultant)
    assert client.get("/scenarios/new/").status_code == 403
    assert client.get(built.get_absolute_url()).status_code == 200


@pytest.mark.django_db
def test_two_scenarios_are_compared_with_a_pareto_frontier(analyst_client, built):
    analyst_client.post(f"/scenarios/{built.pk}/duplicate/")
    copy = Scenario.objects.exclude(pk=built.pk).get()
    response = analyst_client.get("/scenarios/compare/", {"ids": f"{built.pk},{copy.pk}"})
    assert response.status_code == 200
    assert 'id="fig-compare"' in response.content.decode()
    assert len(response.context["rows"]) == 2


@pytest.mark.django_db
@pytest.mark.parametrize("ids, status", [("1", 400), ("a,b", 400), ("1,2,3,4,5", 400), ("999998,999999", 404)])
def test_bad_comparisons_are_explained(analyst_client, ids, status):
    assert analyst_client.get("/scenarios/compare/", {"ids": ids}).status_code == status


@pytest.mark.django_db
def test_the_explorer_shows_the_heatmap_and_best_options_for_a_mode(analyst_client):
    response = analyst_client.get("/scenarios/explorer/", {"mode": "national_contingent", "feasibility": "conditional",
                                                           "active": "on"})
    assert response.status_code == 200
    assert 'id="fig-heatmap"' in response.content.decode()
    top = response.context["top"]
    assert top and all(o["feasibility"] == "conditional" and o["reasons_list"] for o in top)
    pmc = analyst_client.get("/scenarios/explorer/", {"mode": "private_military_company", "feasibility": "infeasible"})
    assert all("Who the UN contracts with" in " ".join(o["reasons_list"]) for o in pmc.context["top"])


@pytest.mark.django_db
def test_the_explorer_can_list_only_each_missions_best_option(analyst_client):
    query = {"mode": "individual", "feasibility": "not_infeasible", "active": "on"}
    every = analyst_client.get("/scenarios/explorer/", query).context["top"]
    one_each = analyst_client.get("/scenarios/explorer/", {**query, "per_mission": "on"}).context["top"]
    missions = [o["mission"] for o in one_each]
    assert len(missions) == len(set(missions)) > 1
    # task-set variants never crowd the list: one option per mission x mode x size, with its best tasks
    assert len({(o["mission"], o["size"]) for o in every}) == len(every)
    assert one_each[0]["net"] == every[0]["net"]


@pytest.mark.django_db
def test_the_explorer_refuses_an_unknown_mode(analyst_client):
    assert analyst_client.get("/scenarios/explorer/", {"mode": "mercenaries"}).status_code == 400


@pytest.mark.django_db
def test_the_scenario_page_says_when_results_are_stale(analyst_client, built):
    ScenarioResult.objects.filter(scenario=built).update(is_stale=True)
    assert "These results are stale." in analyst_client.get(built.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_pages_speak_spanish(analyst_client, built):
    analyst_client.cookies["django_language"] = "es"
    html = analyst_client.get(built.get_absolute_url()).content.decode()
    assert "Veredicto" in html


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["scenario", "/scenarios/explorer/", "/scenarios/"])
def test_scenario_pages_run_a_fixed_number_of_queries(analyst_client, built, path):
    from django.core.cache import cache

    from risks.inputs import forget_memo

    url = built.get_absolute_url() if path == "scenario" else path

    def count() -> int:
        cache.clear()
        forget_memo()  # cold: the inputs and the UN record's aggregations are read again each time
        with CaptureQueriesContext(connection) as queries:
            assert analyst_client.get(url).status_code == 200
        return len(queries)

    before = count()
    for _ in range(3):
        analyst_client.post(f"/scenarios/{built.pk}/duplicate/")
    Mission.objects.create(acronym="ZZGROW", name="Growth", is_active=True)
    services.current_grid()  # the grid of the grown inputs stored, as the recomputation after an edit does
    assert count() == before


@pytest.mark.django_db
def test_the_overview_answers_first_with_the_best_admissible_option_per_mode(analyst_client):
    html = analyst_client.get("/").content.decode()
    assert "Mexico's best options now" in html
    answer = html[html.index('id="answer"'):html.index("</section>", html.index('id="answer"'))]
    grid = services.current_grid()
    admissible = grid[grid["excluded_by"] == ""]
    best = admissible.sort_values("net", ascending=False).iloc[0]
    assert f"in {best['mission']}" in answer
    assert "No admissible option: every one fails a gate." in answer  # the private military company
    # The shipped data: 20 Mexicans in June and in July 2025, in the same missions.
    assert "Mexico's uniformed personnel stayed at 20 in July 2025, with no change in any mission." in answer
    assert "went from 20 to 20" not in answer
    # On a phone the table turns into one block per mode: every value cell names its column.
    assert 'class="data compact stack"' in answer
    for label in ("Best mission and tasks", "Verdict", "Index", "Rank", "Against not deploying",
                  "Expected fatalities", "Net cost a year"):
        assert answer.count(f'data-label="{label}"') == 4, label  # the four modes with an option (civilians too)
