import uuid

import pandas as pd
from celery.result import AsyncResult
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required, permission_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from missions.editing import EditConflictError
from missions.models import MandateFunction, Mission
from pkoanalysis.celery import app
from pkoanalysis.pagecache import per_viewer
from risks import builder, charts, scale, scenario_page, services, tasks
from risks import explorer as explorer_service
from risks import validation as validation_service
from risks.forms import CompareForm, ExplorerForm, ScenarioForm, as_id, offered_missions, preset_initial
from risks.models import Scenario, ScenarioResult
from risks.partners import country_names, partner_of
from risks.presets import PRESETS
from risks.scenario_page import (
    VERDICTS,
    dealbreaker_summary,
    factor_names,
    gate_names,
    lazy_view,
    method_agreement,
    trade_offs,
)
from weights import methods as weights_methods
from weights.models import WeightSet


@login_not_required
def task_progress(request: HttpRequest, task_id: str) -> JsonResponse:
    """GET /tasks/<id>/ -> {"state": ..., "done": n, "total": m} for a page to poll."""
    if not request.user.is_authenticated:
        return JsonResponse({"error": "authentication required"}, status=401)
    if not request.user.has_perm("missions.view_mission"):  # any role (pkoanalysis.roles)
        return JsonResponse({"error": _("Your account has no role yet: ask an administrator to make you an "
                                        "analyst, consultant or curator.")}, status=403)
    result = AsyncResult(str(task_id), app=app)
    info = result.info if isinstance(result.info, dict) else {}
    body = {"state": result.state, "done": info.get("done"), "total": info.get("total")}
    if result.failed():
        body["error"] = "the computation failed; the previous results are kept and marked stale"
    return JsonResponse(body)


SCENARIOS_PER_PAGE = 50
# What the list shows, and nothing else: notes and results' tables can be large.
LIST_COLUMNS = ("name", "name_es", "updated_at", "computation_error", "owner", "owner__username", "mode", "mode__name_en",
                "mode__name_es", "result__feasibility", "result__is_stale", "result__net", "result__p_positive",
                "result__computed_at")


def scenario_list(request: HttpRequest) -> HttpResponse:
    scenarios = (Scenario.objects.select_related("owner", "mode", "result").only(*LIST_COLUMNS)
                 .order_by("-updated_at", "-pk"))
    page = Paginator(scenarios, SCENARIOS_PER_PAGE).get_page(request.GET.get("page"))
    results = [s.result for s in page if hasattr(s, "result")]
    scales = scenario_page.scenario_scales(results)
    for s in page:
        if hasattr(s, "result"):
            s.result.scale = scales[s.result.pk]
    return render(request, "risks/scenario_list.html", {"scenarios": page, "page": page, "presets": PRESETS})


def quota_refusal(user) -> str | None:
    """Why this account may not create another scenario, or None when it may."""
    if user.is_superuser or Scenario.objects.filter(owner=user).count() < settings.SCENARIO_QUOTA:
        return None
    return _("You already have %(n)d scenarios, the most one account may keep. Ask a curator to delete the ones "
             "you no longer need, then try again.") % {"n": settings.SCENARIO_QUOTA}


def may_edit(user, scenario: Scenario) -> bool:
    return user.has_perm("risks.change_scenario") and (scenario.owner_id == user.pk or user.is_superuser
                                                      or user.groups.filter(name="curator").exists())


def prefill_ids(model, field: str, values: list[str]) -> list[int]:
    """Builder links name missions by acronym and functions by code (or by id): their ids."""
    ids = {int(v) for v in values if v.isascii() and v.isdigit() and len(v) < 10}
    # An acronym or a code never holds NUL (which PostgreSQL refuses in a query): such a value names nothing.
    names = [v for v in values if not (v.isascii() and v.isdigit()) and "\x00" not in v]
    return sorted(ids | set(model.objects.filter(**{f"{field}__in": names}).values_list("pk", flat=True)))


