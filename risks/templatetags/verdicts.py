from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def verdict(code: str) -> str:
    """feasible / conditional / infeasible in the active language."""
    return {"feasible": _("Feasible"), "conditional": _("Conditional"), "infeasible": _("Infeasible")}.get(code, code)
