"""An exporter turns a BriefingData into one file (as pretix's exporters do):

    ExportFile(filename, content_type, content) = EXPORTERS["pdf"](data, client="SRE").render()

File names are stable and meaningful: client, scenario, language and date
(sre-japan-safeguards-es-2026-12-02.pdf); the same export on the same day has the same name.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import NamedTuple

from django.utils import timezone
from django.utils.text import slugify

from briefings.data import BriefingData


class ExportFile(NamedTuple):
    filename: str
    content_type: str
    content: bytes


def file_name(data: BriefingData, *, client: str, day: datetime.date, extension: str) -> str:
    parts = [slugify(client)[:40], slugify(data.name)[:60] or f"scenario-{data.scenario_id}", data.language,
             day.isoformat()]
    return "-".join(p for p in parts if p) + f".{extension}"


class Exporter:
    identifier = ""
    extension = ""
    content_type = "application/octet-stream"

    def __init__(self, data: BriefingData, *, paper: str = "a4", client: str = "", firm: str = "",
                 day: datetime.date | None = None, with_charts: bool = True,
                 progress: Callable[[int, int], None] | None = None):
        self.data, self.paper, self.client, self.firm = data, paper, client, firm
        self.day = day or timezone.localdate()
        self.with_charts, self.progress = with_charts, progress

    def filename(self) -> str:
        return file_name(self.data, client=self.client, day=self.day, extension=self.extension)

    def content(self) -> bytes:  # pragma: no cover - every exporter defines it
        raise NotImplementedError

    def render(self) -> ExportFile:
        from django.utils import translation

        with translation.override(self.data.language):
            return ExportFile(self.filename(), self.content_type, self.content())

    def report(self, done: int, total: int) -> None:
        if self.progress:
            self.progress(done, total)
