"""The briefing task (thin: an id in, briefings.service does the work)."""

from celery import shared_task

from briefings import limits, service
from risks.tasks import RETRY


@shared_task(bind=True, **RETRY)
def render_briefing(self, briefing_id: int) -> str:
    """Render one briefing, reporting progress (charts done / total) for the page to poll."""
    return service.render_briefing(
        briefing_id, progress=lambda done, total: self.update_state(state="PROGRESS",
                                                                    meta={"done": done, "total": total}))


@shared_task(**RETRY)
def purge_old_briefings() -> int:
    """Daily (beat): delete briefings older than BRIEFING_RETENTION_DAYS, files included."""
    return limits.purge_old()
