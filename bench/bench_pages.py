"""Load the scenario and explorer pages through gunicorn with wrk, against a trivial view on the
same server in the same run. Prints requests/s, latency percentiles and the throughput ratio.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pkoanalysis .venv/bin/python bench/bench_pages.py

Needs wrk (Debian package) and the data loaded in that database (bin/run or import_un_data,
seed_risk_model). It creates a bench user and scenario if missing. 16 connections, 10 s a page.
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PORT = int(os.getenv("BENCH_PORT", "8765"))
DURATION = os.getenv("BENCH_DURATION", "10s")


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
    session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
    session["_auth_user_hash"] = user.get_session_auth_hash()
    session.create()
    return session.session_key, scenario.pk


def wrk(url: str, cookie: str) -> dict:
    out = subprocess.run(
        ["wrk", "-t", "2", "-c", "16", "-d", DURATION, "--latency", "-H", f"Cookie: sessionid={cookie}", url],
        capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    latency = dict(re.findall(r"\s+(50|90|99)%\s+([\d.]+\w+)", out))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"rps": rps, "p50": latency.get("50"), "p90": latency.get("90"), "p99": latency.get("99"),
            "errors": int(errors.group(1)) if errors else 0}


def main() -> None:
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed (apt-get install wrk)")
    os.environ.setdefault("SECRET_KEY", "bench-only")
    os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
    os.environ.setdefault("CACHE_URL", os.getenv("BENCH_CACHE_URL", "redis://127.0.0.1:6379/14"))
    cookie, scenario = setup()
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, check=True)
    log = tempfile.NamedTemporaryFile(prefix="gunicorn-", suffix=".log", delete=False)
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "pkoanalysis.wsgi", "-b", f"127.0.0.1:{PORT}", "-w", "4",
         "--log-level", "warning"], cwd=ROOT, stdout=log, stderr=log)
    base = f"http://127.0.0.1:{PORT}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/healthz/", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        pages = {
            "trivial view (/healthz/)": f"{base}/healthz/",
            "scenario page": f"{base}/scenarios/{scenario}/",
            "explorer page": f"{base}/scenarios/explorer/?mode=individual&feasibility=not_infeasible&active=on",
        }
        for url in pages.values():  # warm the caches once
            req = urllib.request.Request(url, headers={"Cookie": f"sessionid={cookie}"})
            urllib.request.urlopen(req, timeout=30).read()
        results = {name: wrk(url, cookie) for name, url in pages.items()}
    finally:
        server.terminate()
        server.wait(timeout=20)
    baseline = results["trivial view (/healthz/)"]["rps"]
    print(f"gunicorn 4 workers, wrk 16 connections, {DURATION} per page")
    for name, r in results.items():
        print(f"{name:28s} {r['rps']:8.1f} req/s  p50 {r['p50']}  p90 {r['p90']}  p99 {r['p99']}  "
              f"errors {r['errors']}  ratio to trivial {r['rps'] / baseline:.2f}")


if __name__ == "__main__":
    main()
