"""The data's vintage on every page: how recent the latest UN monthly report is."""

from __future__ import annotations

import datetime as dt
from functools import cached_property

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from missions.models import DataFile


def months_between(earlier: dt.date, later: dt.date) -> int:
    return (later.year - earlier.year) * 12 + later.month - earlier.month


CACHE_KEY = "missions:data-through"
CACHE_SECONDS = 60  # other processes' caches (without CACHE_URL) see a new release within a minute


def forget_data_age(**_kwargs) -> None:
    """A data file was loaded, replaced or rolled back (connected in missions.apps)."""
    cache.delete(CACHE_KEY)


class DataAge:
    """Read only when a template asks, and then from the cache (an indexed query when cold), so
    pages keep their number of queries."""

    @cached_property
    def through(self) -> dt.date | None:
        value = cache.get(CACHE_KEY)
        if value is None:
            value = DataFile.objects.filter(dataset="un_monthly").values_list("last_month", flat=True).first() or ""
            cache.set(CACHE_KEY, value, CACHE_SECONDS)
        return value or None

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
