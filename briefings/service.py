"""Render a queued briefing and keep its file with the scenario; start it in a thread when
there is no broker (the web worker answers at once and the page polls the progress)."""

from __future__ import annotations

import logging
import threading

from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import close_old_connections
from django.utils.translation import override

from briefings.data import briefing_data
from briefings.exporters import EXPORTERS

log = logging.getLogger(__name__)
PROGRESS_SECONDS = 3600


def progress_key(briefing_id: int) -> str:
    return f"briefings:progress:{briefing_id}"


def render_briefing(briefing_id: int, progress=None) -> str:
    """Returns the briefing's status. Progress (charts done / total) goes to `progress` and to
    the cache, where the briefing's progress URL reads it."""
    from risks.models import Briefing

    briefing = Briefing.objects.select_related("scenario__mode", "scenario__owner").get(pk=briefing_id)
    if briefing.status == Briefing.Status.DONE and briefing.file:
        return briefing.status
    Briefing.objects.filter(pk=briefing.pk).update(status=Briefing.Status.RUNNING)

    def report(done: int, total: int) -> None:
        cache.set(progress_key(briefing.pk), {"done": done, "total": total}, PROGRESS_SECONDS)
        if progress:
            progress(done, total)

    try:
        with override(briefing.language):
            data = briefing_data(briefing.scenario, language=briefing.language)
        exporter = EXPORTERS[briefing.format](data, paper=briefing.paper, client=briefing.client,
                                              firm=briefing.firm, progress=report)
        export = exporter.render()
    except Exception as exc:
        Briefing.objects.filter(pk=briefing.pk).update(status=Briefing.Status.FAILED, error=str(exc)[:2000])
        raise
    # One folder per briefing: the file keeps its meaningful name (no storage suffix) and the
    # download sends that name.
    briefing.file.save(f"{briefing.pk}/{export.filename}", ContentFile(export.content), save=False)
    briefing.fingerprint = data.result["fingerprint"]
    briefing.data_date = data.data_date
    briefing.was_stale = data.stale
    briefing.status = Briefing.Status.DONE
    briefing.save()
    return briefing.status


def render_in_thread(briefing_id: int) -> threading.Thread:
    """Without a broker: render in a background thread of this process, so the request that
    queued it returns at once. A failure is recorded on the briefing (status failed, error)."""

    def run() -> None:
        close_old_connections()
        try:
            render_briefing(briefing_id)
        except Exception:  # noqa: BLE001 - recorded on the briefing; a thread has no caller to tell
            log.exception("briefing %s failed", briefing_id)
        finally:
            close_old_connections()

    thread = threading.Thread(target=run, name=f"briefing-{briefing_id}", daemon=True)
    thread.start()
    return thread
