import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from plans.models import Plan, PlanResult


@pytest.mark.django_db
def test_the_demo_plan_is_created_solved_and_kept(settings, monkeypatch):
    settings.DEBUG = True
    with pytest.raises(CommandError, match="seed_demo first"):
        call_command("seed_demo_plans")
    monkeypatch.setenv("PKO_DEMO_PASSWORD", "demo-pass-123")
    call_command("seed_demo")
    call_command("seed_demo_plans")
    call_command("seed_demo_plans")  # idempotent
    plan = Plan.objects.get(owner__username="analyst")
    assert (plan.max_people, plan.max_cost_usd, plan.exclude_chapter_vii) == (300, 20_000_000, True)
    result = PlanResult.objects.get(plan=plan)
    assert result.status == "optimal" and result.data["options"]
    assert result.data["totals"]["people"] <= 300 and result.data["totals"]["cost_usd"] <= 20_000_000
    # Read as an expert: the plan is what can deploy in the pathway's first year (no formed
    # personnel trained by then under the shipped rules), and the pathway starts from it.
    from plans import catalogue

    formed = [o for o in result.data["options"] if o["mode"] != "individual"]
    assert sum(o["size"] for o in formed) <= catalogue.rules().capacity(0) == 0
    first = result.data["pathway"]["years"][0]
    assert first["people"] == result.data["totals"]["people"]
    key = lambda o: (o["mission"], o["mode"], o["size"], o["functions"])  # noqa: E731
    assert sorted(map(key, first["options"])) == sorted(map(key, result.data["options"]))


@pytest.mark.django_db
def test_the_demo_plan_refuses_with_debug_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG off"):
        call_command("seed_demo_plans")
