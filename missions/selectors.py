"""Reads for the missions pages and API: ORM queries -> pandas DataFrames.

Each function runs a fixed number of queries whatever the size of the data (aggregation
happens in the database), so pages cost the same with ten rows or ten million.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
from dataclasses import dataclass

import numpy as np
import pandas as pd
from django.db import connection
from django.db.models import Count, Max, Min, Q, Sum

from missions.listing import MissionStats
from missions.models import (
    Country,
    DataFile,
    DataSource,
    Deployment,
    Fatality,
    MandateDecision,
    MandateFunction,
    Mission,
    MissionCut,
    MissionStrength,
    PersonnelType,
)
from pkoanalysis.bilingual import spanish

MEXICO = "MEX"
COMPARATORS = ["MEX", "ARG", "BRA", "CHL", "JPN", "URY"]
GROUP_BY = ("month", "mission", "country", "personnel_type")


def data_months() -> pd.DatetimeIndex:
    """Every month that any deployment source reports, in order (month starts)."""
    months = Deployment.objects.values_list("month", flat=True).distinct().order_by("month")
    return pd.DatetimeIndex(pd.to_datetime(list(months)))


def full_month_range(months: pd.DatetimeIndex) -> pd.DatetimeIndex:
    if months.empty:
        return months
    return pd.date_range(months.min(), months.max(), freq="MS")


# Curated in the admin with a history: an edit there changes what pages show.
CURATED = (Mission, Country, MandateFunction, Deployment, MissionStrength, Fatality, MandateDecision, MissionCut)


@functools.cache
def vintage_sql() -> str:
    # Table and column names come from the models, never from input. Built once: reaching a
    # model's history manager builds a new manager class each time.
    parts = [("COUNT(*)", DataFile), ("MAX(imported_at)", DataFile),
             *(("MAX(history_date)", model.history.model) for model in CURATED)]
    return "SELECT " + ", ".join(f"(SELECT {what} FROM {model._meta.db_table})" for what, model in parts)  # noqa: S608


def data_vintage() -> str:
    """A short key that changes whenever a data file is re-imported or a curator saves or
    deletes a row of the missions data in the admin (its history gains a newer row). One query:
    a count and maxima over indexed columns. For cache keys."""
    sql = vintage_sql()
    with connection.cursor() as cursor:
        cursor.execute(sql)
        row = cursor.fetchone()
    return hashlib.sha256(repr(tuple(str(v) for v in row)).encode()).hexdigest()[:16]


def latest_month() -> dt.date | None:
    return Deployment.objects.filter(source="un").aggregate(m=Max("month"))["m"]


def deployments(*, country: str | None = None, mission: str | None = None,
                personnel_type: str | None = None, start: dt.date | None = None,
                end: dt.date | None = None, group_by: tuple[str, ...] = ("month",),
                limit: int | None = None) -> pd.DataFrame:
    """Summed deployments. Columns: the group_by keys (month as Timestamp, mission acronym
    ('' = no mission breakdown), country ISO3, personnel_type code) then total, male, female
    (male/female are the sums over rows that report sex; NaN where none does). limit: at most
    this many groups (the first, in key order), so a caller can refuse an answer that is too big
    without loading it all."""
    fields = {
        "month": "month", "mission": "mission__acronym", "country": "country__iso3",
        "personnel_type": "personnel_type",
    }
    qs = Deployment.objects.all()
    if country:
        qs = qs.filter(country__iso3=country)
    if mission:
        qs = qs.filter(mission__acronym=mission)
    if personnel_type:
        qs = qs.filter(personnel_type=personnel_type)
    if start:
        qs = qs.filter(month__gte=start)
    if end:
        qs = qs.filter(month__lte=end)
    keys = [fields[g] for g in group_by]
    groups = qs.values(*keys).order_by(*keys).annotate(
        sum_total=Sum("total"), sum_male=Sum("male"), sum_female=Sum("female"),
        sexed_total=Sum("total", filter=Q(male__isnull=False)),
    )
    rows = list(groups if limit is None else groups[:limit])
    frame = pd.DataFrame(rows, columns=[*keys, "sum_total", "sum_male", "sum_female", "sexed_total"])
    frame = frame.rename(columns={v: k for k, v in fields.items()} | {
        "sum_total": "total", "sum_male": "male", "sum_female": "female"})
    if "month" in frame:
        frame["month"] = pd.to_datetime(frame["month"])
    if "mission" in frame:
        frame["mission"] = frame["mission"].fillna("")
    return frame


def monthly_series(frame: pd.DataFrame, months: pd.DatetimeIndex, column: str = "total") -> pd.Series:
    """A month-indexed series over the whole span: 0 in reported months without rows,
    NaN in months no source reports (so charts show a gap, not a fake zero)."""
    series = frame.set_index("month")[column] if not frame.empty else pd.Series(dtype=float)
    series = series.groupby(level=0).sum().reindex(months).fillna(0.0)
    return series.reindex(full_month_range(months))


@dataclass(frozen=True)
class Headlines:
    month: dt.date | None
    personnel: int
    contributors: int
    active_missions: int
    mexico_personnel: int
    mexico_missions: int
    mexico_women_share: float | None


def with_mexicans_now(month: dt.date | None = None) -> dict[int, int]:
    """The one definition of "with Mexicans now", for the overview, the missions list, mission
    pages and the API: mission id -> Mexican uniformed personnel in the latest UN monthly report
    (or `month`), for every mission of any kind (peacekeeping operation, special political
    mission or other) with at least one Mexican there. One grouped query."""
    month = month or latest_month()
    return dict(
        Deployment.objects.filter(month=month, mission__isnull=False, country__iso3=MEXICO, total__gt=0)
        .values("mission_id").annotate(n=Sum("total")).values_list("mission_id", "n"))


def headlines() -> Headlines:
    month = latest_month()
    latest = Deployment.objects.filter(month=month)
    overall = latest.aggregate(personnel=Sum("total"), contributors=Count("country", distinct=True))
    mexico = latest.filter(country__iso3=MEXICO).aggregate(
        personnel=Sum("total"), women=Sum("female"), sexed=Sum("total", filter=Q(female__isnull=False)),
    )
    mexico["missions"] = len(with_mexicans_now(month))
    share = mexico["women"] / mexico["sexed"] if mexico["sexed"] else None
    return Headlines(
        month=month, personnel=overall["personnel"] or 0, contributors=overall["contributors"],
        active_missions=Mission.objects.filter(is_active=True, kind=Mission.Kind.PKO).count(),
        mexico_personnel=mexico["personnel"] or 0, mexico_missions=mexico["missions"],
        mexico_women_share=share,
    )


def mission_map_rows() -> pd.DataFrame:
    """One row per mission with HQ coordinates: acronym, name (in the active language), active, lat, lon, host,
    latest total personnel, mexicans (reports with Mexican personnel, ever), mexicans_now
    (Mexican personnel in the latest month, as with_mexicans_now counts them, or None)."""
    month = latest_month()
    now = with_mexicans_now(month)
    missions = Mission.objects.filter(hq_latitude__isnull=False, hq_longitude__isnull=False).annotate(
        latest=Sum("deployments__total", filter=Q(deployments__month=month)),
        mexicans=Count("deployments", filter=Q(deployments__country__iso3=MEXICO, deployments__total__gt=0)),
    ).values("id", "acronym", "name", "name_es", "is_active", "hq_latitude", "hq_longitude", "hq_location",
             "start_date", "end_date", "latest", "mexicans")
    frame = pd.DataFrame(list(missions), columns=[
        "id", "acronym", "name", "name_es", "is_active", "hq_latitude", "hq_longitude", "hq_location",
        "start_date", "end_date", "latest", "mexicans",
    ])
    frame["mexicans_now"] = frame["id"].map(now)
    if spanish():  # the UN's Spanish name where curated (Mission.full_name)
        frame["name"] = frame["name_es"].where(frame["name_es"].fillna("") != "", frame["name"])
    return frame.drop(columns=["id", "name_es"])


def all_missions() -> list[Mission]:
    """Every mission with its host country (one query)."""
    return list(Mission.objects.select_related("host_country").order_by("acronym"))


def mission_stats(month: dt.date | None) -> dict[int, MissionStats]:
    """Mission id -> its uniformed personnel in `month` (the latest UN report), Mexicans then,
    and the first and last UN report with Mexicans there. Three grouped queries over indexed
    columns, whatever the number of missions."""
    personnel = dict(
        Deployment.objects.filter(month=month, mission__isnull=False).values("mission_id")
        .annotate(n=Sum("total")).values_list("mission_id", "n"))
    now = with_mexicans_now(month)
    spans = {
        row["mission_id"]: (row["first"], row["last"])
        for row in Deployment.objects.filter(country__iso3=MEXICO, mission__isnull=False, total__gt=0)
        .values("mission_id").annotate(first=Min("month"), last=Max("month"))
    }
    return {
        pk: MissionStats(personnel.get(pk), now.get(pk), *spans.get(pk, (None, None)))
        for pk in set(personnel) | set(spans)
    }


def top_contributors(mission: Mission, limit: int = 15, always: str = MEXICO) -> pd.DataFrame:
    """The mission's largest contributors in its latest reported month, then `always` (Mexico)
    if it is not among them: country__iso3, country__name_en, country__name_es, total, rank
    (1 = largest; ties share a rank; NaN for `always` when it has nobody there)."""
    month = Deployment.objects.filter(mission=mission).aggregate(m=Max("month"))["m"]
    rows = (
        Deployment.objects.filter(mission=mission, month=month)
        .values("country__iso3", "country__name_en", "country__name_es")
        .annotate(personnel=Sum("total")).filter(personnel__gt=0).order_by("-personnel", "country__iso3")
    )
    columns = ["country__iso3", "country__name_en", "country__name_es", "personnel"]
    every = pd.DataFrame(list(rows), columns=columns).rename(columns={"personnel": "total"})
    every["rank"] = every["total"].rank(method="min", ascending=False)
    frame = every.head(limit)
    if not frame.empty and always not in set(frame["country__iso3"]):
        extra = every[every["country__iso3"] == always]
        if extra.empty:
            names = Country.objects.filter(iso3=always).values("name_en", "name_es").first() or {}
            extra = pd.DataFrame([{"country__iso3": always, "country__name_en": names.get("name_en", always),
                                   "country__name_es": names.get("name_es", ""), "total": 0, "rank": np.nan}])
        frame = pd.concat([frame, extra], ignore_index=True)
    frame.attrs["month"] = month
    return frame


def fatalities_by_year(mission: Mission) -> pd.DataFrame:
    """Columns: year, incident_type, count."""
    rows = (
        Fatality.objects.filter(mission=mission)
        .values("incident_date__year", "incident_type").annotate(count=Count("id"))
        .order_by("incident_date__year")
    )
    frame = pd.DataFrame(list(rows), columns=["incident_date__year", "incident_type", "count"])
    return frame.rename(columns={"incident_date__year": "year"})


def mission_strength(mission: Mission) -> pd.DataFrame:
    rows = MissionStrength.objects.filter(mission=mission).values().order_by("month")
    frame = pd.DataFrame(list(rows))
    if not frame.empty:
        frame["month"] = pd.to_datetime(frame["month"])
    return frame


def mission_months(mission: Mission) -> pd.DatetimeIndex:
    """Months in which this mission's source reports a mission breakdown."""
    bounds = Deployment.objects.filter(mission=mission).aggregate(lo=Min("month"), hi=Max("month"))
    if not bounds["lo"]:
        return pd.DatetimeIndex([])
    months = (
        Deployment.objects.filter(mission__isnull=False, month__gte=bounds["lo"], month__lte=bounds["hi"])
        .values_list("month", flat=True).distinct().order_by("month")
    )
    return pd.DatetimeIndex(pd.to_datetime(list(months)))