@permission_required("risks.add_scenario", raise_exception=True)
def scenario_new(request: HttpRequest) -> HttpResponse:
    initial = preset_initial(request.GET.get("preset", ""))
    source = as_id(request.GET.get("from", ""))
    if source is not None:
        original = Scenario.objects.filter(pk=source).first()
        if original:
            form = ScenarioForm(instance=original, owner=request.user)
            initial = {**{name: form[name].value() for name in form.fields if name != "version"},
                       "name": _("Copy of %(name)s") % {"name": original.name}}
    for key, model, field in (("missions", Mission, "acronym"), ("functions", MandateFunction, "code")):
        if request.GET.getlist(key):
            initial[key] = prefill_ids(model, field, request.GET.getlist(key))
    weight_set = WeightSet.objects.usable_by(request.user).filter(
        pk=as_id(request.GET.get("weight_set", "")) or 0).first()
    if weight_set is not None:  # "use these weights in a scenario", from the weight set's page
        initial.update({"weight_set": weight_set, **weight_set_sliders(weight_set)})
    form = ScenarioForm(request.POST or None, initial=initial, owner=request.user)
    if request.method == "POST" and CHECK_ONLY & set(request.POST):
        return builder_page(request, form, None)
    refusal = quota_refusal(request.user)
    if refusal and request.method == "POST":
        form.is_valid()
        form.add_error(None, refusal)
    elif refusal:
        messages.warning(request, refusal)
    if request.method == "POST" and not refusal and form.is_valid():
        scenario = form.save(commit=False)
        scenario.owner = request.user
        preset = request.GET.get("preset", "")
        scenario.preset = preset if preset in PRESETS else ""  # only a known preset, never free text
        scenario.save()
        form.save_m2m()
        return queue_and_show(request, scenario, form)
    return builder_page(request, form, None, preset=request.GET.get("preset", ""))


def scenario_edit(request: HttpRequest, pk: int) -> HttpResponse:
    scenario = get_object_or_404(Scenario, pk=pk)
    if not may_edit(request.user, scenario):
        raise PermissionDenied(_("Only the scenario's owner or a curator can change it; duplicate it instead."))
    form = ScenarioForm(request.POST or None, instance=scenario)
    if request.method == "POST" and CHECK_ONLY & set(request.POST):
        return builder_page(request, form, scenario)
    if request.method == "POST" and form.is_valid():
        try:
            scenario = form.save()
        except EditConflictError as conflict:  # lost a race after validating: nothing was written
            form.add_error(None, str(conflict))
        else:
            return queue_and_show(request, scenario, form)
    return builder_page(request, form, scenario)


# The builder's buttons that only re-check the choices (without JavaScript): nothing is saved.
CHECK_ONLY = {"check", "drop_infeasible"}


def builder_page(request: HttpRequest, form: ScenarioForm, scenario: Scenario | None, preset: str = "") -> HttpResponse:
    """The builder, with what the feasibility rule says of the missions for the current choices;
    'drop_infeasible' unticks the missions it rules out (a form bound to the edited data)."""
    checks = builder.page_checks(form)
    if "drop_infeasible" in request.POST:
        data = request.POST.copy()
        data.setlist("missions", [str(pk) for pk in builder.without_infeasible(form, checks["checks"])])
        form = ScenarioForm(data, instance=scenario, owner=request.user) if scenario else \
            ScenarioForm(data, initial=form.initial, owner=request.user)
        checks = builder.page_checks(form)
    kept, left_out = [], []
    if preset in PRESETS and not form.is_bound:
        kept, left_out = builder.preset_missions(PRESETS[preset], list(
            offered_missions().filter(functions__code__in=PRESETS[preset]["functions"]).distinct()))
    return render(request, "risks/scenario_form.html", {
        "form": form, "scenario": scenario, "presets": PRESETS, "preset": PRESETS.get(preset), "kept": [m.acronym for m in kept],
        "left_out": left_out, "asked": len(kept) + len(left_out),
        "weight_set_sliders": {str(s.pk): weight_set_sliders(s) for s in form.fields["weight_set"].queryset},
        **checks})


