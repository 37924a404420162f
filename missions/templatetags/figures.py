"""{% figure fig "id" %}: a plotly figure as inert JSON plus the element that draws it."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()

# Same escaping as Django's json_script: no "</script>" or HTML can break out of the tag.
JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.simple_tag
def figure(fig_json: str, element_id: str, css_class: str = "chart"):
    payload = mark_safe(fig_json.translate(JSON_ESCAPES))  # noqa: S308 - escaped above
    return format_html(
        '<div class="{}" id="{}" data-figure="{}-data"></div>'
        '<script type="application/json" id="{}-data">{}</script>',
        css_class, element_id, element_id, element_id, payload,
    )
