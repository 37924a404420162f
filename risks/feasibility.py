"""Safeguard gates: is an option feasible, conditional or infeasible, and why. Pure numpy.

Every option is judged before any score is shown. A gate returns a level per option
(0 passes, 1 conditional, 2 infeasible); the verdict is the worst level over the active gates,
and the reasons are the gates that did not pass.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

FEASIBLE, CONDITIONAL, INFEASIBLE = 0, 1, 2
VERDICTS = ("feasible", "conditional", "infeasible")
FORMED_MODES = ("national_contingent", "private_military_company", "mixed_contingent")
COERCIVE_FUNCTIONS = ("protection_of_civilians", "public_security_police")
GATES = ("mission_open", "art_89_x", "japan_five_principles", "senate_authorisation",
         "un_private_security_rules")


@dataclass(frozen=True)
class OptionFacts:
    """What the gates look at, one entry per option (length n).

    active: mission open; kind: 'pko' | 'spm' | 'other'; chapter_vii: robust mandate;
    hostility: [0, 1] from the fatality record; ceasefire: the mandate includes ceasefire
    monitoring; mode: contribution mode code; coercive: the option performs a coercive function
    (protection of civilians, public security).
    """

    active: np.ndarray
    kind: np.ndarray
    chapter_vii: np.ndarray
    hostility: np.ndarray
    ceasefire: np.ndarray
    mode: np.ndarray
    coercive: np.ndarray


def gate_levels(facts: OptionFacts, hostile_threshold: float = 0.5) -> dict[str, np.ndarray]:
    """Level of each gate for each option: {gate code: (n,) int8 array of 0/1/2}."""
    formed = np.isin(facts.mode, FORMED_MODES)
    hostile = facts.hostility >= hostile_threshold
    n = len(facts.mode)
    levels = {code: np.zeros(n, dtype=np.int8) for code in GATES}
    levels["mission_open"][~facts.active.astype(bool)] = INFEASIBLE
    # Mexico's 2014 commitment: only Security Council-mandated operations.
    levels["art_89_x"][formed & facts.chapter_vii.astype(bool) & facts.coercive.astype(bool)] = CONDITIONAL
    levels["art_89_x"][facts.kind == "other"] = INFEASIBLE
    no_ceasefire = facts.chapter_vii.astype(bool) & ~facts.ceasefire.astype(bool)
    levels["japan_five_principles"][formed & (hostile | no_ceasefire)] = CONDITIONAL
    levels["senate_authorisation"][formed] = CONDITIONAL
    levels["un_private_security_rules"][facts.mode == "private_military_company"] = INFEASIBLE
    return levels


def verdicts(levels: dict[str, np.ndarray], active_gates: set[str] | None = None,
             strict_gates: set[str] = frozenset()) -> tuple[np.ndarray, np.ndarray]:
    """Combine gate levels into (verdict (n,) int8, failed (n, len(GATES)) bool).

    active_gates: gates applied (None = all); strict_gates: gates whose 'conditional' counts as
    infeasible (a stricter policy, e.g. the Japan-safeguards preset).
    """
    gates = [g for g in GATES if active_gates is None or g in active_gates]
    n = len(next(iter(levels.values())))
    verdict = np.zeros(n, dtype=np.int8)
    failed = np.zeros((n, len(GATES)), dtype=bool)
    for code in gates:
        level = levels[code].copy()
        if code in strict_gates:
            level[level == CONDITIONAL] = INFEASIBLE
        np.maximum(verdict, level, out=verdict)
        failed[:, GATES.index(code)] = level > FEASIBLE
    return verdict, failed


def reasons(failed_row: np.ndarray, level_row: dict[str, int]) -> list[dict]:
    """The failed gates of one option as [{'gate': code, 'level': 'conditional'|'infeasible'}]."""
    return [
        {"gate": code, "level": VERDICTS[level_row[code]]}
        for i, code in enumerate(GATES) if failed_row[i]
    ]
