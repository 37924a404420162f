"""A mission's status, end and tasks follow from the Security Council's decisions about it.

`derive` is the rule (pure: decisions in, the Mission fields out); `apply_decisions` writes it
to the missions that have decisions, with a history row and a new version where a field moved.
The Mission fields stay the interface every other part reads: is_active, end_date, mandate_end,
mandate_final, mandate_open_ended, mandate_source, functions.

The rule, over one mission's decisions in the order adopted:

- tasks: each verified decision removes then adds tasks; a task no decision names keeps its
  curated value (the last decision that names a task decides it);
- horizon: the latest decision that sets the mandate (establish, renew, final renewal,
  terminate) decides it. Unverified: the end is unknown (mandate_end empty, "[verify]" in the
  source). A renewal whose end date has passed with no later decision curated: unknown too (a
  renewal we have not verified). A final renewal or termination whose end has passed closes the
  mission (is_active false, end_date that day). A decision with no end date: open-ended.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd
from django.db import transaction
from django.utils import timezone

from missions.council_models import VERIFY, MandateDecision, MissionCut
from missions.models import MandateFunction, Mission

SETS_MANDATE = (MandateDecision.Kind.ESTABLISH, MandateDecision.Kind.RENEW, MandateDecision.Kind.FINAL,
                MandateDecision.Kind.TERMINATE)
ENDS_MISSION = (MandateDecision.Kind.FINAL, MandateDecision.Kind.TERMINATE)
CHANGE_REASON = "follows the Security Council's decisions (missions.decisions)"


@dataclass(frozen=True)
class Decision:
    """What the rule reads of one decision."""

    adopted: dt.date
    kind: str
    symbol: str = ""
    mandate_end: dt.date | None = None
    added: frozenset[str] = frozenset()
    removed: frozenset[str] = frozenset()
    verified: bool = True
    note: str = ""


@dataclass(frozen=True)
class Derived:
    """The Mission fields the decisions decide."""

    is_active: bool
    end_date: dt.date | None
    mandate_end: dt.date | None
    mandate_final: bool
    mandate_open_ended: bool
    mandate_source: str
    functions: frozenset[str] = field(default_factory=frozenset)

    @property
    def horizon_known(self) -> bool:
        return self.mandate_end is not None or self.mandate_open_ended or not self.is_active


def cite(d: Decision) -> str:
    # Stored in English, like the curated sources it sits beside.
    return f"{d.symbol or 'A resolution'} of {d.adopted:%-d %B %Y}"


def derive(decisions: list[Decision], functions: set[str], today: dt.date,
           is_active: bool = True, end_date: dt.date | None = None) -> Derived:
    """The Mission fields that follow from `decisions` (any order) on `today`. functions: the
    curated task codes before any decision; is_active / end_date: the curated status, kept
    when no decision sets the mandate."""
    ordered = sorted(decisions, key=lambda d: d.adopted)
    tasks = set(functions)
    for d in ordered:
        if d.verified:
            tasks = (tasks - d.removed) | d.added
    setting = [d for d in ordered if d.kind in SETS_MANDATE]
    if not setting:
        return Derived(is_active, end_date, None, False, False,
                       f"{VERIFY} no Council decision setting this mandate is curated", frozenset(tasks))
    last = setting[-1]
    if not last.verified:
        verified = [d for d in setting if d.verified]
        closed = bool(verified) and verified[-1].kind in ENDS_MISSION and _end(verified[-1]) < today
        return Derived(not closed, _end(verified[-1]) if closed else None, None, False, False,
                       f"{cite(last)} {VERIFY}: {last.note.removeprefix(VERIFY).strip()}"[:300], frozenset(tasks))
    if last.kind in ENDS_MISSION:
        end = _end(last)
        word = "final extension to" if last.kind == MandateDecision.Kind.FINAL else "operations cease on"
        source = f"{cite(last)}: {word} {end:%-d %B %Y}"
        if end < today:
            return Derived(False, end, end, True, False, source, frozenset(tasks))
        return Derived(True, None, end, True, False, source, frozenset(tasks))
    if last.mandate_end is None:
        return Derived(True, None, None, False, True, f"{cite(last)}: open-ended", frozenset(tasks))
    if last.mandate_end < today:
        return Derived(True, None, None, False, False,
                       f"{cite(last)}: to {last.mandate_end:%-d %B %Y}; {VERIFY} the renewal after that date",
                       frozenset(tasks))
    return Derived(True, None, last.mandate_end, False, False, f"{cite(last)}: to {last.mandate_end:%-d %B %Y}",
                   frozenset(tasks))


def _end(d: Decision) -> dt.date:
    return d.mandate_end or d.adopted


def decisions_of(mission: Mission) -> list[Decision]:
    """The mission's decisions as the rule reads them (uses prefetched tasks when present)."""
    return [Decision(adopted=d.adopted, kind=d.kind, symbol=d.symbol, mandate_end=d.mandate_end,
                     added=frozenset(f.code for f in d.tasks_added.all()),
                     removed=frozenset(f.code for f in d.tasks_removed.all()),
                     verified=d.verified, note=d.note)
            for d in mission.decisions.all()]


FIELDS = ("is_active", "end_date", "mandate_end", "mandate_final", "mandate_open_ended", "mandate_source")


