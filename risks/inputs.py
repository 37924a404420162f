"""Reading what the engine needs from the database: the factor table, the modes, and each
mission's facts, composition and data-calibrated hazard. Reads only; the engine never sees
Django.

Hazard window: 1 January 2015 (the first UN monthly report with a mission breakdown) to the
earlier of the last UN monthly report and the last recorded fatality. Person-years per mission
and group are the reported monthly strengths / 12, scaled up by (months the mission spans in
the window) / (months with a mission breakdown), because the UN reports of 2015-03, 2016-03,
2017-03, 2018-03..2019-08, 2020-06, 2022-07 and 2023-09 have none while fatalities in those
months are recorded.
"""

from __future__ import annotations

import csv
import functools
import hashlib
import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
from django.core.cache import cache
from django.db import connection
from django.db.models import Count, Max, Sum
from django.utils import timezone

from missions import selectors
from missions.models import Country, DataFile, DataSource, Deployment, Fatality, MandateFunction, Mission, PersonnelType
from pkoanalysis import generations
from pkoanalysis.pagecache import forget_pages
from risks.catalogue import frame_facts, partner_precedents
from risks.catalogue import rows as catalogue_rows
from risks.engine import costs, feasibility, hazard, model, partners, value
from risks.models import ContributionMode, Factor, FactorCorrelation, SafeguardGate

SPANISH_SPEAKING = {"ARG", "BOL", "CHL", "COL", "CRI", "CUB", "DOM", "ECU", "ESP", "GNQ", "GTM", "HND",
                    "MEX", "NIC", "PAN", "PER", "PRY", "SLV", "URY", "VEN"}
LATIN_AMERICA = {"ARG", "BOL", "BRA", "CHL", "COL", "CRI", "CUB", "DOM", "ECU", "GTM", "HND", "NIC", "PAN",
                 "PER", "PRY", "SLV", "URY", "VEN"}
WINDOW_START = date(2015, 1, 1)
FULL_DURATION_MONTHS = 36      # a deployment this long or longer counts as 'long' (feature = 1)
GROUP_OF_TYPE = {PersonnelType.TROOPS: "formed", PersonnelType.STAFF_OFFICERS: "formed",
                 PersonnelType.EXPERTS: "individual", PersonnelType.INDIVIDUAL_POLICE: "individual",
                 PersonnelType.FORMED_POLICE: "individual"}
GROUP_OF_DEATH = {"Military": "formed", "Military Observer": "individual", "Police": "individual"}
COMPOSITION = ("troops", "formed_police", "individual_police", "staff_officers", "experts")
CAUSES = {"Malicious Act": "malicious", "Accident": "accident", "Illness": "illness"}  # the rest: "other"


@dataclass(frozen=True)
class Inputs:
    """Everything a computation reads, as arrays, plus its fingerprint."""

    factors: model.Factors
    categories: dict[str, str]
    modes: model.Modes
    mode_sizes: dict[str, int]
    missions: pd.DataFrame          # index acronym; see mission_table()
    functions: tuple[str, ...]
    mission_functions: dict[str, list[int]]
    mode_functions: dict[str, int]  # bitmask over functions of what each mode performs (all bits: every function)
    gates: set[str]
    start: date                     # deployments start on the first day of the next month
    fingerprint: str
    unit_sizes: dict[str, tuple[float, ...]] | None = None  # standard sizes per mode (unit_sizes())
    criteria: dict[str, dict] | None = None   # attribute -> criteria.csv row (levels in words, source)
    ranges: value.Ranges = value.DEFAULT_RANGES


