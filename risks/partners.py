"""How pages, exports and briefings name the partner of a mixed contingent: 'Mixed contingent
with Argentina'. The partner itself is chosen by risks.engine.partners from the UN data and the
curated precedents (risks.inputs.partner_table); this module only turns its ISO3 code into words."""

from __future__ import annotations

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from missions.models import Country

MIXED = "mixed_contingent"


def country_names() -> dict[str, str]:
    column = "name_es" if (get_language() or "").startswith("es") else "name_en"
    return {iso3: name or en for iso3, name, en in Country.objects.values_list("iso3", column, "name_en")}


def partner_of(mode: str, partner: object) -> str:
    """The partner's ISO3 code for a mixed contingent, '' for any other mode or none known."""
    return str(partner) if mode == MIXED and isinstance(partner, str) and partner else ""


def with_partner(mode_name: str, partner: str, names: dict[str, str]) -> str:
    """'Mixed contingent with Argentina'; the mode's name alone when no partner is named."""
    if not partner:
        return mode_name
    return _("%(mode)s with %(partner)s") % {"mode": mode_name, "partner": names.get(partner, partner)}
