"""Ready starting points for analysts: weights by category and gates applied strictly."""

from django.utils.translation import gettext_lazy as _

PRESETS = {
    "japan_safeguards": {
        "name": _("Japan safeguards"),
        "description": _(
            "Japan's 1992 Five Principles as hard limits (ceasefire agreement, consent, impartiality, "
            "withdrawal, minimal use of weapons), with the PKO Act as amended by the 2015 Legislation for Peace "
            "and Security (in force 2016), which asks that the personnel's safety be ensured: no mission a "
            "contributor already left for its personnel's safety (Japan left UNDOF in 2012-13). As Japan sent "
            "engineer units: a national contingent of "
            "150, foreign-policy principles applied strictly, no option with more than a 5% chance of a "
            "fatality or outliving its mandate; heavy weight on constitutional, security and conduct risks."),
        "mode": "national_contingent",
        "functions": ["ceasefire_monitoring", "humanitarian_relief", "confidence_building"],
        "category_weights": {
            "constitutional_legal": 1.0, "operational_security": 1.0, "human_rights_conduct": 1.0,
            "reputation": 0.8, "domestic_politics": 0.8, "budget": 0.6, "professionalisation": 0.5,
            "transparency_accountability": 0.5, "international_standing": 0.5,
        },
        "strict_gates": ["jp_ceasefire", "jp_consent", "jp_impartiality", "jp_withdrawal", "jp_minimal_force",
                         "jp_personnel_safety", "art_89_x", "host_consent"],
        "duration_months": 12, "size": 150,
        "dealbreakers": {"max_p_any_fatality_pct": 5, "within_mandate": True},
    },
    "argentina_reform": {
        "name": _("Argentina reform path"),
        "description": _(
            "Peacekeeping as a catalyst for reforming the armed forces (Argentina since the 1990s): "
            "sustained deployments of a Mexican element of 40 embedded in partners' units, weight on "
            "professionalisation, transparency and standing; gates applied as conditions, not bans."),
        "mode": "mixed_contingent",
        "functions": ["public_security_police", "ceasefire_monitoring", "humanitarian_relief", "peacebuilding_ddr"],
        "category_weights": {
            "professionalisation": 1.0, "transparency_accountability": 1.0, "international_standing": 0.9,
            "human_rights_conduct": 0.9, "reputation": 0.7, "constitutional_legal": 0.6,
            "domestic_politics": 0.6, "budget": 0.6, "operational_security": 0.7,
        },
        "strict_gates": [],
        "duration_months": 36, "size": 40,
    },
}
