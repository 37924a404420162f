"""What the scenario builder says while an analyst chooses: for the chosen mode, size, duration,
tasks and strict gates, which gates and checks each offered mission would fail and why, each
put as a question with its answer ("Does the mission take this kind of personnel? No: UNMOGIP
has no formed units in its latest UN report").

The verdicts come from the one feasibility rule (risks.engine.feasibility through
risks.services.judge) over the same grid a saved scenario is computed on
(risks.services.scenario_grid); this module only words them, from the same facts table."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from missions.models import MandateFunction, Mission
from risks import services
from risks.engine import feasibility, model
from risks.models import ContributionMode, SafeguardGate
from risks.scenario_page import VERDICTS, gate_actions

# Each gate and check as a question a passing option answers "yes" to.
QUESTIONS = {
    "mission_open": gettext_lazy("Is the mission still deployed?"),
    "mode_function_fit": gettext_lazy("Does this mode perform the chosen tasks?"),
    "mission_fit": gettext_lazy("Does the mission take this kind of personnel?"),
    "art_89_x": gettext_lazy("Does it fit Mexico's foreign-policy principles (Art. 89-X)?"),
    "senate_authorisation": gettext_lazy("Can it go without the Senate's authorisation (Art. 76-III)?"),
    "host_consent": gettext_lazy("Does the host state consent?"),
    "jp_ceasefire": gettext_lazy("Is a ceasefire agreement in place (Japan's first principle)?"),
    "jp_consent": gettext_lazy("Do the parties consent (Japan's second principle)?"),
    "jp_impartiality": gettext_lazy("Is the mandate impartial (Japan's third principle)?"),
    "jp_withdrawal": gettext_lazy("Could Mexico withdraw on its own (Japan's fourth principle)?"),
    "jp_minimal_force": gettext_lazy("Can it keep to a minimal use of weapons (Japan's fifth principle)?"),
    "un_contracting": gettext_lazy("Does the UN take this kind of contributor?"),
    "mandate_horizon": gettext_lazy("Does the mandate last the deployment?"),
    "jp_personnel_safety": gettext_lazy("Is the personnel's safety ensured (Japan's PKO Act as amended in 2015)?"),
    "police_are_troops": gettext_lazy("Can these police officers go without the Senate's authorisation?"),
    "party_recognition": gettext_lazy("Is Mexico neutral between the parties?"),
    "un_cuts": gettext_lazy("Is the mission taking new formed units?"),
    "civilian_selection": gettext_lazy("Does Mexico alone decide where its civilian experts serve?"),
    "no_matching_function": gettext_lazy("Does the mission do any of the chosen tasks?"),
    "strength_cap": gettext_lazy("Is the option small enough for the mission?"),
    "unit_size": gettext_lazy("Is it a standard unit size?"),
    "unit_duration": gettext_lazy("Does the unit stay for a full rotation?"),
    "military_component": gettext_lazy("Does the mission have formed units for these tasks?"),
    "mandate_ended": gettext_lazy("Is the mission continuing?"),
    "mandate_unknown": gettext_lazy("Is the end of the current mandate known?"),
}


@dataclass(frozen=True)
class Choice:
    """What the analyst has chosen so far: a mode code, size (persons), months, task codes,
    gates applied strictly, and the missions ticked (acronyms)."""

    mode: str
    size: float
    months: float
    functions: tuple[str, ...]
    strict_gates: tuple[str, ...] = ()
    missions: tuple[str, ...] = ()


def guidance(choice: Choice, acronyms: list[str]) -> dict[str, dict]:
    """Per mission of `acronyms` (those the builder offers): {verdict: 'feasible' | 'conditional'
    | 'infeasible', label: the verdict in words, reasons: [{gate, level, level_label, question,
    answer, action}]}, infeasible reasons first. Missions the inputs do not know are left out."""
    inputs = services.cached_inputs()
    params = {"mode": choice.mode, "size": choice.size, "duration": choice.months,
              "functions": [c for c in choice.functions if c in inputs.functions]}
    grid, every, masks = services.scenario_grid(inputs, params)
    verdict, reasons, _outlives = services.judge(inputs, grid, frozenset(choice.strict_gates))
    facts = services.option_facts(inputs, grid)
    position = {a: k for k, a in enumerate(every)}
    wording = Wording(inputs, choice, facts, masks)
    actions = gate_actions()
    out = {}
    for acronym in acronyms:
        i = position.get(acronym)
        if i is None:
            continue
        rows = sorted(reasons[i], key=lambda r: r["level"] != "infeasible")
        out[acronym] = {
            "verdict": feasibility.VERDICTS[verdict[i]], "label": str(VERDICTS[feasibility.VERDICTS[verdict[i]]]),
            "reasons": [{"gate": r["gate"], "level": r["level"], "level_label": str(VERDICTS[r["level"]]),
                         "question": str(QUESTIONS.get(r["gate"], r["gate"])),
                         "answer": wording.answer(r["gate"], r["level"], i, acronym)
                         + (" " + _("This scenario applies the gate strictly, so the condition rules it out.")
                            if r["gate"] in choice.strict_gates and r["level"] == "infeasible" else ""),
                         "action": actions.get(r["gate"], "")} for r in rows],
        }
    return out


def summary(checks: dict[str, dict], chosen: list[str]) -> dict:
    """The chosen missions' verdicts counted, and the scenario's verdict (the worst of them, as
    the computation will state it): {counts: {verdict: n}, worst: code or None}."""
    levels = [checks[a]["verdict"] for a in chosen if a in checks]
    counts = {v: levels.count(v) for v in feasibility.VERDICTS}
    worst = max(levels, key=feasibility.VERDICTS.index) if levels else None
    return {"counts": counts, "worst": worst, "worst_label": str(VERDICTS[worst]) if worst else ""}


# Each gate's answer that depends on nothing but the mission (%(m)s) and the mode's name
# (%(mode)s); the gates whose answer reads the option's facts are worded in Wording.answer().
FIXED_ANSWERS = {
    "mission_open": gettext_lazy("No: %(m)s has closed."),
    "senate_authorisation": gettext_lazy("No: troops leaving the country need the Senate's authorisation."),
    "jp_ceasefire": gettext_lazy("No: there is no ceasefire or peace agreement in force among %(m)s's parties."),
    "jp_consent": gettext_lazy("Not securely: the host's consent to %(m)s is strained or withdrawn."),
    "jp_impartiality": gettext_lazy("No: %(m)s's mandate takes sides (e.g. operations against armed groups)."),
    "jp_withdrawal": gettext_lazy("No: an element inside another state's unit, or a contractor, cannot leave on Mexico's "
                                  "decision alone."),
    "jp_minimal_force": gettext_lazy("Not surely: coercive tasks under %(m)s's Chapter VII mandate may need force beyond "
                                     "self-defence."),
    "jp_personnel_safety": gettext_lazy("Not surely: a contributor left %(m)s because its personnel's safety could not be ensured, and "
                                        "the cause persists."),
    "police_are_troops": gettext_lazy("No: since the 2024 reform the Guardia Nacional's police are military personnel, so troops "
                                      "under Art. 76-III."),
    "party_recognition": gettext_lazy("No: Mexico recognises one party to %(m)s's dispute, so a Mexican unit's impartiality is open "
                                      "to question."),
    "un_cuts": gettext_lazy("Not now: %(m)s is sending formed units home under the 2025-26 cuts."),
    "civilian_selection": gettext_lazy("No: the UN selects civilian experts for the positions a mission asks for."),
    "no_matching_function": gettext_lazy("No: %(m)s's mandate has none of the chosen tasks that the mode “%(mode)s” performs."),
    "mandate_ended": gettext_lazy("No: the Council extended %(m)s's mandate for a final time."),
    "mandate_unknown": gettext_lazy("No: no end date is recorded for %(m)s's current mandate."),
}


class Wording:
    """The answer to each gate's question for one option, from the facts the rule judged."""

    def __init__(self, inputs: services.Inputs, choice: Choice, facts: feasibility.Facts, masks: np.ndarray):
        self.inputs, self.choice, self.facts, self.masks = inputs, choice, facts, masks
        self.mode = ContributionMode.objects.filter(code=choice.mode).first()
        self.task_names = {f.code: f.name for f in MandateFunction.objects.all()}

    def tasks(self, mask: int) -> str:
        codes = [c for g, c in enumerate(self.inputs.functions) if mask >> g & 1]
        return ", ".join(self.task_names.get(c, c) for c in codes)

    def answer(self, gate: str, level: str, i: int, m: str) -> str:
        f, formed = self.facts, self.choice.mode in model.FORMED_MODES
        row = self.inputs.missions.loc[m]
        mode = self.mode.name if self.mode else self.choice.mode
        end = row.get("mandate_end")
        end_text = date_format(end, "DATE_FORMAT") if end is not None and end == end else ""
        if gate in FIXED_ANSWERS:
            return str(FIXED_ANSWERS[gate]) % {"m": m, "mode": mode}
        if gate == "mode_function_fit":
            unfit = int(f.function_mask[i]) & ~self.inputs.mode_functions.get(self.choice.mode, -1)
            return _("No: the mode “%(mode)s” does not do %(tasks)s.") % {"mode": mode, "tasks": self.tasks(unfit)}
        if gate == "mission_fit":
            if formed:
                return _("No: %(m)s has no formed units (troops or formed police) in its latest UN report.") % {"m": m}
            return _("No: %(m)s has no staff officers, experts on mission or individual police in its latest UN "
                     "report.") % {"m": m}
        if gate == "art_89_x":
            if f.gate.kind[i] == "other":
                return _("No: %(m)s is not a UN peace operation.") % {"m": m}
            return _("Only with care: a formed unit doing coercive tasks under %(m)s's Chapter VII mandate.") % {"m": m}
        if gate == "host_consent":
            if f.gate.consent[i] != "withdrawn":
                return _("In part: %(m)s's host has asked for a drawdown or restricts the mission.") % {"m": m}
            return _("No: the host state withdrew its consent to %(m)s.") % {"m": m}
        if gate == "un_contracting":
            if self.choice.mode != "private_military_company":
                return _("Only through Mexico: private enablers must come under Mexico's own Letter of Assist.")
            return _("No: the UN signs agreements with, and reimburses, governments; contingents are national "
                     "personnel.")
        if gate == "mandate_horizon":  # the rule judges renewable mandates here; a final one is mandate_ended
            if end_text:
                return _("Not yet: %(months)s months run past %(m)s's current mandate (ending %(end)s); it needs a "
                         "renewal.") % {"months": f"{self.choice.months:g}", "m": m, "end": end_text}
            return _("Not yet: %(months)s months run past %(m)s's current mandate; it needs a renewal.") % {
                "months": f"{self.choice.months:g}", "m": m}
        if gate == "strength_cap":
            strength = float(f.strength[i])
            kind = _("formed personnel") if formed else _("individual personnel")
            if strength <= 0:
                return _("No: %(m)s has no %(kind)s in its latest UN report.") % {"m": m, "kind": kind}
            return _("No: %(size)s people is more than a quarter of %(m)s's %(n)s %(kind)s (at most %(cap)s).") % {
                "size": f"{self.choice.size:g}", "m": m, "n": f"{strength:,.0f}", "kind": kind,
                "cap": f"{np.floor(feasibility.MAX_SHARE_OF_STRENGTH * strength):,.0f}"}
        if gate == "unit_size":
            sizes = ", ".join(f"{s:g}" for s in (self.inputs.unit_sizes or {}).get(self.choice.mode, ()))
            return _("No: %(size)s is not a section, platoon, company or battalion (%(sizes)s).") % {
                "size": f"{self.choice.size:g}", "sizes": sizes}
        if gate == "unit_duration":
            return _("No: %(months)s months is less than a rotation of %(min)s.") % {
                "months": f"{self.choice.months:g}", "min": feasibility.MIN_FORMED_MONTHS}
        if gate == "military_component":
            if f.military_task[i] and not f.military_component[i]:
                return _("No: %(m)s has no military component for military tasks.") % {"m": m}
            return _("No: %(m)s has no formed police units for public-security tasks.") % {"m": m}
        return str(VERDICTS.get(level, level))


