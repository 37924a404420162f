"""Whole pages kept per viewer: the heaviest pages (a scenario's results, the explorer) are rendered
once for each viewer and each state of what they show, then served from the cache.

`@per_viewer(stamp)` wraps a view. `stamp(request, *args, **kwargs)` reads, cheaply, everything the
page shows that can change (a scenario's version and its result's computation time, the inputs'
fingerprint...) and returns a hashable value, or None to render without the cache. The cache key
holds that stamp, the full path, the viewer (account, permissions, staff status), the language, the
day, the data's vintage, the code's version (a new deployment renders pages again) and a generation that goes up whenever the model's inputs change
(forget_pages, called by risks.inputs.bump_generation), so a page is never served to anyone but the viewer it was rendered for,
nor after what it shows has changed. The stamp is read before the page is rendered, so a change
made meanwhile can only make a kept page newer than its key, never older.

Only GET answers 200 that neither set a cookie nor show a message are kept. Each form's CSRF token
is replaced by a placeholder before the page is stored and by this request's own token when it is
served, so a kept page is valid in any of the viewer's sessions.
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
from collections.abc import Callable

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.translation import get_language

from missions.context_processors import DataAge
from pkoanalysis import generations

TIMEOUT_SECONDS = 6 * 3600
GENERATION_KEY = "pko:pages-generation"
PLACEHOLDER = b"__pko_csrf_token__"
TOKEN_FIELD = re.compile(rb'(name="csrfmiddlewaretoken" value=")[A-Za-z0-9]{32,64}(")')
# A kept page's headers: the ones the view sets (the rest come from the middleware on each answer).
KEPT_HEADERS = ("Content-Type", "Content-Language")


def per_viewer(stamp: Callable[..., object]):
    def decorator(view):
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if request.method != "GET" or not request.user.is_authenticated or len(get_messages(request)):
                return view(request, *args, **kwargs)
            state = stamp(request, *args, **kwargs)
            if state is None:
                return view(request, *args, **kwargs)
            key = page_key(view, request, state)
            kept = cache.get(key)
            if kept is not None:
                return served(request, kept)
            response = view(request, *args, **kwargs)
            if keepable(request, response):
                cache.set(key, kept_form(response), TIMEOUT_SECONDS)
            return response
        return wrapped
    return decorator


def forget_pages() -> None:
    """Every kept page is rendered again (an input of the model changed)."""
    generations.bump(cache, GENERATION_KEY)


SKIPPED_DIRS = {".venv", ".git", "node_modules", "artifacts", "staticfiles", "media", "__pycache__"}
CODE_SUFFIXES = (".py", ".html", ".mo")


@functools.cache
def code_version() -> str:
    """The names, sizes and times of the code, templates and translations this process runs: a
    deployment that changes any of them keeps pages under new keys. Read once per process."""
    digest = hashlib.sha256()
    for root, dirs, files in os.walk(settings.BASE_DIR):
        dirs[:] = sorted(d for d in dirs if d not in SKIPPED_DIRS)
        for name in sorted(files):
            if name.endswith(CODE_SUFFIXES):
                stat = os.stat(os.path.join(root, name))
                digest.update(f"{root}/{name}:{stat.st_size}:{stat.st_mtime_ns};".encode())
    return digest.hexdigest()[:16]


def page_key(view, request: HttpRequest, state: object) -> str:
    user = request.user
    viewer = (user.pk, user.is_staff, user.is_superuser, tuple(sorted(user.get_all_permissions())))
    parts = (view.__module__, view.__qualname__, request.get_full_path(), viewer, get_language(),
             timezone.localdate().isoformat(), DataAge().through, generations.current(cache, GENERATION_KEY),
             settings.STATIC_URL, code_version(), state)
    return "pko:page:" + hashlib.sha256(repr(parts).encode()).hexdigest()


def keepable(request: HttpRequest, response: HttpResponse) -> bool:
    messages = get_messages(request)
    return (response.status_code == 200 and not response.streaming and not response.cookies
            and not getattr(messages, "used", False) and not getattr(messages, "_queued_messages", None))


def kept_form(response: HttpResponse) -> dict:
    return {"content": TOKEN_FIELD.sub(rb"\1" + PLACEHOLDER + rb"\2", response.content),
            "headers": {name: response[name] for name in KEPT_HEADERS if name in response}}


def served(request: HttpRequest, kept: dict) -> HttpResponse:
    response = HttpResponse(kept["content"].replace(PLACEHOLDER, get_token(request).encode()))
    for name, value in kept["headers"].items():
        response[name] = value
    return response
