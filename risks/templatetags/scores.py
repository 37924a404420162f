"""{% score net anchor %}: a net score as the 0-100 index of risks.scale, the raw value on hover."""

from django import template
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.translation import gettext as _

from risks import scale

register = template.Library()


@register.simple_tag
def score(net, anchor):
    """<span title="net score 0.081">62</span>; the raw score alone when no index is defined."""
    if net is None or net != net:
        return "–"
    raw = number_format(float(net), 3, use_l10n=True)
    value = scale.index(net, anchor)
    if value is None:
        return format_html('<span class="score" title="{}">{}</span>', _("net score (no index: nothing admissible "
                                                                         "beats not deploying)"), raw)
    return format_html('<span class="score" title="{}">{}</span>', _("net score %(net)s") % {"net": raw},
                       number_format(round(value), 0, use_l10n=True))
