"""From the database to stored scores, through the same services the tasks and commands use."""

import csv
import math
from io import StringIO

import pytest
from django.core.management import call_command

from missions.models import MandateFunction, Mission
from risks import services, tasks
from risks.models import ContributionMode, Factor, Scenario, ScenarioResult


@pytest.fixture
def scenario(db, analyst):
    scenario = Scenario.objects.create(
        name="Observers to MINURSO and UNMISS", owner=analyst,
        mode=ContributionMode.objects.get(code="individual"), size=12, duration_months=12)
    scenario.missions.set(Mission.objects.filter(acronym__in=["MINURSO", "UNMISS"]))
    scenario.functions.set(MandateFunction.objects.filter(code__in=["ceasefire_monitoring", "electoral_assistance",
                                                                    "protection_of_civilians"]))
    return scenario


@pytest.mark.django_db
def test_export_writes_one_row_per_option_with_finite_ordered_numbers(tmp_path):
    call_command("recompute_scores", all=True, stdout=StringIO())
    path = tmp_path / "scores.csv"
    call_command("export_scores", output=path, with_reasons=True, stdout=StringIO())
    with open(path, newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0])[:18] == ["mission", "mode", "functions", "size", "months", "feasibility", "risk",
                                  "opportunity", "net", "p10", "p50", "p90", "p_positive", "expected_fatalities",
                                  "p_any_fatality", "net_cost_usd", "rank", "excluded_by"]
    assert len({(r["mission"], r["mode"], r["functions"], r["size"]) for r in rows}) == len(rows) > 1000
    assert max(float(r["index"]) for r in rows if r["index"]) == pytest.approx(100)
    for row in rows:
        numbers = [float(row[c]) for c in ("risk", "opportunity", "net", "p10", "p50", "p90", "p_positive",
                                           "expected_fatalities", "p_any_fatality", "net_cost_usd")]
        assert all(math.isfinite(n) for n in numbers)
        assert float(row["p10"]) <= float(row["p50"]) <= float(row["p90"])
        assert 0 <= float(row["p_any_fatality"]) <= float(row["expected_fatalities"])  # 1 - E[e^-N] <= E[N]
        # Ranked: admissible and better than not deploying (net > 0); the rest are not ranked.
        assert (row["rank"] == "") == (row["excluded_by"] != "" or float(row["net"]) <= 0)
        assert (row["worse_than_not_deploying"] == "True") == (row["excluded_by"] == "" and float(row["net"]) <= 0)
        assert (row["index"] == "") == (row["excluded_by"] != "")  # no index for an option Mexico cannot build
        if row["index"]:
            assert (float(row["index"]) > 0) == (float(row["net"]) > 0)
        if row["feasibility"] == "infeasible":
            assert row["excluded_by"]
    verdicts = {r["feasibility"] for r in rows}
    assert {"conditional", "infeasible"} <= verdicts
    # a mandate with no known end never lets an option pass silently: "end date unknown"
    assert not [r for r in rows if "mandate_unknown" in r["reasons"] and r["feasibility"] == "feasible"]
    assert any("mandate_unknown: conditional" in r["reasons"] for r in rows if r["rank"])
    pmc = [r for r in rows if r["mode"] == "private_military_company"]
    assert pmc and all(r["feasibility"] == "infeasible" and "un_contracting" in r["excluded_by"] for r in pmc)
    assert any(r["worse_than_not_deploying"] == "True" for r in rows) and any(r["rank"] for r in rows)


@pytest.mark.django_db
def test_a_scenario_is_scored_with_its_verdict_uncertainty_and_sensitivity(scenario):
    assert services.recompute_scenario(scenario.pk) == "updated"
    result = ScenarioResult.objects.get(scenario=scenario)
    # Individual observers in open missions; MINURSO's ceasefire ended in 2020 (Japan's first
    # principle); in UNMISS the 2018 agreement is in crisis and the host restricts the mission,
    # and protection of civilians under its Chapter VII mandate may need force.
    assert result.feasibility == "conditional"
    gates = {entry["mission"]: {r["gate"] for r in entry["reasons"]} for entry in result.reasons}
    # and neither mandate's end date is known: conditional, "end date unknown"
    assert gates == {"MINURSO": {"jp_ceasefire", "mandate_unknown"},
                     "UNMISS": {"jp_minimal_force", "jp_ceasefire", "jp_consent", "host_consent", "mandate_unknown"}}
    assert result.p10 <= result.p50 <= result.p90 and 0 <= result.p_positive <= 1
    assert {o["mission"] for o in result.options if o["selected"]} == {"MINURSO", "UNMISS"}
    assert len(result.options) == Mission.objects.count()
    assert len(result.contributions) == Factor.objects.filter(is_active=True).count()
    assert result.sensitivity[0]["swing"] >= result.sensitivity[-1]["swing"]
    assert 0 < sum(r["share"] for r in result.rank_acceptability) <= 1 + 1e-9
    for row in result.smaa["acceptability"]:
        assert all(0 <= share <= 1 for share in row)
    assert result.expected_fatalities > 0 and 0 < result.p_any_fatality < 1 and result.net_cost_usd > 0
    assert len(result.distribution) == services.DRAWS


