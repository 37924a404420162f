import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from risks.models import Scenario, ScenarioResult


@pytest.fixture
def demo_users(settings, monkeypatch):
    settings.DEBUG = True
    monkeypatch.setenv("PKO_DEMO_PASSWORD", "demo-pass-123")
    call_command("seed_demo")


@pytest.mark.django_db
def test_it_refuses_without_the_demo_analyst(settings):
    settings.DEBUG = True
    with pytest.raises(CommandError, match="seed_demo first"):
        call_command("seed_demo_scenarios")


@pytest.mark.django_db
def test_it_creates_computed_scenarios_once(demo_users):
    call_command("seed_demo_scenarios")
    scenarios = Scenario.objects.filter(owner__username="analyst")
    assert scenarios.count() == 3
    today = scenarios.get(name__startswith="Today")
    # Mexico's latest UN report (2025-07) lists these missions among others.
    assert {"MINURSO", "UNVMC"} <= set(today.missions.values_list("acronym", flat=True))
    assert today.mode.code == "individual"
    assert ScenarioResult.objects.filter(scenario__in=scenarios, is_stale=False).count() == 3

    # the presets' demos start where their option is not ruled out, as the builder does
    for preset in scenarios.exclude(preset=""):
        assert preset.result.feasibility in ("feasible", "conditional"), preset.name

    call_command("seed_demo_scenarios")
    assert Scenario.objects.filter(owner__username="analyst").count() == 3
