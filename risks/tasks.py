"""Thin Celery tasks: ids in, the services do the work. Idempotent, retried, acked late."""

from celery import chord, group, shared_task
from django.db import DatabaseError

from risks import services

RETRY = {"autoretry_for": (DatabaseError, ConnectionError), "retry_backoff": True, "max_retries": 5,
         "acks_late": True, "reject_on_worker_lost": True}
GRID_CHUNK_MISSIONS = 20


@shared_task(**RETRY)
def recompute_scenario(scenario_id: int) -> str:
    return services.recompute_scenario(scenario_id)


@shared_task(bind=True, **RETRY)
def recompute_many(self, scenario_ids: list[int]) -> dict:
    """Recompute several scenarios one by one, reporting progress a page can poll."""
    outcome = {"updated": 0, "unchanged": 0, "missing": 0}
    for done, scenario_id in enumerate(scenario_ids, start=1):
        try:
            outcome[services.recompute_scenario(scenario_id)] += 1
        except services.Scenario.DoesNotExist:
            outcome["missing"] += 1
        self.update_state(state="PROGRESS", meta={"done": done, "total": len(scenario_ids)})
    return outcome


@shared_task(**RETRY)
def score_grid_chunk(acronyms: list[str], fingerprint: str) -> str:
    """Score the options of some missions; returns them as CSV for the merge step."""
    inputs = services.read_inputs()
    if inputs.fingerprint != fingerprint:
        raise services.StaleInputsError(fingerprint)
    return services.score_grid(inputs, acronyms).to_csv(index=False)


@shared_task(**RETRY)
def merge_grid(chunks: list[str], fingerprint: str) -> int:
    return services.merge_and_store_grid(chunks, fingerprint)


@shared_task(**RETRY)
def recompute_everything() -> str:
    """The nightly safety net (beat): refresh the grid and any stale or outdated scenario."""
    recompute_grid_async()
    ids = list(services.Scenario.objects.values_list("id", flat=True))
    recompute_many.delay(ids)
    return f"queued the grid and {len(ids)} scenarios"


def recompute_grid_async(chunk_missions: int = GRID_CHUNK_MISSIONS):
    """Fan the full grid out in chunks of missions (more workers finish sooner), then merge."""
    inputs = services.read_inputs()
    acronyms = sorted(inputs.missions.index)
    chunks = [acronyms[i:i + chunk_missions] for i in range(0, len(acronyms), chunk_missions)]
    return chord(group(score_grid_chunk.s(c, inputs.fingerprint) for c in chunks))(
        merge_grid.s(inputs.fingerprint))


@shared_task(bind=True, **RETRY)
def render_briefing(self, briefing_id: int) -> str:
    """Render one briefing, reporting progress (charts done / total) for the page to poll."""
    return services.render_briefing(
        briefing_id, progress=lambda done, total: self.update_state(state="PROGRESS",
                                                                    meta={"done": done, "total": total}))
