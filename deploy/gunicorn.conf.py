"""gunicorn behind nginx (deploy/nginx.conf): loopback only, sync workers, bounded lifetimes.

    .venv/bin/gunicorn pkoanalysis.wsgi -c deploy/gunicorn.conf.py

nginx buffers requests and answers, so a sync worker only ever meets a complete request and a
fast reader. GUNICORN_BIND, WEB_CONCURRENCY, GUNICORN_TIMEOUT, GUNICORN_MAX_REQUESTS and
GUNICORN_CONTROL_SOCKET change the defaults; PROXY_SECRET (the value nginx sends in X-Pko-Proxy)
lets Django believe nginx's X-Real-IP and nothing else's (pkoanalysis.clients).
"""

import os
import re
from pathlib import Path

bind = os.getenv("GUNICORN_BIND", "127.0.0.1:8000")
if not re.match(r"^(127\.\d+\.\d+\.\d+|\[::1\]|localhost|unix):", bind):
    raise SystemExit(f"GUNICORN_BIND={bind!r}: gunicorn listens on loopback only; nginx faces the network")
workers = int(os.getenv("WEB_CONCURRENCY", "4"))
# A request still running after this is killed (the worker restarts); nginx waits 5 s longer.
timeout = int(os.getenv("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 20  # above nginx's idle upstream keepalive, so nginx closes first
# Recycle workers now and then, so a slow leak cannot grow without bound. The jitter is wide
# (each worker draws its own limit between max_requests and 1.5 x max_requests), so workers that
# started together do not all restart within the same second under an even load (issue 25 F10:
# 2000 +/- 200 restarted all four within 1 s, /healthz/ p99 9.4 s).
max_requests = int(os.getenv("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = max_requests // 2
# The application is imported once, in the master: a new worker is a fork (milliseconds), not a
# fresh Django start (about a second of imports), so a recycled worker is back almost at once.
# Nothing opens a database or Redis connection at import time, so nothing is shared by the fork.
preload_app = True
# Request and header lines: gunicorn's maximum, and nginx refuses longer ones first
# (large_client_header_buffers 4 8k in deploy/nginx.conf).
limit_request_line = 8190
limit_request_field_size = 8190
# Only nginx on this machine may say which scheme the client used.
forwarded_allow_ips = "127.0.0.1,::1"
# Its own control socket (gunicornc), not the per-user default every gunicorn of the account on
# this host would share: in systemd's RuntimeDirectory, else beside the code; named after the bind.
control_socket = os.getenv("GUNICORN_CONTROL_SOCKET") or str(
    Path(os.getenv("RUNTIME_DIRECTORY") or Path(__file__).resolve().parents[1] / "run")
    / f"gunicorn-{re.sub(r'[^A-Za-z0-9.]+', '-', bind).strip('-')}.ctl")
control_socket_mode = 0o600
accesslog = None
errorlog = "-"


def worker_exit(server, worker):
    """A recycled worker has answered its last request: end the process now. Finalising a Python
    process that holds pandas, numpy and plotly takes seconds on a busy machine, and gunicorn
    starts the replacement only once the old one is gone, so every recycle left a worker's
    share of the requests waiting (issue 25 F10)."""
    import logging

    logging.shutdown()
    os._exit(0)
