"""Who is asking: the client's address, for login lockouts (django-axes) and API rate limits.

Behind nginx (deploy/nginx.conf) every request comes from 127.0.0.1; nginx puts the client's own
address in X-Real-IP, replacing whatever the client sent. The header is believed only from the
proxies in TRUSTED_PROXIES, and with PROXY_SECRET only with nginx's secret, so neither a client
nor another process on the machine talking to gunicorn directly can pick its address.
"""

import hmac
import ipaddress

from django.conf import settings
from django.http import HttpRequest


def from_proxy(request: HttpRequest) -> bool:
    """Whether the request came through nginx: from a trusted address and, when PROXY_SECRET is
    set, carrying it (any process on the machine can connect from 127.0.0.1; only nginx knows it)."""
    if request.META.get("REMOTE_ADDR", "") not in settings.TRUSTED_PROXIES:
        return False
    secret = settings.PROXY_SECRET
    return not secret or hmac.compare_digest(request.META.get("HTTP_X_PKO_PROXY", "").encode(), secret.encode())


def client_address(request: HttpRequest) -> str:
    remote = request.META.get("REMOTE_ADDR", "")
    if from_proxy(request):
        forwarded = request.META.get("HTTP_X_REAL_IP", "").strip()
        try:
            return str(ipaddress.ip_address(forwarded))
        except ValueError:
            pass
    return remote
