"""Who is asking: the client's address, for login lockouts (django-axes) and API rate limits.

Behind nginx (deploy/nginx.conf) every request comes from 127.0.0.1; nginx puts the client's own
address in X-Real-IP, replacing whatever the client sent. The header is believed only from the
proxies in TRUSTED_PROXIES, so a client talking to gunicorn directly cannot pick its address.
"""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    remote = request.META.get("REMOTE_ADDR", "")
    if remote in settings.TRUSTED_PROXIES:
        forwarded = request.META.get("HTTP_X_REAL_IP", "").strip()
        try:
            return str(ipaddress.ip_address(forwarded))
        except ValueError:
            pass
    return remote
