"""{% briefing_panel scenario %}: the scenario page's client briefings (export form, progress,
list), so the risks app need not import this one."""

from django import template
from django.utils.translation import get_language

from briefings.forms import BriefingForm
from briefings.views import may_export, visible

register = template.Library()


@register.inclusion_tag("briefings/_panel.html", takes_context=True)
def briefing_panel(context, scenario):
    user = context["request"].user
    briefings = list(visible(user, scenario.briefings.select_related("created_by"))[:10])
    return {"scenario": scenario, "briefings": briefings, "may_export": may_export(user),
            "briefing_form": BriefingForm(initial={"language": (get_language() or "en")[:2]}),
            "in_progress": next((b for b in briefings if b.status in ("pending", "running")), None),
            "csrf_token": context.get("csrf_token")}