def mexico_changes() -> dict | None:
    """What changed for Mexico between the two latest UN monthly reports: {'month', 'previous',
    'total', 'previous_total', 'missions': [(acronym, before, now)] for each mission whose count
    changed}. None with fewer than two UN months."""
    months = list(Deployment.objects.filter(source="un").values_list("month", flat=True)
                  .distinct().order_by("-month")[:2])
    if len(months) < 2:
        return None
    now, before = months
    rows = (Deployment.objects.filter(source="un", country__iso3=MEXICO, month__in=months)
            .values("month", "mission__acronym").annotate(n=Sum("total")))
    counts: dict[str, dict] = {}
    for row in rows:
        counts.setdefault(row["mission__acronym"] or "", {})[row["month"]] = row["n"] or 0
    changed = sorted((acronym, c.get(before, 0), c.get(now, 0)) for acronym, c in counts.items()
                     if c.get(before, 0) != c.get(now, 0))
    return {"month": now, "previous": before, "missions": changed,
            "total": sum(c.get(now, 0) for c in counts.values()),
            "previous_total": sum(c.get(before, 0) for c in counts.values())}


def cut_facts() -> pd.DataFrame:
    """The 2025-26 cuts per mission (index acronym): cut_share (share of uniformed personnel
    repatriated, NaN if none published), sheds_formed (bool), reimbursement_delay_months (NaN if
    none known), delay_verified (bool). A system-wide cut (no mission) applies to every open
    peacekeeping operation; a mission's own row replaces it. Unverified rows count only for the
    delay, flagged delay_verified=False, so a cost model can say so."""
    missions = list(Mission.objects.values_list("acronym", "kind", "is_active"))
    frame = pd.DataFrame({"cut_share": np.nan, "sheds_formed": False, "reimbursement_delay_months": np.nan,
                          "delay_verified": False}, index=pd.Index([a for a, _k, _a in missions], name="acronym"))
    pko = [a for a, kind, active in missions if kind == Mission.Kind.PKO and active]
    cuts = MissionCut.objects.select_related("mission")
    for cut in sorted(cuts, key=lambda c: (c.mission_id is not None, c.announced, c.id)):  # system-wide first
        targets = [cut.mission.acronym] if cut.mission_id else pko
        if cut.verified and cut.uniformed_share is not None:
            frame.loc[targets, "cut_share"] = cut.uniformed_share
        if cut.verified and (cut.uniformed_share is not None or cut.sheds_formed_units):
            frame.loc[targets, "sheds_formed"] = cut.sheds_formed_units
        if cut.reimbursement_delay_months is not None:
            frame.loc[targets, "reimbursement_delay_months"] = cut.reimbursement_delay_months
            frame.loc[targets, "delay_verified"] = cut.verified
    return frame


