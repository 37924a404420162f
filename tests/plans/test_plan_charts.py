"""The plan's figures: the pathway draws one unit per axis and a colour per mission, and the
titles state what the figures show."""

import json

import pandas as pd

from plans import charts as plan_charts
from risks import charts as risk_charts

MODES = {"individual": "Individual", "national_contingent": "National contingent"}


def a_pathway() -> list[dict]:
    missions = ["UNFICYP", "MINURSO", "UNTSO", "UNMOGIP", "UNVMC", "BINUH"]
    years = []
    for k, year in enumerate((2027, 2028, 2029)):
        options = [{"mission": m, "mode": "individual", "size": 10} for m in missions]
        if k == 2:
            options.append({"mission": "UNFICYP", "mode": "national_contingent", "size": 40})
        years.append({"year": year, "people": sum(o["size"] for o in options), "options": options,
                      "cumulative_cost_usd": 1.5e6 * (k + 1), "cumulative_fatalities": 0.02 * (k + 1)})
    return years


def test_the_pathway_gives_each_unit_its_own_axis_and_each_mission_its_own_colour():
    fig = json.loads(plan_charts.pathway(a_pathway(), MODES).to_json())
    axes = {t.get("yaxis", "y"): t for t in fig["data"]}
    assert set(axes) == {"y", "y2", "y3"}  # people, US$ million, fatalities: never two on one axis
    assert [fig["layout"][f"yaxis{n}"]["title"]["text"] for n in ("", "2", "3")] == ["people", "US$ M", "fatalities"]
    bars = [t for t in fig["data"] if t["type"] == "bar"]
    colours = {t["name"].split(" · ")[0]: t["marker"]["color"] for t in bars}
    assert len(set(colours.values())) == 6  # six missions, six colours
    national = next(t for t in bars if "National" in t["name"])
    assert national["marker"]["color"] == colours["UNFICYP"] and national["marker"]["pattern"]["shape"] == "x"
    assert all(t["meta"]["columns"]["x"] == "year" for t in fig["data"])  # the table's first column
    assert fig["layout"]["title"]["text"] == "From 60 people in 2027 to 100 in 2029, in 6 missions"


def test_the_frontier_says_where_more_buys_nothing():
    points = [{"cap": c, "value": v, "people": c, "cost": 0} for c, v in ((0, 0), (50, 0.2), (100, 0.3), (150, 0.3))]
    title = json.loads(plan_charts.frontier(points, "people", 300).to_json())["layout"]["title"]["text"]
    assert title == "Beyond a cap of 100 people the plan's value stops growing"
    rising = points[:3]
    assert "still grows" in plan_charts.frontier(rising, "people", 300).layout.title.text


def test_the_risk_scatter_names_the_safest_chosen_mission():
    options = [{"mission": m, "risk": r, "opportunity": 0.2, "net": n, "feasibility": "feasible", "selected": s}
               for m, r, n, s in (("UNFICYP", 0.1, 0.05, True), ("UNMISS", 0.4, 0.2, True), ("MINUSMA", 0.05, 0, False))]
    title = risk_charts.risk_opportunity(options, {"feasible": "Feasible", "conditional": "C", "infeasible": "I"}).layout.title.text
    assert title == "UNFICYP carries the lowest risk of the 2 chosen missions; UNMISS has the best net score"


def test_the_explorer_names_its_best_admissible_cell_and_never_an_infeasible_one():
    matrix = pd.DataFrame({"electoral": [0.3, 0.1], "police": [0.5, float("nan")]}, index=["A<b>", "B"])
    verdicts = pd.DataFrame({"electoral": ["feasible", "conditional"], "police": ["infeasible", None]}, index=["A<b>", "B"])
    fig = risk_charts.explorer_heatmap(matrix, verdicts, {"electoral": "Electoral assistance"}, anchor=0.3)
    assert fig.layout.title.text == "A&lt;b&gt; · Electoral assistance scores highest for this mode (index 100)"
