from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from risks.forms import as_id
from risks.models import Category, Scenario
from risks.views import may_edit
from weights import methods, services
from weights.forms import FORMS, initial_for
from weights.models import Method, Participant, WeightSet
from weights.workshop import workshop_view

PER_PAGE = 50


def weight_list(request: HttpRequest) -> HttpResponse:
    sets = WeightSet.objects.select_related("owner").prefetch_related("participants").order_by("-updated_at", "-pk")
    page = Paginator(sets, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "weights/list.html", {"page": page, "methods": FORMS})


def target_scenario(request: HttpRequest) -> Scenario | None:
    """?scenario=<id>: the scenario the new weights are for (only its owner or a curator may)."""
    pk = as_id(request.GET.get("scenario", ""))
    scenario = Scenario.objects.filter(pk=pk).first() if pk is not None else None
    if scenario is not None and not may_edit(request.user, scenario):
        raise PermissionDenied(_("Only the scenario's owner or a curator can change its weights."))
    return scenario


@permission_required("weights.add_weightset", raise_exception=True)
def weight_new(request: HttpRequest, method: str) -> HttpResponse:
    if method not in FORMS:
        raise Http404(_("No such method: use swing, rank or ahp."))
    scenario = target_scenario(request)
    # ?from=<id>: start from a saved set's judgments (of the same method) to revisit them.
    source = WeightSet.objects.filter(pk=as_id(request.GET.get("from", "")) or 0, method=method).first()
    initial = {"name": _("Copy of %(name)s") % {"name": source.name},
               "name_es": (_("Copy of %(name)s") % {"name": source.name_es}) if source.name_es else "",
               **initial_for(method, source.judgments)} if source else None
    form = FORMS[method](request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        weight_set = services.create_weight_set(name=form.cleaned_data["name"], name_es=form.cleaned_data["name_es"],
                                                owner=request.user, method=method,
                                                judgments=form.judgments(), derived=form.derived, scenario=scenario)
        services.recompute_after([scenario.pk] if scenario else [])
        return redirect(scenario.get_absolute_url() if scenario else weight_set.get_absolute_url())
    return render(request, "weights/elicit.html", {"form": form, "method": Method(method), "scenario": scenario},
                  status=400 if request.method == "POST" else 200)


def weight_detail(request: HttpRequest, pk: int) -> HttpResponse:
    weight_set = get_object_or_404(WeightSet.objects.select_related("owner"), pk=pk)
    labels = dict(Category.choices)
    rows = [{"category": labels[c], "weight": 100 * weight_set.weights.get(c, 0)} for c in methods.CRITERIA]
    return render(request, "weights/detail.html", {
        "weight_set": weight_set, "rows": rows, "judgments": judgment_rows(weight_set),
        "participants": weight_set.participants.select_related("user"),
        "scenarios": weight_set.scenarios.order_by("-updated_at")[:20],
        # Someone else's set, or a workshop (it belongs to its one scenario), is not offered.
        "usable": request.user.has_perm("risks.add_scenario")
        and WeightSet.objects.usable_by(request.user).filter(pk=weight_set.pk).exists(),
        "history": weight_set.history.select_related("history_user")[:10]})


def judgment_rows(weight_set: WeightSet) -> list[dict]:
    """The judgments as a table: (category, rating | rank | typed weight), or AHP pairs."""
    labels, j = dict(Category.choices), weight_set.judgments
    if weight_set.method == Method.AHP and "pairs" in j:
        from weights.forms import show

        return [{"a": labels[a], "b": labels[b], "value": show(j["pairs"][methods.pair_key(a, b)])}
                for a, b in methods.PAIRS if methods.pair_key(a, b) in j["pairs"]]
    values = j.get("ratings") or j.get("ranks") or j.get("weights") or {}
    return [{"a": labels.get(c, c), "value": f"{v:g}" if isinstance(v, float) else v} for c, v in values.items()]


def workshop(request: HttpRequest, pk: int) -> HttpResponse:
    """A scenario's stakeholder workshop: participants' weights, their spread, the aggregate and
    each one's best option; the owner (or a curator) adds participants here."""
    scenario = get_object_or_404(Scenario.objects.select_related("weight_set"), pk=pk)
    weight_set = scenario.weight_set if services.is_workshop_of(scenario.weight_set, scenario) else None
    method = weight_set.method if weight_set else request.GET.get("method", Method.SWING)
    if method not in FORMS:
        method = Method.SWING
    editable = may_edit(request.user, scenario)
    form = FORMS[method](request.POST or None, participant=True, prefix="p")
    if request.method == "POST":
        if not editable:
            raise PermissionDenied(_("Only the scenario's owner or a curator adds workshop participants."))
        if weight_set and form.is_valid() and weight_set.participants.filter(label=form.cleaned_data["label"]).exists():
            form.add_error("label", _("This workshop already has a participant with that label."))
        if form.is_valid():
            weight_set = weight_set or services.workshop_for(scenario, method)
            services.recompute_after(services.save_participant(
                weight_set, None, label=form.cleaned_data["label"], user=form.cleaned_data.get("user"),
                judgments=form.judgments(), derived=form.derived))
            return redirect("weights:workshop", pk=scenario.pk)
    return render(request, "weights/workshop.html", {
        "scenario": scenario, "weight_set": weight_set, "form": form, "method": Method(method),
        "editable": editable, "methods": FORMS, **workshop_view(scenario, weight_set)},
        status=400 if request.method == "POST" else 200)


def workshop_scenario(weight_set: WeightSet) -> Scenario | None:
    """The scenario a workshop belongs to, when it is also its owner's (else None)."""
    scenario = weight_set.scenario
    return scenario if scenario is not None and scenario.owner_id == weight_set.owner_id else None


def may_run(user, weight_set: WeightSet) -> bool:
    """Add, change or remove a workshop's participants: its scenario's owner or a curator, checked
    on the scenario the workshop belongs to (never on some scenario that points at it)."""
    scenario = workshop_scenario(weight_set)
    return (scenario is not None and may_edit(user, scenario)) or user.is_superuser


def participant_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """A participant changes their own judgments (their account is linked), or the owner does."""
    participant = get_object_or_404(Participant.objects.select_related("weight_set__scenario"), pk=pk)
    weight_set = participant.weight_set
    scenario = workshop_scenario(weight_set)
    if not (participant.user_id == request.user.pk or may_run(request.user, weight_set)):
        raise PermissionDenied(_("Only this participant, or the scenario's owner, may change these judgments."))
    form = FORMS[weight_set.method](request.POST or None, participant=True, prefix="p", initial={
        "label": participant.label, "user": participant.user, **initial_for(weight_set.method, participant.judgments)})
    if request.method == "POST" and form.is_valid():
        if weight_set.participants.exclude(pk=participant.pk).filter(label=form.cleaned_data["label"]).exists():
            form.add_error("label", _("This workshop already has a participant with that label."))
        else:
            user = form.cleaned_data.get("user") if participant.user_id != request.user.pk else participant.user
            services.recompute_after(services.save_participant(
                weight_set, participant, label=form.cleaned_data["label"], user=user,
                judgments=form.judgments(), derived=form.derived))
            return redirect(reverse("weights:workshop", args=[scenario.pk]) if scenario else weight_set.get_absolute_url())
    return render(request, "weights/participant.html", {
        "participant": participant, "form": form, "method": Method(weight_set.method), "scenario": scenario},
        status=400 if request.method == "POST" else 200)


@require_POST
def participant_remove(request: HttpRequest, pk: int) -> HttpResponse:
    participant = get_object_or_404(Participant.objects.select_related("weight_set__scenario"), pk=pk)
    scenario = workshop_scenario(participant.weight_set)
    if scenario is None or not may_run(request.user, participant.weight_set):
        raise PermissionDenied(_("Only the scenario's owner or a curator removes workshop participants."))
    try:
        services.recompute_after(services.remove_participant(participant))
    except services.LastParticipantError:
        messages.error(request, _("A workshop keeps at least one participant. To use other weights, choose them "
                                  "in the scenario builder."))
    return redirect("weights:workshop", pk=scenario.pk)
