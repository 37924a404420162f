"""Thin Celery tasks: ids in, the services do the work. Idempotent, retried, acked late."""

import logging

from celery import chord, group, shared_task
from celery.result import AsyncResult
from django.db import DatabaseError
from kombu.exceptions import OperationalError

from risks import edits, failures, services

log = logging.getLogger(__name__)

RETRY = {"autoretry_for": (DatabaseError, ConnectionError), "retry_backoff": True, "max_retries": 5,
         "acks_late": True, "reject_on_worker_lost": True}
GRID_CHUNK_MISSIONS = 20
BUSY_RETRY_SECONDS = 5


@shared_task(**RETRY)
def recompute_scenario(scenario_id: int) -> str:
    return failures.recompute_or_record(scenario_id)


@shared_task(bind=True, **RETRY)
def recompute_many(self, scenario_ids: list[int]) -> dict:
    """Recompute several scenarios one by one, reporting progress a page can poll. A scenario
    whose own data fails the computation is marked failed, with the reason, and the next goes on."""
    outcome = {"updated": 0, "unchanged": 0, "missing": 0, "failed": 0}  # and "superseded", "busy" when any
    busy = []
    for done, scenario_id in enumerate(scenario_ids, start=1):
        said = failures.recompute_or_record(scenario_id)
        outcome[said] = outcome.get(said, 0) + 1
        if said == "busy":
            busy.append(scenario_id)
        self.update_state(state="PROGRESS", meta={"done": done, "total": len(scenario_ids)})
    # Another worker is computing these (perhaps for parameters a save has since changed): look
    # again shortly, when it is done; a fresh result then costs one read of the inputs.
    if busy and not (self.request.is_eager or self.request.called_directly):
        try:
            recompute_many.apply_async((busy,), countdown=BUSY_RETRY_SECONDS)
        except (OperationalError, OSError) as exc:
            log.warning("broker unreachable, scenarios %r left for the sweeper: %s", busy, exc)
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
    options = services.merge_and_store_grid(chunks, fingerprint)
    inputs = services.read_inputs()
    if inputs.fingerprint == fingerprint:  # what the next refresh_grid starts from
        edits.remember_digests(inputs)
    return options


@shared_task(**RETRY)
def refresh_grid() -> str:
    """After an edit: score again only the missions whose inputs changed (risks.edits); when most
    did, or there is no stored grid to start from, fan the whole grid out in chunks."""
    inputs = services.read_inputs()
    if services.GridRun.objects.filter(fingerprint=inputs.fingerprint).exists():
        return "fresh"
    run, changed, digests = edits.changed_missions(inputs)
    if changed is None or len(changed) > len(inputs.missions) // 2:
        recompute_grid_async()
        return "queued the whole grid"
    how, scored = edits.splice(inputs, run, changed, digests)
    return f"{how}: {scored} missions scored"


@shared_task(**RETRY)
def recompute_everything() -> str:
    """The nightly safety net (beat): refresh the grid and any stale or outdated scenario."""
    recompute_grid_async()
    ids = list(services.Scenario.objects.values_list("id", flat=True))
    recompute_many.delay(ids)
    return f"queued the grid and {len(ids)} scenarios"


@shared_task(**RETRY)
def sweep_stale() -> str:
    """Every minute (beat): queue whatever is stale and not already on its way. A save whose
    task could not be published (broker down) left its results stale; this picks them up.
    Scenarios whose last computation failed on their own data wait for a save (or the nightly
    run): trying them every minute would fail every minute."""
    failed = failures.failed_scenarios()
    ids = [pk for pk in services.stale_scenarios() if pk not in failed]
    grid = services.grid_outdated()
    if not ids and not grid:
        return "nothing stale"
    if services.recomputation_in_flight() or queue_length() > 0:
        return "a recomputation is already queued or running"
    if grid:
        recompute_grid_async()
    if ids:
        recompute_many.delay(ids)
    return f"queued {'the grid and ' if grid else ''}{len(ids)} scenarios"


def queue_length() -> int:
    """Messages waiting in the default queue (the sweeper leaves them to the workers)."""
    from pkoanalysis.celery import app

    with app.connection_for_read() as conn:
        return conn.default_channel.queue_declare(app.conf.task_default_queue).message_count


def enqueue(task, *args) -> AsyncResult | None:
    """task.delay(*args), or None when the broker cannot be reached (after the short retry
    policy in settings): the save that called it still succeeds, its results stay stale and
    sweep_stale queues them once the broker is back."""
    try:
        return task.delay(*args)
    except (OperationalError, OSError) as exc:
        log.warning("broker unreachable, %s%r left for the sweeper: %s", task.name, args, exc)
        return None


def enqueue_grid() -> AsyncResult | None:
    """refresh_grid.delay(), or None when the broker cannot be reached (see enqueue)."""
    try:
        return refresh_grid.delay()
    except (OperationalError, OSError) as exc:
        log.warning("broker unreachable, the option grid is left for the sweeper: %s", exc)
        return None


def recompute_grid_async(chunk_missions: int = GRID_CHUNK_MISSIONS):
    """Fan the full grid out in chunks of missions (more workers finish sooner), then merge."""
    inputs = services.read_inputs()
    acronyms = sorted(inputs.missions.index)
    chunks = [acronyms[i:i + chunk_missions] for i in range(0, len(acronyms), chunk_missions)]
    return chord(group(score_grid_chunk.s(c, inputs.fingerprint) for c in chunks))(
        merge_grid.s(inputs.fingerprint))
