"""Load the shipped risk-model catalogue (modes, factors, correlations, gates, mission facts)."""

from __future__ import annotations

import csv
from pathlib import Path

from django.db import transaction
from django.db.models import F

from missions.history import record_loaded_state
from missions.models import MandateFunction, Mission
from risks.catalogue_texts import load_citations_and_spanish
from risks.engine.gates import GATES
from risks.models import (
    ContributionMode,
    Factor,
    FactorCorrelation,
    FactorFunctionEffect,
    FactorModeEffect,
    SafeguardGate,
)
from sources.models import Source

CATALOGUE_DIR = Path(__file__).resolve().parent / "catalogue"
MODE_COLUMNS = {
    "national_contingent": "mode_national_contingent",
    "private_military_company": "mode_private_military_company",
    "mixed_contingent": "mode_mixed_contingent",
    "individual": "mode_individual",
    "civilian": "mode_civilian",
}
FACTOR_FIELDS = [
    "kind", "category", "name_en", "name_es", "source", "description", "quantity", "mitigation",
    "likelihood_low", "likelihood_mode", "likelihood_high", "impact_low", "impact_mode", "impact_high",
    "hostility_effect", "chapter_vii_effect", "spanish_host_effect", "latam_presence_effect", "duration_effect",
]
# The mandate's end, finality and source follow from the Security Council's decisions
# (data/curated/mandate_decisions.csv, missions.decisions), not from this file.
FACT_FIELDS = ["host_consent", "facts_note", "facts_source"]


def rows(name: str) -> list[dict[str, str]]:
    with open(CATALOGUE_DIR / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def frame_facts() -> list[dict[str, str]]:
    """Mexico's legal and policy frame (risks/catalogue/frame.csv): one cited, dated fact a row,
    with the gate it informs and, where it concerns one mission, that mission's acronym."""
    return rows("frame.csv")


def partner_precedents() -> list[dict[str, str]]:
    """Mexico's own elements embedded in another country's unit (risks/catalogue/partners.csv),
    cited: the partner a mixed contingent names first in that mission."""
    return rows("partners.csv")


def truth(value: str) -> bool:
    return value.strip().lower() in ("true", "1", "yes")


@transaction.atomic
def load_catalogue(refresh: bool = False) -> dict[str, int]:
    """Create the modes, gates, factors, correlations and mission facts that are missing (all
    of them with refresh). Curators' edits are kept unless refresh is asked for. Gates whose
    rule no longer exists in the engine are removed. Returns created counts."""
    created = {"modes": 0, "gates": 0, "factors": 0, "correlations": 0, "mission facts": 0}
    for row in rows("modes.csv"):
        values = {k: row[k] for k in ("name_en", "name_es", "description", "source", "hazard_group")}
        values.update({k: float(row[k]) for k in ("command_accountability", "legal_precedent", "readiness")})
        values.update({k: int(row[k]) for k in ("cost_per_person_month_usd", "un_reimbursement_usd", "order",
                                                 "cost_low_usd", "cost_high_usd", "default_size")})
        values["reimbursed"] = truth(row["reimbursed"])
        is_new = upsert(ContributionMode, row["code"], values, refresh)
        created["modes"] += is_new
        if is_new or refresh:
            ContributionMode.objects.get(code=row["code"]).functions.set(
                MandateFunction.objects.filter(code__in=[c for c in row["functions"].split("|") if c]))
    SafeguardGate.objects.exclude(code__in=GATES).delete()
    for row in rows("gates.csv"):
        values = {k: row[k] for k in ("name_en", "name_es", "description", "source", "action_en", "action_es")}
        created["gates"] += upsert(SafeguardGate, row["code"], values, refresh)

    modes = {m.code: m for m in ContributionMode.objects.all()}
    functions = {f.code: f for f in MandateFunction.objects.all()}
    for row in rows("factors.csv"):
        values = {k: (float(row[k]) if k.endswith(("_low", "_mode", "_high", "_effect")) else row[k])
                  for k in FACTOR_FIELDS}
        values["size_scaled"] = truth(row["size_scaled"])
        is_new = upsert(Factor, row["code"], values, refresh)
        created["factors"] += is_new
        factor = Factor.objects.get(code=row["code"])
        if not (is_new or refresh):
            # A mode added since the factor was loaded (civilian experts) gets its shipped multiplier;
            # without it the engine would read 1, every factor at full strength for that mode.
            have = set(factor.mode_effects.values_list("mode__code", flat=True))
            FactorModeEffect.objects.bulk_create([
                FactorModeEffect(factor=factor, mode=modes[code], multiplier=float(row[column]))
                for code, column in MODE_COLUMNS.items() if code not in have and code in modes and row.get(column)
            ])
            continue
        factor.mode_effects.all().delete()
        FactorModeEffect.objects.bulk_create([
            FactorModeEffect(factor=factor, mode=modes[code], multiplier=float(row[column]))
            for code, column in MODE_COLUMNS.items()
        ])
        factor.function_effects.all().delete()
        effects = [item.split(":") for item in row["function_effects"].split("|") if item]
        FactorFunctionEffect.objects.bulk_create([
            FactorFunctionEffect(factor=factor, function=functions[code], multiplier=float(value))
            for code, value in effects if code in functions
        ])
    factors = {f.code: f for f in Factor.objects.all()}
    for row in rows("correlations.csv"):
        a, b = factors.get(row["factor_a"]), factors.get(row["factor_b"])
        if a is None or b is None:
            continue
        pair = FactorCorrelation.objects.filter(factor_a=a, factor_b=b).first()
        if pair is None:
            FactorCorrelation.objects.create(factor_a=a, factor_b=b, rho=float(row["rho"]), source=row["source"])
            created["correlations"] += 1
        elif refresh:
            pair.rho, pair.source = float(row["rho"]), row["source"]
            pair.save()
    for row in rows("mission_facts.csv"):
        missions = Mission.objects.filter(acronym=row["acronym"])
        if not refresh:
            missions = missions.filter(facts_source="")
        values = {k: row[k] for k in FACT_FIELDS}
        values.update(ceasefire_agreement=truth(row["ceasefire_agreement"]),
                      impartiality_concern=truth(row["impartiality_concern"]))
        created["mission facts"] += missions.update(**values, version=F("version") + 1)
    created.update(load_citations_and_spanish(rows, refresh))
    # Bulk writes (effects, mission facts) leave no history: record what was loaded, so a
    # curator's first edit shows only its own changes.
    record_loaded_state([ContributionMode, SafeguardGate, Factor, FactorModeEffect, FactorFunctionEffect,
                         FactorCorrelation, Mission, Source])
    return created


def upsert(model, code: str, values: dict, refresh: bool) -> int:
    obj = model.objects.filter(code=code).first()
    if obj is None:
        model.objects.create(code=code, **values)
        return 1
    if refresh:
        for name, value in values.items():
            setattr(obj, name, value)
        obj.save()
    return 0
