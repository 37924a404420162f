"""The missions list and a mission's page are kept per viewer like the overview (pkoanalysis.pagecache):
served again without being rendered, and rendered again once a curator changes the data."""

import re

import pytest

from missions import views
from missions.models import Mission

pytestmark = pytest.mark.django_db


def without_tokens(html: bytes) -> bytes:
    """The page without its CSRF tokens (masked afresh in every answer)."""
    return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", html)


@pytest.fixture
def renders(monkeypatch):
    """Counts the times each missions page is rendered (not served from the kept copy)."""
    counted = []
    render = views.render
    monkeypatch.setattr(views, "render", lambda request, template, *a, **k: (counted.append(template),
                                                                              render(request, template, *a, **k))[1])
    return counted


@pytest.mark.parametrize("url", ["/missions/", "/missions/?kind=all&sort=-personnel", "/missions/MINUSCA/"])
def test_a_missions_page_is_rendered_once_then_kept_until_the_data_changes(analyst_client, renders, url):
    first = analyst_client.get(url)
    second = analyst_client.get(url)
    assert first.status_code == second.status_code == 200
    assert len(renders) == 1 and without_tokens(first.content) == without_tokens(second.content)

    mission = Mission.objects.get(acronym="MINUSCA")
    mission.hq_location = "Bangui (edited)"
    mission.save()  # a curator's edit: the history gains a row, the data's vintage moves
    third = analyst_client.get(url)
    assert len(renders) == 2 and third.status_code == 200


def test_an_unknown_mission_is_not_kept(analyst_client, renders):
    assert analyst_client.get("/missions/NOPE/").status_code == 404
    assert analyst_client.get("/missions/NOPE/").status_code == 404