def council_facts(mission: Mission) -> dict:
    """What the mission page says about the world since the UN data: 'decisions' (the Council's
    timeline, newest first, with their tasks), 'horizon' (a sentence), 'cut', 'cut_effect' (what
    it means here, for a mission with formed units) and 'delay' (the 2025-26 cut and
    reimbursement-delay sentences, '' where none applies) and 'cut_sources'.
    A constant number of queries whatever the mission."""
    from missions import council_text

    decisions = list(mission.decisions.prefetch_related("tasks_added", "tasks_removed").order_by("-adopted", "-id"))
    facts = cut_facts().loc[mission.acronym]
    cuts = list(MissionCut.objects.filter(Q(mission=mission) | Q(mission__isnull=True)).order_by("announced", "id"))
    applies = mission.kind == Mission.Kind.PKO and mission.is_active
    share_cut = next((c for c in reversed(cuts) if c.verified and c.uniformed_share is not None
                      and (c.mission_id == mission.pk or applies)), None)
    delay_cut = next((c for c in reversed(cuts) if c.reimbursement_delay_months is not None
                      and (c.mission_id == mission.pk or applies)), None)
    latest = Deployment.objects.filter(mission=mission, source="un").aggregate(m=Max("month"))["m"]
    formed = latest is not None and Deployment.objects.filter(
        mission=mission, source="un", month=latest, personnel_type__in=["troops", "formed_police"], total__gt=0).exists()
    return {
        "decisions": [{"decision": d, "sentence": council_text.decision_sentence(d)} for d in decisions],
        "horizon": council_text.horizon_sentence(mission),
        "cut": council_text.cut_sentence(share_cut) if share_cut is not None else "",
        "cut_effect": council_text.cut_effect(float(facts["cut_share"]), sheds_formed=bool(facts["sheds_formed"]))
        if share_cut is not None and formed else "",
        "delay": council_text.delay_sentence(delay_cut) if delay_cut is not None else "",
        "cut_sources": [c for c in (share_cut, delay_cut) if c is not None],
    }


