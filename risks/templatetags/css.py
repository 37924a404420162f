"""{{ value|css_string }}: user text inside a CSS string (the briefing's running footer)."""

from django import template
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.filter
def css_string(value: object) -> SafeString:
    """The text for `content: "..."`: every character but letters, digits and plain
    punctuation becomes a CSS escape (`\\3c ` for <), so quotes, backslashes and `</style>`
    cannot leave the string and WeasyPrint prints the text as typed. HTML escaping would be
    wrong here: a <style> element does not decode entities."""
    text = "" if value is None else str(value)
    escaped = "".join(c if c.isalnum() or c in " .,:·-_()" else f"\\{ord(c):x} " for c in text)
    return mark_safe(escaped)  # noqa: S308 - only letters, digits, punctuation and escapes remain
