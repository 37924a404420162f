"""Safeguard gates and deal-breakers: which options may be ranked at all, and why. Pure numpy.

Every option is judged before it is ranked. A gate gives each option a level (0 passes,
1 conditional, 2 infeasible); the verdict is the worst level over the applied gates, and the
reasons are the gates that did not pass. 'Strict' gates turn their conditional into infeasible
(a stricter policy: the Japan-safeguards preset applies Japan's Five Principles strictly).

| gate | rule |
|---|---|
| mission_open | the mission is closed: infeasible |
| mode_function_fit | the option includes a task the mode does not perform (a formed unit does not do political, electoral, rule-of-law or human-rights work itself; curated per mode): infeasible |
| mission_fit | a formed-unit mode where the mission's latest UN report shows no formed units (troops, formed police), or individuals where it shows none: infeasible (curators may override with a reason) |
| art_89_x | Constitution Art. 89-X: not a UN operation: infeasible; a formed unit doing coercive tasks under Chapter VII: conditional |
| senate_authorisation | Art. 76-III: formed units (troops leaving the country): conditional on the Senate; individuals pass under the government's reading since 2015, which is contested |
| host_consent | host consent strained (drawdown asked, restrictions): conditional; withdrawn: infeasible |
| jp_ceasefire | Japan's principle 1: no ceasefire agreement in place among the parties: conditional |
| jp_consent | principle 2: the parties' consent is not secure: conditional |
| jp_impartiality | principle 3: the mandate takes sides (e.g. offensive operations against armed groups): conditional |
| jp_withdrawal | principle 4: Mexico could not withdraw on its own (an element embedded in another state's unit, or a contractor): conditional |
| jp_minimal_force | principle 5: coercive functions under a Chapter VII mandate may require force beyond self-defence: conditional |
| un_contracting | the UN signs memoranda of understanding with and reimburses governments, and contingents are national personnel: a private military company as the contributor is infeasible; private enablers inside a mixed contingent only under Mexico's own Letter of Assist: conditional |
| mandate_horizon | the option outlives the mission's current mandate: conditional (renewal needed), infeasible if the mandate was extended for a final time |
| jp_personnel_safety | Japan's PKO Act as amended by the Legislation for Peace and Security (2015, in force 2016): a contributor already withdrew from the mission because its personnel's safety could not be ensured, and the cause persists (Japan left UNDOF in 2012-13): conditional; strict under the Japan-safeguards preset |
| police_are_troops | Art. 76-III read with the 2024 reform (the Guardia Nacional under SEDENA, military personnel with police training): individual police drawn from it are troops, so an individual option with police tasks is conditional on the Senate like a formed unit |
| civilian_selection | civilian experts serve only where the UN requests them (government-provided personnel in the mission's budget, electoral assistance at the host's request or on a mandate) and the UN selects them: every civilian option is conditional |
| party_recognition | Mexico recognises one party to the dispute (the Sahrawi Arab Democratic Republic since 1979, in MINURSO): a formed unit's impartiality is open to question by the other party: conditional; individual observers have served since 2015 |
| un_cuts | the mission is repatriating formed units under the 2025-26 cuts (about a quarter of troops and police sent home for lack of cash): it is not asking for new units, so a formed-unit mode is conditional (on the UN asking, e.g. to replace a contributor); individual specialists pass |

Japan's Five Principles apply to every mode, staff officers included, as Japan applies them.

Deal-breakers are the analyst's own hard limits, applied after the simulation and before
ranking: expected fatalities above a maximum, P(at least one fatality) above a maximum, net cost
per year above a maximum, P(net > 0) below a minimum, and (optionally) any option that outlives
its mission's mandate. An option that breaks one is excluded, with the reason, like a gate.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

FEASIBLE, CONDITIONAL, INFEASIBLE = 0, 1, 2
VERDICTS = ("feasible", "conditional", "infeasible")
FORMED_MODES = ("national_contingent", "private_military_company", "mixed_contingent")
CIVILIAN = "civilian"      # civilian experts: not troops, not uniformed individuals
COERCIVE_FUNCTIONS = ("protection_of_civilians", "public_security_police")
GATES = ("mission_open", "mode_function_fit", "mission_fit", "art_89_x", "senate_authorisation", "host_consent", "jp_ceasefire",
         "jp_consent", "jp_impartiality", "jp_withdrawal", "jp_minimal_force", "un_contracting", "mandate_horizon",
         "jp_personnel_safety", "police_are_troops", "party_recognition", "un_cuts", "civilian_selection")
JAPAN_GATES = ("jp_ceasefire", "jp_consent", "jp_impartiality", "jp_withdrawal", "jp_minimal_force",
               "jp_personnel_safety")
ALWAYS_APPLIED = ("mission_open", "mode_function_fit", "mission_fit")
DEALBREAKERS = ("max_expected_fatalities", "max_p_any_fatality", "max_net_cost_usd", "min_p_positive",
                "within_mandate")


@dataclass(frozen=True)
class OptionFacts:
    """What the gates look at, one entry per option (length n).

    active: mission open; kind: 'pko' | 'spm' | 'other'; chapter_vii: robust mandate;
    ceasefire_agreement: a ceasefire or peace agreement among the parties is in place;
    consent: 'full' | 'strained' | 'withdrawn'; impartiality_concern: the mandate takes sides;
    takes_formed, takes_individuals: the mission's composition admits them; mode: mode code;
    coercive: the option performs a coercive function; outlives_mandate: the option's duration
    runs past the mandate's end; mandate_final: that mandate was extended for a final time;
    unfit_function: the option includes a function its mode does not perform; safety_withdrawal:
    a contributor withdrew from the mission because its personnel's safety could not be ensured
    and the cause persists; police: the option performs police tasks; party_recognised: Mexico
    recognises one party to the mission's dispute. The last three default to all False.
    sheds_formed: the mission is repatriating formed units under the 2025-26 cuts (None: not judged).
    """

    active: np.ndarray
    kind: np.ndarray
    chapter_vii: np.ndarray
    ceasefire_agreement: np.ndarray
    consent: np.ndarray
    impartiality_concern: np.ndarray
    takes_formed: np.ndarray
    takes_individuals: np.ndarray
    mode: np.ndarray
    coercive: np.ndarray
    outlives_mandate: np.ndarray
    mandate_final: np.ndarray
    unfit_function: np.ndarray | None = None
    safety_withdrawal: np.ndarray | None = None
    police: np.ndarray | None = None
    party_recognised: np.ndarray | None = None
    sheds_formed: np.ndarray | None = None


def _flag(facts: OptionFacts, name: str) -> np.ndarray:
    value = getattr(facts, name)
    return np.zeros(len(facts.mode), dtype=bool) if value is None else np.asarray(value, dtype=bool)


def jp_personnel_safety(facts: OptionFacts) -> np.ndarray:
    """(n,) level: conditional where a contributor already left the mission for its personnel's
    safety and the cause persists (Japan, UNDOF, December 2012; Israeli forces in the area of
    separation since December 2024). Japan's amended PKO Act asks that safety be ensured; the
    Japan-safeguards preset applies the gate strictly, so such a mission is infeasible there."""
    return np.where(_flag(facts, "safety_withdrawal"), CONDITIONAL, FEASIBLE).astype(np.int8)


def police_are_troops(facts: OptionFacts) -> np.ndarray:
    """(n,) level: conditional for an individual option with police tasks. Since the 2024 reform
    (DOF, 30 September 2024) the Guardia Nacional, Mexico's federal police force, is made of
    military personnel under SEDENA, so the reading that individual police are not 'troops'
    (Art. 76-III) no longer holds for officers drawn from it."""
    individual = ~np.isin(np.asarray(facts.mode), FORMED_MODES + (CIVILIAN,))
    return np.where(individual & _flag(facts, "police"), CONDITIONAL, FEASIBLE).astype(np.int8)


def civilian_selection(facts: OptionFacts) -> np.ndarray:
    """(n,) level: conditional for every civilian option. Government-provided personnel serve only
    in positions the mission's budget provides for and the UN selects among the nominees; UN
    electoral assistance needs the host's request (or a Council or Assembly mandate) and the Focal
    Point's needs assessment. Mexico offers; it does not decide alone."""
    return np.where(np.asarray(facts.mode) == CIVILIAN, CONDITIONAL, FEASIBLE).astype(np.int8)


