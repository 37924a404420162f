"""The 500 handler: a database outage answers 503 with a plain message instead of an error page.

Django calls handler500 inside its `except` block, so sys.exc_info() is the failure. Nothing
here may touch the database (no user, no session, no context processors): it is down.
"""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults

RETRY_AFTER_SECONDS = 30


def server_error(request: HttpRequest) -> HttpResponse:
    if not isinstance(sys.exc_info()[1], OperationalError | InterfaceError):
        return defaults.server_error(request)
    message = _("The database is unavailable right now. Nothing was lost; please try again in a minute.")
    if request.path.startswith("/api/") or "json" in request.headers.get("Accept", ""):
        response = JsonResponse({"detail": message}, status=503)
    else:
        response = HttpResponse(
            f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{_("Temporarily unavailable")}'
            f"</title></head><body><h1>{_('Temporarily unavailable')}</h1><p>{message}</p></body></html>",
            status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
