"""The database restarts under a running server: requests fail cleanly (503 with a message) while
it is down and succeed again afterwards, without restarting the app.

A throwaway PostgreSQL cluster and gunicorn, so the test database is never touched.
"""

import json
import os
import subprocess
import sys
import time

import pytest
import requests
from django.db import connection

from tests.reliability.postgres import gunicorn, throwaway_cluster
from tests.workers import ROOT

SESSION = """
from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.db import SessionStore
from missions.roles import ensure_roles
user = get_user_model().objects.create_user("outage-analyst", password="x-test-only")
user.groups.add(ensure_roles()["analyst"])
session = SessionStore()
session.update({"_auth_user_id": str(user.pk), "_auth_user_hash": user.get_session_auth_hash(),
                "_auth_user_backend": "pkoanalysis.backends.CachedPermissionBackend"})
session.create()
print(session.session_key)
"""


def get(url: str, session: str) -> tuple[int, str, str]:
    """status, content type, body"""
    response = requests.get(url, cookies={"sessionid": session}, timeout=20, allow_redirects=False)
    return response.status_code, response.headers["Content-Type"], response.text


def test_requests_answer_503_while_the_database_is_down_and_succeed_once_it_is_back():
    if connection.vendor != "postgresql":
        pytest.skip("a PostgreSQL-only fault: run with DATABASE_URL (PostgreSQL)")
    with throwaway_cluster() as cluster:
        subprocess.run([*cluster.as_postgres, str(cluster.bin_dir / "createdb"), "-h", "127.0.0.1", "-p",
                        str(cluster.port), "-U", "postgres", "pko"], check=True, capture_output=True)
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings", "DATABASE_URL": cluster.url("pko"),
               "DEBUG": "false", "CELERY_BROKER_URL": ""}
        manage = [sys.executable, "manage.py"]
        subprocess.run([*manage, "migrate", "-v0"], cwd=ROOT, env=env, check=True, capture_output=True, timeout=120)
        session = subprocess.run([*manage, "shell", "-c", SESSION], cwd=ROOT, env=env, check=True,
                                 capture_output=True, text=True).stdout.split()[-1]
        with gunicorn(env) as base:
            page, api = f"{base}/scenarios/", f"{base}/api/modes/"
            assert get(page, session)[0] == 200
            assert get(api, session)[0] == 200

            cluster.stop("fast")
            started = time.monotonic()
            status, content_type, body = get(page, session)
            assert (status, content_type.split(";")[0]) == (503, "text/html")
            assert "The database is unavailable right now" in body and "Traceback" not in body
            status, content_type, body = get(api, session)
            assert (status, content_type) == (503, "application/json")
            assert "database is unavailable" in json.loads(body)["detail"]
            assert time.monotonic() - started < 10

            cluster.start()
            assert get(page, session)[0] == 200
            assert get(api, session)[0] == 200
