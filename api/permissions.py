from rest_framework.permissions import BasePermission


class CanView(BasePermission):
    """Logged in (session or token) and allowed to view the endpoint's model: the same role
    rules as the pages (analysts, consultants and curators read; nobody else)."""

    message = "You need a role (analyst, consultant or curator) that may read this data."

    def has_permission(self, request, view) -> bool:
        user = request.user
        perm = getattr(view, "required_perm", None)
        return bool(user and user.is_authenticated and (perm is None or user.has_perm(perm)))