@pytest.mark.django_db
def test_recomputing_unchanged_inputs_changes_nothing(scenario):
    services.recompute_scenario(scenario.pk)
    first = ScenarioResult.objects.get(scenario=scenario)
    assert services.recompute_scenario(scenario.pk) == "unchanged"
    assert ScenarioResult.objects.get(scenario=scenario).computed_at == first.computed_at


@pytest.mark.django_db
def test_a_private_military_company_is_infeasible_and_says_why(scenario):
    scenario.mode = ContributionMode.objects.get(code="private_military_company")
    scenario.save()
    services.recompute_scenario(scenario.pk)
    result = ScenarioResult.objects.get(scenario=scenario)
    assert result.feasibility == "infeasible"
    gates = {r["gate"] for entry in result.reasons for r in entry["reasons"]}
    assert "un_contracting" in gates


@pytest.mark.django_db
def test_editing_a_factor_makes_results_stale_then_fresh(scenario, django_capture_on_commit_callbacks):
    services.recompute_scenario(scenario.pk)
    before = ScenarioResult.objects.get(scenario=scenario)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        Factor.objects.filter(code="human_rights_violations").update(likelihood_mode=0.45)
        services.inputs_changed()
    assert ScenarioResult.objects.get(scenario=scenario).is_stale
    for callback in callbacks:
        callback()  # what the commit would run: eager tasks here
    after = ScenarioResult.objects.get(scenario=scenario)
    assert not after.is_stale
    assert after.fingerprint != before.fingerprint
    assert after.risk > before.risk


@pytest.mark.django_db
def test_a_failing_recomputation_keeps_the_previous_result_marked_stale(scenario, monkeypatch):
    services.recompute_scenario(scenario.pk)
    services.mark_stale([scenario.pk])

    def broken(*_):
        raise RuntimeError("engine exploded")

    monkeypatch.setattr(services, "compute_scenario", broken)
    # The failure stays with the scenario (risks.failures): recorded, not raised at the caller.
    assert tasks.recompute_scenario.apply(args=[scenario.pk], throw=True).get() == "failed"
    result = ScenarioResult.objects.get(scenario=scenario)
    assert result.is_stale and len(result.options) > 0
    scenario.refresh_from_db()
    assert scenario.computation_error == "RuntimeError: engine exploded"


@pytest.mark.django_db
def test_the_command_refuses_an_unknown_scenario():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="no scenario with id 999999"):
        call_command("recompute_scores", scenario=999999, stdout=StringIO())


@pytest.mark.django_db
def test_the_seeded_catalogue_cites_a_source_for_every_factor():
    factors = Factor.objects.all()
    assert factors.filter(kind="risk").count() >= 8 and factors.filter(kind="opportunity").count() >= 8
    for factor in factors:
        assert "seed" in factor.source.lower() or "domain" in factor.source.lower() or any(
            ch.isdigit() for ch in factor.source)


@pytest.mark.django_db
def test_a_mode_added_to_an_existing_catalogue_gets_its_shipped_multipliers_without_a_refresh():
    from risks.catalogue import load_catalogue
    from risks.models import FactorModeEffect

    civilian = ContributionMode.objects.get(code="civilian")
    FactorModeEffect.objects.filter(mode=civilian).delete()  # a database loaded before the mode existed
    edited = Factor.objects.get(code="professionalisation")
    FactorModeEffect.objects.filter(factor=edited, mode__code="individual").update(multiplier=0.123)
    load_catalogue()
    assert FactorModeEffect.objects.get(factor=edited, mode=civilian).multiplier == 0.0
    assert FactorModeEffect.objects.filter(mode=civilian).count() == Factor.objects.count()
    # a curator's edit of an existing multiplier is kept
    assert FactorModeEffect.objects.get(factor=edited, mode__code="individual").multiplier == 0.123
