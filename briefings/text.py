"""Numbers, shares and dates in the briefing's language (Django's formats for the active
locale: 0.194 and 1,000 in English and in Mexican Spanish, pkoanalysis/formats/es; "5 de
diciembre de 2026"), for text, tables and charts."""

from __future__ import annotations

from django.utils import formats
from django.utils.dateformat import format as date_format

from pkoanalysis import chartstyle
from risks import scale


def num(value: float, decimals: int = 3, *, sign: bool = False) -> str:
    # Django's number_format cuts digits off (1.0349 -> "1.034"); round to the digits shown first.
    value = round(float(value), decimals)
    text = formats.number_format(abs(value) if sign else value, decimal_pos=decimals, use_l10n=True,
                                 force_grouping=True)
    if sign:
        return ("+" if value >= 0 else "−") + text
    return text.replace("-", "−")


def score(value: float, anchor: float | None, shown: bool = True) -> str:
    """A net score as the pages show it (risks.scale): index points when the scenario has an
    index (anchor), '–' for an option that is not admissible (no index for what Mexico cannot
    build), the raw net score when nothing admissible beats not deploying."""
    if anchor is None:
        return num(value, sign=True)
    if not shown:
        return "–"
    return num(scale.index(value, anchor), 0)


def pct(share: float, decimals: int = 0) -> str:
    # No space before the sign, in English and as Mexican readers write it (15.3%), as the pages do.
    return f"{num(100 * share, decimals)}%"


def long_date(value) -> str:
    return date_format(value, formats.get_format("DATE_FORMAT")) if value else "–"


def month_year(value) -> str:
    return date_format(value, formats.get_format("YEAR_MONTH_FORMAT")) if value else "–"


def separators() -> str:
    """plotly's `separators` layout value: the decimal mark, then the thousands separator."""
    return chartstyle.separators()