def weight_set_sliders(weight_set: WeightSet) -> dict:
    """The category sliders as a scenario using the set will weigh them: the largest at 100%."""
    top = max(weight_set.weights.values(), default=0) or 1.0
    return {f"w_{code}": round(100 * weight_set.weights.get(code, 0.0) / top) for code in weights_methods.CRITERIA}


@permission_required("risks.add_scenario", raise_exception=True)
def builder_checks(request: HttpRequest) -> JsonResponse:
    """GET /scenarios/new/checks.json?mode=&size=&duration_months=&functions=&strict_gates=&missions=
    (the builder's field values) -> {missions: {acronym: {id, verdict, label, reasons}}, html:
    the page's panel for the ticked missions}. Without a mode, size and duration: no missions."""
    form = ScenarioForm(request.GET, owner=request.user)
    checks = builder.page_checks(form)
    body = {acronym: {"id": checks["offered"][acronym], **check} for acronym, check in checks["checks"].items()}
    html = render_to_string("risks/_builder_checks.html", checks, request=request)
    return JsonResponse({"missions": body, "summary": checks["summary"], "html": html})


def queue_and_show(request: HttpRequest, scenario: Scenario, form: ScenarioForm) -> HttpResponse:
    useless = getattr(form, "useless_missions", [])
    if useless:
        messages.warning(request, _("These missions have none of the chosen functions and are infeasible: %(m)s")
                         % {"m": ", ".join(useless)})
    services.mark_stale([scenario.pk])
    return show_progress(request, scenario, tasks.enqueue(tasks.recompute_many, [scenario.pk]))


def show_progress(request: HttpRequest, scenario: Scenario, task) -> HttpResponse:
    """The scenario page, polling the task; or, when the broker was unreachable, saying so."""
    if task is None:
        messages.warning(request, QUEUE_DOWN)
        return redirect(scenario.get_absolute_url())
    return redirect(f"{scenario.get_absolute_url()}?task={task.id}")


QUEUE_DOWN = gettext_lazy("The task queue cannot be reached right now. Your changes are saved and a "
                          "recomputation is pending: it will be queued automatically once the queue is back.")


@require_POST
def scenario_recompute(request: HttpRequest, pk: int) -> HttpResponse:
    scenario = get_object_or_404(Scenario, pk=pk)
    services.mark_stale([scenario.pk])
    return show_progress(request, scenario, tasks.enqueue(tasks.recompute_many, [scenario.pk]))


def copy_names(original: Scenario) -> dict:
    """The copy's name, "Copy of ...", in both languages when the original has both; else in the page's language."""
    if not original.name_es:
        return {"name": _("Copy of %(name)s") % {"name": original.name}}
    with translation.override("en"):
        name = _("Copy of %(name)s") % {"name": original.name}
    with translation.override("es"):
        name_es = _("Copy of %(name)s") % {"name": original.name_es}
    return {"name": name[:150], "name_es": name_es[:150]}


@require_POST
@permission_required("risks.add_scenario", raise_exception=True)
def scenario_duplicate(request: HttpRequest, pk: int) -> HttpResponse:
    original = get_object_or_404(Scenario.objects.prefetch_related("missions", "functions"), pk=pk)
    refusal = quota_refusal(request.user)
    if refusal:
        messages.error(request, refusal)
        return redirect(original.get_absolute_url())
    copy = Scenario.objects.create(
        **copy_names(original), owner=request.user, mode=original.mode,
        size=original.size, duration_months=original.duration_months, aggregation=original.aggregation,
        category_weights=original.category_weights, factor_weights=original.factor_weights,
        # The weights are copied; the set only when the new owner may use it (never a workshop).
        weight_set=WeightSet.objects.usable_by(request.user).filter(pk=original.weight_set_id).first(),
        strict_gates=original.strict_gates, preset=original.preset, notes=original.notes,
        notes_es=original.notes_es)
    copy.missions.set(original.missions.all())
    copy.functions.set(original.functions.all())
    return show_progress(request, copy, tasks.enqueue(tasks.recompute_many, [copy.pk]))


