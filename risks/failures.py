"""One scenario's failure stays with that scenario: recompute it, and when its own data makes the
computation fail (a weight that is not a number, no missions), record why on the scenario and
carry on. Failures of the database or the network are not the scenario's fault: they propagate,
and the task retries."""

import logging

from django.db import InterfaceError, OperationalError

from risks import services
from risks.models import Scenario

log = logging.getLogger(__name__)

TRANSIENT = (OperationalError, InterfaceError, ConnectionError)
REASON_MAX_LENGTH = Scenario._meta.get_field("computation_error").max_length


def reason(exc: Exception) -> str:
    return f"{type(exc).__name__}: {exc}"[:REASON_MAX_LENGTH]


def recompute_or_record(scenario_id: int) -> str:
    """services.recompute_scenario, isolated: 'updated', 'unchanged', 'missing' (deleted since),
    or 'failed' with the reason in Scenario.computation_error (cleared again by a success)."""
    try:
        outcome = services.recompute_scenario(scenario_id)
    except Scenario.DoesNotExist:
        return "missing"
    except TRANSIENT:
        raise
    except Exception as exc:
        log.exception("scenario %s could not be computed", scenario_id)
        Scenario.objects.filter(pk=scenario_id).update(computation_error=reason(exc))
        return "failed"
    Scenario.objects.filter(pk=scenario_id).exclude(computation_error="").update(computation_error="")
    return outcome


def failed_scenarios() -> set[int]:
    return set(Scenario.objects.exclude(computation_error="").values_list("pk", flat=True))
