"""Saving weight sets and workshops, keeping the scenarios that use them in step, and asking the
engine which option each participant's weights would recommend."""

from __future__ import annotations

import hashlib
import json

import numpy as np
from django.core.cache import cache
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from risks import services as risk_services
from risks.engine import evaluate as engine_evaluate
from risks.engine import gates
from risks.models import Scenario
from weights import methods
from weights.models import Participant, WeightSet


def store_derived(target, judgments: dict, derived: methods.Derived) -> None:
    target.judgments, target.weights, target.consistency_ratio = judgments, derived.weights, derived.cr


@transaction.atomic
def create_weight_set(*, name: str, owner, method: str, judgments: dict, derived: methods.Derived,
                      scenario: Scenario | None = None, name_es: str = "") -> WeightSet:
    # Made for a scenario (by its owner or a curator): the set is the scenario owner's to use.
    weight_set = WeightSet(name=name, name_es=name_es, owner=scenario.owner if scenario is not None else owner,
                           method=method)
    store_derived(weight_set, judgments, derived)
    weight_set.save()
    if scenario is not None:
        use_in(scenario, weight_set)
    return weight_set


def use_in(scenario: Scenario, weight_set: WeightSet) -> None:
    """The scenario takes the set's weights (rescaled: the largest category at 100%)."""
    scenario.weight_set = weight_set
    scenario.category_weights = methods.model_weights(weight_set.weights)
    if weight_set.factor_weights:
        scenario.factor_weights = weight_set.factor_weights
    scenario.computation_error = ""
    scenario.save()
    risk_services.mark_stale([scenario.pk])  # the caller queues the recomputation (recompute_after)


def recompute_after(scenario_ids: list[int]) -> None:
    """Queue the recomputation of scenarios whose weights changed (call after the atomic save);
    with the broker down the results stay stale and the sweeper requeues them."""
    from risks import tasks  # tasks import services: late import keeps the dependency one-way

    if scenario_ids:
        tasks.enqueue(tasks.recompute_many, scenario_ids)


@transaction.atomic
def save_participant(weight_set: WeightSet, participant: Participant | None, *, label: str, user,
                     judgments: dict, derived: methods.Derived) -> list[int]:
    """Add or change one participant, re-aggregate the workshop and update its scenarios (all
    or nothing). Returns the ids of the scenarios to recompute."""
    participant = participant or Participant(weight_set=weight_set)
    participant.label, participant.user = label, user
    store_derived(participant, judgments, derived)
    participant.save()
    return reaggregate(weight_set)


class LastParticipantError(Exception):
    """A workshop keeps at least one participant (its weights are theirs)."""


@transaction.atomic
def remove_participant(participant: Participant) -> list[int]:
    """Remove one participant and re-aggregate; returns the scenarios to recompute."""
    weight_set = WeightSet.objects.select_for_update().get(pk=participant.weight_set_id)
    if weight_set.participants.count() <= 1:
        raise LastParticipantError
    participant.delete()
    return reaggregate(weight_set)


def reaggregate(weight_set: WeightSet) -> list[int]:
    weight_set = WeightSet.objects.select_for_update().get(pk=weight_set.pk)
    judgments = [p.judgments for p in weight_set.participants.all()]
    if judgments:
        group, derived = methods.aggregate(weight_set.method, judgments)
        store_derived(weight_set, group, derived)
        weight_set.version += 1
        weight_set.save()
    # Only the workshop's own scenario follows it (a row pointed at it before that rule does not).
    scenarios = list(Scenario.objects.filter(weight_set=weight_set, pk=weight_set.scenario_id))
    for scenario in scenarios:
        use_in(scenario, weight_set)
    return [s.pk for s in scenarios]


@transaction.atomic
def workshop_for(scenario: Scenario, method: str) -> WeightSet:
    """The scenario's workshop weight set, created (and used by the scenario) on first need. It
    belongs to this scenario and its owner, whoever (the owner or a curator) runs it."""
    current = scenario.weight_set
    if is_workshop_of(current, scenario):
        return current
    # Named in both languages, whichever the page that started it was in.
    with translation.override("en"):
        name = (_("Workshop: %(name)s") % {"name": scenario.name})[:150]
    with translation.override("es"):
        name_es = (_("Workshop: %(name)s") % {"name": scenario.name_es or scenario.name})[:150]
    weight_set = WeightSet.objects.create(name=name, name_es=name_es, owner=scenario.owner, scenario=scenario, method=method,
                                          judgments={}, weights={c: 1 / len(methods.CRITERIA)
                                                                 for c in methods.CRITERIA})
    scenario.weight_set = weight_set
    scenario.save(update_fields=["weight_set"])
    return weight_set


def is_workshop_of(weight_set: WeightSet | None, scenario: Scenario) -> bool:
    """The set is this scenario's own workshop (with participants): never someone else's set that
    the scenario happens to point at."""
    return (weight_set is not None and weight_set.scenario_id == scenario.pk
            and weight_set.owner_id == scenario.owner_id and weight_set.participants.exists())


def best_options(scenario: Scenario, weight_vectors: dict[str, dict[str, float]]) -> dict[str, dict]:
    """For each named weight vector (normalised, by category): the best admissible chosen
    mission of the scenario under those weights, as the scenario page ranks them (gates,
    deal-breakers, then the scenario's method), with the same inputs, seed and draws. Cached
    per input fingerprint and weights. {name: {"mission", "net", "admissible"} or None}."""
    params = risk_services.scenario_parameters(scenario)
    inputs = risk_services.read_inputs(params)
    digest = hashlib.sha256(json.dumps([params, weight_vectors], sort_keys=True, default=str).encode()).hexdigest()
    key = f"weights:best:{inputs.fingerprint}:{digest}"
    found = cache.get(key)
    if found is not None:
        return found
    grid, acronyms, _masks = risk_services.scenario_grid(inputs, params)
    verdict, _reasons, outlives = risk_services.judge(inputs, grid, frozenset(params["strict_gates"]))
    chosen = np.isin(acronyms, params["missions"])
    found = {}
    for name, weights in weight_vectors.items():
        w = risk_services.weights_for(inputs.factors, methods.model_weights(weights), params["factor_weights"],
                                      risk_services.prices_of(params))
        result = engine_evaluate.evaluate(
            inputs.factors, grid, w, inputs.modes, feasible=verdict < gates.INFEASIBLE,
            dealbreakers=risk_services.dealbreakers_of(scenario), outlives_mandate=outlives,
            method=params["aggregation"], draws=risk_services.DRAWS, seed=risk_services.SEED, acceptability=False)
        candidates = np.flatnonzero(chosen & result.admissible)
        if len(candidates):
            i = int(candidates[np.argmax(result.by[candidates])])
            found[name] = {"mission": acronyms[i], "net": float(result.scores.net[i]),
                           "stay_home": bool(result.by[i] <= result.baseline)}
        else:
            found[name] = None
    cache.set(key, found, 6 * 3600)
    return found