@transaction.atomic
def apply_decisions(missions=None, today: dt.date | None = None, baseline: dict[str, set[str]] | None = None
                    ) -> list[str]:
    """Write what the decisions decide to `missions` (default: every mission with a decision).
    baseline: acronym -> task codes before any decision (default: the mission's tasks now; the
    rule is idempotent, so applying twice changes nothing). Returns the acronyms that changed."""
    today = today or timezone.localdate()
    queryset = Mission.objects.filter(decisions__isnull=False).distinct() if missions is None else missions
    queryset = queryset.prefetch_related("functions", "decisions__tasks_added", "decisions__tasks_removed")
    codes = dict(MandateFunction.objects.values_list("code", "id"))
    changed = []
    for mission in queryset:
        decisions = decisions_of(mission)
        if not decisions:
            continue
        now = {f.code for f in mission.functions.all()}
        derived = derive(decisions, (baseline or {}).get(mission.acronym, now), today,
                         is_active=mission.is_active, end_date=mission.end_date)
        values = {name: getattr(derived, name) for name in FIELDS}
        moved = {n for n, v in values.items() if getattr(mission, n) != v} | (
            {"functions"} if set(derived.functions) != now else set())
        if not moved:
            continue
        if mission.start_date and values["end_date"] and values["end_date"] < mission.start_date:
            values["end_date"] = mission.start_date
        # Tasks first, so the history row the save writes holds them; a new version, so a
        # curator's form opened before is refused rather than saving over the decision.
        mission.functions.set([codes[c] for c in sorted(derived.functions) if c in codes])
        for name, value in values.items():
            setattr(mission, name, value)
        mission.version += 1
        mission._change_reason = CHANGE_REASON
        mission.save()
        changed.append(mission.acronym)
    return changed


# --- the shipped files: create what is missing (all of it with refresh), then apply ---------

def _none(value):
    return None if value is None or pd.isna(value) else value


def write_summaries_es(frame: pd.DataFrame, refresh: bool) -> tuple[int, int]:
    """The decisions' summaries in Spanish (council_files.parse_summaries_es): an empty one is
    filled, a curator's kept unless refresh; a row naming no decision held here is skipped (the
    English file may have moved on). Returns (written, skipped)."""
    existing = {(d.mission.acronym, d.adopted, d.kind): d for d in MandateDecision.objects.select_related("mission")}
    written = skipped = 0
    for r in frame.itertuples(index=False):
        decision = existing.get((r.acronym, r.adopted.date(), r.kind))
        if decision is None:
            skipped += 1
            continue
        if decision.summary_es != r.summary_es and (refresh or not decision.summary_es):
            decision.summary_es = r.summary_es
            decision.version += 1
            decision._change_reason = "Spanish summary loaded from the shipped file"
            decision.save()
            written += 1
    return written, skipped


def write_decisions(frame: pd.DataFrame, refresh: bool) -> tuple[int, int]:
    """Create the decisions missing from the database; with refresh, overwrite those that
    differ from the file. Keyed by (mission, adopted, kind). Returns (created, overwritten)."""
    missions = dict(Mission.objects.values_list("acronym", "id"))
    functions = dict(MandateFunction.objects.values_list("code", "id"))
    existing = {(d.mission_id, d.adopted, d.kind): d for d in MandateDecision.objects.all()}
    created = overwritten = 0
    for r in frame.itertuples(index=False):
        values = {"symbol": r.symbol, "mandate_end": None if pd.isna(r.mandate_end) else r.mandate_end.date(),
                  "troops": _int(r.troops), "police": _int(r.police), "observers": _int(r.observers),
                  "summary": r.summary, "source": r.source, "source_url": r.source_url,
                  "verified": bool(r.verified), "note": r.note}
        key = (missions[r.acronym], r.adopted.date(), r.kind)
        decision = existing.get(key)
        added = [functions[c] for c in filter(None, r.tasks_added.split("|"))]
        removed = [functions[c] for c in filter(None, r.tasks_removed.split("|"))]
        if decision is None:
            decision = MandateDecision(mission_id=key[0], adopted=key[1], kind=key[2], **values)
            decision._change_reason = "loaded from the shipped file"
            decision.save()
            created += 1
        elif refresh and (any(getattr(decision, n) != v for n, v in values.items())
                          or {f.pk for f in decision.tasks_added.all()} != set(added)
                          or {f.pk for f in decision.tasks_removed.all()} != set(removed)):
            for name, value in values.items():
                setattr(decision, name, value)
            decision.version += 1
            decision._change_reason = "overwritten from the shipped file (import_un_data --refresh-catalogues)"
            decision.save()
            overwritten += 1
        else:
            continue
        decision.tasks_added.set(added)
        decision.tasks_removed.set(removed)
    return created, overwritten


def write_cuts(frame: pd.DataFrame, refresh: bool) -> tuple[int, int]:
    """The same for the UN cuts, keyed by (mission or none, announced)."""
    missions = dict(Mission.objects.values_list("acronym", "id"))
    existing = {(c.mission_id, c.announced): c for c in MissionCut.objects.all()}
    created = overwritten = 0
    for r in frame.itertuples(index=False):
        values = {"uniformed_share": _none(r.uniformed_share), "uniformed_low": _int(r.uniformed_low),
                  "uniformed_high": _int(r.uniformed_high), "budget_share": _none(r.budget_share),
                  "sheds_formed_units": bool(r.sheds_formed_units),
                  "reimbursement_delay_months": _none(r.reimbursement_delay_months), "summary": r.summary,
                  "source": r.source, "source_url": r.source_url, "verified": bool(r.verified), "note": r.note}
        key = (missions.get(r.acronym) if r.acronym else None, r.announced.date())
        cut = existing.get(key)
        if cut is None:
            MissionCut.objects.create(mission_id=key[0], announced=key[1], **values)
            created += 1
        elif refresh and any(getattr(cut, n) != v for n, v in values.items()):
            for name, value in values.items():
                setattr(cut, name, value)
            cut.version += 1
            cut.save()
            overwritten += 1
    return created, overwritten


def _int(value) -> int | None:
    return None if value is None or pd.isna(value) else int(value)
