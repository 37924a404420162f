"""The 0-100 score index (risks.scale), the smallest change that improves a scenario's verdict,
and the pages that show them."""

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from risks import explorer, scale, services
from risks.scenario_page import improvements

finite = st.floats(-1, 1, allow_nan=False, allow_subnormal=False)  # a subnormal best makes -1/best overflow to -inf


def test_the_index_anchors_not_deploying_at_0_and_the_best_admissible_option_at_100():
    options = [{"net": 0.2, "excluded_by": ""}, {"net": 0.1, "excluded_by": ""},
               {"net": 0.9, "excluded_by": "mission_fit"}]  # excluded: never the anchor
    best = scale.anchor(options)
    assert best == 0.2
    assert [scale.index(o["net"], best) for o in options[:2]] == [100.0, 50.0]
    assert scale.index(-0.05, best) == -25.0   # worse than staying home: below 0
    assert scale.index(0.0, best) == 0.0


def test_no_index_when_nothing_admissible_beats_not_deploying():
    assert scale.anchor([{"net": -0.1, "excluded_by": ""}, {"net": 0.3, "excluded_by": "art_89_x"}]) is None
    assert scale.index(0.1, None) is None
    assert scale.index(float("nan"), 0.2) is None


@given(st.lists(finite, min_size=1, max_size=20))
def test_the_index_keeps_the_order_of_the_net_scores(nets):
    options = [{"net": n, "excluded_by": ""} for n in nets]
    best = scale.anchor(options)
    if best is None:
        assert max(nets) <= 0
        return
    indices = [scale.index(n, best) for n in nets]
    assert max(indices) == pytest.approx(100.0)
    for a, b, ia, ib in zip(nets, nets[1:], indices, indices[1:], strict=False):
        assert (a < b) == (ia < ib)


def chosen(**levels):
    return [{"mission": m, "feasibility": level} for m, level in levels.items()]


def test_the_smallest_change_drops_exactly_the_missions_below_each_better_level():
    steps = improvements(chosen(A="infeasible", B="conditional", C="feasible", D="infeasible"))
    assert steps == [{"level": "conditional", "keep": ["B", "C"], "drop": ["A", "D"]},
                     {"level": "feasible", "keep": ["C"], "drop": ["A", "B", "D"]}]
    # Dropping every mission is no scenario: a level no mission reaches is not offered.
    assert improvements(chosen(A="infeasible", B="conditional")) == [
        {"level": "conditional", "keep": ["B"], "drop": ["A"]}]
    assert improvements(chosen(A="feasible")) == []
    assert improvements(chosen(A="conditional", B="conditional")) == []


@pytest.mark.django_db
def test_the_overview_and_the_explorer_show_the_index_with_the_raw_score_on_hover(analyst_client):
    grid = services.current_grid()
    best = explorer.grid_anchor(grid)
    html = analyst_client.get("/").content.decode()
    answer = html[html.index('id="answer"'):html.index("</section>", html.index('id="answer"'))]
    assert re.search(r'<span class="score" title="raw net score [0-9.]+">100</span>', answer)
    assert "0 = not deploying, 100 = the best admissible option of any mode" in answer
    page = analyst_client.get("/scenarios/explorer/", {"mode": "individual", "active": "on",
                                                       "feasibility": "not_infeasible"})
    top = page.context["top"][0]
    assert page.context["anchor"] == best
    cells = re.findall(r"<span class=\"score\" title=\"raw net score ([0-9.]+)\">(-?[0-9]+)</span>", page.content.decode())
    assert float(cells[0][0]) == pytest.approx(top["net"], abs=1e-3)
    assert int(cells[0][1]) == round(100 * top["net"] / best)


@pytest.mark.django_db
@pytest.mark.parametrize("feasibility", ["infeasible", "conditional"])
def test_infeasible_options_are_greyed_and_never_offered_to_build(analyst_client, feasibility):
    page = analyst_client.get("/scenarios/explorer/", {"mode": "national_contingent", "feasibility": feasibility})
    html = page.content.decode()
    top = {o["mission"]: o for o in page.context["top"]}
    rows = re.findall(r"<tr( class=\"muted\")?><td(?: class=\"lead\")?><a href=\"/missions/([^/]+)/\">(.*?)</tr>",
                      html, re.S)
    assert {mission for _muted, mission, _rest in rows} == set(top)
    for muted, mission, row in rows:
        blocked = top[mission]["feasibility"] == "infeasible" or bool(top[mission]["excluded_by"])
        assert blocked == (feasibility == "infeasible")
        assert bool(muted) == blocked
        assert ("Build</a>" in row) == (not blocked)


@pytest.mark.django_db
def test_the_scenario_page_names_the_smallest_change_that_improves_its_verdict(analyst_client):
    from missions.models import Mission
    from risks.models import ContributionMode, Scenario
    from tests.risks.test_pages import builder_data

    data = builder_data(name="Contingent for observers", mode=ContributionMode.objects.get(code="national_contingent").pk,
                        size=40, missions=[Mission.objects.get(acronym=a).pk for a in ("UNMOGIP", "UNFICYP")])
    assert analyst_client.post("/scenarios/new/", data).status_code == 302
    scenario = Scenario.objects.get(name="Contingent for observers")
    levels = {o["mission"]: o["feasibility"] for o in scenario.result.options if o["selected"]}
    assert levels["UNMOGIP"] == "infeasible" != levels["UNFICYP"]  # UNMOGIP has no formed units
    html = analyst_client.get(scenario.get_absolute_url()).content.decode()
    assert "Smallest change that improves the verdict" in html
    assert f"drop UNMOGIP: {levels['UNFICYP'].capitalize()}" in html
    assert f"/scenarios/new/?from={scenario.pk}&amp;missions=UNFICYP" in html


@pytest.mark.django_db
def test_builder_links_name_missions_and_functions_by_acronym_and_code(analyst_client):
    from missions.models import MandateFunction, Mission

    form = analyst_client.get("/scenarios/new/", {"missions": ["UNFICYP", "UNVMC"],
                                                  "functions": ["ceasefire_monitoring"]}).context["form"]
    assert sorted(form["missions"].value()) == sorted(
        Mission.objects.filter(acronym__in=["UNFICYP", "UNVMC"]).values_list("pk", flat=True))
    assert form["functions"].value() == [MandateFunction.objects.get(code="ceasefire_monitoring").pk]
