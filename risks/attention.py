"""What a curator should look at next: facts without dates, facts marked [verify], sources grown
old, names the data could not place, data older than the warning limit. Reads only."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from missions.context_processors import DataAge
from missions.models import Fatality, Mission
from risks.models import Factor

YEAR = re.compile(r"\b(19[5-9]\d|20\d\d)\b")
VERIFY = "[verify"


@dataclass(frozen=True)
class Item:
    what: str       # the row's name
    why: str        # what needs doing
    url: str = ""   # where to do it


def newest_year(*texts: str) -> int | None:
    years = [int(y) for text in texts for y in YEAR.findall(text or "")]
    return max(years, default=None)


def mission_items(today) -> dict[str, list[Item]]:
    url = lambda m: reverse("admin:missions_mission_change", args=[m.pk])  # noqa: E731
    active = Mission.objects.filter(is_active=True, kind=Mission.Kind.PKO).order_by("acronym")
    no_end = [Item(m.acronym, _("Active peacekeeping operation without a current mandate end date"), url(m))
              for m in active if m.mandate_end is None and not m.mandate_open_ended]
    passed = [Item(m.acronym, _("The mandate end date %(date)s has passed: record the renewal or the closure")
                   % {"date": m.mandate_end}, url(m)) for m in active if m.mandate_end and m.mandate_end < today]
    verify = [Item(m.acronym, _("Marked [verify]: check against the Security Council's resolution"), url(m))
              for m in Mission.objects.filter(Q(mandate_source__icontains=VERIFY) | Q(facts_note__icontains=VERIFY)
                                              | Q(facts_source__icontains=VERIFY)).order_by("acronym")]
    created = [Item(m.acronym, _("Created from an upload: give it its full name, host, dates and facts"), url(m))
               for m in Mission.objects.filter(source__startswith="Created from the upload").order_by("acronym")]
    return {"no_end": no_end, "passed": passed, "verify": verify, "created": created}


def factor_items(today) -> list[Item]:
    limit = settings.PKO_SOURCE_MAX_AGE_YEARS
    items = []
    for factor in Factor.objects.order_by("code"):
        url = reverse("admin:risks_factor_change", args=[factor.pk])
        year = newest_year(factor.source)
        if VERIFY in factor.source or VERIFY in factor.description:
            items.append(Item(factor.code, _("Marked [verify] in its source or description"), url))
        if year is None and "seed" not in factor.source.lower():  # the seed documents are the brief itself
            items.append(Item(factor.code, _("Its source names no year: cite a dated source"), url))
        elif year is not None and today.year - year > limit:
            items.append(Item(factor.code, _("Its newest source is from %(year)s, more than %(n)s years ago")
                              % {"year": year, "n": limit}, url))
    return items


def unmapped_names() -> list[Item]:
    rows = (Fatality.objects.filter(nationality__isnull=True).exclude(nationality_name="")
            .exclude(nationality_name__icontains="undetermined")  # the source's own "unknown", not a spelling
            .values("nationality_name").annotate(n=Count("id")).order_by("-n", "nationality_name"))
    url = reverse("admin:missions_country_changelist")
    return [Item(r["nationality_name"], _("%(n)s fatalities with this nationality are counted for no country: add "
                                           "the spelling to a country's aliases") % {"n": r["n"]}, url)
            for r in rows]


def attention() -> list[tuple[str, list[Item]]]:
    today = timezone.localdate()
    missions = mission_items(today)
    age = DataAge()
    data = []
    if age.stale:
        data = [Item(_("UN monthly contributions"), _("The newest report is %(n)s months old: upload the UN's "
                                                       "newest release") % {"n": age.months},
                     reverse("admin:missions_datarelease_add"))]
    return [
        (_("Data older than the warning limit"), data),
        (_("Missions without a mandate end date"), missions["no_end"]),
        (_("Mandate end dates that have passed"), missions["passed"]),
        (_("Mission facts marked [verify]"), missions["verify"]),
        (_("Missions created from an upload, still to complete"), missions["created"]),
        (_("Factors whose sources are old, undated or marked [verify]"), factor_items(today)),
        (_("Names in the data that match no country"), unmapped_names()),
    ]
