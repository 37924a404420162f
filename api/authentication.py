"""Token authentication with an expiry (kept apart from the views: DRF imports its
authentication classes while it loads its own views)."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import AuthenticationFailed


def lifetime() -> timedelta:
    return timedelta(hours=settings.API_TOKEN_HOURS)


def expired(token: Token) -> bool:
    return token.created + lifetime() <= timezone.now()


class ExpiringTokenAuthentication(TokenAuthentication):
    """`Authorization: Token <key>`; a token older than API_TOKEN_HOURS is refused and deleted."""

    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        if expired(token):
            token.delete()
            raise AuthenticationFailed("This token has expired: POST your username and password to /api/token/ "
                                       "for a new one.")
        return user, token
