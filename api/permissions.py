from rest_framework.permissions import BasePermission

# What every role grants (pkoanalysis.roles asks the same of the pages).
ANY_ROLE = "missions.view_mission"


class CanView(BasePermission):
    """Logged in (session or token) and allowed to view the endpoint's model: the same role
    rules as the pages (analysts, consultants and curators read; nobody else). Views with no
    model of their own (the schema and its documentation) need any role."""

    message = "You need a role (analyst, consultant or curator) that may read this data."

    def has_permission(self, request, view) -> bool:
        user = request.user
        perm = getattr(view, "required_perm", None) or ANY_ROLE
        return bool(user and user.is_authenticated and user.has_perm(perm))
