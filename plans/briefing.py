"""The plan section of the client briefing: the scenario owner's most recently computed plan."""

from __future__ import annotations

from plans.models import PlanResult
from plans.page import function_names, mode_names, named, plan_scale, reason_text
from risks.partners import country_names


def plan_section(owner_username: str) -> dict | None:
    """{plan, result, options, totals, pathway, reasons} for the owner's latest plan, or None."""
    result = (PlanResult.objects.select_related("plan").filter(plan__owner__username=owner_username)
              .order_by("-computed_at").first())
    if result is None:
        return None
    names, functions, countries = mode_names(), function_names(), country_names()  # names, never codes
    data = result.data
    return {"plan": result.plan, "result": result, "totals": data.get("totals"),
            "options": [named(o, names, functions, countries) for o in data.get("options", [])],
            "pathway": [{**y, "options": [named(o, names, functions, countries) for o in y.get("options", [])]}
                        for y in (data.get("pathway") or {}).get("years", [])], "reasons": [reason_text(r) for r in data.get("reasons", [])],
            "formula": data.get("formula"), "robust": (result.robustness or {}).get("missions", []), **plan_scale(data)}
