"""{% weight_source scenario %}: one line saying where a scenario's weights came from (method,
participants, consistency) with a link to the judgments. Used by the scenario page and the
briefing (pass pdf=True there: the link becomes the set's number and path)."""

from django import template
from django.utils.translation import gettext as _

from risks.models import Scenario
from weights.models import Method

register = template.Library()


@register.inclusion_tag("weights/_source.html")
def weight_source(scenario, pdf: bool = False) -> dict:
    if isinstance(scenario, int):
        scenario = Scenario.objects.select_related("weight_set").filter(pk=scenario).first()
    weight_set = getattr(scenario, "weight_set", None)
    if weight_set is None:
        return {"line": _("Weights: the analyst's own numbers, typed in the builder."), "weight_set": None}
    parts = [str(Method(weight_set.method).label)]
    labels = list(weight_set.participants.values_list("label", flat=True))
    if labels:
        how = _("geometric mean of judgments") if weight_set.method == Method.AHP else _("mean of normalised weights")
        parts.append(_("workshop of %(n)d: %(who)s (%(how)s)") % {"n": len(labels), "who": ", ".join(labels), "how": how})
    if weight_set.consistency_ratio is not None:
        parts.append(_("consistency ratio %(cr).2f") % {"cr": weight_set.consistency_ratio})
    elif weight_set.preset:
        parts.append(_("preset"))
    return {"line": _("Weights from “%(name)s”: %(how)s.") % {"name": weight_set.display_name, "how": "; ".join(parts)},
            "weight_set": weight_set, "pdf": pdf}
