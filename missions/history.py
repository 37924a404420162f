"""History rows for what loading wrote, so a curator's first edit shows exactly its own changes.

The importer and the catalogue loader write curated rows in bulk (bulk_create, update(), the
through table of a many-to-many field): no signal fires, so simple_history writes nothing, and the
admin's history then has no earlier state to compare a curator's edit with. At the end of a load,
`record_loaded_state` gives every curated row whose newest history row does not hold its current
state (or that has none) one row that does, many-to-many fields included (simple_history's
`bulk_history_create` leaves those out; its `create_historical_record` writes them one row at a
time, through the same tables written here in bulk).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Max
from django.utils import timezone
from simple_history.utils import get_history_model_for_model, get_m2m_field_name, get_m2m_reverse_field_name

LOADED_REASON = "loaded from the shipped file"


def record_loaded_state(models: Iterable, reason: str = LOADED_REASON, pks: Iterable | None = None) -> int:
    """For each model (with pks, only those rows): one history row per row whose state its newest
    history row does not hold. Returns how many rows were written."""
    return sum(record_model(model, reason, pks) for model in models)


def record_model(model, reason: str, pks: Iterable | None = None) -> int:
    history = get_history_model_for_model(model)
    key = model._meta.pk.attname
    objects = model._default_manager.all() if pks is None else model._default_manager.filter(pk__in=list(pks))
    objects = {getattr(obj, key): obj for obj in objects}
    if not objects:
        return 0
    tracked = [f.attname for f in history.tracked_fields]
    m2m_fields = list(history._history_m2m_fields)
    last_ids = (history.objects.filter(**{f"{key}__in": list(objects)}).values(key)
                .annotate(last=Max("history_id")).values_list("last", flat=True))
    latest = {getattr(row, key): row for row in history.objects.filter(history_id__in=list(last_ids))}
    now = {field.name: links_now(field, objects) for field in m2m_fields}
    then = {field.name: links_recorded(history, field, [row.history_id for row in latest.values()])
            for field in m2m_fields}

    def holds(pk) -> bool:
        row = latest.get(pk)
        return row is not None and all(getattr(row, name) == getattr(objects[pk], name) for name in tracked) and all(
            {link[-1] for link in then[f.name].get(row.history_id, [])} == {link[-1] for link in now[f.name][pk]}
            for f in m2m_fields)

    stale = [pk for pk in objects if not holds(pk)]
    when = timezone.now()
    rows = history.objects.bulk_create([
        history(history_date=when, history_type="~" if pk in latest else "+", history_user=None,
                history_change_reason=reason, **{name: getattr(objects[pk], name) for name in tracked})
        for pk in stale])
    for field in m2m_fields:
        links = getattr(history, field.name).model
        through = field.remote_field.through
        source, target = (through._meta.get_field(get_m2m_field_name(field)).attname,
                          through._meta.get_field(get_m2m_reverse_field_name(field)).attname)
        links.objects.bulk_create([
            links(history_id=row.history_id, id=through_id, **{source: getattr(row, key), target: other})
            for row in rows for through_id, other in now[field.name][getattr(row, key)]])
    return len(rows)


def links_now(field, objects: dict) -> dict:
    """{object pk: [(through row id, related pk), ...]} from the field's through table."""
    through = field.remote_field.through
    source, target = get_m2m_field_name(field), get_m2m_reverse_field_name(field)
    links = defaultdict(list)
    for through_id, pk, other in through.objects.filter(**{f"{source}__in": list(objects)}).values_list(
            "id", f"{source}_id", f"{target}_id"):
        links[pk].append((through_id, other))
    return {pk: links.get(pk, []) for pk in objects}


def links_recorded(history, field, history_ids: list[int]) -> dict:
    """{history row id: [(related pk,), ...]} as the history rows recorded the field."""
    links = getattr(history, field.name).model
    target = get_m2m_reverse_field_name(field)
    recorded = defaultdict(list)
    for history_id, other in links.objects.filter(history_id__in=history_ids).values_list(
            "history_id", f"{target}_id"):
        recorded[history_id].append((other,))
    return recorded
