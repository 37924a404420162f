"""The missions list: every mission with its latest figures, filtered, sorted and cut into pages
in Python. There are ~115 missions, so one query for them all plus three grouped counts (cached
under the data vintage) beats joining the 170,000 deployment rows on every request, and the
number of queries never depends on the filters, the sort or the page.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.paginator import Page, Paginator

from missions.models import Mission

PER_PAGE = 25
# ?sort=<key> ascending, ?sort=-<key> descending. Missing figures (None) sort last either way.
SORT_KEYS = {
    "acronym": lambda r: r.mission.acronym.casefold(),
    "name": lambda r: r.mission.full_name.casefold(),
    "kind": lambda r: r.mission.kind,
    "host": lambda r: r.host_name.casefold() or None,
    "region": lambda r: r.region or None,
    "start": lambda r: r.mission.start_date,
    "end": lambda r: r.mission.end_date,
    "personnel": lambda r: r.personnel,
    "mexico": lambda r: (r.mexico_now or 0, r.mexico_last or dt.date.min) if r.mexico_last else None,
}
DEFAULT_SORT = "-personnel"


@dataclass(frozen=True)
class MissionStats:
    """A mission's figures from the deployments: uniformed personnel in the latest UN report,
    Mexicans in it, and the first and last UN report with Mexicans there."""

    personnel: int | None = None
    mexico_now: int | None = None
    mexico_first: dt.date | None = None
    mexico_last: dt.date | None = None


@dataclass(frozen=True)
class Row:
    mission: Mission
    personnel: int | None
    mexico_now: int | None
    mexico_first: dt.date | None
    mexico_last: dt.date | None

    @property
    def host_name(self) -> str:
        return self.mission.host_country.name if self.mission.host_country else ""

    @property
    def region(self) -> str:
        return self.mission.host_country.region if self.mission.host_country else ""


def rows(missions: list[Mission], stats: dict[int, MissionStats]) -> list[Row]:
    empty = MissionStats()
    return [Row(m, s.personnel, s.mexico_now, s.mexico_first, s.mexico_last)
            for m, s in ((m, stats.get(m.pk, empty)) for m in missions)]


def matches(row: Row, *, kind: str, status: str, region: str, mexico: str, query: str) -> bool:
    """kind: pko, spm, other or '' (any); status: active, closed or ''; mexico: now (in the
    latest UN report), ever (in any UN monthly report, 2015 on), never or ''."""
    m = row.mission
    if kind and m.kind != kind:
        return False
    if status and m.is_active != (status == "active"):
        return False
    if region and row.region != region:
        return False
    if mexico == "now" and not row.mexico_now:
        return False
    if mexico == "ever" and not row.mexico_last:
        return False
    if mexico == "never" and row.mexico_last:
        return False
    if query:
        needle = query.casefold()
        return any(needle in text.casefold() for text in (m.acronym, m.name, m.name_es, row.host_name, m.hq_location))
    return True


def sort(items: list[Row], key: str) -> list[Row]:
    """Sorted by `key` (see SORT_KEYS; '-' first for descending), then by acronym; rows without
    a value for the key go last in both directions."""
    descending = key.startswith("-")
    by = SORT_KEYS[key.lstrip("-")]
    items = sorted(items, key=lambda r: r.mission.acronym.casefold())
    present = [r for r in items if by(r) is not None]
    absent = [r for r in items if by(r) is None]
    return sorted(present, key=by, reverse=descending) + absent


def page_of(items: list[Row], number: int, per_page: int = PER_PAGE) -> Page:
    """The requested page, or the last one when `number` is past the end."""
    return Paginator(items, per_page).get_page(number)


def sort_links(current: str) -> dict[str, str]:
    """The sort each column header asks for: the other direction on the current sort's column,
    else the column's natural first direction (figures and dates: largest or latest first)."""
    links = {}
    for key in SORT_KEYS:
        if current.lstrip("-") == key:
            links[key] = key if current.startswith("-") else f"-{key}"
        else:
            links[key] = f"-{key}" if key in ("personnel", "mexico", "start", "end") else key
    return links
