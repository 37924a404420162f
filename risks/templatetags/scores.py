"""{% score net anchor %}: a net score as the 0-100 index of risks.scale, the raw value on hover.

One rule on every page: an option that no gate or deal-breaker lets Mexico build shows "—" (its
verdict beside it says why), never a number that reads like an admissible option's index; with
no anchor (nothing admissible beats not deploying) there is no index, so "—" again, the raw net
score on hover. An index above 100 (a P90 beating the best option's expected value) says so on
hover; the page's scale note explains it once."""

from django import template
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.translation import gettext as _

from risks import scale

register = template.Library()


def raw_text(net) -> str:
    # number_format cuts a float's digits; rounding first gives 0.026 for 0.02559, not 0.025.
    return number_format(round(float(net), 3), 3, use_l10n=True)


@register.simple_tag
def score(net, anchor, admissible=True, part=False):
    """<span title="raw net score 0.081">62</span>; "—" for an option that is not admissible or
    when no index is defined. part: a part of a net score in index points (risk, opportunity),
    for which "above 100" means nothing."""
    if net is None or net != net:
        return "–"
    raw = raw_text(net)
    if not admissible:
        return format_html('<span class="score inadmissible" title="{}">—<span class="visually-hidden"> {}</span></span>',
                           _("not admissible: no index (raw net score %(net)s)") % {"net": raw}, _("not admissible"))
    value = scale.index(net, anchor)
    if value is None:
        return format_html('<span class="score none" title="{}">—</span>',
                           _("no index: nothing admissible beats not deploying (raw net score %(net)s)") % {"net": raw})
    title = (_("raw value %(net)s (weighted exposure)") if part else _("raw net score %(net)s")) % {"net": raw}
    if scale.above_best(value) and not part:
        title = _("%(title)s; above 100: better than the best admissible option's expected value") % {"title": title}
    return format_html('<span class="score" title="{}">{}</span>', title, number_format(round(value), 0, use_l10n=True))

