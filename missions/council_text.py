"""The short, cited sentences the mission pages, the overview and the briefings say about the
Council's decisions and the 2025-26 cuts (one wording, in English and Spanish)."""

from __future__ import annotations

import datetime as dt

from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from missions.council_models import VERIFY, MandateDecision, MissionCut
from missions.models import Mission


def day(value: dt.date) -> str:
    # Translators: a date format (Django's date syntax); Spanish: j \d\e F \d\e Y
    return date_format(value, _("j F Y"))


def decision_sentence(d: MandateDecision) -> str:
    """One decision: "S/RES/2808 (2025), 19 December 2025: renewed to 20 December 2026." """
    what = {
        MandateDecision.Kind.ESTABLISH: _("established the mission"),
        MandateDecision.Kind.RENEW: _("renewed the mandate"),
        MandateDecision.Kind.FINAL: _("extended the mandate for a final time"),
        MandateDecision.Kind.TERMINATE: _("ended the mission"),
        MandateDecision.Kind.TASKS: _("changed the mission's tasks"),
        MandateDecision.Kind.STRENGTH: _("changed the authorised strength"),
    }[d.kind]
    if d.mandate_end and d.kind == MandateDecision.Kind.TERMINATE:
        what = _("%(what)s: operations cease on %(date)s") % {"what": what, "date": day(d.mandate_end)}
    elif d.mandate_end:
        what = _("%(what)s to %(date)s") % {"what": what, "date": day(d.mandate_end)}
    text = _("%(symbol)s, %(date)s: %(what)s.") % {
        "symbol": d.symbol or _("A Security Council resolution"), "date": day(d.adopted), "what": what}
    # An unverified decision is what the record held here suggests, not a fact: said so first.
    return text if d.verified else _("Unconfirmed: %(decision)s %(verify)s") % {"decision": text, "verify": VERIFY}


def horizon_sentence(mission: Mission) -> str:
    """Where the mandate stands, from the fields the decisions set."""
    if not mission.is_active:
        if mission.end_date:
            return _("Closed on %(date)s.") % {"date": day(mission.end_date)}
        return _("Closed.")
    if mission.mandate_open_ended:
        return _("Open-ended mandate: no end date, no renewals needed.")
    if mission.mandate_end and mission.mandate_final:
        return _("Final mandate: ends on %(date)s; options beyond it are infeasible.") % {
            "date": day(mission.mandate_end)}
    if mission.mandate_end:
        return _("Mandate runs to %(date)s; options beyond it are conditional on a renewal.") % {
            "date": day(mission.mandate_end)}
    return _("Mandate end unknown %(verify)s: the model treats options here as conditional.") % {"verify": VERIFY}


def cut_sentence(cut: MissionCut) -> str:
    """The system-wide cut in one sentence."""
    return _("The 2025-26 cuts: in %(month)s the UN decided, for lack of cash, to repatriate about %(share)s%% of "
             "its peacekeeping troops and police (%(low)s-%(high)s people) and to cut mission budgets by about "
             "%(budget)s%%.") % {
        "month": date_format(cut.announced, _("F Y")), "share": round(100 * (cut.uniformed_share or 0)),
        "low": number_format(cut.uniformed_low or 0, force_grouping=True),
        "high": number_format(cut.uniformed_high or 0, force_grouping=True),
        "budget": round(100 * (cut.budget_share or 0))}


def cut_effect(share: float, *, sheds_formed: bool) -> str:
    """What the cut means for one mission with formed units."""
    text = _("Expect this mission's uniformed strength to fall by about %(share)s%%.") % {"share": round(100 * share)}
    if sheds_formed:
        text += " " + _("It is sending formed units home, not asking for new ones: a Mexican unit here is "
                        "conditional; individual specialists may still be sought.")
    return text


def delay_sentence(cut: MissionCut) -> str:
    text = _("Reimbursements to contributing countries are paid about %(months)s months later than usual, "
             "which costs a contributor the interest on what it is owed.") % {
        "months": f"{cut.reimbursement_delay_months:g}"}
    return text if cut.verified else f"{text} {VERIFY}"
