from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from plans import page, services, tasks
from plans.forms import PlanForm
from plans.models import Plan, PlanResult
from risks.views import QUEUE_DOWN


def plan_list(request: HttpRequest) -> HttpResponse:
    plans = Plan.objects.select_related("owner", "result").defer("result__data", "result__robustness")
    return render(request, "plans/plan_list.html", {"page": Paginator(plans, 50).get_page(request.GET.get("page"))})


def may_edit(user, plan: Plan) -> bool:
    return user.has_perm("plans.change_plan") and (plan.owner_id == user.pk or user.is_superuser
                                                  or user.groups.filter(name="curator").exists())


@permission_required("plans.add_plan", raise_exception=True)
def plan_new(request: HttpRequest) -> HttpResponse:
    form = PlanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        plan = form.save(commit=False)
        plan.owner = request.user
        plan.save()
        form.save_m2m()
        return queue(request, plan)
    return render(request, "plans/plan_form.html", {"form": form})


def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(Plan, pk=pk)
    if not may_edit(request.user, plan):
        raise PermissionDenied(_("Only the plan's owner or a curator can change it."))
    form = PlanForm(request.POST or None, instance=plan)
    if request.method == "POST" and form.is_valid():
        return queue(request, form.save())
    return render(request, "plans/plan_form.html", {"form": form, "plan": plan})


def queue(request: HttpRequest, plan: Plan) -> HttpResponse:
    services.mark_stale([plan.pk])
    if tasks.enqueue_recompute([plan.pk]) is None:
        messages.warning(request, QUEUE_DOWN)
    return redirect(plan.get_absolute_url())


@require_POST
def plan_recompute(request: HttpRequest, pk: int) -> HttpResponse:
    return queue(request, get_object_or_404(Plan, pk=pk))


def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(Plan.objects.select_related("owner"), pk=pk)
    result = PlanResult.objects.filter(plan=plan).first()
    return render(request, "plans/plan_detail.html", {
        **page.context(plan, result), "may_edit": may_edit(request.user, plan), "runs": plan.runs.all()[:10]})


def plan_progress(request: HttpRequest, pk: int) -> JsonResponse:
    """GET -> {"state", "done", "total"} of the robustness re-solves, for the page to poll."""
    result = get_object_or_404(PlanResult.objects.only("robust_done", "robust_total", "robustness", "status"),
                               plan_id=pk)
    state = "SUCCESS" if result.robustness is not None or result.status != "optimal" else (
        "PROGRESS" if result.robust_done else "PENDING")
    return JsonResponse({"state": state, "done": result.robust_done, "total": result.robust_total})
