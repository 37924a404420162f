"""Test settings: the real settings, with test-only secrets and plain static storage."""

import os
import tempfile

os.environ.setdefault("SECRET_KEY", "test-only-not-a-secret")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("SECURE_COOKIES", "false")
# live_server would 404 the hashed plotly bundle with the manifest storage.
os.environ.setdefault("STATICFILES_BACKEND", "django.contrib.staticfiles.storage.StaticFilesStorage")

# Uploads and briefing files go to a temporary directory of this test process (each xdist worker
# its own, not the one its parent made), not the work tree's media/; a Celery worker or server
# a test starts inherits it through the environment. tests/conftest.py removes it at the end.
_process = os.environ.get("PYTEST_XDIST_WORKER", "")
if "MEDIA_ROOT" not in os.environ or os.environ.get("PKO_TEST_MEDIA_FOR", _process) != _process:
    os.environ["MEDIA_ROOT"] = tempfile.mkdtemp(prefix="pko-test-media-")
    os.environ["PKO_TEST_MEDIA_FOR"] = _process

from pkoanalysis.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
WHITENOISE_AUTOREFRESH = True  # serve from the finders; no collectstatic needed in tests
# Rate-limit counters in memory, so every test can start from zero without database access;
# tests/security/test_rate_limits.py checks the database and Redis caches the real settings use.
CACHES["shared"] = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "pko-shared"}  # noqa: F405
# Briefings render inline in tests (deterministic); tests/briefings checks the thread path.
BRIEFINGS_IN_THREAD = False
# Recomputations after a save run inline too (tests read their results); tests/risks/test_edits.py
# checks the background thread.
RECOMPUTE_IN_THREAD = False
