"""{% data_age_note %}: "UN data through July 2025", and a warning when that is too old."""

from django import template
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext as _

from missions.context_processors import DataAge

register = template.Library()


@register.simple_tag(takes_context=True)
def data_age_note(context, admin: bool = False):
    age = context.get("data_age") or DataAge()
    if age.through is None:
        return ""
    line = _("UN data through %(month)s") % {"month": date_format(age.through, "YEAR_MONTH_FORMAT")}
    if not age.stale:
        return format_html('<p class="data-age" role="note">{}</p>', line)
    warning = _("The newest UN monthly report here is %(months)s months old (the limit is %(limit)s).") % {
        "months": age.months, "limit": age.limit}
    action = (_("Upload the UN's newest release under Data release uploads.") if admin else
              _("Figures, hazards and scenario results may not reflect the current deployments."))
    return format_html('<p class="data-age stale" role="alert"><strong>{}.</strong> {} {}</p>', line, warning, action)


@register.simple_tag
def data_age_warning(through, today):
    """For briefings (rendered without a request): a warning when `through` is too old on `today`."""
    from django.conf import settings

    from missions.context_processors import months_between

    if not through or not today:
        return ""
    months = months_between(through, today)
    if months <= settings.PKO_DATA_MAX_AGE_MONTHS:
        return ""
    return format_html('<p class="stale">{}</p>', _(
        "The newest UN data in this briefing is %(months)s months old: figures may not reflect the current "
        "deployments.") % {"months": months})
