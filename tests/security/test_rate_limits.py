"""API rate limits: counted in the shared cache (so every worker process adds to one count),
for anonymous requests and POST /api/token/ too, by the client's real address."""

import runpy

import pytest
from django.core.cache import caches
from rest_framework.settings import api_settings

from tests.conftest import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def rates(monkeypatch):
    def set_rate(scope: str, rate: str) -> None:
        monkeypatch.setitem(api_settings.DEFAULT_THROTTLE_RATES, scope, rate)
    return set_rate


@pytest.mark.parametrize(("cache_url", "backend"), [
    ("", "django.core.cache.backends.db.DatabaseCache"),
    ("redis://127.0.0.1:6379/13", "pkoanalysis.rediscache.ResilientRedisCache"),
])
def test_the_counters_live_in_redis_or_the_database_never_in_process_memory(monkeypatch, cache_url, backend):
    monkeypatch.setenv("CACHE_URL", cache_url)
    if not cache_url:
        monkeypatch.delenv("CACHE_URL")
    settings = runpy.run_path("pkoanalysis/settings.py")
    assert settings["CACHES"]["shared"]["BACKEND"] == backend
    assert settings["REST_FRAMEWORK"]["DEFAULT_THROTTLE_CLASSES"] == [
        "api.throttles.UserRateThrottle", "api.throttles.AnonRateThrottle"]


def test_a_request_counted_by_one_process_is_seen_by_another(client, django_user_model, settings):
    settings.CACHES = {**settings.CACHES, "shared": {"BACKEND": "django.core.cache.backends.db.DatabaseCache",
                                                     "LOCATION": "pko_shared_cache"}}
    user = make_user(django_user_model, "analyst")
    client.force_login(user)
    assert client.get("/api/modes/").status_code == 200
    another_process = caches.create_connection("shared")  # a cache object of its own, as in another worker
    assert len(another_process.get(f"throttle_user_{user.pk}", [])) == 1


def test_anonymous_requests_are_throttled_although_each_is_refused(client, rates):
    rates("anon", "3/hour")
    assert [client.get("/api/missions/").status_code for _ in range(4)] == [401, 401, 401, 429]


def test_a_forged_forwarded_for_header_does_not_reset_the_count(client, rates):
    rates("anon", "2/hour")
    codes = [client.get("/api/missions/", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}").status_code for n in range(3)]
    assert codes == [401, 401, 429]


def test_the_token_endpoint_is_throttled_per_address(client, django_user_model, rates):
    make_user(django_user_model, "analyst")
    rates("token", "3/hour")
    wrong = {"username": "analyst-user", "password": "not-the-password"}
    right = {"username": "analyst-user", "password": "pw-for-tests-only"}
    assert [client.post("/api/token/", wrong).status_code for _ in range(3)] == [400, 400, 400]
    response = client.post("/api/token/", right)
    assert response.status_code == 429 and "throttled" in response.json()["detail"].lower()
    assert client.post("/api/token/", right, REMOTE_ADDR="192.0.2.50").status_code == 200
