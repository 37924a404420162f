"""One scale and one money format on every surface (issue 24, items 2 and 5): the 0-100 index
of risks.scale wherever a net score is shown, no index for an option Mexico cannot build, the
raw net score only on hover or in columns that say "raw", one way to write US dollars, and one
count of the missions "with Mexicans now"."""

import json
import re

import pytest
from django.template import Context, Template
from django.utils import translation

from missions import selectors
from missions.models import Mission
from pkoanalysis.money import money
from plans.models import Plan, PlanResult
from risks import scale
from risks.models import ContributionMode, Scenario
from tests.risks.test_pages import builder_data

SCORE = re.compile(r'<span class="score[^"]*" title="([^"]*)">([^<]*)')
# An amount written any other way than pkoanalysis.money: "US$1.00M", "US$ 20 M" (plain space),
# "US$3,879,600", or a header that moves the unit into the column name.
OTHER_MONEY = re.compile(r"US\$ ?\d|US\$\xa0\d[\d,.]*M|\(US\$\)|\(US\$ M\)")


def render(text: str, **context) -> str:
    return Template("{% load money scores %}" + text).render(Context(context))


def test_money_writes_whole_dollars_below_a_million_and_millions_with_one_decimal_above():
    with translation.override("en"):
        assert money(879_600) == "US$\xa0879,600"
        assert money(3_879_600) == "US$\xa03.9\xa0M"
        assert money(20_000_000) == "US$\xa020.0\xa0M"
        assert money(1_250_000_000) == "US$\xa01,250\xa0M"
        assert money(3_879_600, full=True) == "US$\xa03,879,600"
        assert money(-250_000) == "US$\xa0-250,000"
        assert money(None) == money(float("nan")) == money("n/a") == "–"
        assert render("{{ x|money }} {{ x|money:'full' }}", x=1_428) == "US$\xa01,428 US$\xa01,428"


def test_money_takes_the_languages_separators_from_django_formats():
    from django.utils.formats import number_format

    with translation.override("es"):
        expected = number_format(3.9, 1, use_l10n=True, force_grouping=True)
        assert money(3_879_600) == f"US$\xa0{expected}\xa0M"
        assert money(879_600) == "US$\xa0" + number_format(879_600, 0, use_l10n=True, force_grouping=True)


def test_the_score_tag_never_gives_an_excluded_option_or_a_missing_anchor_an_index():
    assert SCORE.search(render("{% score 0.05 0.1 %}")).groups() == ("raw net score 0.050", "50")
    title, shown = SCORE.search(render("{% score 0.3 0.1 False %}")).groups()
    assert shown == "—" and "not admissible" in title and "0.300" in title
    title, shown = SCORE.search(render("{% score -0.233 None %}")).groups()
    assert shown == "—" and "-0.233" in title and "no index" in title


def test_an_index_above_100_says_what_it_means():
    title, shown = SCORE.search(render("{% score 0.137 0.1 %}")).groups()
    assert shown == "137" and "above 100: better than the best admissible option" in title
    assert "above 100" not in render("{% score 0.137 0.1 part=True %}")  # a risk of 137 points beats nothing
    assert scale.above_best(100.6) and not scale.above_best(100.4)


def test_one_ruler_for_several_comparisons_is_the_best_anchor_among_them():
    assert scale.common_anchor([0.2, None, 0.3]) == 0.3
    assert scale.common_anchor([None, None]) is None


def scores_in(html: str) -> list[tuple[str, str]]:
    return SCORE.findall(html)


def without_titles(html: str) -> str:
    return re.sub(r'title="[^"]*"', "", html)


@pytest.fixture
def scenarios(analyst_client):
    """Two scenarios: one with admissible missions, one whose every mission fails a gate."""
    individual = ContributionMode.objects.get(code="individual").pk
    national = ContributionMode.objects.get(code="national_contingent").pk
    good = builder_data(name="Observers", mode=individual)
    bad = builder_data(name="A contingent of observers", mode=national, size=40,
                       missions=[Mission.objects.get(acronym="UNMOGIP").pk])  # no formed units there
    for data in (good, bad):
        assert analyst_client.post("/scenarios/new/", data).status_code == 302
    return Scenario.objects.get(name="Observers"), Scenario.objects.get(name="A contingent of observers")


