"""{% plan_section d.owner %}: the plan section of a client briefing (plans.briefing)."""

from django import template

from plans.briefing import plan_section as section

register = template.Library()


@register.inclusion_tag("plans/_briefing_section.html")
def plan_section(owner_username: str, decision: str = "") -> dict:
    """decision: the brief's own ("deploy", "deploy_on_conditions", "do_not_deploy"), so the plan
    is framed as the different question it answers."""
    return {"s": section(owner_username), "decision": decision}
