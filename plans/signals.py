"""Plans follow the risk model: when risks.services reports changed inputs, the plans they affect
are marked stale now and recomputed (a Celery task) once the change is committed: every plan, or,
when only some missions' facts changed, the plans that include one of them (in their portfolio,
or as a mission they must include or leave out)."""

from django.dispatch import receiver

from pkoanalysis import background
from risks.services import inputs_changed_signal


@receiver(inputs_changed_signal)
def plans_follow_the_inputs(sender, missions=None, **kwargs) -> None:
    from plans import services, tasks

    ids = services.mark_stale(None if missions is None else including(missions))
    if ids:
        background.after_commit(lambda: tasks.enqueue_recompute(ids), f"{len(ids)} plans")


def including(missions: list[int]) -> list[int]:
    """Ids of the plans whose portfolio, required or excluded missions hold one of `missions`."""
    from missions.models import Mission
    from plans.models import Plan, PlanResult

    acronyms = set(Mission.objects.filter(pk__in=missions).values_list("acronym", flat=True))
    listed = set(Plan.objects.filter(required_missions__in=missions).values_list("pk", flat=True)) | set(
        Plan.objects.filter(excluded_missions__in=missions).values_list("pk", flat=True))
    chosen = {plan_id for plan_id, data in PlanResult.objects.values_list("plan_id", "data")
              if acronyms & {option.get("mission") for option in (data or {}).get("options", [])}}
    return sorted(listed | chosen)
