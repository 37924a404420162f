"""Export a briefing, follow its progress, download it. Consultants and administrators only."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from briefings import limits, service, tasks
from briefings.forms import BriefingForm
from risks.models import Briefing, Scenario
from risks.tasks import enqueue

NOT_ALLOWED = "Only consultants and administrators export client briefings."


def may_export(user) -> bool:
    return user.has_perm("risks.add_briefing")


def visible(user, briefings=None):
    """The briefings this user may see and download: their own (they name a client), or every one
    for an administrator. There is no sharing between consultants."""
    briefings = Briefing.objects.all() if briefings is None else briefings
    return briefings if user.is_superuser else briefings.filter(created_by=user.pk)


@require_POST
def create(request: HttpRequest, pk: int) -> HttpResponse:
    scenario = get_object_or_404(Scenario, pk=pk)
    if not may_export(request.user):
        raise PermissionDenied(_(NOT_ALLOWED))
    form = BriefingForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The briefing could not be queued: %(e)s") % {"e": form.errors.as_text()})
        return redirect(scenario.get_absolute_url())
    briefing, refusal = limits.create_if_allowed(request.user, scenario=scenario, **form.cleaned_data)
    if refusal:
        return render(request, "briefings/refused.html", {"scenario": scenario, "reason": refusal}, status=429)
    if settings.BRIEFINGS_IN_THREAD:
        service.render_in_thread(briefing.pk)
        return redirect(f"{scenario.get_absolute_url()}#briefings")
    task = enqueue(tasks.render_briefing, briefing.pk)
    if task is None:
        Briefing.objects.filter(pk=briefing.pk).update(status=Briefing.Status.FAILED,
                                                       error="the task queue could not be reached")
        messages.error(request, _("The task queue cannot be reached right now; export the briefing again "
                                  "in a few minutes."))
        return redirect(f"{scenario.get_absolute_url()}#briefings")
    Briefing.objects.filter(pk=briefing.pk).update(task_id=task.id)
    return redirect(f"{scenario.get_absolute_url()}#briefings")


def progress(request: HttpRequest, pk: int) -> JsonResponse:
    """GET -> {"state": PENDING|PROGRESS|SUCCESS|FAILURE, "done": n, "total": m}, as /tasks/<id>/."""
    if not may_export(request.user):
        return JsonResponse({"error": _(NOT_ALLOWED)}, status=403)
    briefing = visible(request.user).filter(pk=pk).values("status", "error").first()
    if briefing is None:
        return JsonResponse({"error": _("No such briefing.")}, status=404)
    state = {"pending": "PENDING", "running": "PROGRESS", "done": "SUCCESS", "failed": "FAILURE"}[briefing["status"]]
    body = {"state": state, **(cache.get(service.progress_key(pk)) or {"done": None, "total": None})}
    if state == "FAILURE":
        body["error"] = _("The briefing could not be rendered; export it again or ask an administrator.")
    return JsonResponse(body)


def download(request: HttpRequest, pk: int) -> HttpResponse:
    if not may_export(request.user):
        raise PermissionDenied(_(NOT_ALLOWED))
    briefing = get_object_or_404(visible(request.user), pk=pk)  # another's briefing: as if there were none
    if briefing.status != Briefing.Status.DONE or not briefing.file:
        raise Http404(_("This briefing is not ready."))
    return FileResponse(briefing.file.open("rb"), as_attachment=True, filename=briefing.file.name.rsplit("/", 1)[-1])
