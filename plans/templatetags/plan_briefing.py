"""{% plan_section d.owner %}: the plan section of a client briefing (plans.briefing)."""

from django import template

from plans.briefing import plan_section as section

register = template.Library()


@register.inclusion_tag("plans/_briefing_section.html")
def plan_section(owner_username: str) -> dict:
    return {"s": section(owner_username)}
