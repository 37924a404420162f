"""gunicorn behind nginx (deploy/nginx.conf): loopback only, sync workers, bounded lifetimes.

    .venv/bin/gunicorn pkoanalysis.wsgi -c deploy/gunicorn.conf.py

nginx buffers requests and answers, so a sync worker only ever meets a complete request and a
fast reader. GUNICORN_BIND, WEB_CONCURRENCY and GUNICORN_TIMEOUT change the defaults.
"""

import os

bind = os.getenv("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.getenv("WEB_CONCURRENCY", "4"))
# A request still running after this is killed (the worker restarts); nginx waits 5 s longer.
timeout = int(os.getenv("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 20  # above nginx's idle upstream keepalive, so nginx closes first
# Recycle workers now and then, so a slow leak cannot grow without bound.
max_requests = 2000
max_requests_jitter = 200
# Only nginx on this machine may say which scheme the client used.
forwarded_allow_ips = "127.0.0.1,::1"
accesslog = None
errorlog = "-"
