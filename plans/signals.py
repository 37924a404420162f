"""Plans follow the risk model: when risks.services reports changed inputs, every plan's result
is marked stale now and recomputed (a Celery task) once the change is committed."""

from django.db import transaction
from django.dispatch import receiver

from risks.services import inputs_changed_signal


@receiver(inputs_changed_signal)
def plans_follow_the_inputs(sender, **kwargs) -> None:
    from plans import services, tasks

    ids = services.mark_stale()
    if ids:
        transaction.on_commit(lambda: tasks.enqueue_recompute(ids))
