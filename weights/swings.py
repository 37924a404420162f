"""What each category's swing moves: its criteria's stated worst and best levels, in words and
numbers (risks/catalogue/criteria.csv), for the swing, rank and AHP pages."""

from __future__ import annotations

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from risks.engine.value import DEFAULT_USD_PER_POINT, DEFAULT_VALUE_OF_DEATH_USD
from risks.inputs import criteria_table
from risks.models import Category, Factor


def level(row: dict, end: str) -> str:
    """A criteria.csv row's worst or best level in words, in the page's language."""
    spanish = (get_language() or "en").startswith("es")
    return row[f"{end}_es"] if spanish and row.get(f"{end}_es") else row[f"{end}_en"]


def number(value: float, unit: str) -> str:
    if unit.startswith("US$"):
        return f"US${value / 1e6:,.0f} M"
    return f"{value:g}"


def category_swings() -> list[dict]:
    """Per category (Category order): label; risks and opportunities (judged factor names);
    worst and best (the judgement scale's levels in words); scale (the numbers); priced (the
    data criteria of the category, each with its range in words and numbers and how it is
    weighed)."""
    _ranges, rows = criteria_table()
    judgement = rows["judgement"]
    factors = list(Factor.objects.filter(is_active=True).order_by("code"))
    out = []
    for code, label in Category.choices:
        members = [f for f in factors if f.category == code]
        risks = [f.name for f in members if f.quantity == "judgement" and f.kind == Factor.Kind.RISK]
        opportunities = [f.name for f in members if f.quantity == "judgement" and f.kind == Factor.Kind.OPPORTUNITY]
        priced = []
        for f in members:
            if f.quantity == "judgement":
                continue
            row = rows[f.quantity]
            how = (_("weighed at the scenario's value of an expected death (default US$%(m)s M)")
                   % {"m": f"{DEFAULT_VALUE_OF_DEATH_USD / 1e6:,.0f}"} if f.quantity == "fatalities" else
                   _("weighed at the scenario's price of a US$ (default: US$%(m)s M a year = a full swing at 100%%)")
                   % {"m": f"{DEFAULT_USD_PER_POINT / 1e6:,.0f}"})
            priced.append({"name": f.name, "unit": row["unit"], "worst": level(row, "worst"),
                           "best": level(row, "best"), "worst_number": number(float(row["worst"]), row["unit"]),
                           "best_number": number(float(row["best"]), row["unit"]), "how": how})
        out.append({"code": code, "label": label, "risks": risks, "opportunities": opportunities,
                    "worst": level(judgement, "worst"), "best": level(judgement, "best"),
                    "scale": _("risks at %(w)s and opportunities at %(b)s → risks at %(b)s and opportunities at %(w)s "
                               "(judgement scale)") % {"w": judgement["worst"], "b": judgement["best"]},
                    "priced": priced})
    return out
