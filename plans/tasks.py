"""Thin Celery tasks for plans: ids in, plans.services does the work. The robustness re-solves
fan out as a chord over chunks of draws (more workers finish sooner); eager in-process without
a broker, like every task of the project."""

import logging

from celery import chord, group, shared_task
from kombu.exceptions import OperationalError

from plans import services
from risks.tasks import RETRY

log = logging.getLogger(__name__)
ROBUST_CHUNK = 25   # draws per chord task: 200 draws -> 8 tasks


class PlanBusyError(Exception):
    """Another worker is computing this plan: try again shortly (it may be an older edit's run)."""


@shared_task(bind=True, **{**RETRY, "autoretry_for": (*RETRY["autoretry_for"], PlanBusyError)})
def recompute_plan(self, plan_id: int) -> str:
    """One recomputation per plan at a time: a second one waits for the first (up to
    TASK_LEASE_SECONDS), then finds the result fresh and does nothing, or computes the newer
    parameters; if the first is still running it tries again later (on a worker) or says 'busy'
    (called in-process)."""
    result, outcome = services.recompute_plan(plan_id)
    if outcome == "busy":
        if self.request.called_directly or self.request.is_eager:
            return "busy"
        raise PlanBusyError(plan_id)
    if outcome == "computed" and result.status == "optimal":
        robustness_async(plan_id, result.fingerprint, result.run_id, result.robust_total)
    return result.status if outcome == "computed" else outcome


@shared_task(**RETRY)
def recompute_plans(plan_ids: list[int]) -> int:
    for plan_id in plan_ids:
        if services.Plan.objects.filter(pk=plan_id).exists():
            recompute_plan.delay(plan_id)
    return len(plan_ids)


@shared_task(**RETRY)
def robustness_chunk(plan_id: int, fingerprint: str, start: int, stop: int, run_id: int | None = None) -> dict:
    return services.robustness_chunk(plan_id, fingerprint, start, stop, run_id=run_id)


@shared_task(**RETRY)
def merge_robustness(chunks: list[dict], plan_id: int, fingerprint: str, run_id: int | None = None) -> str:
    return services.merge_robustness(chunks, plan_id, fingerprint, run_id=run_id)


@shared_task(**RETRY)
def sweep_stale_plans() -> str:
    """Every few minutes (beat): requeue plans left stale (a save while the broker was down) or
    whose robustness chord was lost."""
    ids = services.waiting()
    if ids:
        services.mark_stale(ids)
        recompute_plans.delay(ids)
    return f"queued {len(ids)} plans"


def robustness_async(plan_id: int, fingerprint: str, run_id: int, draws: int = services.ROBUST_DRAWS):
    parts = [(start, min(start + ROBUST_CHUNK, draws)) for start in range(0, draws, ROBUST_CHUNK)]
    return chord(group(robustness_chunk.s(plan_id, fingerprint, a, b, run_id=run_id) for a, b in parts))(
        merge_robustness.s(plan_id, fingerprint, run_id=run_id))


def enqueue_recompute(plan_ids: list[int]):
    """recompute_plans.delay(ids), or None when the broker is down (the results stay stale)."""
    try:
        return recompute_plans.delay(plan_ids)
    except (OperationalError, OSError) as exc:
        log.warning("broker unreachable, plans %r stay stale: %s", plan_ids, exc)
        return None
