"""The real Celery app, for worker-fault tests: `celery -A tests.reliability.slow_worker worker`.

PKO_TEST_DELAY (seconds) is slept before each scenario and each grid chunk, so a test can kill
the worker while it is surely mid-task. Redis looks for unacknowledged messages of dead workers
every second (the production default is every 100 s), once CELERY_VISIBILITY_TIMEOUT has passed.
"""

import os
import time

import django

django.setup()

from pkoanalysis.celery import app  # noqa: E402
from risks import services  # noqa: E402

DELAY = float(os.getenv("PKO_TEST_DELAY", "0"))


def slowed(function):
    def wrapper(*args, **kwargs):
        time.sleep(DELAY)
        return function(*args, **kwargs)
    return wrapper


services.recompute_scenario = slowed(services.recompute_scenario)
services.score_grid = slowed(services.score_grid)
app.conf.broker_transport_options = {**app.conf.broker_transport_options,
                                     "unacked_restore_interval": 1, "unacked_restore_throttle": 1}

__all__ = ["app"]