def party_recognition(facts: OptionFacts) -> np.ndarray:
    """(n,) level: conditional for a formed unit where Mexico recognises one party to the dispute
    (the SADR since 1979, in MINURSO, whose Council mandate since resolution 2797 (2025) takes
    Morocco's autonomy proposal as the basis of negotiations). Individual observers pass: Mexican
    observers have served in MINURSO since 2015."""
    formed = np.isin(np.asarray(facts.mode), FORMED_MODES)
    return np.where(formed & _flag(facts, "party_recognised"), CONDITIONAL, FEASIBLE).astype(np.int8)


def cut_levels(mode: np.ndarray, sheds_formed: np.ndarray) -> np.ndarray:
    """The un_cuts gate alone: (n,) int8, conditional for a formed-unit mode in a mission that is
    sending formed units home; individual deployments pass (specialists may still be sought)."""
    formed = np.isin(np.asarray(mode), FORMED_MODES)
    levels = np.zeros(len(formed), dtype=np.int8)
    levels[formed & np.asarray(sheds_formed, dtype=bool)] = CONDITIONAL
    return levels


def gate_levels(facts: OptionFacts) -> dict[str, np.ndarray]:
    """Level of each gate for each option: {gate code: (n,) int8 array of 0/1/2}."""
    b = {name: np.asarray(getattr(facts, name), dtype=bool) for name in (
        "active", "chapter_vii", "ceasefire_agreement", "impartiality_concern", "takes_formed", "takes_individuals",
        "coercive", "outlives_mandate", "mandate_final")}
    mode = np.asarray(facts.mode)
    formed = np.isin(mode, FORMED_MODES)
    consent = np.asarray(facts.consent)
    n = len(mode)
    levels = {code: np.zeros(n, dtype=np.int8) for code in GATES}
    levels["mission_open"][~b["active"]] = INFEASIBLE
    if facts.unfit_function is not None:
        levels["mode_function_fit"][np.asarray(facts.unfit_function, dtype=bool)] = INFEASIBLE
    # Every mission, political offices included, has civilian staff: the composition test is for uniformed modes.
    uniformed_individual = ~formed & (mode != CIVILIAN)
    levels["mission_fit"][(formed & ~b["takes_formed"]) | (uniformed_individual & ~b["takes_individuals"])] = INFEASIBLE
    levels["art_89_x"][formed & b["chapter_vii"] & b["coercive"]] = CONDITIONAL
    levels["art_89_x"][np.asarray(facts.kind) == "other"] = INFEASIBLE
    levels["senate_authorisation"][formed] = CONDITIONAL
    levels["host_consent"][consent == "strained"] = CONDITIONAL
    levels["host_consent"][consent == "withdrawn"] = INFEASIBLE
    levels["jp_ceasefire"][~b["ceasefire_agreement"]] = CONDITIONAL
    levels["jp_consent"][consent != "full"] = CONDITIONAL
    levels["jp_impartiality"][b["impartiality_concern"]] = CONDITIONAL
    levels["jp_withdrawal"][np.isin(mode, ("mixed_contingent", "private_military_company"))] = CONDITIONAL
    levels["jp_minimal_force"][b["coercive"] & b["chapter_vii"]] = CONDITIONAL
    levels["un_contracting"][mode == "mixed_contingent"] = CONDITIONAL
    levels["un_contracting"][mode == "private_military_company"] = INFEASIBLE
    levels["mandate_horizon"][b["outlives_mandate"]] = CONDITIONAL
    levels["mandate_horizon"][b["outlives_mandate"] & b["mandate_final"]] = INFEASIBLE
    levels["jp_personnel_safety"] = jp_personnel_safety(facts)
    levels["police_are_troops"] = police_are_troops(facts)
    levels["party_recognition"] = party_recognition(facts)
    if facts.sheds_formed is not None:
        levels["un_cuts"] = cut_levels(mode, facts.sheds_formed)
    levels["civilian_selection"] = civilian_selection(facts)
    return levels