def ids_of(values) -> list[int]:
    """Database ids from form values (objects or ids as text); anything else is dropped."""
    ids = [str(getattr(v, "pk", v)) for v in values or []]
    return [int(v) for v in ids if v.isascii() and v.isdigit() and len(v) < 10]


def choice_from(mode, size, months, functions, strict_gates=(), missions=()) -> Choice | None:
    """A Choice from the builder's values (a mode object or id; tasks and missions as objects or
    ids), or None while the mode, size or duration is missing or not a positive number."""
    mode_ids = ids_of([mode]) if mode not in (None, "") else []
    mode_obj = mode if isinstance(mode, ContributionMode) else (
        ContributionMode.objects.filter(pk=mode_ids[0]).first() if mode_ids else None)
    try:
        size, months = float(size), float(months)
    except (TypeError, ValueError):
        return None
    if mode_obj is None or not (0 < size < 1e6 and 0 < months < 1e3):
        return None
    codes = tuple(MandateFunction.objects.filter(pk__in=ids_of(functions)).values_list("code", flat=True))
    known = set(SafeguardGate.objects.values_list("code", flat=True))
    acronyms = tuple(Mission.objects.filter(pk__in=ids_of(missions)).values_list("acronym", flat=True))
    return Choice(mode_obj.code, size, months, codes, tuple(g for g in strict_gates or () if g in known), acronyms)


