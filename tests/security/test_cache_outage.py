"""The cache is an optimisation, never a single point of failure (issue 25 F3): with the cache on a
Redis that refuses connections, or one that accepts and never answers, pages, saves, exports and
the API still answer, and /healthz/ names the cache as unavailable while the database is fine."""

import socket
import time

import pytest
from django.contrib.auth.models import Group
from django.core.cache import caches

from missions.models import Mission
from plans.models import Plan
from risks.models import Briefing, Scenario
from tests.conftest import worker_number
from tests.plans.test_plans import ASKED
from tests.risks.test_pages import builder_data

pytestmark = pytest.mark.django_db


def free_port() -> int:
    """A port of this xdist worker's own block (21700-21799 for gw0, 21800-21899 for gw1 ...): a
    dead Redis here must not be another worker's silent one."""
    first = 21700 + 100 * worker_number()
    for port in range(first, first + 100):
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port  # closed again on leaving: nothing listens there
    raise RuntimeError(f"no free port in {first}-{first + 99}")


def redis_at(settings, port: int, retry_seconds: float = 5) -> None:
    settings.CACHES = {alias: {
        "BACKEND": "pkoanalysis.rediscache.ResilientRedisCache", "LOCATION": f"redis://127.0.0.1:{port}/0",
        "OPTIONS": {"socket_connect_timeout": 0.3, "socket_timeout": 0.5, "retry_seconds": retry_seconds},
    } for alias in ("default", "shared")}


@pytest.fixture(autouse=True)
def fresh_health_report(monkeypatch):
    """/healthz/ asks the parts at most once a second per process: each test asks anew."""
    from pkoanalysis import health

    monkeypatch.setattr(health, "_report", {"at": float("-inf"), "parts": {}})


@pytest.fixture
def closed_cache(settings):
    redis_at(settings, free_port())


@pytest.fixture
def silent_cache(settings):
    """A Redis that was paused (SIGSTOP): the connection is accepted by the kernel, no answer ever comes."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", free_port()))
        listener.listen(64)
        redis_at(settings, listener.getsockname()[1])
        yield


@pytest.fixture
def consultant(django_user_model):
    user = django_user_model.objects.create_user("consultant-user", password="x-test-only")
    user.groups.add(Group.objects.get(name="consultant"))
    return user


def test_pages_saves_exports_and_the_api_answer_with_the_cache_on_a_closed_port(
        closed_cache, analyst_client, client, consultant, caplog):
    assert "ResilientRedisCache" in type(caches["default"]).__name__
    with caplog.at_level("WARNING", logger="pkoanalysis.rediscache"):
        assert analyst_client.post("/scenarios/new/", builder_data()).status_code == 302  # a save
        scenario = Scenario.objects.get(name=builder_data()["name"])
        assert analyst_client.post("/plans/new/", ASKED).status_code == 302
        plan = Plan.objects.get(name=ASKED["name"])
        for path in ("/", "/missions/", Mission.objects.get(acronym="UNIFIL").get_absolute_url(), "/scenarios/",
                     scenario.get_absolute_url(), "/scenarios/explorer/", plan.get_absolute_url(), "/weights/",
                     "/api/missions/", f"/api/scenarios/{scenario.pk}/result/", "/api/modes/"):
            response = analyst_client.get(path)
            assert response.status_code == 200, path
        edit = builder_data(name="Renamed while the cache is down", version=scenario.version)
        assert analyst_client.post(f"/scenarios/{scenario.pk}/edit/", edit).status_code == 302
        assert "Renamed while" in analyst_client.get(scenario.get_absolute_url()).content.decode()
        client.force_login(consultant)
        response = client.post(f"/scenarios/{scenario.pk}/briefings/", {"format": "csv", "language": "en",
                                                                       "paper": "a4"})
        assert response.status_code == 302
        briefing = Briefing.objects.get(scenario=scenario)
        assert briefing.status == "done", briefing.error
        assert client.get(f"/scenarios/briefings/{briefing.pk}/download/").status_code == 200
    # Logged once per outage and cache (default and shared), not once per call.
    logged = [r.getMessage() for r in caplog.records if r.getMessage().startswith("cache unavailable")]
    assert 1 <= len(logged) <= 2, logged


def test_healthz_reports_the_database_cache_and_broker_separately(closed_cache, client):
    response = client.get("/healthz/")
    assert response.status_code == 200  # the site serves without its cache
    assert response.json() == {"status": "degraded", "database": "ok", "cache": "unavailable",
                               "broker": "not used"}


def test_healthz_is_ok_with_a_working_cache(client):
    assert client.get("/healthz/").json() == {"status": "ok", "database": "ok", "cache": "local",
                                             "broker": "not used"}


def test_healthz_asks_the_parts_at_most_once_a_second(client, monkeypatch):
    from pkoanalysis import health

    asked = []
    monkeypatch.setattr(health, "database", lambda: asked.append(1) or "ok")
    for _ in range(5):
        assert client.get("/healthz/").status_code == 200
    assert len(asked) == 1


def test_a_cache_that_never_answers_costs_one_short_timeout_not_one_per_call(silent_cache, analyst_client):
    start = time.monotonic()
    for path in ("/", "/missions/", "/api/missions/", "/scenarios/explorer/"):
        assert analyst_client.get(path).status_code == 200, path
    assert time.monotonic() - start < 15  # measured below: the cache's own share is one timeout
    cache = caches["default"]
    start = time.monotonic()
    assert cache.get("anything", "fallback") == "fallback"  # the circuit is open: no wait at all
    assert time.monotonic() - start < 0.05


def test_writes_missed_during_an_outage_are_refreshed_when_the_cache_answers_again(monkeypatch):
    import redis

    from pkoanalysis.rediscache import ResilientRedisCache

    cache = ResilientRedisCache("redis://127.0.0.1:1/0", {"OPTIONS": {"retry_seconds": 0}})
    store: dict = {}

    class Flaky:
        down = True

        def __getattr__(self, name):
            def call(key, *args, **kwargs):
                if Flaky.down:
                    raise redis.ConnectionError("refused")
                if name == "exists":
                    return key in store
                if name == "incr":
                    store[key] = store.get(key, 0) + 1
                    return store[key]
                if name == "delete":
                    return store.pop(key, None) is not None
                if name == "get":
                    return None
                if name == "set":
                    store[key] = args[0]
                    return True
                raise AssertionError(name)
            return call

    monkeypatch.setattr(cache._cache, "get_client", lambda key=None, *, write=False: Flaky())
    generation = cache.make_and_validate_key("pko:pages-generation")
    kept = cache.make_and_validate_key("page")
    store.update({generation: 7, kept: b"an old page"})
    with pytest.raises(ValueError):
        cache.incr("pko:pages-generation")  # a bump missed while Redis is down
    assert cache.delete("page") is False
    Flaky.down = False
    assert cache.get("other") is None  # the first call that reaches Redis again replays what was missed
    assert store == {generation: 8}