def verdicts(levels: dict[str, np.ndarray], active_gates: set[str] | None = None,
             strict_gates: set[str] = frozenset()) -> tuple[np.ndarray, np.ndarray]:
    """Combine gate levels into (verdict (n,) int8, failed (n, len(GATES)) int8 level per gate,
    0 where the gate passed or is not applied). active_gates: gates applied (None = all; the
    ALWAYS_APPLIED ones are applied regardless); strict_gates: conditional counts as infeasible."""
    applied = [g for g in GATES if active_gates is None or g in active_gates or g in ALWAYS_APPLIED]
    n = len(next(iter(levels.values())))
    verdict = np.zeros(n, dtype=np.int8)
    failed = np.zeros((n, len(GATES)), dtype=np.int8)
    for code in applied:
        level = levels[code].copy()
        if code in strict_gates:
            level[level == CONDITIONAL] = INFEASIBLE
        np.maximum(verdict, level, out=verdict)
        failed[:, GATES.index(code)] = level
    return verdict, failed


@dataclass(frozen=True)
class DealBreakers:
    """The analyst's hard limits; None = no limit."""

    max_expected_fatalities: float | None = None
    max_p_any_fatality: float | None = None
    max_net_cost_usd: float | None = None
    min_p_positive: float | None = None
    within_mandate: bool = False

    def broken(self, expected_fatalities: np.ndarray, p_any_fatality: np.ndarray, net_cost_usd: np.ndarray,
               p_positive: np.ndarray, outlives_mandate: np.ndarray) -> np.ndarray:
        """(n, len(DEALBREAKERS)) bool: which limit each option breaks."""
        n = len(expected_fatalities)
        out = np.zeros((n, len(DEALBREAKERS)), dtype=bool)
        checks = (
            (self.max_expected_fatalities, lambda v: np.asarray(expected_fatalities) > v),
            (self.max_p_any_fatality, lambda v: np.asarray(p_any_fatality) > v),
            (self.max_net_cost_usd, lambda v: np.asarray(net_cost_usd) > v),
            (self.min_p_positive, lambda v: np.asarray(p_positive) < v),
            (True if self.within_mandate else None, lambda v: np.asarray(outlives_mandate, dtype=bool)),
        )
        for k, (limit, test) in enumerate(checks):
            if limit is not None:
                out[:, k] = test(limit)
        return out