def form_choice(form) -> Choice | None:
    """The choice a builder form holds now: what was posted, else its initial values."""
    def values(name):
        if form.is_bound:
            return form.data.getlist(form.add_prefix(name)) if hasattr(form.data, "getlist") else \
                form.data.get(form.add_prefix(name)) or []
        value = form[name].value()
        return list(value) if isinstance(value, list | tuple) else ([] if value in (None, "") else [value])

    def one(name):
        given = values(name)
        return given[-1] if given else None

    return choice_from(one("mode"), one("size"), one("duration_months"), values("functions"),
                       [str(g) for g in values("strict_gates")], values("missions"))


def page_checks(form) -> dict:
    """What the builder page shows of the rules for a form's current values: {choice, checks
    (every offered mission), chosen: [(acronym, check)], summary, offered: {acronym: id}}; empty
    lists while the mode, size or duration is missing."""
    offered = dict(form.fields["missions"].queryset.values_list("acronym", "pk"))
    choice = form_choice(form)
    if choice is None:
        return {"choice": None, "checks": {}, "chosen": [], "summary": summary({}, []), "offered": offered}
    checks = guidance(choice, list(offered))
    chosen = [a for a in choice.missions if a in checks]
    return {"choice": choice, "checks": checks, "chosen": [(a, checks[a]) for a in chosen],
            "summary": summary(checks, chosen), "offered": offered}