@pytest.mark.django_db
def test_the_scenario_list_compare_and_detail_show_the_index_and_no_raw_score(analyst_client, scenarios):
    good, bad = scenarios
    good_result, bad_result = good.result, bad.result
    assert bad_result.feasibility == "infeasible"
    anchor = scale.anchor(good_result.options)

    listing = analyst_client.get("/scenarios/").content.decode()
    shown = dict((title, value) for title, value in scores_in(listing))
    assert shown[f"raw net score {good_result.net:.3f}"] == str(round(100 * good_result.net / anchor))
    # The infeasible scenario: "—", never its raw score where an index belongs (it was -0.233 once).
    assert shown[f"not admissible: no index (raw net score {bad_result.net:.3f})"] == "—"
    assert f"{bad_result.net:.3f}" not in without_titles(listing)
    assert "Net score" not in listing

    page = analyst_client.get(f"/scenarios/compare/?ids={good.pk},{bad.pk}").content.decode()
    common = scale.common_anchor([anchor, scale.anchor(bad_result.options)])
    values = scores_in(page)
    assert (f"raw net score {good_result.net:.3f}", str(round(100 * good_result.net / common))) in values
    for raw in (good_result.p10, good_result.p90):
        assert any(title.startswith(f"raw net score {raw:.3f}") for title, _ in values)
    assert sum(value == "—" for _, value in values) == 4  # the infeasible scenario's index, risk, opportunity, P10-P90
    text = without_titles(page[page.index('<table class="data compare">'):page.index("</table>")])
    for raw in (good_result.net, good_result.risk, good_result.opportunity, good_result.p10, good_result.p90):
        assert f"{raw:.3f}" not in text
    assert "0 = not deploying, 100 = the best admissible mission in any of these scenarios" in page

    detail = analyst_client.get(good.get_absolute_url()).content.decode()
    assert f"net {good_result.net:.3f} against 0" not in detail
    best = max((o for o in good_result.options if o["selected"] and not o["excluded_by"]), key=lambda o: o["net"])
    assert (f"Best admissible chosen mission: {best['mission']}, index {round(100 * best['net'] / anchor)} "
            f"(raw net score {best['net']:.3f}; not deploying: 0).") in detail
    assert "A P90 above 100 is no error" in detail
    infeasible = analyst_client.get(bad.get_absolute_url()).content.decode()
    kpis = infeasible[infeasible.index('class="kpis"'):infeasible.index("</table>", infeasible.index('class="kpis"'))]
    assert all(value == "—" for _, value in scores_in(kpis))


@pytest.mark.django_db
def test_the_waterfall_and_the_histogram_name_their_option_and_read_on_the_index(analyst_client, scenarios):
    good, _bad = scenarios
    from risks.scenario_page import scenario_view

    figures = scenario_view(good.result)["figures"]
    chosen = [o["mission"] for o in good.result.options if o["selected"] and not o["excluded_by"]]
    anchor = scale.anchor(good.result.options)
    for name in ("waterfall", "distribution"):
        layout = json.loads(figures[name])["layout"]
        title = layout["title"]["text"]
        assert "Individual" in title and "10 people for 12 months" in title
        assert all(m in title for m in chosen), title
    waterfall = json.loads(figures["waterfall"])["data"][0]
    assert waterfall["x"][-1] == pytest.approx(100 * good.result.net / anchor)
    assert json.loads(figures["distribution"])["layout"]["xaxis"]["title"]["text"].startswith("index")


def test_the_tornado_title_reads_on_the_axis_scale():
    from risks import charts

    rows = [{"factor": "a", "low": 0.10, "high": 0.30}, {"factor": "b", "low": 0.18, "high": 0.22}]
    with translation.override("en"):
        on_index = json.loads(charts.tornado(rows, {"a": "Factor A"}, 0.2, anchor=0.4).to_json())["layout"]
        raw = json.loads(charts.tornado(rows, {"a": "Factor A"}, 0.2).to_json())["layout"]
    # 0.10 and 0.30 of a best option's 0.40: index 25 to 75, the axis's own scale.
    assert on_index["title"]["text"].startswith("“Factor A” moves the index most: from 25 to 75")
    assert on_index["xaxis"]["title"]["text"].startswith("index")
    assert raw["title"]["text"].startswith("“Factor A” moves the net score most: from +0.100 to +0.300")

@pytest.mark.django_db
def test_every_surface_writes_money_one_way(analyst_client, scenarios):
    good, _bad = scenarios
    call = analyst_client.post("/plans/new/", {"name": "Three hundred people", "max_people": 300,
                                               "max_cost_usd": 20_000_000, "objective": "expected",
                                               "cvar_alpha": 0.1, "cvar_weight": 0.5})
    assert call.status_code == 302
    plan = Plan.objects.get(name="Three hundred people")
    for url in ("/", "/scenarios/explorer/", "/scenarios/", good.get_absolute_url(), plan.get_absolute_url(),
                "/plans/", "/missions/UNIFIL/"):
        html = analyst_client.get(url).content.decode().replace(plan.name, "")
        html = re.sub(r"per US\$ 1 (M|million)", "", html)  # a unit ("index points per US$ 1 M"), no amount
        html = re.sub(r"<script.*?</script>", "", html, flags=re.S)  # figures: axes in US$ M are units
        assert not OTHER_MONEY.search(html), (url, html[OTHER_MONEY.search(html).start() - 80:][:160])
    html = analyst_client.get(plan.get_absolute_url()).content.decode()
    assert money(20_000_000) in html and money(PlanResult.objects.get(plan=plan).data["totals"]["cost_usd"]) in html


