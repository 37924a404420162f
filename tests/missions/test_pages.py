"""Pages as a logged-in analyst sees them, and as an anonymous visitor does not."""

import datetime as dt
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from missions.models import Country, Deployment, Mission
from risks import services


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/missions/", "/missions/MINURSO/"])
def test_anonymous_visitors_are_sent_to_the_login_page(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
def test_the_login_page_speaks_spanish_too(client):
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="es")
    assert "Iniciar sesión" in response.content.decode()


@pytest.mark.django_db
def test_the_home_page_draws_its_charts_from_local_plotly(analyst_client):
    response = analyst_client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    for figure in ("fig-map", "fig-mex-type", "fig-mex-mission", "fig-mex-women", "fig-comparators"):
        assert f'id="{figure}"' in html
    assert "/static/vendor/plotly-pko.min.js" in html
    assert "cdn." not in html and "https://" not in html.split("<footer")[0]
    # the founding documents name only Argentina and Japan as comparators; the page says so
    assert "comparators named in the source documents" not in html
    assert "Argentina and Japan are the comparative cases" in html


@pytest.mark.django_db
def test_the_mission_list_filters_by_status_region_and_mexico(analyst_client):
    response = analyst_client.get("/missions/", {"status": "active", "mexico": "ever"})
    missions = [row.mission for row in response.context["missions"]]
    assert missions and all(m.is_active for m in missions)
    assert "MINURSO" in {m.acronym for m in missions}
    closed = analyst_client.get("/missions/", {"status": "closed"}).context["missions"]
    assert all(not row.mission.is_active for row in closed)
    africa = analyst_client.get("/missions/", {"region": "Africa"}).context["missions"]
    assert africa and all(row.mission.host_country.region == "Africa" for row in africa)


@pytest.mark.django_db
def test_a_mission_page_shows_contributors_mexico_and_fatalities(analyst_client):
    response = analyst_client.get("/missions/MINURSO/")
    assert response.status_code == 200
    figures = response.context["figures"]
    assert {"by_type", "top", "fatalities", "mexico"} <= set(figures)
    assert response.context["mexico_months"] > 0


@pytest.mark.django_db
def test_an_unknown_mission_is_a_404(analyst_client):
    assert analyst_client.get("/missions/NOPE/").status_code == 404


def grow_the_data() -> None:
    """Add a mission and a year of deployments for every comparator, so row counts grow."""
    mission = Mission.objects.create(acronym="ZZTEST", name="Growth test", is_active=True,
                                     hq_latitude=1.0, hq_longitude=1.0)
    rows = [
        Deployment(month=dt.date(2031, m, 1), mission=mission, country=country, personnel_type="troops",
                   total=10, male=9, female=1, source="un")
        for m in range(1, 13) for country in Country.objects.filter(iso3__in=["MEX", "ARG", "BRA", "URY"])
    ]
    Deployment.objects.bulk_create(rows)


def count_queries(client, url: str) -> int:
    from django.core.cache import caches

    from risks.inputs import forget_memo

    for alias in ("default", "shared"):  # kept pages and figures; kept permissions
        caches[alias].clear()
    forget_memo()  # and the inputs kept in this process: the page from cold, each time
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/missions/", "/missions/MINURSO/", "/api/deployments/?country=MEX"])
def test_the_number_of_queries_does_not_grow_with_the_data(analyst_client, url):
    analyst_client.get("/healthz/")  # the first request after signing in records when the session began
    before = count_queries(analyst_client, url)
    grow_the_data()
    services.current_grid()  # the grid of the grown inputs stored, as the recomputation after an import does
    assert count_queries(analyst_client, url) == before


@pytest.mark.django_db
def test_a_curators_edit_gives_the_cached_pages_a_new_data_vintage(analyst_client):
    from missions import selectors

    analyst_client.get("/")
    before = selectors.data_vintage()
    mission = Mission.objects.get(acronym="MINURSO")
    mission.is_active = False
    mission.save()  # what the admin does; its history gains a row
    assert selectors.data_vintage() != before
    rows = analyst_client.get("/missions/", {"kind": "pko", "status": "closed", "q": "MINURSO"}).context["missions"]
    assert [r.mission.acronym for r in rows] == ["MINURSO"]
    map_json = analyst_client.get("/").context["figures"]["map"]
    closed = next(t for t in json.loads(map_json)["data"] if t["name"] == "Closed mission")
    assert "MINURSO" in closed["text"]
