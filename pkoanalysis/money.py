"""One way to write an amount of US dollars, per language, on every page and export.

The rule: whole dollars below US$ 1 million ("US$ 879,600": rates, unit costs and small
budgets, where each dollar was typed or is a tariff), millions with one decimal from there
("US$ 3.9 M"; no decimal from US$ 100 M up), since the model's yearly costs are estimates and
a reader compares them in millions. Numbers go through django.utils.formats.number_format, so
the active language's decimal and thousands separators apply; non-breaking spaces keep the
amount on one line."""

from __future__ import annotations

from django.utils.formats import number_format
from django.utils.translation import gettext as _

MILLION = 1_000_000.0
NBSP = "\u00a0"


def money(value: float | int | None, full: bool = False) -> str:
    """'US$ 1.2 M', 'US$ 879,600' (or every dollar with full=True); '–' for a missing value."""
    if value is None:
        return "–"
    try:
        amount = float(value)
    except (TypeError, ValueError):
        return "–"
    if amount != amount:
        return "–"
    if full or abs(amount) < MILLION:
        text = number_format(round(amount), 0, use_l10n=True, force_grouping=True)
        return (_("US$ %(amount)s") % {"amount": text}).replace(" ", NBSP)
    millions = amount / MILLION
    decimals = 0 if abs(millions) >= 100 else 1
    text = number_format(round(millions, decimals), decimals, use_l10n=True, force_grouping=True)
    return (_("US$ %(amount)s M") % {"amount": text}).replace(" ", NBSP)
