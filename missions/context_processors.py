"""The data's vintage on every page: how recent the latest UN monthly report is."""

from __future__ import annotations

import datetime as dt
from functools import cached_property

from django.conf import settings
from django.utils import timezone

from missions.models import DataFile


def months_between(earlier: dt.date, later: dt.date) -> int:
    return (later.year - earlier.year) * 12 + later.month - earlier.month


class DataAge:
    """Read only when a template asks (one indexed query), so pages that don't show it pay nothing."""

    @cached_property
    def through(self) -> dt.date | None:
        return DataFile.objects.filter(dataset="un_monthly").values_list("last_month", flat=True).first()

    @property
    def months(self) -> int | None:
        return None if self.through is None else months_between(self.through, timezone.localdate())

    @property
    def limit(self) -> int:
        return settings.PKO_DATA_MAX_AGE_MONTHS

    @property
    def stale(self) -> bool:
        return self.months is not None and self.months > self.limit


def data_age(request) -> dict:
    return {"data_age": DataAge()}
