"""One citation style for every briefing: Chicago author-date (reference-list form), with
numbered citation marks in the text. Plain data in, text out; no database access.

    cite = Citations(sources)          # sources: {key: SourceEntry}
    cite.mark(["cpeum-76", "a4p-2018"]) -> "[1, 2]"   (numbers in order of first citation)
    cite.entries()                     -> [(1, Reference), ...]  every number marked, once
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class SourceEntry:
    key: str
    kind: str
    authors: str
    title: str
    container: str = ""
    year: str = ""
    date: object = None
    publisher: str = ""
    place: str = ""
    identifier: str = ""
    url: str = ""
    accessed: object = None
    note: str = ""


@dataclass(frozen=True)
class Reference:
    """A formatted entry: `before` + `title` (set in italics where the medium allows) + `after`."""

    before: str
    title: str
    after: str
    note: str = ""

    @property
    def text(self) -> str:
        return f"{self.before}{self.title}{self.after}"


ITALIC_KINDS = {"legal", "un_document", "dataset", "thesis", "report"}  # stand-alone works; articles take quotes


def _end(text: str) -> str:
    return text if text.endswith((".", "?", "!", "”")) else text + "."


def chicago(source: SourceEntry, year_label: str, date_format) -> Reference:
    """Chicago author-date: Author. Year. Title. Container. Place: Publisher. Identifier. URL."""
    who = source.authors or ""
    before = f"{_end(who)} {_end(year_label)} " if who else ""
    if source.title.startswith("["):  # a bracketed description stands for an unconfirmed title: never italic or quoted
        before, title = before + _end(source.title), ""
    else:
        title = _end(source.title) if source.kind in ITALIC_KINDS else f"“{_end(source.title)}”"
    after_title = []
    if not who:  # no author: the title leads, then the year
        after_title.append(year_label)
    if source.container:
        after_title.append(source.container)
    published = ": ".join(p for p in (source.place, source.publisher) if p)
    if published:
        after_title.append(published)
    if source.date and source.kind in ("legal", "un_document", "press", "dataset"):
        after_title.append(date_format(source.date))
    if source.identifier:
        after_title.append(source.identifier)
    if source.url:
        after_title.append(source.url)
    if source.accessed:
        after_title.append(_("Accessed %(date)s") % {"date": date_format(source.accessed)})
    after = "".join(f" {_end(part)}" for part in after_title)
    return Reference(before=before, title=title, after=after, note=source.note)


class Citations:
    """Numbers sources in the order the text first cites them."""

    def __init__(self, sources: dict[str, SourceEntry]):
        self.sources = sources
        self.numbers: dict[str, int] = {}

    def numbers_of(self, keys) -> list[int]:
        found = []
        for key in keys:
            if key not in self.sources:
                continue
            if key not in self.numbers:
                self.numbers[key] = len(self.numbers) + 1
            found.append(self.numbers[key])
        return sorted(set(found))

    def mark(self, keys) -> str:
        numbers = self.numbers_of(keys)
        return f"[{', '.join(map(str, numbers))}]" if numbers else ""

    def entries(self, date_format) -> list[tuple[int, Reference]]:
        labels = year_labels([self.sources[k] for k in self.numbers])
        return [(n, chicago(self.sources[key], labels[key], date_format))
                for key, n in sorted(self.numbers.items(), key=lambda item: item[1])]


def year_labels(sources: list[SourceEntry]) -> dict[str, str]:
    """Chicago's 1917a / 1917b for two works of one author in one year; 'n.d.' when undated."""
    groups: dict[tuple[str, str], list[SourceEntry]] = {}
    for s in sources:  # works without an author lead with their titles: never confused
        groups.setdefault((s.authors, s.year) if s.authors else (s.key, ""), []).append(s)
    labels = {}
    for (_who, year), members in groups.items():
        base = year or _("n.d.")
        if len(members) == 1:
            labels[members[0].key] = base
        else:
            for i, s in enumerate(sorted(members, key=lambda s: s.title)):
                labels[s.key] = f"{base}{'abcdefghij'[i]}" if year else f"{base}-{'abcdefghij'[i]}"
    return labels
