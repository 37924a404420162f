"""recompute_scores --all keeps what already matches its inputs; --force recomputes it."""

from io import StringIO

import pytest
from django.core.management import call_command

from missions.models import MandateFunction, Mission
from risks.models import ContributionMode, GridRun, Scenario, ScenarioResult


def run(*args) -> str:
    out = StringIO()
    call_command("recompute_scores", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_a_second_run_with_nothing_changed_recomputes_nothing(analyst):
    scenario = Scenario.objects.create(name="Twice", owner=analyst, mode=ContributionMode.objects.get(code="individual"))
    scenario.missions.set(Mission.objects.filter(acronym="MINURSO"))
    scenario.functions.set(MandateFunction.objects.filter(code="ceasefire_monitoring"))
    GridRun.objects.all().delete()  # a database with no grid yet (the tests' keeps the shipped data's)
    first = run("--all")
    assert "options scored" in first and "scenarios: 1 recomputed, 0 already up to date" in first
    computed = ScenarioResult.objects.get(scenario=scenario).computed_at

    second = run("--all")
    assert "option grid: up to date, nothing to score" in second
    assert "scenarios: 0 recomputed, 1 already up to date" in second
    assert ScenarioResult.objects.get(scenario=scenario).computed_at == computed
    assert GridRun.objects.count() == 1

    forced = run("--all", "--force")
    assert "options scored" in forced and "scenarios: 1 recomputed" in forced
    assert ScenarioResult.objects.get(scenario=scenario).computed_at > computed
