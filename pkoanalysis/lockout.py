"""Login lockouts: what a locked-out login sees (django-axes calls this instead of its English-only
default), and the handler that counts failures per username and per address."""

from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def cooloff_minutes() -> int:
    return max(1, round(settings.AXES_COOLOFF_TIME.total_seconds() / 60))


def lockout_response(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    return render(request, "registration/lockout.html", {
        "failure_limit": settings.AXES_FAILURE_LIMIT, "minutes": cooloff_minutes(),
    }, status=429)


class LockoutHandler(AxesDatabaseHandler):
    """django-axes' database handler with two limits instead of one.

    AXES_LOCKOUT_PARAMETERS is [[username, ip_address], ip_address]: the failures of this
    username from this address, and of every username from this address. The first locks at
    AXES_FAILURE_LIMIT (guessing one account's password), the second at AXES_ADDRESS_FAILURE_LIMIT
    (one password tried on many accounts). Axes compares one number with AXES_FAILURE_LIMIT, so
    the address's count is scaled onto that limit.
    """

    def get_failures(self, request, credentials=None) -> int:
        pair, address = (attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
                         for attempts in self.get_user_attempts(request, credentials))
        return max(pair, address * settings.AXES_FAILURE_LIMIT // settings.AXES_ADDRESS_FAILURE_LIMIT)

    def reset_user_attempts(self, request, credentials=None) -> int:
        # A successful login clears its own username's failures only: a sprayer who signs in
        # to an account of their own must not wipe their address's count.
        pair, _address = self.filter_user_attempts(request, credentials)
        count, _ = pair.delete()
        return count
