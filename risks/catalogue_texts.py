"""The catalogue's citations (risks/catalogue/citations.csv: which sources each factor, gate,
mode and data file rests on) and its Spanish texts (risks/catalogue/spanish.csv: factors', gates'
and modes' descriptions and mitigations, and, table "mission", the Spanish of a mission's notes on
its facts). Both fill what is empty and keep curators' edits, unless refresh is asked for."""

from __future__ import annotations

from missions.history import LOADED_REASON
from missions.models import DataFile, Mission
from risks.models import ContributionMode, Factor, SafeguardGate
from sources.catalogue import load_sources
from sources.models import Source

CITED_BY = {"factor": Factor, "gate": SafeguardGate, "mode": ContributionMode}


def load_citations_and_spanish(rows, refresh: bool = False) -> dict[str, int]:
    created = {"sources": load_sources(refresh), "citations": 0}
    sources = {s.key: s for s in Source.objects.all()}
    for row in rows("citations.csv"):
        model = CITED_BY.get(row["cited_by"])
        found = (model.objects.filter(code=row["code"]) if model
                 else DataFile.objects.filter(dataset=row["code"])).first()
        if found is None or (found.sources.exists() and not refresh):
            continue
        keys = [k for k in row["sources"].split("|") if k]
        unknown = sorted(set(keys) - set(sources))
        if unknown:
            raise ValueError(f"citations.csv: {row['cited_by']} {row['code']} cites unknown sources {unknown}")
        found.sources.set([sources[k] for k in keys])
        created["citations"] += len(keys)
    for row in rows("spanish.csv"):
        if row["table"] == "mission":  # a mission's notes on its facts (mission_facts.csv), keyed by acronym
            obj, fields = Mission.objects.filter(acronym=row["code"]).first(), {"description_es": "facts_note_es"}
        else:
            obj = CITED_BY[row["table"]].objects.filter(code=row["code"]).first()
            fields = {"description_es": "description_es", "mitigation_es": "mitigation_es"}
        if obj is None:
            continue
        changed = [f for column, f in fields.items()
                   if row.get(column) and hasattr(obj, f) and (refresh or not getattr(obj, f))
                   and getattr(obj, f) != row[column]]
        for column, f in fields.items():
            if f in changed:
                setattr(obj, f, row[column])
        if changed:
            obj._change_reason = LOADED_REASON  # the history says where the text came from
            obj.save()
    return created
