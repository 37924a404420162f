"""Pages need a role, not just an account: the same rule the API applies (api.permissions)."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

# A signed-in account without a role may still leave, change its password or pick a language.
OPEN_TO_EVERY_ACCOUNT = {"logout", "password_change", "password_change_done", "set_language"}


class RoleRequiredMiddleware:
    """403 for signed-in accounts with no role (no group granting read access, not superuser).

    Views marked login_not_required (login, the API, which checks roles itself) and the admin
    (which checks staff status and model permissions itself) are left to their own rules.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or not getattr(view_func, "login_required", True):
            return None
        match = request.resolver_match
        if match and (match.url_name in OPEN_TO_EVERY_ACCOUNT or match.app_name == "admin"):
            return None
        if user.has_perm("missions.view_mission"):
            return None
        raise PermissionDenied(_("Your account has no role yet: ask an administrator to make you an analyst, "
                                 "consultant or curator."))