def decisions_since(day: dt.date | None, limit: int = 30) -> list[MandateDecision]:
    """The Council's decisions adopted after `day` (the latest UN report's month), newest first."""
    rows = MandateDecision.objects.select_related("mission").order_by("-adopted", "mission__acronym")
    if day is not None:
        rows = rows.filter(adopted__gt=day)
    return list(rows[:limit])


INDIVIDUAL_TYPES = (PersonnelType.STAFF_OFFICERS, PersonnelType.EXPERTS, PersonnelType.INDIVIDUAL_POLICE)


def mexico_presence_years(missions) -> tuple[np.ndarray, np.ndarray]:
    """Years (2015 on, UN monthly reports) with Mexican individuals / any Mexican uniformed
    personnel in each mission (acronyms, in order): the experience the pathway's growth rules
    credit (risks.engine.feasibility.readiness)."""
    missions = tuple(missions)
    rows = (Deployment.objects.filter(source=DataSource.UN_MONTHLY, country__iso3="MEX",
                                      mission__acronym__in=missions, total__gt=0)
            .values_list("mission__acronym", "month__year", "personnel_type").distinct())
    individual: dict[str, set] = {}
    present: dict[str, set] = {}
    for acronym, year, kind in rows:
        present.setdefault(acronym, set()).add(year)
        if kind in INDIVIDUAL_TYPES:
            individual.setdefault(acronym, set()).add(year)
    return (np.array([len(individual.get(a, ())) for a in missions], dtype=float),
            np.array([len(present.get(a, ())) for a in missions], dtype=float))
