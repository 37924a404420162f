"""One feasibility rule for every surface: which options can exist and may be ranked, and why.
Pure numpy/pandas.

Every surface that shows an option (the option grid and export_scores, the explorer, the
overview, scenarios, the builder, plans, the pathway, briefings) gets its verdict from judge()
over one table of option facts (option_facts(), built once per computation from the missions
table). A check gives each option a level, 0 passes, 1 conditional, 2 infeasible; the verdict
is the worst level; the reasons are the checks that did not pass, as {gate, level}.

The safeguard gates are risks.engine.gates (curated, may be switched off or made strict); the
checks below are facts about what can exist and are always applied:

| check | rule |
|---|---|
| no_matching_function | the option performs none of the mission's tasks: infeasible |
| strength_cap | the option is larger than MAX_SHARE_OF_STRENGTH of the mission's current personnel of that kind (latest UN report: experts, staff officers and individual police for individuals; troops and formed police for formed units): infeasible |
| unit_size | a formed unit that is not a standard unit size (section, platoon, company, battalion; risks/catalogue/sizes.csv): infeasible |
| unit_duration | a formed unit for less than MIN_FORMED_MONTHS (a rotation): infeasible |
| military_component | a formed unit doing a military task (ceasefire monitoring, protection of civilians, humanitarian support, confidence building, DDR) where the mission has no military component for it (a political mission's troops are a guard unit; an observer mission has no troops), or formed public-security work where the mission has no formed police: infeasible |
| mandate_ended | the Council extended the mandate for a final time: infeasible, "the Council ended the mission" |
| mandate_unknown | no known end date for the current mandate: conditional, "end date unknown" |
| mandate_horizon (gate) | the deployment runs past a known (renewable) mandate end: conditional on its renewal |

Readiness binds plans year by year (readiness()): a formed unit larger than the formed
personnel Mexico can have trained by that year, a national contingent before the first year
the rules allow one, a mixed element without the years of individual presence the rules ask
for, or a national one without the years of any presence: infeasible in that year.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pandas as pd

from risks.engine import cuts, gates, model

FEASIBLE, CONDITIONAL, INFEASIBLE = gates.FEASIBLE, gates.CONDITIONAL, gates.INFEASIBLE
VERDICTS = gates.VERDICTS
FORMED_MODES = model.FORMED_MODES
# An assumption of this tool, not a UN rule: a contributor joining a mission fills a part of an
# existing structure, it does not become most of it. Five Mexican observers are no option for a
# mission with one expert on mission (UNAMA), nor a platoon embedded in a mission whose only
# formed unit has 20 troops (MINURSO).
MAX_SHARE_OF_STRENGTH = 0.25
# A formed unit deploys for a rotation: the UN's standard rotation of contingents is 12 months
# (COE Manual, MOU practice) [verify for each mission's MOU].
MIN_FORMED_MONTHS = 12
MILITARY_TASKS = ("ceasefire_monitoring", "protection_of_civilians", "humanitarian_relief", "confidence_building",
                  "peacebuilding_ddr")
POLICE_TASKS = ("public_security_police",)
INDIVIDUAL_KINDS = ("experts", "staff_officers", "individual_police")
FORMED_KINDS = ("troops", "formed_police")
CHECKS = ("no_matching_function", "strength_cap", "unit_size", "unit_duration", "military_component",
          "mandate_ended", "mandate_unknown")
# Infeasible for these, an option cannot exist at all (as opposed to a safeguard it fails)
CANNOT_EXIST = ("mission_open", "mode_function_fit", "mission_fit", "no_matching_function", "strength_cap",
                "unit_size", "unit_duration", "military_component", "mandate_ended")


@dataclass(frozen=True)
class Facts:
    """One entry per option (length n): what the safeguard gates read (`gate`,
    risks.engine.gates.OptionFacts, with a final mandate left to the mandate_ended check) and what
    the CHECKS read besides: the option's size in persons, months and function bitmask; the
    mission's current personnel of the option's kind (strength); a peacekeeping force with troops
    (military_component); formed police units (formed_police); the option includes a military
    task; the current mandate is final, its end date is known, and the deployment runs past it."""

    gate: gates.OptionFacts
    size: np.ndarray
    months: np.ndarray
    function_mask: np.ndarray
    mandate_final: np.ndarray
    mandate_known: np.ndarray
    outlives_mandate: np.ndarray
    strength: np.ndarray
    military_component: np.ndarray
    formed_police: np.ndarray
    military_task: np.ndarray

    def __len__(self) -> int:
        return len(self.gate.mode)

    @property
    def mode(self) -> np.ndarray:
        return self.gate.mode

    @property
    def police_task(self) -> np.ndarray:
        return self.gate.police

    @property
    def formed(self) -> np.ndarray:
        return np.isin(self.mode, FORMED_MODES)


@dataclass(frozen=True)
class Judgement:
    """verdict (n,) int8 (0/1/2); reasons: per option, [{gate, level}] for each gate or check
    that did not pass; outlives (n,) bool: the deployment runs past a known mandate end or a
    final one (the 'within_mandate' deal-breaker reads it)."""

    verdict: np.ndarray
    reasons: list[list[dict]]
    outlives: np.ndarray

    @property
    def admissible(self) -> np.ndarray:
        return self.verdict < INFEASIBLE


def add_months(start: date, months: int) -> date:
    index = start.year * 12 + start.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def mission_strength(missions: pd.DataFrame) -> pd.DataFrame:
    """Per mission (the table's index): 'individual' and 'formed' personnel in its latest UN
    report (0 where it has none or no report); formed personnel less the share its 2025-26 cut
    repatriates."""
    def total(kinds):
        present = [k for k in kinds if k in missions]
        return missions[present].astype(float).fillna(0).sum(axis=1) if present else pd.Series(0.0, missions.index)
    # Formed strength as it will be once the mission's 2025-26 cut is carried out (risks.engine.cuts).
    formed = cuts.expected_strength(total(FORMED_KINDS).to_numpy(float),
                                    missions["cut_share"].to_numpy(float) if "cut_share" in missions else 0.0)
    return pd.DataFrame({"individual": total(INDIVIDUAL_KINDS), "formed": formed}, index=missions.index)


def cap(missions: pd.DataFrame) -> pd.DataFrame:
    """Per mission: the largest option of each kind ('individual', 'formed'), in persons."""
    return MAX_SHARE_OF_STRENGTH * mission_strength(missions)


def _mask_of(codes, functions) -> int:
    return sum(1 << functions.index(c) for c in codes if c in functions)


def components(missions: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Per mission of the table: (a military component: a peacekeeping force with troops, not a
    political mission's guard unit; formed police units), bool arrays."""
    counts = missions.reindex(columns=list(FORMED_KINDS)).astype(float).fillna(0)
    return ((missions["kind"].to_numpy() == "pko") & (counts["troops"].to_numpy() > 0),
            counts["formed_police"].to_numpy() > 0)


def supported_tasks(missions: pd.DataFrame, functions, mode: str) -> np.ndarray:
    """(missions,) int64 bitmask over `functions` of the tasks an option of this mode can do in
    each mission of the table: every task for individuals; for a formed unit, military tasks only
    where the mission has a military component and public security only where it holds formed
    police (the military_component check). A scenario asks each mission only these."""
    every = (1 << len(functions)) - 1
    if mode not in FORMED_MODES:
        return np.full(len(missions), every, dtype=np.int64)
    military, police = components(missions)
    return (np.full(len(missions), every, dtype=np.int64)
            & ~np.where(military, 0, _mask_of(MILITARY_TASKS, functions))
            & ~np.where(police, 0, _mask_of(POLICE_TASKS, functions)))


def option_facts(missions: pd.DataFrame, functions, mode_functions: dict[str, int], start: date,
                 acronyms, modes, sizes, months, masks) -> Facts:
    """The facts table for options given as parallel arrays (acronyms, mode codes, sizes,
    months, function bitmasks over `functions`). missions: risks.inputs.mission_table()
    (index acronym); mode_functions: the bitmask of what each mode performs; start: the first
    day of the month deployments would start."""
    acronyms = np.asarray(acronyms)
    rows = missions.loc[acronyms]
    mode = np.asarray(modes)
    n = len(mode)
    masks = np.broadcast_to(np.asarray(masks, dtype=np.int64), (n,))
    months = np.broadcast_to(np.asarray(months, dtype=float), (n,))
    size = np.broadcast_to(np.asarray(sizes, dtype=float), (n,))
    formed = np.isin(mode, FORMED_MODES)
    strength = mission_strength(rows)
    ends = rows["mandate_end"].to_numpy()
    # An open-ended mandate (UNTSO, UNMOGIP, UNMIK: no end date by the Council's decision) is known
    # to last; only a missing end date the decisions do not explain makes the horizon unknown.
    open_ended = _column(rows, "mandate_open_ended")
    dated = np.array([end is not None and not pd.isna(end) for end in ends], dtype=bool)
    known = dated | open_ended
    outlives = np.array([d and add_months(start, int(m)) > end + timedelta(days=1)
                         for d, end, m in zip(dated, ends, months, strict=True)], dtype=bool)
    capable = np.array([mode_functions.get(m, -1) for m in mode], dtype=np.int64)
    military, police = components(rows)
    final = rows["mandate_final"].fillna(False).to_numpy(bool)
    police_task = (masks & _mask_of(POLICE_TASKS, functions)) > 0
    gate = gates.OptionFacts(
        active=rows["active"].to_numpy(bool), kind=rows["kind"].to_numpy(),
        chapter_vii=rows["chapter_vii"].to_numpy(bool), ceasefire_agreement=rows["ceasefire_agreement"].to_numpy(bool),
        consent=rows["consent"].to_numpy(), impartiality_concern=rows["impartiality_concern"].to_numpy(bool),
        takes_formed=rows["takes_formed"].to_numpy(bool), takes_individuals=rows["takes_individuals"].to_numpy(bool),
        mode=mode, coercive=(masks & _mask_of(gates.COERCIVE_FUNCTIONS, functions)) > 0,
        # the gate judges renewable mandates; a final one is the mandate_ended check
        outlives_mandate=outlives & ~final, mandate_final=np.zeros(n, dtype=bool),
        unfit_function=(masks & ~capable) != 0, safety_withdrawal=_column(rows, "safety_withdrawal"),
        police=police_task, party_recognised=_column(rows, "party_recognised"),
        sheds_formed=_column(rows, "sheds_formed"))
    return Facts(
        gate=gate, size=size, months=months, function_mask=masks,
        mandate_final=final, mandate_known=known, outlives_mandate=outlives,
        strength=np.where(formed, strength["formed"].to_numpy(), strength["individual"].to_numpy()),
        military_component=military, formed_police=police,
        military_task=(masks & _mask_of(MILITARY_TASKS, functions)) > 0,
    )


def _column(rows: pd.DataFrame, name: str) -> np.ndarray:
    """(n,) bool flag of the mission table, all False where the table lacks it."""
    return rows[name].fillna(False).to_numpy(bool) if name in rows else np.zeros(len(rows), dtype=bool)


def shape_levels(mode, size, months, unit_sizes: dict[str, tuple[float, ...]]) -> dict[str, np.ndarray]:
    """What can exist whatever the mission: {'unit_size', 'unit_duration'}: (n,) levels. A mode
    without listed sizes (none in unit_sizes) takes any size."""
    mode = np.asarray(mode)
    size = np.asarray(size, dtype=float)
    formed = np.isin(mode, FORMED_MODES)
    standard = np.array([not unit_sizes.get(m) or float(s) in unit_sizes[m] for m, s in zip(mode, size, strict=True)],
                        dtype=bool)
    return {"unit_size": np.where(formed & ~standard, INFEASIBLE, FEASIBLE).astype(np.int8),
            "unit_duration": np.where(formed & (np.asarray(months, dtype=float) < MIN_FORMED_MONTHS),
                                      INFEASIBLE, FEASIBLE).astype(np.int8)}


def check_levels(facts: Facts, unit_sizes: dict[str, tuple[float, ...]]) -> dict[str, np.ndarray]:
    """The always-applied checks (CHECKS): {code: (n,) int8 level}."""
    formed = facts.formed
    levels = {code: np.zeros(len(facts), dtype=np.int8) for code in CHECKS}
    levels["no_matching_function"][np.asarray(facts.function_mask) == 0] = INFEASIBLE
    # Civilian experts join a mission's civilian staff, which the uniformed reports do not count.
    civilian = np.asarray(facts.mode) == "civilian"
    too_big = np.asarray(facts.size, dtype=float) > MAX_SHARE_OF_STRENGTH * facts.strength
    levels["strength_cap"][too_big & ~civilian] = INFEASIBLE
    levels.update(shape_levels(facts.mode, facts.size, facts.months, unit_sizes))
    no_force = formed & facts.military_task & ~facts.military_component
    no_police = formed & facts.police_task & ~facts.formed_police
    levels["military_component"][no_force | no_police] = INFEASIBLE
    levels["mandate_ended"][facts.mandate_final] = INFEASIBLE
    levels["mandate_unknown"][~facts.mandate_known & ~facts.mandate_final] = CONDITIONAL
    return levels


def judge(facts: Facts, unit_sizes: dict[str, tuple[float, ...]], active_gates: set[str] | None = None,
          strict_gates: frozenset[str] = frozenset()) -> Judgement:
    """The verdict of every option: the safeguard gates (risks.engine.gates; active_gates
    applied, None = all; strict_gates turn conditional into infeasible) and the CHECKS."""
    verdict, failed = gates.verdicts(gates.gate_levels(facts.gate), active_gates, strict_gates)
    checks = check_levels(facts, unit_sizes)
    for level in checks.values():
        np.maximum(verdict, level, out=verdict)
    reasons = []
    for i in range(len(facts)):
        row = [{"gate": g, "level": VERDICTS[failed[i, j]]} for j, g in enumerate(gates.GATES) if failed[i, j]]
        row += [{"gate": code, "level": VERDICTS[level[i]]} for code, level in checks.items() if level[i]]
        reasons.append(row)
    return Judgement(verdict, reasons, facts.outlives_mandate | facts.mandate_final)


def sizes_within_cap(missions: pd.DataFrame, unit_sizes: dict[str, tuple[float, ...]],
                     preferred: dict[str, float]) -> np.ndarray:
    """(missions, len(MODES)) the size each mode is offered at in each mission of the table:
    the preferred size where it is within the strength cap, else the largest standard size
    that is, else the preferred size (which the strength_cap check then rules out)."""
    caps = cap(missions)
    out = np.empty((len(missions), len(model.MODES)))
    for m, code in enumerate(model.MODES):
        limit = caps["formed" if code in FORMED_MODES else "individual"].to_numpy()
        want = float(preferred[code])
        if code == "civilian":  # not capped by the uniformed strength (check_levels)
            out[:, m] = want
            continue
        choices = np.asarray(sorted(set(unit_sizes.get(code, ())) | {want}), dtype=float)
        for k, top in enumerate(limit):
            fitting = choices[choices <= top]
            out[k, m] = want if want <= top or not len(fitting) else fitting.max()
    return out


def readiness(mode, size, year: int, capacity: float, first_national_year: int,
              prior_individual_years, prior_presence_years, individual_years_before_mixed: int,
              presence_years_before_national: int) -> np.ndarray:
    """(n,) level of each option in pathway year `year` (0 = the first), if Mexico served in
    every year before it as the years of prior presence say: infeasible when a formed unit is
    larger than the formed capacity of the year, a national contingent comes before the first
    year allowed, or a mixed (national) element lacks the years of individual (any) presence
    the rules ask for. Individuals are always ready."""
    mode = np.asarray(mode)
    size = np.asarray(size, dtype=float)
    formed = np.isin(mode, FORMED_MODES)
    national = mode == "national_contingent"
    mixed = mode == "mixed_contingent"
    prior_ind = np.asarray(prior_individual_years, dtype=float) + year
    prior_any = np.asarray(prior_presence_years, dtype=float) + year
    bad = (formed & (size > capacity)) | (national & (year < first_national_year))
    bad |= mixed & (prior_ind < individual_years_before_mixed)
    bad |= national & (prior_any < presence_years_before_national)
    return np.where(bad, INFEASIBLE, FEASIBLE).astype(np.int8)


def earliest_year(mode, size, capacities, first_national_year: int, prior_individual_years, prior_presence_years,
                  individual_years_before_mixed: int, presence_years_before_national: int) -> np.ndarray:
    """(n,) the first pathway year (0 = the first) in which each option is ready (readiness()),
    if Mexico serves individually in its mission every year before it; -1 when it is not ready
    within the horizon (len(capacities) years). What the overview and the briefing say as
    "from 2029 at the earliest"."""
    mode = np.asarray(mode)
    out = np.full(len(mode), -1, dtype=np.int64)
    for year, capacity in enumerate(capacities):
        ok = readiness(mode, size, year, capacity, first_national_year, prior_individual_years, prior_presence_years,
                       individual_years_before_mixed, presence_years_before_national) == FEASIBLE
        out[(out < 0) & ok] = year
    return out
