"""Thin Celery tasks of the missions app: ids in, missions.releases does the work."""

from celery import shared_task
from django.db import DatabaseError

from missions import releases


@shared_task(bind=True, autoretry_for=(DatabaseError, ConnectionError), retry_backoff=True, max_retries=3,
             acks_late=True, reject_on_worker_lost=True)
def preview_release(self, release_id: int) -> str:
    """Parse an uploaded release into its preview, reporting progress (percent) for the page."""
    return releases.preview(release_id, progress=lambda percent: self.update_state(
        state="PROGRESS", meta={"done": percent, "total": 100}))
