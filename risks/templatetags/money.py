"""{{ amount|money }}: US dollars the one way every page writes them (pkoanalysis.money);
{{ amount|money:"full" }} for every dollar (a cap the user typed)."""

from django import template

from pkoanalysis import money as formats

register = template.Library()


@register.filter
def money(value, arg: str = "") -> str:
    return formats.money(value, full=arg == "full")