BIG_FIELDS = ("options", "contributions", "sensitivity", "rank_acceptability", "distribution", "smaa", "break_even")


def scenario_state(request: HttpRequest, pk: int) -> tuple | None:
    """The scenario page is kept per viewer (pkoanalysis.pagecache) until what it shows changes;
    none is kept for a page polling a task, nor for a missing scenario or a failed computation."""
    return None if request.GET else scenario_page.page_state(pk)


@per_viewer(scenario_state)
def scenario_detail(request: HttpRequest, pk: int) -> HttpResponse:
    scenario = get_object_or_404(
        Scenario.objects.select_related("owner", "mode", "weight_set").prefetch_related("functions"), pk=pk)
    # The large JSON columns are only read when the page's figures are not cached yet.
    result = ScenarioResult.objects.defer(*BIG_FIELDS).filter(scenario=scenario).first()
    view = lazy_view(result) if result else {}
    if scenario.computation_error:
        messages.error(request, _("The last computation of this scenario failed: %(reason)s. Change the scenario "
                                  "to fix it; any result shown is from before.") % {"reason": scenario.computation_error})
    return render(request, "risks/scenario_detail.html", {
        "scenario": scenario, "result": result, **view,
        "verdict_label": VERDICTS.get(result.feasibility) if result else None,
        "task_id": task_param(request), "may_edit": may_edit(request.user, scenario),
        "dealbreakers": dealbreaker_summary(scenario), "trade_offs": trade_offs(scenario),
    })


def task_param(request: HttpRequest) -> str:
    """The ?task= id the page polls, when it is a task id; anything else is ignored."""
    try:
        return str(uuid.UUID(request.GET.get("task", "")))
    except ValueError:
        return ""


def compare(request: HttpRequest) -> HttpResponse:
    form = CompareForm(request.GET or None)
    if not form.is_valid():
        return render(request, "risks/compare.html", {
            "form": form, "scenarios": Scenario.objects.select_related("result").order_by("-updated_at")[:50]},
            status=400 if request.GET else 200)
    ids = form.cleaned_data["ids"]
    scenarios = {s.pk: s for s in Scenario.objects.filter(pk__in=ids).select_related("mode", "result")}
    missing = [i for i in ids if i not in scenarios]
    if missing:
        return render(request, "risks/compare.html", {"form": form, "error": _("No scenario with id %(ids)s.")
                                                      % {"ids": ", ".join(map(str, missing))}}, status=404)
    rows = [comparison_row(scenarios[i]) for i in ids]
    scored = [r for r in rows if r["result"]]
    # One ruler for every column: 100 = the best admissible option in any compared scenario.
    anchor = scale.common_anchor(scale.anchor(r["result"].options) for r in scored)
    figure = charts.comparison_scatter(pd.DataFrame([
        {"name": r["scenario"].name, "risk": r["result"].risk, "opportunity": r["result"].opportunity,
         "feasibility": r["result"].feasibility, "verdict": str(r["verdict"])} for r in scored]),
        anchor=anchor).to_json() if scored else None
    return render(request, "risks/compare.html", {"form": form, "rows": rows, "figure": figure, "anchor": anchor})


def comparison_row(scenario: Scenario) -> dict:
    result = getattr(scenario, "result", None)
    agreement = method_agreement(result.options)["tau"] if result else None
    return {"scenario": scenario, "result": result, "agreement": agreement,
            "admissible": scenario_page.described(result.options)[1] if result else False,
            "verdict": VERDICTS.get(result.feasibility) if result else None}


