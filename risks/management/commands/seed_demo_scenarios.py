"""Demo scenarios, so a first visit shows computed dashboards rather than an empty list."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from missions.models import Deployment, MandateFunction, Mission
from pkoanalysis.bilingual import both
from risks import services
from risks.builder import preset_missions
from risks.engine import feasibility
from risks.forms import offered_missions
from risks.models import Category, ContributionMode, Scenario
from risks.presets import PRESETS
from weights.models import WeightSet


def mexicos_current_missions() -> list[Mission]:
    """Open missions where the latest UN report shows Mexican uniformed personnel."""
    latest = Deployment.objects.filter(country__iso3="MEX", mission__isnull=False).order_by("-month").first()
    if latest is None:
        return []
    acronyms = (Deployment.objects.filter(country__iso3="MEX", month=latest.month, total__gt=0)
                .values_list("mission__acronym", flat=True))
    return list(offered_missions().filter(acronym__in=set(acronyms), functions__isnull=False).distinct())


def demo_scenarios() -> list[dict]:
    today = mexicos_current_missions()
    today_functions = MandateFunction.objects.filter(missions__in=today).distinct()
    # Names and notes in English and Spanish (name / name_es, notes / notes_es).
    name, name_es = both(_("Today: individual deployments where Mexico serves"))
    notes, notes_es = both(_("Mexico's actual pattern since 2015: staff officers, observers and police in the "
                             "missions of the latest UN report."))
    scenarios = [{
        "name": name, "name_es": name_es, "notes": notes, "notes_es": notes_es,
        "mode": "individual", "missions": today, "functions": list(today_functions), "size": 10,
        "duration_months": 12, "category_weights": {}, "strict_gates": [], "preset": "",
    }]
    for code, preset in PRESETS.items():
        functions = list(MandateFunction.objects.filter(code__in=preset["functions"]))
        name, name_es = both(preset["name"])
        notes, notes_es = both(preset["description"])
        scenarios.append({
            "name": name, "name_es": name_es, "notes": notes, "notes_es": notes_es,
            "mode": preset["mode"], "functions": functions,
            # as the builder starts the preset: where its option is not ruled out by its own rules
            "missions": preset_missions(preset, list(offered_missions().filter(functions__in=functions).distinct()))[0],
            "size": preset["size"], "duration_months": preset["duration_months"],
            "dealbreakers": preset.get("dealbreakers", {}),
            "category_weights": preset["category_weights"], "strict_gates": preset["strict_gates"],
            "preset": code,
        })
    return scenarios


def where_it_can_exist(spec: dict) -> list[Mission]:
    """The spec's missions where its question (mode, size, duration, functions) names an option
    that can exist (risks.engine.feasibility.CANNOT_EXIST): a demo asks Japan's question of
    forces that hold units, not of observer missions, and keeps those a safeguard rules out."""
    inputs = services.read_inputs()
    params = {"functions": [f.code for f in spec["functions"]], "mode": spec["mode"], "size": spec["size"],
              "duration": spec["duration_months"]}
    grid, acronyms, _masks = services.scenario_grid(inputs, params)
    _verdict, reasons, _outlives = services.judge(inputs, grid)
    possible = {a for a, rows in zip(acronyms, reasons, strict=True)
                if not any(r["gate"] in feasibility.CANNOT_EXIST and r["level"] == "infeasible" for r in rows)}
    return [m for m in spec["missions"] if m.acronym in possible]


def dealbreaker_fields(values: dict) -> dict:
    """A preset's deal-breakers (percentages as the builder shows them) as model fields."""
    return {(name[:-4] if name.endswith("_pct") else name): (value / 100 if name.endswith("_pct") else value)
            for name, value in values.items()}


class Command(BaseCommand):
    help = "Create demo scenarios owned by the demo analyst (idempotent: existing names are kept)."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="run even with DEBUG off")

    def handle(self, *args, force: bool, **options):
        if not settings.DEBUG and not force:
            raise CommandError("Refusing to create demo scenarios with DEBUG off; use --force if you mean it.")
        owner = get_user_model().objects.filter(username="analyst").first()
        if owner is None:
            raise CommandError("Run seed_demo first: the demo scenarios belong to the demo analyst.")
        created, kept = [], 0
        with transaction.atomic():
            for spec in demo_scenarios():
                spec["missions"] = where_it_can_exist(spec)
                if not spec["missions"]:
                    continue
                existing = Scenario.objects.filter(owner=owner, name=spec["name"]).first()
                if existing is not None:
                    kept += 1
                    if existing.name_es in ("", existing.name) and spec["name_es"] != existing.name_es:
                        # a demo scenario from before scenarios had Spanish names (or their translation)
                        existing.name_es, existing.notes_es = spec["name_es"], spec["notes_es"]
                        existing.save(update_fields=["name_es", "notes_es"])
                    continue
                weights = {code: spec["category_weights"].get(code, 1.0) for code, _label in Category.choices}
                scenario = Scenario.objects.create(
                    name=spec["name"], owner=owner, mode=ContributionMode.objects.get(code=spec["mode"]),
                    size=spec["size"], duration_months=spec["duration_months"], category_weights=weights,
                    strict_gates=spec["strict_gates"], preset=spec["preset"], notes=spec["notes"],
                    name_es=spec["name_es"], notes_es=spec["notes_es"],
                    # the preset's weights as a weight set (weights.presets), so the page can name them
                    weight_set=WeightSet.objects.filter(preset=spec["preset"], owner=None).first()
                    if spec["preset"] else None,
                    **dealbreaker_fields(spec.get("dealbreakers", {})))
                scenario.missions.set(spec["missions"])
                scenario.functions.set(spec["functions"])
                created.append(scenario.pk)
        for pk in created:
            services.recompute_scenario(pk)
        self.stdout.write(f"demo scenarios: {len(created)} created and computed, {kept} already there")