@pytest.mark.django_db
def test_the_plan_reads_each_option_and_its_total_on_the_index(analyst_client):
    from django.template.loader import render_to_string

    from plans.briefing import plan_section

    assert analyst_client.post("/plans/new/", {"name": "Indexed", "max_people": 300, "max_cost_usd": 20_000_000,
                                               "objective": "expected", "cvar_alpha": 0.1,
                                               "cvar_weight": 0.5}).status_code == 302
    plan = Plan.objects.get(name="Indexed")
    result = PlanResult.objects.get(plan=plan)
    anchor = result.data["anchor"]
    assert anchor >= max(o["value"] for o in result.data["options"])  # 100 = the best candidate, chosen or not
    total = sum(100 * o["value"] / anchor for o in result.data["options"])
    assert 100 * result.data["totals"]["value"] / anchor == pytest.approx(total)  # index points add up
    html = analyst_client.get(plan.get_absolute_url()).content.decode()
    table = html[html.index('id="plan-options"'):html.index("</table>", html.index('id="plan-options"'))]
    shown = [int(v) for title, v in scores_in(table) if title.startswith(f"raw net score {result.data['options'][0]['value']:.3f}")]
    assert shown[0] == round(100 * result.data["options"][0]["value"] / anchor)
    kpi = html[html.index('class="kpis"'):html.index('id="plan-options"')]
    assert str(round(total)) in [v for _, v in scores_in(kpi)]
    assert "plan value, sum of net scores" not in html and ">Value<" not in html
    assert result.run.anchor == anchor  # the history reads each run on its own scale
    section = render_to_string("plans/_briefing_section.html", {"s": plan_section(plan.owner.username)})
    assert f"The plan's value: {round(total)} index points" in section
    assert f"{result.data['options'][0]['value']:.3f}" not in without_titles(section)


@pytest.mark.django_db
def test_the_api_labels_raw_scores_and_gives_the_index(analyst_client, scenarios):
    good, bad = scenarios
    data = analyst_client.get(f"/api/scenarios/{good.pk}/result/").json()
    anchor = scale.anchor(good.result.options)
    assert data["anchor"] == pytest.approx(anchor)
    assert data["index"]["net"] == pytest.approx(100 * good.result.net / anchor)
    for option in data["options"]:
        assert (option["index"] is None) == bool(option["excluded_by"])
    assert all(v is None for v in analyst_client.get(f"/api/scenarios/{bad.pk}/result/").json()["index"].values())
    schema = analyst_client.get("/api/schema/").content.decode()
    assert "raw net score: opportunities minus risks" in schema


@pytest.mark.django_db
def test_with_mexicans_now_is_one_count_on_the_overview_the_list_mission_pages_and_the_api(analyst_client):
    now = selectors.with_mexicans_now()
    missions = {m.pk: m.acronym for m in Mission.objects.all()}
    acronyms = {missions[pk] for pk in now}
    assert len(now) == selectors.headlines().mexico_missions
    home = analyst_client.get("/").content.decode()
    assert f'?kind=all&amp;mexico=now">{len(now)}</a>' in home
    listed = set()
    page = 1
    while True:
        response = analyst_client.get("/missions/", {"mexico": "now", "page": page})
        listed |= {r.mission.acronym for r in response.context["missions"]}
        if not response.context["page"].has_next():
            break
        page += 1
    assert listed == acronyms
    # A narrower kind shows fewer, and says the overview's count beside them.
    narrow = analyst_client.get("/missions/", {"mexico": "now", "kind": "pko"}).content.decode()
    if any(Mission.objects.get(acronym=a).kind != "pko" for a in acronyms):
        assert f"{len(now)} missions of every kind have Mexicans now" in narrow
    api = []
    url = "/api/missions/?page_size=200"
    while url:
        body = analyst_client.get(url).json()
        api += body["results"]
        url = body["next"]
    assert {m["acronym"] for m in api if m["mexicans_now"]} == acronyms
    for acronym in acronyms:
        assert "With Mexicans now:" in analyst_client.get(f"/missions/{acronym}/").content.decode()
    outside = next(a for a in missions.values() if a not in acronyms)
    assert "With Mexicans now:" not in analyst_client.get(f"/missions/{outside}/").content.decode()