@per_viewer(lambda request: services.cached_inputs().fingerprint)
def explorer(request: HttpRequest) -> HttpResponse:
    form = ExplorerForm(request.GET or {"mode": "individual", "active": "on", "feasibility": "not_infeasible",
                                        "per_mission": "on"})
    if not form.is_valid():
        return render(request, "risks/explorer.html", {"form": form}, status=400)
    mode, feasibility, open_only, per_mission = (
        form.cleaned_data[k] or "" for k in ("mode", "feasibility", "active", "per_mission"))
    key = (f"risks:explorer:2:{services.cached_inputs().fingerprint}:{mode}:{feasibility}:{open_only}:{per_mission}:"
           f"{get_language()}")
    page = cache.get(key)
    if page is None:
        data = explorer_service.explore(mode, feasibility, bool(open_only), per_mission=bool(per_mission))
        functions = {f.code: f.name for f in MandateFunction.objects.all()}
        names, gates, countries = factor_names(), gate_names(), country_names()
        top = [{**row, "drag_name": names.get(row["drag"], row["drag"]),
                "partner_name": countries.get(partner_of(row["mode"], row.get("partner")), ""),
                "reasons_list": [gates.get(x.split(":")[0].strip(), x) + " (" + VERDICTS.get(
                    x.split(":")[1].strip(), x.split(":")[1].strip()) + ")" for x in row["reasons"].split("; ") if x],
                "function_names": " + ".join(functions.get(c, c) for c in row["functions"].split("+")),
                "functions_codes": row["functions"].split("+"),
                # risks.scale: no index for an option a gate or deal-breaker excludes
                "admissible": pd.isna(row["excluded_by"]) or not str(row["excluded_by"]).strip()}
               for row in data["top"].to_dict(orient="records")]
        page = {"heatmap": charts.explorer_heatmap(data["matrix"], data["verdicts"], functions, data["anchor"]).to_json()
                if not data["matrix"].empty else None, "top": top, "count": data["count"], "anchor": data["anchor"]}
        cache.set(key, page, 6 * 3600)
    return render(request, "risks/explorer.html", {"form": form, **page, "page_key": key})


def predictor_names() -> dict[str, str]:
    return {"model": _("This model (pooled)"), "system": _("System-wide rate"), "own": _("Each mission's own record")}


def validation(request: HttpRequest) -> HttpResponse:
    """How good are these numbers? The hazards' rolling-origin backtest (risks.validation)."""
    fmt = request.GET.get("format", "html")
    if fmt not in ("html", "csv"):
        return HttpResponse(_("Unknown format: use html or csv."), status=400, content_type="text/plain")
    v = validation_service.current()
    if v.table.empty:
        return render(request, "risks/validation.html", {"empty": True})
    if fmt == "csv":
        response = HttpResponse(validation_service.csv_bytes(v), content_type="text/csv")
        response["Content-Disposition"] = 'attachment; filename="hazard-backtest.csv"'
        return response
    names = predictor_names()
    found = validation_service.findings(v)
    for row in found["beaten"]:
        row["name"] = names[row["baseline"]]
    missions, groups = ([{**row, "name": names[row["predictor"]]} for row in validation_service.table_rows(v, level)]
                        for level in ("mission", "group"))
    return render(request, "risks/validation.html", {
        "found": found, "missions": missions, "groups": groups, "worst": v.worst.to_dict(orient="records"),
        "priors": v.priors.to_dict(orient="records"), "prior_kpy": v.prior_kpy, "names": names,
        "figure": cache.get_or_set(f"{validation_service.cache_key()}:figure:{get_language()}",
                                   lambda: charts.calibration(v.calibration).to_json(), 6 * 3600)
        if len(v.calibration) else None,
    })
