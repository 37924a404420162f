"""Render deploy/nginx.conf, and run nginx with gunicorn on loopback (tests and benchmarks).

    python deploy/front.py --listen 80 --upstream 127.0.0.1:8000 --proxy-secret "$PROXY_SECRET" > /etc/nginx/nginx.conf

PROXY_SECRET (the same value in gunicorn's environment) is how Django tells nginx from any other
process on the machine: only a request carrying it may name the client's address.
"""

from __future__ import annotations

import argparse
import getpass
import os
import re
import secrets
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
TEMPLATE = ROOT / "deploy" / "nginx.conf"
# runtime: nginx's temporary files, a directory systemd creates at boot (RuntimeDirectory in
# deploy/systemd/nginx.service.d/pkoanalysis.conf); pid: where Debian's nginx unit looks for it;
# site_dir: this site's hand-written lines (TLS), included in the server block.
DEFAULTS = {"user": "www-data", "runtime": "/run/pkoanalysis", "pid": "/run/nginx.pid", "logs": "/var/log/nginx",
            "site_dir": "/etc/nginx/pkoanalysis.d", "static_root": str(ROOT / "staticfiles"),
            "header_timeout": "10s", "body_timeout": "10s", "max_body": "2m", "upload_max_body": "26m",
            "proxy_secret": ""}


def render(listen: str, upstream: str, **options: str) -> str:
    """The nginx configuration: listen ('80', '127.0.0.1:20080'), upstream (gunicorn's
    host:port), and any of DEFAULTS' keys."""
    values = {**DEFAULTS, **options, "listen": listen, "upstream": upstream}
    text = TEMPLATE.read_text()
    for key, value in values.items():
        text = text.replace(f"@{key.upper()}@", str(value))
    unfilled = re.findall(r"@[A-Z_]+@", text)
    if unfilled:
        raise ValueError(f"no value for {sorted(set(unfilled))} in {TEMPLATE}")
    return text


def nginx_binary() -> str | None:
    return shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if os.access(p, os.X_OK)), None)


def wait_until_up(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


@contextmanager
def running(front_port: int, app_port: int, workers: int = 2, env: dict | None = None,
            **options: str) -> Iterator[str]:
    """gunicorn on 127.0.0.1:app_port behind nginx on 127.0.0.1:front_port; yields the front's URL.
    Both are stopped on exit. env: the app's environment (settings)."""
    nginx = nginx_binary()
    if nginx is None:
        raise FileNotFoundError("nginx is not installed (bin/setup installs it as root)")
    runtime = Path(tempfile.mkdtemp(prefix="pko-front-"))
    conf = runtime / "nginx.conf"
    (runtime / "site.d").mkdir()
    secret = options.pop("proxy_secret", None) or secrets.token_urlsafe(32)
    conf.write_text(render(f"127.0.0.1:{front_port}", f"127.0.0.1:{app_port}", user=getpass.getuser(),
                           runtime=str(runtime), pid=str(runtime / "nginx.pid"), logs=str(runtime),
                           site_dir=str(runtime / "site.d"), proxy_secret=secret, **options))
    app = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "pkoanalysis.wsgi", "-c", str(ROOT / "deploy" / "gunicorn.conf.py"),
         "--log-level", "warning"],
        cwd=ROOT, env={**os.environ, **(env or {}), "GUNICORN_BIND": f"127.0.0.1:{app_port}",
                       "WEB_CONCURRENCY": str(workers), "PROXY_SECRET": secret},
        stdout=open(runtime / "gunicorn.log", "wb"), stderr=subprocess.STDOUT)  # noqa: SIM115
    proxy = subprocess.Popen([nginx, "-p", str(runtime), "-c", str(conf), "-e", "stderr", "-g", "daemon off;"],
                             stdout=open(runtime / "nginx.out", "wb"), stderr=subprocess.STDOUT)  # noqa: SIM115
    base = f"http://127.0.0.1:{front_port}"
    try:
        wait_until_up(f"http://127.0.0.1:{app_port}/healthz/")
        wait_until_up(f"{base}/healthz/")
        yield base
    finally:
        for process in (proxy, app):
            process.terminate()
        for process in (proxy, app):
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        shutil.rmtree(runtime, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--listen", default="80", help="nginx's listen: port or address:port")
    parser.add_argument("--upstream", default="127.0.0.1:8000", help="gunicorn's address (GUNICORN_BIND)")
    for key, value in DEFAULTS.items():
        parser.add_argument(f"--{key.replace('_', '-')}", default=value)
    args = vars(parser.parse_args())
    sys.stdout.write(render(args.pop("listen"), args.pop("upstream"), **args))


if __name__ == "__main__":
    main()
