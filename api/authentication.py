"""Token authentication: hashed at rest, with an expiry (kept apart from the views: DRF imports its
authentication classes while it loads its own views).

Tokens are django-rest-knox's: the database keeps a SHA-512 digest and the first 15 characters
(to find the row), never the token itself, so a copy of the database or a backup lets no one call
the API (issue 25 F13). A token expires API_TOKEN_HOURS after it was issued (settings.REST_KNOX).
"""

from datetime import timedelta

from django.conf import settings
from knox.auth import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed

EXPIRED = ("This token has expired: POST your username and password to /api/token/ for a new one.")


def lifetime() -> timedelta:
    return timedelta(hours=settings.API_TOKEN_HOURS)


class ExpiringTokenAuthentication(TokenAuthentication):
    """`Authorization: Token <key>`; an expired token is deleted and refused with a message that
    says so (knox says only "Invalid token.")."""

    def authenticate_credentials(self, token):
        self.saw_expired = False
        try:
            return super().authenticate_credentials(token)
        except AuthenticationFailed:
            if self.saw_expired:
                raise AuthenticationFailed(EXPIRED) from None
            raise

    def _cleanup_token(self, auth_token) -> bool:
        expired = super()._cleanup_token(auth_token)
        self.saw_expired = self.saw_expired or expired
        return expired
