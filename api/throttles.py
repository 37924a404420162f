"""API rate limits, counted in the shared cache (Redis with CACHE_URL, else the database) so
every gunicorn worker and machine adds to the same counters, keyed by the client's real address
(pkoanalysis.clients) rather than a client-sent X-Forwarded-For."""

from django.core.cache import caches
from rest_framework import throttling

from pkoanalysis.clients import client_address


class Shared:
    @property
    def cache(self):
        return caches["shared"]

    def get_ident(self, request) -> str:
        return client_address(request)


class UserRateThrottle(Shared, throttling.UserRateThrottle):
    """Per account (so per token) once signed in; per address before."""


class AnonRateThrottle(Shared, throttling.AnonRateThrottle):
    pass


class TokenRateThrottle(Shared, throttling.AnonRateThrottle):
    """POST /api/token/, per address, signed in or not: a cap on password checks and new tokens."""

    scope = "token"


class ThrottleFirst:
    """DRF checks permissions before throttles, so a refused request (anonymous: 401, no role:
    403) was never counted. Count every request first."""

    def check_permissions(self, request):
        self.check_throttles(request)
        super().check_permissions(request)

    def check_throttles(self, request):
        if getattr(request, "_pko_throttled", False):
            return
        request._pko_throttled = True
        super().check_throttles(request)