def month_after(today: date) -> date:
    return date(today.year + today.month // 12, today.month % 12 + 1, 1)


add_months = feasibility.add_months
SIZES_FILE = Path(__file__).resolve().parent / "catalogue" / "sizes.csv"


@functools.cache
def unit_sizes() -> dict[str, tuple[float, ...]]:
    """The standard sizes an option of each mode comes in (risks/catalogue/sizes.csv: sections,
    platoons, companies, a battalion; individuals in the numbers missions take), by mode code
    in MODES order, smallest first. Every row needs its source."""
    out: dict[str, list[float]] = {code: [] for code in model.MODES}
    with open(SIZES_FILE, newline="", encoding="utf-8") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            if not (row.get("source") or "").strip():
                raise ValueError(f"sizes.csv, line {line}: every curated number needs its source")
            if row["mode"] not in out:
                raise ValueError(f"sizes.csv, line {line}: unknown mode {row['mode']!r}")
            size = float(row["size"])
            if not size > 0:
                raise ValueError(f"sizes.csv, line {line}: the size must be positive")
            out[row["mode"]].append(size)
    return {code: tuple(sorted(values)) for code, values in out.items()}


# --- missions ------------------------------------------------------------------------------------

def hazard_table() -> pd.DataFrame:
    """Per mission (index acronym) and group: deaths_<g>, kpy_<g> (thousand person-years),
    shape_<g>, rate_<g> (Gamma posterior of the group's rate, deaths per 1,000 person-years),
    plus malicious (deaths by malicious acts, all uniformed), kpy (all uniformed), hostility.

    The mission's rate lambda_m is the Gamma-Poisson posterior of all its uniformed deaths over
    all its uniformed person-years (prior: the rate of all missions); a group's rate is lambda_m
    x (the group's system-wide rate / the system-wide rate of all uniformed personnel), so a
    mission with few observers borrows its observers' hazard from its troops' record rather
    than from other missions. attrs: window (start, end), system rates per group and overall."""
    un = Deployment.objects.filter(source=DataSource.UN_MONTHLY, mission__isnull=False, month__gte=WINDOW_START)
    last_month = un.aggregate(m=Max("month"))["m"]
    last_death = Fatality.objects.aggregate(m=Max("incident_date"))["m"]
    end = min(d for d in (last_month, last_death, timezone.now().date()) if d is not None) if last_month else None
    missions = list(Mission.objects.order_by("acronym").values_list("acronym", flat=True))
    frame = pd.DataFrame(index=pd.Index(missions, name="acronym"))
    if end is None:
        rows = pd.DataFrame(columns=["mission__acronym", "personnel_type", "month", "n"])
    else:
        rows = pd.DataFrame(list(un.filter(month__lte=end).values("mission__acronym", "personnel_type", "month")
                                 .annotate(n=Sum("total"))))
    if rows.empty:
        rows = pd.DataFrame(columns=["mission__acronym", "personnel_type", "month", "n"])
    rows["group"] = rows["personnel_type"].map(GROUP_OF_TYPE)
    rows["month"] = pd.to_datetime(rows["month"])
    kpy = hazard.person_years(rows.rename(columns={"mission__acronym": "mission"}), missions, model.GROUPS)
    deaths = pd.DataFrame(list(
        Fatality.objects.filter(incident_date__gte=WINDOW_START, incident_date__lte=end or WINDOW_START,
                                personnel_type__in=list(GROUP_OF_DEATH))
        .values("mission__acronym", "personnel_type", "incident_type").annotate(n=Count("id"))))
    if deaths.empty:
        deaths = pd.DataFrame(columns=["mission__acronym", "personnel_type", "incident_type", "n"])
    deaths["group"] = deaths["personnel_type"].map(GROUP_OF_DEATH)
    by_group = deaths.groupby(["mission__acronym", "group"])["n"].sum().unstack(fill_value=0).reindex(
        index=missions, columns=list(model.GROUPS), fill_value=0)
    malicious = deaths[deaths["incident_type"] == "Malicious Act"].groupby("mission__acronym")["n"].sum()
    cause = deaths["incident_type"].map(CAUSES).fillna("other")
    by_cause = deaths.assign(cause=cause).groupby(["mission__acronym", "cause"])["n"].sum().unstack(
        fill_value=0).reindex(index=missions, columns=list(dict.fromkeys(CAUSES.values())) + ["other"], fill_value=0)
    all_kpy = kpy.sum(axis=1)
    # The mission's rate from all its uniformed personnel (the most data per mission); each
    # group's exposure relative to the mission average from the system-wide record.
    fitted = hazard.fit(by_group, kpy)
    system_all, system = fitted.system_all, fitted.system
    for j, g in enumerate(model.GROUPS):
        frame[f"deaths_{g}"] = by_group[g].to_numpy()
        frame[f"kpy_{g}"] = kpy[g].to_numpy()
        frame[f"shape_{g}"], frame[f"rate_{g}"] = fitted.shape, fitted.group_rate[:, j]
    frame["kpy"] = all_kpy.to_numpy()
    frame["malicious"] = malicious.reindex(missions, fill_value=0).to_numpy()
    system_malicious = float(frame["malicious"].sum() / all_kpy.sum()) if all_kpy.sum() > 0 else 0.1
    # Hostility describes the mission, not Mexico's exposure: a light prior (200 person-years)
    # keeps small quiet missions from looking as hostile as the deadliest ones.
    m_shape, m_rate = hazard.posterior(frame["malicious"].to_numpy(), all_kpy.to_numpy(), max(system_malicious, 1e-3),
                                       prior_kpy=hazard.HOSTILITY_PRIOR_KPY)
    frame["malicious_rate"] = m_shape / m_rate
    # The record by cause, each with its own Gamma-Poisson posterior (prior: that cause's rate
    # over all missions), for the mission pages.
    for name in by_cause.columns:
        system_cause = float(by_cause[name].sum() / all_kpy.sum()) if all_kpy.sum() > 0 else 0.1
        c_shape, c_rate = hazard.posterior(by_cause[name].to_numpy(), all_kpy.to_numpy(), max(system_cause, 1e-3))
        frame[f"deaths_cause_{name}"] = by_cause[name].to_numpy()
        frame[f"shape_cause_{name}"], frame[f"rate_cause_{name}"] = c_shape, c_rate
    frame["hostility"] = hazard.hostility(frame["malicious_rate"])
    frame.attrs.update(window=(WINDOW_START, end), system=system, system_all=system_all,
                       system_malicious=system_malicious)
    return frame


def composition() -> pd.DataFrame:
    """Per mission (index acronym): its latest UN report's month and personnel by type
    (COMPOSITION columns); missions without a UN monthly report are absent."""
    un = Deployment.objects.filter(source=DataSource.UN_MONTHLY, mission__isnull=False)
    latest = dict(un.values_list("mission__acronym").annotate(m=Max("month")))
    rows = pd.DataFrame(list(un.values("mission__acronym", "month", "personnel_type").annotate(n=Sum("total"))))
    if rows.empty:
        return pd.DataFrame(columns=["latest_month", *COMPOSITION])
    rows = rows[rows["month"] == rows["mission__acronym"].map(latest)]
    table = rows.pivot_table(index="mission__acronym", columns="personnel_type", values="n", aggfunc="sum",
                             fill_value=0).reindex(columns=list(COMPOSITION), fill_value=0)
    table.insert(0, "latest_month", pd.Series(latest).reindex(table.index))
    table.index.name = "acronym"
    return table


def partner_table(acronyms: list[str]) -> pd.DataFrame:
    """Per mission (index acronym): partner (ISO3 of the lead nation a Mexican element of a mixed
    contingent would join, '' where none), partner_basis and partner_embeds (risks.engine.partners),
    from each mission's latest UN report of troops and the curated precedents."""
    un = Deployment.objects.filter(source=DataSource.UN_MONTHLY, mission__isnull=False)
    latest = dict(un.values_list("mission__acronym").annotate(m=Max("month")))
    rows = pd.DataFrame(list(un.filter(personnel_type=PersonnelType.TROOPS).values(
        "mission__acronym", "country__iso3", "month").annotate(troops=Sum("total"))),
        columns=["mission__acronym", "country__iso3", "month", "troops"])
    rows = rows[rows["month"] == rows["mission__acronym"].map(latest)]
    troops = rows.rename(columns={"mission__acronym": "mission", "country__iso3": "iso3"})[["mission", "iso3", "troops"]]
    regions = pd.DataFrame(list(Country.objects.values("iso3", "region", "subregion")),
                           columns=["iso3", "region", "subregion"]).set_index("iso3").replace({"": None})
    precedents = pd.DataFrame(partner_precedents(), columns=["mission", "lead"])
    table = partners.partners(acronyms, troops, regions, precedents, SPANISH_SPEAKING - {"MEX"})
    return table.rename(columns={"basis": "partner_basis", "embedded": "partner_embeds"})


# Per-mission facts of Mexico's frame (risks/catalogue/frame.csv) that a gate reads: gate -> column.
FRAME_FLAGS = {"jp_personnel_safety": "safety_withdrawal", "party_recognition": "party_recognised"}


def mission_table() -> pd.DataFrame:
    """Per mission (index acronym): kind, active, chapter_vii, ceasefire_agreement, consent,
    impartiality_concern, mandate_end, mandate_final, mandate_open_ended (no end date by decision,
    not an unknown one), takes_formed, takes_individuals (from the latest UN report unless a curator
    overrode it), the COMPOSITION columns and latest_month, hazard_table()'s columns, spanish_host
    and latam_presence (0/1), the FRAME_FLAGS columns (bool) from Mexico's frame catalogue,
    partner_table()'s columns, and the 2025-26 cuts: cut_share, sheds_formed,
    reimbursement_delay_months, delay_verified (missions.selectors.cut_facts)."""
    missions = pd.DataFrame(list(Mission.objects.values(
        "acronym", "kind", "is_active", "chapter_vii", "host_country__iso3", "ceasefire_agreement", "host_consent",
        "impartiality_concern", "mandate_end", "mandate_final", "mandate_open_ended", "formed_units",
    ))).set_index("acronym").sort_index()
    hazards, comp, last_months, latam, partner = memoised(record_key(), record_tables)
    comp = comp.reindex(missions.index)
    reported = comp["latest_month"].notna()
    counts = comp[list(COMPOSITION)].fillna(0)
    # An open mission the UN monthly reports never list has no uniformed personnel at all (a
    # political office); a mission closed before 2015 is judged by the mission_open gate.
    unknown = ~reported & ~missions["is_active"]
    formed = (counts["troops"] + counts["formed_police"] > 0) | unknown
    formed = np.where(missions["formed_units"] == "accepts", True,
                      np.where(missions["formed_units"] == "refuses", False, formed))
    individuals = (counts["staff_officers"] + counts["experts"] + counts["individual_police"] > 0) | unknown
    latam_present = {a for a, month, n in latam if month == last_months.get(a) and n >= 10}
    frame = pd.DataFrame({
        "kind": missions["kind"], "active": missions["is_active"], "chapter_vii": missions["chapter_vii"],
        "ceasefire_agreement": missions["ceasefire_agreement"], "consent": missions["host_consent"],
        "impartiality_concern": missions["impartiality_concern"], "mandate_end": missions["mandate_end"],
        "mandate_final": missions["mandate_final"], "mandate_open_ended": missions["mandate_open_ended"],
        "takes_formed": formed, "takes_individuals": individuals,
        "spanish_host": missions["host_country__iso3"].isin(SPANISH_SPEAKING).astype(float),
        "latam_presence": missions.index.isin(latam_present).astype(float),
    }, index=missions.index)
    frame = frame.join(partner.reindex(frame.index))
    for gate, column in FRAME_FLAGS.items():
        flagged = {row["mission"] for row in frame_facts() if row["gate"] == gate and row["mission"]}
        frame[column] = frame.index.isin(flagged)
    # The 2025-26 cuts (missions.selectors.cut_facts): cut_share, sheds_formed (the un_cuts gate
    # reads it where the mission still has formed units), reimbursement_delay_months, delay_verified.
    frame = frame.join(comp).join(hazards).join(selectors.cut_facts())
    frame["sheds_formed"] = frame["sheds_formed"].fillna(False).astype(bool)
    frame.attrs.update(hazards.attrs)
    return frame


def record_tables() -> tuple[pd.DataFrame, pd.DataFrame, dict, list, pd.DataFrame]:
    """What mission_table() reads from the UN record (the costly part of reading the inputs):
    hazard_table(), composition(), each mission's last reported month, the Latin American
    personnel (other than Mexico's) per mission and month, and partner_table() of every mission
    (the UN's troops and the countries' regions, which record_vintage() follows, and the curated
    precedents shipped with the code)."""
    last_months = dict(Deployment.objects.filter(mission__isnull=False).values_list("mission__acronym")
                       .annotate(m=Max("month")))
    latam = list(Deployment.objects.filter(mission__isnull=False, country__iso3__in=LATIN_AMERICA - {"MEX"})
                 .values_list("mission__acronym", "month").annotate(n=Sum("total")))
    acronyms = sorted(Mission.objects.values_list("acronym", flat=True))
    return hazard_table(), composition(), last_months, latam, partner_table(acronyms)


def record_key() -> str:
    """The key record_tables() is kept under (memoised): it holds record_vintage()."""
    return f"risks:record:v2:{record_vintage()}"


@functools.cache
def record_vintage_sql() -> str:
    # Names come from the models; built once (a model's history manager is a new class each time).
    parts = [("MAX(history_date)", m.history.model._meta.db_table) for m in (Deployment, Fatality, Country)]
    parts += [(what, m._meta.db_table) for m in (Deployment, Fatality) for what in ("COUNT(*)", "MAX(id)")]
    return "SELECT " + ", ".join(f"(SELECT {what} FROM {table})" for what, table in parts)  # noqa: S608


def record_vintage() -> str:
    """A key that changes whenever record_tables() could: a data file imported or a release
    applied (their checksums), a deployment, fatality or country row added, removed or edited in
    the admin (counts, largest ids, newest history rows), or a mission added, removed or renamed
    (the acronyms). Not a mission's curated facts, which record_tables() does not read: after a
    curator's edit of a mission, the inputs are read again without the record's aggregations.
    Every way the app changes the record goes through one of these (importers and releases
    write DataFile rows; the admin writes history rows)."""
    with connection.cursor() as cursor:
        cursor.execute(record_vintage_sql())
        row = cursor.fetchone()
    files = sorted(DataFile.objects.values_list("dataset", "sha256"))
    acronyms = list(Mission.objects.order_by("pk").values_list("pk", "acronym"))
    today = timezone.now().date()  # hazard_table's window ends today at the latest
    return hashlib.sha256(repr((row, files, acronyms, today)).encode()).hexdigest()[:16]


# --- the catalogue ---------------------------------------------------------------------------------

def criteria_table() -> tuple[value.Ranges, dict[str, dict]]:
    """The stated range of each attribute (risks/catalogue/criteria.csv): the engine's Ranges
    and the rows as read (attribute -> unit, worst, best, curvature, levels in words, source).
    Shipped with the code, like the engine's formulas: fixed, never re-derived from options."""
    table = {row["attribute"]: row for row in catalogue_rows("criteria.csv")}
    ranges = value.Ranges(*(value.Criterion(name, table[name]["unit"], float(table[name]["worst"]),
                                            float(table[name]["best"]), float(table[name]["curvature"]),
                                            table[name]["source"]) for name in value.ATTRIBUTES))
    return ranges, table


def factor_table() -> tuple[model.Factors, dict[str, str]]:
    """Active factors in code order, as the engine's arrays; and code -> category."""
    functions = list(MandateFunction.objects.order_by("order", "code").values_list("code", flat=True))
    modes = list(model.MODES)
    factors = list(Factor.objects.filter(is_active=True).order_by("code")
                   .prefetch_related("mode_effects__mode", "function_effects__function"))
    mode_effect = np.ones((len(factors), len(modes)))
    function_effect = np.ones((len(factors), len(functions)))
    for i, factor in enumerate(factors):
        for effect in factor.mode_effects.all():
            if effect.mode.code in modes:
                mode_effect[i, modes.index(effect.mode.code)] = effect.multiplier
        for effect in factor.function_effects.all():
            function_effect[i, functions.index(effect.function.code)] = effect.multiplier
    codes = [f.code for f in factors]
    correlation = np.eye(len(factors))
    for a, b, rho in FactorCorrelation.objects.values_list("factor_a__code", "factor_b__code", "rho"):
        if a in codes and b in codes and a != b:
            correlation[codes.index(a), codes.index(b)] = correlation[codes.index(b), codes.index(a)] = rho
    table = model.Factors(
        codes=tuple(codes),
        sign=np.array([1 if f.kind == Factor.Kind.OPPORTUNITY else -1 for f in factors]),
        category=np.array([f.category for f in factors]),
        likelihood=np.array([[f.likelihood_low, f.likelihood_mode, f.likelihood_high] for f in factors]).reshape(-1, 3),
        impact=np.array([[f.impact_low, f.impact_mode, f.impact_high] for f in factors]).reshape(-1, 3),
        mode_effect=mode_effect, function_effect=function_effect,
        feature_effect=np.array([[f.hostility_effect, f.chapter_vii_effect, f.spanish_host_effect,
                                  f.latam_presence_effect, f.duration_effect] for f in factors]).reshape(-1, 5),
        quantity=np.array([f.quantity for f in factors]), size_scaled=np.array([f.size_scaled for f in factors]),
        correlation=correlation, span=criteria_table()[0].spans([f.quantity for f in factors]),
    )
    return table, {f.code: f.category for f in factors}


def cost_parts(personnel: np.ndarray, troop_cost: np.ndarray) -> costs.CostParts:
    """The full costs (risks.engine.costs): the curated personnel cost triples and troop-cost
    rates per mode (MODES order), with the equipment, COE, supplements, reimbursed share and
    payment delays of risks/catalogue/costs.csv."""
    table = {(row["mode"], row["component"]): row for row in catalogue_rows("costs.csv")}

    def triple(component: str) -> np.ndarray:
        return np.array([[float(table[(m, component)][k]) for k in ("low", "likely", "high")] for m in model.MODES])

    def likely(component: str) -> np.ndarray:
        return np.array([float(table[(m, component)]["likely"]) for m in model.MODES])

    return costs.CostParts(personnel, triple("equipment"), troop_cost, likely("supplements"), likely("coe"),
                           likely("share"), triple("delay_months"), float(table[("all", "annual_rate")]["likely"]))


def mode_table() -> tuple[model.Modes, dict[str, int]]:
    """The engine's mode parameters (MODES order; missing modes get the defaults) and the
    default size per mode code. Costs are full costs (cost_parts): the curated personnel cost
    and troop-cost rate of each mode, plus equipment, COE and the cost of late payment."""
    rows = {m.code: m for m in ContributionMode.objects.all()}
    default = model.Modes.default()
    cost, reimbursement, group = default.cost.astype(float), default.reimbursement.astype(float), default.group.copy()
    sizes = dict(zip(model.MODES, (int(s) for s in model.DEFAULT_SIZES), strict=True))
    for m, code in enumerate(model.MODES):
        row = rows.get(code)
        if row is None:
            continue
        likely = float(row.cost_per_person_month_usd)
        cost[m] = sorted([min(row.cost_low_usd or likely, likely), likely, max(row.cost_high_usd or likely, likely)])
        reimbursement[m] = float(row.un_reimbursement_usd) if row.reimbursed else 0.0
        group[m] = model.GROUPS.index(row.hazard_group)
        sizes[code] = row.default_size
    # An embedded element's share is of the rate the lead nation receives: a national contingent's.
    troop_cost = reimbursement.copy()
    troop_cost[model.MODES.index("mixed_contingent")] = reimbursement[model.MODES.index("national_contingent")]
    full_cost, reimbursed = cost_parts(cost, troop_cost).engine_costs()
    return model.Modes(full_cost, reimbursed, group), sizes


def read_inputs(extra: object = None, today: date | None = None) -> Inputs:
    """Read every input once; `extra` (scenario parameters) joins the fingerprint, and so does
    the month deployments would start (mandate end dates are judged against it)."""
    factors, categories = factor_table()
    ranges, criteria = criteria_table()
    modes, sizes = mode_table()
    missions = mission_table()
    functions = tuple(MandateFunction.objects.order_by("order", "code").values_list("code", flat=True))
    mission_functions: dict[str, list[int]] = {acronym: [] for acronym in missions.index}
    for acronym, code in Mission.functions.through.objects.values_list("mission__acronym", "mandatefunction__code"):
        mission_functions[acronym].append(functions.index(code))
    for codes in mission_functions.values():
        codes.sort()
    every = (1 << len(functions)) - 1
    mode_functions = dict.fromkeys(model.MODES, every)
    performed: dict[str, int] = {}
    for mode, code in ContributionMode.functions.through.objects.values_list("contributionmode__code",
                                                                             "mandatefunction__code"):
        performed[mode] = performed.get(mode, 0) | 1 << functions.index(code)
    mode_functions.update({mode: mask for mode, mask in performed.items() if mode in mode_functions})
    gates = set(SafeguardGate.objects.filter(is_active=True).values_list("code", flat=True))
    today = today or timezone.now().date()
    start = month_after(today)
    # A mission whose final mandate has ended is closed for the model (UNAMI ended on 31 December
    # 2025), whatever the missions list still says; one that ends before a deployment would
    # start (UNIFIL) stays open and fails the mandate_horizon gate instead.
    ended = missions["mandate_final"].fillna(False).astype(bool) & pd.to_datetime(
        missions["mandate_end"], errors="coerce").lt(pd.Timestamp(today))
    missions["active"] = missions["active"].astype(bool) & ~ended
    digest = hashlib.sha256()
    for array in (factors.sign, factors.likelihood, factors.impact, factors.mode_effect, factors.function_effect,
                  factors.feature_effect, factors.correlation, factors.span, modes.cost, modes.reimbursement, modes.group):
        digest.update(np.ascontiguousarray(array, dtype=float).tobytes())
    digest.update(json.dumps([factors.codes, list(factors.quantity), list(map(bool, factors.size_scaled)), functions,
                              sorted(gates), mission_functions, mode_functions, sizes, start, unit_sizes(),
                              missions.astype(str).to_dict(orient="split"), extra], default=str).encode())
    return Inputs(factors, categories, modes, sizes, missions, functions, mission_functions, mode_functions, gates,
                  start, digest.hexdigest(), unit_sizes=unit_sizes(), criteria=criteria, ranges=ranges)


GENERATION_KEY = "risks:inputs-generation"


# Large shared-cache values (the inputs, the option grid) are also kept in the process that read
# them: unpickling them on every request costs more than rendering the page. Their keys hold the
# inputs generation and the data vintage, so a changed input is a new key; the memo keeps a few.
_MEMO: dict[str, object] = {}
MEMO_SIZE = 8


def memoised(key: str, build, timeout: int = 6 * 3600):
    """The value under key: from this process, else the shared cache, else build() (stored in both)."""
    value = _MEMO.get(key)
    if value is None:
        value = cache.get_or_set(key, build, timeout)
        if len(_MEMO) >= MEMO_SIZE:
            _MEMO.clear()
        _MEMO[key] = value
    return value


def forget_memo() -> None:
    _MEMO.clear()


def bump_generation() -> None:
    """Invalidate every cached input read and figure built from them, and every kept page."""
    forget_memo()
    forget_pages()
    generations.bump(cache, GENERATION_KEY)


def cached_inputs() -> Inputs:
    """read_inputs() costs a few tenths of a second of queries: pages share one read per inputs
    generation, data vintage and start month."""
    from missions.selectors import data_vintage

    key = f"risks:inputs:{generations.current(cache, GENERATION_KEY)}:{data_vintage()}:{month_after(timezone.now().date())}"
    return memoised(key, read_inputs)


def weights_for(factors: model.Factors, category_weights: dict | None = None,
                factor_weights: dict | None = None, prices: value.Prices | None = None) -> np.ndarray:
    """(F,) weight per factor (risks.engine.value.factor_weights): a judgement factor gets its
    category's swing weight (in [0, 1], default 1) times its share of the category (factor
    weights in [0, 1], default 1, normalised within the category); the fatalities and net-cost
    criteria get the weights their prices give (default prices: value.Prices())."""
    category_weights = {k: min(max(float(v), 0.0), 1.0) for k, v in (category_weights or {}).items()}
    factor_weights = {k: min(max(float(v), 0.0), 1.0) for k, v in (factor_weights or {}).items()}
    return value.factor_weights(factors.quantity, factors.category, factors.span, category_weights, factor_weights,
                                factors.codes, prices or value.Prices())


def grid_features(inputs: Inputs, acronyms: list[str], duration_months: float) -> np.ndarray:
    rows = inputs.missions.loc[acronyms]
    duration = min(duration_months / FULL_DURATION_MONTHS, 1.0)
    return np.column_stack([rows["hostility"], rows["chapter_vii"].astype(float), rows["spanish_host"],
                            rows["latam_presence"], np.full(len(rows), duration)])


def grid_hazard(inputs: Inputs, acronyms: list[str]) -> tuple[np.ndarray, np.ndarray]:
    rows = inputs.missions.loc[acronyms]
    return (rows[[f"shape_{g}" for g in model.GROUPS]].to_numpy(float),
            rows[[f"rate_{g}" for g in model.GROUPS]].to_numpy(float))


def option_facts(inputs: Inputs, grid: model.Grid) -> feasibility.Facts:
    """The feasibility facts of every option of a grid (risks.engine.feasibility), from the
    missions table read once."""
    return feasibility.option_facts(
        inputs.missions, inputs.functions, inputs.mode_functions, inputs.start,
        np.asarray(grid.missions)[np.asarray(grid.mission_idx)], np.asarray(model.MODES)[np.asarray(grid.mode_idx)],
        grid.size, grid.months, grid.function_mask)
