"""The missions list: kinds told apart, filters, sorting and pages, all in the querystring, at a
constant number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from missions import selectors
from missions.models import Mission
from pkoanalysis.pagecache import forget_pages

pytestmark = pytest.mark.django_db


def rendered(client, params: dict):
    """The list rendered now (not the copy kept for the viewer: pkoanalysis.pagecache), so its
    template context can be read."""
    forget_pages()
    return client.get("/missions/", params)


def listed(client, **params) -> list[str]:
    response = rendered(client, params)
    assert response.status_code == 200
    return [row.mission.acronym for row in response.context["missions"]]


def every_page(client, **params) -> list:
    rows, page = [], 1
    while True:
        response = rendered(client, {**params, "page": page})
        rows += list(response.context["missions"])
        if not response.context["page"].has_next():
            return rows
        page += 1


def test_it_lists_peacekeeping_operations_unless_asked_for_other_kinds(analyst_client):
    kinds = {kind: set(Mission.objects.filter(kind=kind).values_list("acronym", flat=True))
             for kind in ("pko", "spm", "other")}
    assert {r.mission.acronym for r in every_page(analyst_client)} == kinds["pko"]
    assert {r.mission.acronym for r in every_page(analyst_client, kind="spm")} == kinds["spm"]
    assert len(every_page(analyst_client, kind="all")) == Mission.objects.count()
    html = analyst_client.get("/missions/", {"kind": "all"}).content.decode()
    assert f"Special political missions ({len(kinds['spm'])})" in html
    assert '<abbr class="kind spm" title="Special political mission">' in html


def test_with_mexicans_now_agrees_with_the_overview_and_ever_says_since_when(analyst_client):
    now = every_page(analyst_client, kind="all", mexico="now")
    assert len(now) == selectors.headlines().mexico_missions
    assert all(r.mexico_now > 0 for r in now)
    ever = every_page(analyst_client, kind="all", mexico="ever")
    assert {r.mission.acronym for r in now} < {r.mission.acronym for r in ever}
    assert all(r.mexico_first.year >= 2015 for r in ever)  # the sources before 2015 have no missions
    never = every_page(analyst_client, kind="all", mexico="never")
    assert len(ever) + len(never) == Mission.objects.count()
    assert "at some time since 2015" in analyst_client.get("/missions/").content.decode()


def test_a_search_or_the_mexican_filter_looks_across_every_kind_unless_a_kind_is_chosen(analyst_client):
    assert listed(analyst_client, q="UNVMC") == ["UNVMC"]  # a special political mission
    assert "UNVMC" in listed(analyst_client, q="colombia")
    html = analyst_client.get("/missions/", {"q": "colombia"}).content.decode()
    assert '<option value="all" selected' in html
    assert '<abbr class="kind spm" title="Special political mission">' in html
    # "Mexicans there now" with no kind chosen counts as the overview does (UNVMC included).
    assert len(every_page(analyst_client, mexico="now")) == selectors.headlines().mexico_missions
    # A kind chosen explicitly still filters, and an empty result names what other kinds hold.
    assert listed(analyst_client, kind="pko", q="UNVMC") == []
    html = analyst_client.get("/missions/", {"kind": "pko", "q": "UNVMC"}).content.decode()
    assert 'id="found-elsewhere"' in html and "/missions/UNVMC/" in html and "special political mission" in html
    assert "kind=all" in html  # one click widens the search


def test_it_filters_by_status_region_and_search(analyst_client):
    assert all(r.mission.is_active for r in every_page(analyst_client, kind="all", status="active"))
    assert not any(r.mission.is_active for r in every_page(analyst_client, status="closed"))
    africa = every_page(analyst_client, region="Africa")
    assert africa and all(r.region == "Africa" for r in africa)
    assert listed(analyst_client, q="sahara") == ["MINURSO"]  # the name, case-insensitively


def test_it_sorts_by_any_column_both_ways_with_missing_figures_last(analyst_client):
    rows = every_page(analyst_client, kind="all", sort="-personnel")
    figures = [r.personnel for r in rows if r.personnel is not None]
    assert figures == sorted(figures, reverse=True) and rows[len(figures)].personnel is None
    rising = [r.personnel for r in every_page(analyst_client, kind="all", sort="personnel")]
    assert rising[:len(figures)] == sorted(figures) and rising[-1] is None
    assert listed(analyst_client, sort="acronym")[:2] == sorted(listed(analyst_client, sort="acronym"))[:2]
    starts = [r.mission.start_date for r in every_page(analyst_client, sort="-start") if r.mission.start_date]
    assert starts == sorted(starts, reverse=True)


def test_pages_and_header_links_keep_the_rest_of_the_state(analyst_client):
    first = listed(analyst_client, kind="all", sort="acronym")
    second = listed(analyst_client, kind="all", sort="acronym", page=2)
    assert len(first) == 25 and not set(first) & set(second)
    context = analyst_client.get("/missions/", {"kind": "all", "region": "Africa", "sort": "-personnel",
                                                "page": 2}).context
    header = next(c for c in context["columns"] if c["order"] == "descending")
    assert header["link"] == "?kind=all&region=Africa&sort=personnel"  # flips the sort, back to page 1
    assert ("?kind=all&region=Africa&sort=-personnel&page=1") in [link for n, link in context["pages"]]
    assert listed(analyst_client, page=999) == listed(analyst_client, page=4)  # past the end: the last page


def test_bad_parameters_fall_back_to_defaults_and_say_so(analyst_client):
    response = analyst_client.get("/missions/", {"sort": "nope", "page": "x", "kind": "zzz", "region": "Mars"})
    assert response.status_code == 200
    assert [r.mission.kind for r in response.context["missions"]] == ["pko"] * 25
    assert response.context["sort"] == "-personnel" and "errors" in response.content.decode()


def queries(client, params) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/missions/", params).status_code == 200
    return len(captured)


def test_the_list_runs_the_same_few_queries_whatever_the_filters_sort_and_page(analyst_client):
    from django.core.cache import cache

    states = [{}, {"kind": "all", "sort": "-mexico", "page": 3}, {"mexico": "now", "region": "Asia"},
              {"q": "united", "status": "closed", "sort": "name", "page": 2}]
    analyst_client.get("/missions/")  # a session's first request also stamps the session
    cache.clear()
    cold = queries(analyst_client, {})
    kept = queries(analyst_client, {})
    warm = {queries(analyst_client, state) for state in states[1:]}
    cache.clear()
    assert queries(analyst_client, states[1]) == cold
    # session and user (the account's permissions are kept in the shared cache, pkoanalysis.backends),
    # the data vintage, the missions; a cold cache adds the latest month, the three grouped counts
    # and the data's age for the banner; the page kept for this viewer needs no more than the vintage
    assert warm == {4} and cold == 9 and kept == 3
