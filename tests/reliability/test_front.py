"""The production front (deploy/nginx.conf, deploy/gunicorn.conf.py) with real processes on
loopback: nginx buffers slow clients so gunicorn's few sync workers never wait on them.

Without nginx, four connections that send half a request each hold gunicorn's four sync workers
until its 30 s timeout, and /healthz/ stops answering (issue 15, finding 1).
"""

import gzip
import json
import socket
import time
import urllib.request
from pathlib import Path

import pytest

from deploy.front import nginx_binary, running
from tests.reliability.postgres import free_port

ROOT = Path(__file__).resolve().parents[2]
SLOW_CLIENTS = 64
HEADER_TIMEOUT_SECONDS = 3

pytestmark = pytest.mark.skipif(nginx_binary() is None,
                                reason="nginx is not installed: bin/setup installs it (apt-get install nginx)")


@pytest.fixture(scope="module")
def front(tmp_path_factory):
    """nginx on 127.0.0.1:20xxx in front of two gunicorn sync workers, production settings."""
    front_port = free_port(20080)
    app_port = free_port(front_port + 1)
    env = {"DJANGO_SETTINGS_MODULE": "pkoanalysis.settings", "DEBUG": "false", "SECRET_KEY": "test-only-not-a-secret",
           "SECURE_SSL_REDIRECT": "false", "SECURE_COOKIES": "false", "ALLOWED_HOSTS": "127.0.0.1,localhost",
           "DATABASE_URL": "", "SQLITE_PATH": str(tmp_path_factory.mktemp("front") / "db.sqlite3"),
           "CACHE_URL": "", "CELERY_BROKER_URL": ""}
    with running(front_port, app_port, workers=2, env=env, header_timeout=f"{HEADER_TIMEOUT_SECONDS}s",
                 body_timeout=f"{HEADER_TIMEOUT_SECONDS}s", static_root=str(ROOT / "static")) as base:
        yield base, front_port


def half_open(port: int, count: int) -> list[socket.socket]:
    """Connections that send the start of a request and never finish it."""
    sockets = []
    for _ in range(count):
        s = socket.create_connection(("127.0.0.1", port), timeout=5)
        s.sendall(b"GET /healthz/ HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        sockets.append(s)
    return sockets


def closed_by_server(s: socket.socket) -> bool:
    try:
        data = s.recv(1024)
        return data == b"" or data.startswith(b"HTTP/1.1 408")
    except (ConnectionResetError, BrokenPipeError):
        return True
    except TimeoutError:
        return False


def test_64_slow_header_connections_do_not_stop_healthz_answering_within_a_second(front):
    base, port = front
    slow = half_open(port, SLOW_CLIENTS)
    try:
        for _ in range(5):
            started = time.monotonic()
            with urllib.request.urlopen(f"{base}/healthz/", timeout=1) as response:
                assert response.status == 200 and json.loads(response.read())["database"] == "ok"
            assert time.monotonic() - started < 1
        # nginx drops them after client_header_timeout (bounded in time as well as in count).
        deadline = time.monotonic() + HEADER_TIMEOUT_SECONDS + 3
        for s in slow:
            s.settimeout(max(0.1, deadline - time.monotonic()))
        assert all(closed_by_server(s) for s in slow)
    finally:
        for s in slow:
            s.close()


def test_a_200_mb_body_is_refused_before_it_is_read(front):
    _base, port = front
    with socket.create_connection(("127.0.0.1", port), timeout=2) as s:
        started = time.monotonic()
        s.sendall(b"POST /accounts/login/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded"
                  b"\r\nContent-Length: 209715200\r\n\r\n")
        answer = s.recv(4096)
    assert answer.startswith(b"HTTP/1.1 413") and time.monotonic() - started < 1


def test_static_files_are_served_by_nginx_with_a_long_cache_lifetime(front):
    base, _port = front
    with urllib.request.urlopen(f"{base}/static/js/charts.js", timeout=2) as response:
        assert response.status == 200
        assert "immutable" in response.headers["Cache-Control"]
        assert response.headers["Content-Type"] == "application/javascript"


def test_nginx_compresses_what_it_sends_to_a_client_that_accepts_gzip(front):
    base, _port = front
    request = urllib.request.Request(f"{base}/static/js/charts.js", headers={"Accept-Encoding": "gzip"})
    with urllib.request.urlopen(request, timeout=2) as response:
        assert response.headers["Content-Encoding"] == "gzip" and "Accept-Encoding" in response.headers["Vary"]
        assert gzip.decompress(response.read()) == (ROOT / "static" / "js" / "charts.js").read_bytes()


def test_gunicorn_listens_on_loopback_only():
    config = (ROOT / "deploy" / "gunicorn.conf.py").read_text()
    assert 'os.getenv("GUNICORN_BIND", "127.0.0.1:8000")' in config
