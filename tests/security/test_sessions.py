"""Sessions end after 30 minutes without a request and 12 hours after signing in (ASVS 3.3.2)."""

import time

import pytest
from django.conf import settings

from pkoanalysis.sessions import SEEN, STARTED

pytestmark = pytest.mark.django_db


def age(client, **seconds_ago: float) -> None:
    session = client.session
    for key, ago in seconds_ago.items():
        session[{"seen": SEEN, "started": STARTED}[key]] = time.time() - ago
    session.save()


def test_the_limits_are_thirty_minutes_idle_and_twelve_hours_in_all():
    assert settings.SESSION_IDLE_SECONDS == 30 * 60
    assert settings.SESSION_ABSOLUTE_SECONDS == settings.SESSION_COOKIE_AGE == 12 * 3600


def test_a_request_within_the_limits_stays_signed_in(analyst_client):
    assert analyst_client.get("/missions/").status_code == 200
    age(analyst_client, seen=29 * 60, started=11 * 3600)
    assert analyst_client.get("/missions/").status_code == 200


def test_thirty_minutes_without_a_request_signs_the_user_out_and_says_why(analyst_client):
    analyst_client.get("/missions/")
    age(analyst_client, seen=31 * 60)
    response = analyst_client.get("/missions/", follow=True)
    assert response.redirect_chain[0][0].startswith("/accounts/login/")
    assert "_auth_user_id" not in analyst_client.session
    assert "after 30 minutes without activity" in response.content.decode()


def test_twelve_hours_after_signing_in_the_session_ends_however_busy(analyst_client):
    analyst_client.get("/missions/")
    age(analyst_client, seen=0, started=12 * 3600 + 1)
    response = analyst_client.get("/missions/", follow=True)
    assert response.redirect_chain[0][0].startswith("/accounts/login/")
    assert "at most 12 hours" in response.content.decode()


def test_the_api_refuses_an_idle_session_too(analyst_client):
    assert analyst_client.get("/api/modes/").status_code == 200
    age(analyst_client, seen=31 * 60)
    assert analyst_client.get("/api/modes/").status_code in (401, 403)
