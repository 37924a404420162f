"""Session lifetimes (ASVS 3.3): signed out after SESSION_IDLE_SECONDS without a request, and
SESSION_ABSOLUTE_SECONDS after signing in, whatever the activity. The session cookie itself
expires at the absolute limit too (SESSION_COOKIE_AGE)."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import LogoutView
from django.utils.translation import gettext as _

STARTED, SEEN = "pko_started", "pko_seen"
# Writing the session on every request would cost a database write each time: a minute's
# precision on the idle limit is enough.
SEEN_RESOLUTION_SECONDS = 60


class SessionTimeoutMiddleware:
    """After AuthenticationMiddleware and MessageMiddleware: an expired session is signed out
    before any view runs (the login middleware then sends the visitor to log in)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated and hasattr(request, "session"):
            self.expire(request)
        response = self.get_response(request)
        if getattr(request, "user", None) is not None and request.user.is_authenticated:
            self.stamp(request)
        return response

    @staticmethod
    def expire(request) -> None:
        now = time.time()
        started, seen = request.session.get(STARTED), request.session.get(SEEN)
        if started is not None and now - started > settings.SESSION_ABSOLUTE_SECONDS:
            reason = _("You were signed out: a session lasts at most %(hours)d hours. Please sign in again.") % {
                "hours": settings.SESSION_ABSOLUTE_SECONDS // 3600}
        elif seen is not None and now - seen > settings.SESSION_IDLE_SECONDS:
            reason = _("You were signed out after %(minutes)d minutes without activity. Please sign in again.") % {
                "minutes": settings.SESSION_IDLE_SECONDS // 60}
        else:
            return
        logout(request)
        messages.warning(request, reason)

    @staticmethod
    def stamp(request) -> None:
        now = time.time()
        if STARTED not in request.session:  # the first answer after signing in
            request.session[STARTED] = now
        if now - request.session.get(SEEN, 0) >= SEEN_RESOLUTION_SECONDS:
            request.session[SEEN] = now


class SignOut(LogoutView):
    """The site's "Sign out": ends the session and revokes every API token of the account, so a
    token copied into a notebook does not outlive the person's decision to leave (issue 25 F13).
    An idle or absolute timeout ends only the session: a notebook keeps working until its token
    expires."""

    def post(self, request, *args, **kwargs):
        from api.tokens import revoke_all

        if request.user.is_authenticated:
            revoke_all(request.user)
        return super().post(request, *args, **kwargs)
