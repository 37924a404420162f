"""What the page benchmarks share: a logged-in session and a computed scenario, the app under
gunicorn, and wrk with its output parsed."""

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PORT = int(os.getenv("BENCH_PORT", "8765"))
FRONT_PORT = int(os.getenv("BENCH_FRONT_PORT", "20580"))  # nginx; gunicorn behind it on the next port


def prepare_environment() -> None:
    """Production-like settings for the server (and this process); wrk must be installed."""
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed (bin/setup installs it as root, or: apt-get install wrk)")
    os.environ.setdefault("SECRET_KEY", "bench-only")
    os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
    os.environ.setdefault("CACHE_URL", os.getenv("BENCH_CACHE_URL", "redis://127.0.0.1:6379/14"))
    os.environ.setdefault("API_RATE_USER", "100000000/hour")  # measure the API, not its throttle


def setup() -> tuple[str, int]:
    """A logged-in session cookie and a computed scenario id."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pkoanalysis.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.contrib.sessions.backends.db import SessionStore

    from missions.models import MandateFunction, Mission
    from missions.roles import ensure_roles
    from risks import services
    from risks.catalogue import load_catalogue
    from risks.models import ContributionMode, Scenario

    load_catalogue()
    groups = ensure_roles()
    user, _ = get_user_model().objects.get_or_create(username="bench-analyst")
    user.groups.add(groups["analyst"])
    scenario = Scenario.objects.filter(name="bench scenario").first()
    if scenario is None:
        scenario = Scenario.objects.create(name="bench scenario", owner=user,
                                           mode=ContributionMode.objects.get(code="individual"))
        scenario.missions.set(Mission.objects.filter(acronym__in=["MINURSO", "UNMISS", "UNIFIL"]))
        scenario.functions.set(MandateFunction.objects.all())
    services.recompute_scenario(scenario.pk)
    session = SessionStore()
    session["_auth_user_id"] = str(user.pk)
    session["_auth_user_backend"] = "pkoanalysis.backends.CachedPermissionBackend"
    session["_auth_user_hash"] = user.get_session_auth_hash()
    session.create()
    return session.session_key, scenario.pk


@contextmanager
def served(workers: int = 4) -> Iterator[str]:
    """The app under gunicorn (static files collected first); yields its base URL."""
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, check=True)
    log = tempfile.NamedTemporaryFile(prefix="gunicorn-", suffix=".log", delete=False)
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "pkoanalysis.wsgi", "-b", f"127.0.0.1:{PORT}", "-w", str(workers),
         "--log-level", "warning"], cwd=ROOT, stdout=log, stderr=log)
    base = f"http://127.0.0.1:{PORT}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/healthz/", timeout=5)
                break
            except OSError:
                time.sleep(0.2)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=20)


@contextmanager
def served_behind_nginx(workers: int = 4) -> Iterator[str]:
    """The production front (deploy/nginx.conf) before gunicorn on loopback, static files
    collected first and served by nginx; yields the front's base URL."""
    sys.path.insert(0, str(ROOT))
    from deploy.front import running

    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, check=True)
    with running(FRONT_PORT, FRONT_PORT + 1, workers=workers) as base:
        yield base


def warm(urls: list[str], cookie: str) -> None:
    """Fill the caches once, and fail early if a page does not answer 200."""
    for url in urls:
        request = urllib.request.Request(url, headers={"Cookie": f"sessionid={cookie}"})
        with urllib.request.urlopen(request, timeout=60) as response:
            if response.status != 200 or response.url != url:
                sys.exit(f"{url} answered {response.status} at {response.url}")
            response.read()


# wrk prints the 50/75/90/99th percentiles; the 95th comes from its Lua done() hook.
P95_LUA = """
done = function(summary, latency, requests)
  io.write(string.format("p95 latency us: %d\\n", latency:percentile(95)))
end
"""


def wrk(url: str, cookie: str, connections: int = 16, duration: str = "10s", script: Path | None = None) -> dict:
    """Run wrk; returns rps, p50/p90/p95/p99 latency (p95 in ms, the others as printed), errors
    (non-2xx/3xx answers plus socket errors and timeouts), socket_errors alone and wrk's full output."""
    command = ["wrk", "-t", "2", "-c", str(connections), "-d", duration, "--timeout", "30s", "--latency",
               "-H", f"Cookie: sessionid={cookie}"]
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as lua:
        text = script.read_text() if script else ""
        lua.write(text if "done" in text else text + P95_LUA)  # a script with its own done() keeps it
    command += ["-s", lua.name]
    try:
        out = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    finally:
        os.unlink(lua.name)
    p95 = re.search(r"p95 latency us: (\d+)", out)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    latency = dict(re.findall(r"\s+(50|90|99)%\s+([\d.]+\w+)", out))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    non_2xx = int(errors.group(1)) if errors else 0
    socket = sum(map(int, socket_errors.groups())) if socket_errors else 0
    return {"rps": rps, "p50": latency.get("50"), "p90": latency.get("90"), "p99": latency.get("99"),
            "p95_ms": int(p95.group(1)) / 1000 if p95 else None,
            "errors": non_2xx + socket, "socket_errors": socket, "output": out}
