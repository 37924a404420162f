"""The builder's presets (risks.presets) as weight sets with no owner: created or brought up to
date after every migrate (idempotent), so a scenario started from a preset can name its weights."""

from pkoanalysis.bilingual import both
from risks.engine import elicitation as el
from risks.presets import PRESETS
from weights import methods
from weights.models import Method, WeightSet


def ensure_preset_sets(**_signal) -> int:
    """Create or refresh one weight set per preset; returns how many were created."""
    created = 0
    for code, preset in PRESETS.items():
        typed = {c: float(preset["category_weights"].get(c, 1.0)) for c in methods.CRITERIA}
        weights = methods.as_dict(el.normalised(list(typed.values())))
        name, name_es = both(preset["name"])
        description, description_es = both(preset["description"])
        fields = {"name": name, "name_es": name_es, "method": Method.DIRECT, "judgments": {"weights": typed},
                  "weights": weights, "consistency_ratio": None, "description": description,
                  "description_es": description_es}
        current = WeightSet.objects.filter(preset=code, owner=None).first()
        if current is None:
            WeightSet.objects.create(preset=code, owner=None, **fields)
            created += 1
        elif any(getattr(current, name) != value for name, value in fields.items()):
            for name, value in fields.items():
                setattr(current, name, value)
            current.save()  # a change in risks.presets reaches the set (and its history)
    return created


def preset_set(code: str) -> WeightSet | None:
    return WeightSet.objects.filter(preset=code, owner=None).first() if code else None
