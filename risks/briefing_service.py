"""Briefings: a scenario's result and the data it rests on, read once, then rendered."""

from __future__ import annotations

import pandas as pd

from risks.models import Factor, Scenario, ScenarioResult
from risks.scenario_page import gate_names
from risks.services import recompute_scenario


def briefing_data(scenario: Scenario):
    """Everything a briefing shows, read once. Recomputes a stale or missing result first;
    if that fails, the briefing says plainly that it is stale."""
    from missions import selectors
    from missions.models import DataFile
    from risks import briefings
    from risks.models import Category

    result = ScenarioResult.objects.filter(scenario=scenario).first()
    if result is None or result.is_stale:
        try:
            recompute_scenario(scenario.pk)
        except Exception:  # noqa: BLE001 - the briefing must still go out, marked stale
            if result is None:
                raise
        result = ScenarioResult.objects.get(scenario=scenario)
    factors = list(Factor.objects.order_by("code"))
    mexico = selectors.deployments(country=selectors.MEXICO, start=pd.Timestamp("2015-01-01").date())
    months = selectors.data_months()
    series = selectors.monthly_series(mexico, months[months >= pd.Timestamp("2015-01-01")])
    files = list(DataFile.objects.values("dataset", "filename", "rows", "last_month"))
    gates = gate_names()
    fields = {f.name: getattr(result, f.name) for f in ScenarioResult._meta.fields}
    return briefings.BriefingData(
        scenario_id=scenario.pk, name=scenario.name, owner=scenario.owner.get_username(), mode=scenario.mode.name,
        mode_code=scenario.mode.code, size=scenario.size, duration_months=scenario.duration_months,
        missions=sorted(scenario.missions.values_list("acronym", flat=True)),
        functions=[f.name for f in scenario.functions.all()], aggregation=scenario.get_aggregation_display(),
        category_weights=scenario.category_weights, factor_weights=scenario.factor_weights,
        strict_gates=[gates.get(g, g) for g in scenario.strict_gates], notes=scenario.notes,
        result=fields, factor_names={f.code: f.name for f in factors},
        factor_sources={f.code: f.source for f in factors}, factor_kinds={f.code: f.kind for f in factors},
        category_names={c.value: str(c.label) for c in Category}, gate_names=gates, mexico_monthly=series,
        data_date=max((f["last_month"] for f in files if f["last_month"]), default=None), data_files=files,
        stale=result.is_stale,
    )


def render_briefing(briefing_id: int, progress=None) -> str:
    """Render a queued briefing and keep its file with the scenario. Returns its status."""
    from django.core.files.base import ContentFile
    from django.utils.text import slugify
    from django.utils.translation import override

    from risks import briefings
    from risks.models import Briefing

    briefing = Briefing.objects.select_related("scenario__mode", "scenario__owner").get(pk=briefing_id)
    if briefing.status == Briefing.Status.DONE and briefing.file:
        return briefing.status
    Briefing.objects.filter(pk=briefing.pk).update(status=Briefing.Status.RUNNING)
    try:
        with override(briefing.language):
            data = briefing_data(briefing.scenario)
        if briefing.format == "pdf":
            content = briefings.render_pdf(data, language=briefing.language, paper=briefing.paper,
                                           client=briefing.client, firm=briefing.firm, progress=progress)
        elif briefing.format == "xlsx":
            content = briefings.render_xlsx(data, language=briefing.language)
        else:
            content = briefings.render_csv(data)
    except Exception as exc:
        Briefing.objects.filter(pk=briefing.pk).update(status=Briefing.Status.FAILED, error=str(exc)[:2000])
        raise
    name = f"{slugify(briefing.scenario.name)[:60] or 'scenario'}-{briefing.language}.{briefing.format}"
    briefing.file.save(name, ContentFile(content), save=False)
    briefing.fingerprint = data.result["fingerprint"]
    briefing.data_date = data.data_date
    briefing.was_stale = data.stale
    briefing.status = Briefing.Status.DONE
    briefing.save()
    return briefing.status
