"""What a locked-out login sees (django-axes calls this instead of its English-only default)."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def cooloff_minutes() -> int:
    return max(1, round(settings.AXES_COOLOFF_TIME.total_seconds() / 60))


def lockout_response(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    return render(request, "registration/lockout.html", {
        "failure_limit": settings.AXES_FAILURE_LIMIT, "minutes": cooloff_minutes(),
    }, status=429)