def without_infeasible(form, checks: dict) -> list[int]:
    """The ids of the form's ticked missions that the rules do not rule out."""
    offered = dict(form.fields["missions"].queryset.values_list("pk", "acronym"))
    ticked = ids_of(form.data.getlist(form.add_prefix("missions")))
    return [pk for pk in ticked if pk in offered and checks.get(offered[pk], {}).get("verdict") != "infeasible"]


def preset_missions(preset: dict, candidates: list[Mission]) -> tuple[list[Mission], list[tuple[str, dict]]]:
    """A preset's question asked of the candidate missions (the open ones doing one of its
    tasks): (those its option is not ruled out in, [(acronym, check)] of those it is), by the
    one feasibility rule with the preset's strict gates. A preset so starts from a scenario that
    can exist, and the page says which missions its rules leave out and why."""
    choice = Choice(preset["mode"], float(preset["size"]), float(preset["duration_months"]),
                    tuple(preset["functions"]), tuple(preset["strict_gates"]))
    checks = guidance(choice, [m.acronym for m in candidates])
    kept = [m for m in candidates if checks.get(m.acronym, {}).get("verdict") != "infeasible"]
    left = [(m.acronym, checks[m.acronym]) for m in candidates if checks.get(m.acronym, {}).get("verdict") == "infeasible"]
    return kept, left
