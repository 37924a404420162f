from django import template

from weights.swings import category_swings

register = template.Library()


@register.inclusion_tag("weights/_swings.html")
def swing_table() -> dict:
    """The worst and best level of every category's criteria (weights.swings)."""
    return {"swings": category_swings()}
