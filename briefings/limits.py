"""How many briefings an account may export, and for how long their files are kept. A briefing
takes seconds of a worker and megabytes of disk: a burst of exports must neither fill the
documents queue nor the disk (issue 25, F5)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from risks.models import Briefing

WAITING = (Briefing.Status.PENDING, Briefing.Status.RUNNING)
# A briefing left waiting longer than this lost its task (the queue forgot it): it no longer counts.
WAITING_FOR = timedelta(hours=1)


def refusal(user) -> str | None:
    """Why this account may not export another briefing now, or None when it may."""
    now = timezone.now()
    recent = Briefing.objects.filter(created_at__gte=now - WAITING_FOR)
    waiting = recent.filter(status__in=WAITING)
    if waiting.filter(created_by=user).count() >= settings.BRIEFING_PENDING_MAX:
        return _("You already have %(n)d briefings waiting to be rendered: wait until they are ready, then "
                 "export again.") % {"n": settings.BRIEFING_PENDING_MAX}
    if recent.filter(created_by=user).count() >= settings.BRIEFING_EXPORTS_PER_HOUR:
        return _("You have exported %(n)d briefings in the last hour, the most one account may: try again "
                 "later.") % {"n": settings.BRIEFING_EXPORTS_PER_HOUR}
    if waiting.count() >= settings.BRIEFING_QUEUE_MAX:
        return _("Too many briefings are waiting to be rendered right now: export again in a few minutes.")
    return None


@transaction.atomic
def create_if_allowed(user, **fields) -> tuple[Briefing | None, str | None]:
    """Create the briefing unless refusal() says no; two exports of one account at the same time
    are counted one after the other (the account's row is locked)."""
    get_user_model().objects.select_for_update().filter(pk=user.pk).first()
    why = refusal(user)
    if why:
        return None, why
    return Briefing.objects.create(created_by=user, **fields), None


def purge_old(days: int | None = None) -> int:
    """Delete the briefings (rows and files) created more than `days` ago (BRIEFING_RETENTION_DAYS);
    returns how many. Ones still waiting are left alone."""
    days = settings.BRIEFING_RETENTION_DAYS if days is None else days
    old = Briefing.objects.filter(created_at__lt=timezone.now() - timedelta(days=days)).exclude(status__in=WAITING)
    count = 0
    for briefing in old.iterator():
        if briefing.file:
            briefing.file.delete(save=False)
        briefing.delete()
        count += 1
    return count
