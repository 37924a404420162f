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

import hashlib
import json
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pandas as pd
from django.core.cache import cache
from django.db.models import Count, Max, Sum
from django.utils import timezone

from missions import selectors
from missions.models import DataSource, Deployment, Fatality, MandateFunction, Mission, PersonnelType
from pkoanalysis import generations
from pkoanalysis.pagecache import forget_pages
from risks.engine import hazard, model
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


def month_after(today: date) -> date:
    return date(today.year + today.month // 12, today.month % 12 + 1, 1)


def add_months(start: date, months: int) -> date:
    index = start.year * 12 + start.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


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
    span = rows.groupby("mission__acronym")["month"].agg(["min", "max", "nunique"])
    spanned = ((span["max"].dt.year - span["min"].dt.year) * 12 + span["max"].dt.month - span["min"].dt.month + 1)
    scale = (spanned / span["nunique"]).reindex(missions).fillna(1.0)
    py = rows.groupby(["mission__acronym", "group"])["n"].sum().unstack(fill_value=0).reindex(
        index=missions, columns=list(model.GROUPS), fill_value=0) / 12 * scale.to_numpy()[:, None]
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
    kpy = py / 1000
    all_kpy = kpy.sum(axis=1)
    all_deaths = by_group.sum(axis=1)
    system_all = float(all_deaths.sum() / all_kpy.sum()) if all_kpy.sum() > 0 else 1.0
    # The mission's rate from all its uniformed personnel (the most data per mission); each
    # group's exposure relative to the mission average from the system-wide record.
    shape, rate = hazard.posterior(all_deaths.to_numpy(), all_kpy.to_numpy(), max(system_all, 1e-3))
    system = {}
    for g in model.GROUPS:
        total = kpy[g].sum()
        system[g] = float(by_group[g].sum() / total) if total > 0 else system_all
        ratio = system[g] / system_all if system_all > 0 else 1.0
        frame[f"deaths_{g}"] = by_group[g].to_numpy()
        frame[f"kpy_{g}"] = kpy[g].to_numpy()
        frame[f"shape_{g}"], frame[f"rate_{g}"] = shape, rate / max(ratio, 1e-3)
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


def mission_table() -> pd.DataFrame:
    """Per mission (index acronym): kind, active, chapter_vii, ceasefire_agreement, consent,
    impartiality_concern, mandate_end, mandate_final, mandate_open_ended (no end date by decision,
    not an unknown one), takes_formed, takes_individuals (from the latest UN report unless a curator
    overrode it), the COMPOSITION columns and latest_month, hazard_table()'s columns, spanish_host
    and latam_presence (0/1), and the 2025-26 cuts: cut_share, sheds_formed,
    reimbursement_delay_months, delay_verified (missions.selectors.cut_facts)."""
    missions = pd.DataFrame(list(Mission.objects.values(
        "acronym", "kind", "is_active", "chapter_vii", "host_country__iso3", "ceasefire_agreement", "host_consent",
        "impartiality_concern", "mandate_end", "mandate_final", "mandate_open_ended", "formed_units",
    ))).set_index("acronym").sort_index()
    hazards = hazard_table()
    comp = composition().reindex(missions.index)
    reported = comp["latest_month"].notna()
    counts = comp[list(COMPOSITION)].fillna(0)
    # An open mission the UN monthly reports never list has no uniformed personnel at all (a
    # political office); a mission closed before 2015 is judged by the mission_open gate.
    unknown = ~reported & ~missions["is_active"]
    formed = (counts["troops"] + counts["formed_police"] > 0) | unknown
    formed = np.where(missions["formed_units"] == "accepts", True,
                      np.where(missions["formed_units"] == "refuses", False, formed))
    individuals = (counts["staff_officers"] + counts["experts"] + counts["individual_police"] > 0) | unknown
    last_months = dict(Deployment.objects.filter(mission__isnull=False).values_list("mission__acronym")
                       .annotate(m=Max("month")))
    latam = (Deployment.objects.filter(mission__isnull=False, country__iso3__in=LATIN_AMERICA - {"MEX"})
             .values_list("mission__acronym", "month").annotate(n=Sum("total")))
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
    # The 2025-26 cuts (missions.selectors.cut_facts): cut_share, sheds_formed (the un_cuts gate
    # reads it where the mission still has formed units), reimbursement_delay_months, delay_verified.
    frame = frame.join(comp).join(hazards).join(selectors.cut_facts())
    frame["sheds_formed"] = frame["sheds_formed"].fillna(False).astype(bool)
    frame.attrs.update(hazards.attrs)
    return frame


# --- the catalogue ---------------------------------------------------------------------------------

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
        correlation=correlation,
    )
    return table, {f.code: f.category for f in factors}


def mode_table() -> tuple[model.Modes, dict[str, int]]:
    """The engine's mode parameters (MODES order; missing modes get the defaults) and the
    default size per mode code."""
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
    return model.Modes(cost, reimbursement, group), sizes


def read_inputs(extra: object = None, today: date | None = None) -> Inputs:
    """Read every input once; `extra` (scenario parameters) joins the fingerprint, and so does
    the month deployments would start (mandate end dates are judged against it)."""
    factors, categories = factor_table()
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
                  factors.feature_effect, factors.correlation, modes.cost, modes.reimbursement, modes.group):
        digest.update(np.ascontiguousarray(array, dtype=float).tobytes())
    digest.update(json.dumps([factors.codes, list(factors.quantity), list(map(bool, factors.size_scaled)), functions,
                              sorted(gates), mission_functions, mode_functions, sizes, start,
                              missions.astype(str).to_dict(orient="split"), extra], default=str).encode())
    return Inputs(factors, categories, modes, sizes, missions, functions, mission_functions, mode_functions, gates,
                  start, digest.hexdigest())


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
                factor_weights: dict | None = None) -> np.ndarray:
    """(F,) weight per factor = category weight x factor weight, each in [0, 1], default 1."""
    category_weights, factor_weights = category_weights or {}, factor_weights or {}
    return np.array([
        float(category_weights.get(cat, 1.0)) * float(factor_weights.get(code, 1.0))
        for code, cat in zip(factors.codes, factors.category, strict=True)
    ]).clip(0, 1)


def grid_features(inputs: Inputs, acronyms: list[str], duration_months: float) -> np.ndarray:
    rows = inputs.missions.loc[acronyms]
    duration = min(duration_months / FULL_DURATION_MONTHS, 1.0)
    return np.column_stack([rows["hostility"], rows["chapter_vii"].astype(float), rows["spanish_host"],
                            rows["latam_presence"], np.full(len(rows), duration)])


def grid_hazard(inputs: Inputs, acronyms: list[str]) -> tuple[np.ndarray, np.ndarray]:
    rows = inputs.missions.loc[acronyms]
    return (rows[[f"shape_{g}" for g in model.GROUPS]].to_numpy(float),
            rows[[f"rate_{g}" for g in model.GROUPS]].to_numpy(float))


def outlives_mandate(inputs: Inputs, acronyms, months) -> np.ndarray:
    """(n,) bool: a deployment starting at inputs.start for `months` ends after the mandate."""
    ends = inputs.missions.loc[list(acronyms), "mandate_end"].to_numpy()
    months = np.broadcast_to(np.asarray(months), (len(ends),))
    return np.array([end is not None and not pd.isna(end) and add_months(inputs.start, int(m)) > end + timedelta(days=1)
                     for end, m in zip(ends, months, strict=True)], dtype=bool)
