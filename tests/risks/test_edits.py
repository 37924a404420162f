"""A curator's edit recomputes what it affects and nothing else: the edited mission's options in
the grid, the scenarios and plans that include it; a save with no change recomputes nothing; in the
embedded default the recomputation runs after the response, in a background thread."""

import io
import threading

import pandas as pd
import pytest

from missions.models import MandateFunction, Mission
from pkoanalysis import background
from plans.models import Plan, PlanResult
from risks import edits, services
from risks.models import ContributionMode, GridRun, Scenario, ScenarioResult
from tests.conftest import reload_real_data
from tests.security.test_edit_conflicts import admin_post_data


def computed_scenario(owner, name: str, acronyms: list[str]) -> Scenario:
    scenario = Scenario.objects.create(name=name, owner=owner, mode=ContributionMode.objects.get(code="individual"))
    scenario.missions.set(Mission.objects.filter(acronym__in=acronyms))
    scenario.functions.set(MandateFunction.objects.filter(code="ceasefire_monitoring"))
    services.recompute_scenario(scenario.pk)
    return scenario


def full_grid() -> pd.DataFrame:
    """The grid a full run stores for the current inputs (as the chunked path merges it)."""
    frame = services.score_grid(services.read_inputs())
    frame = pd.read_csv(io.StringIO(frame.to_csv(index=False)), keep_default_na=False)
    return services.rank_grid(frame.sort_values(["mission", "mode", "functions"], kind="stable")
                              .reset_index(drop=True))


def admin_edit(client, mission: Mission, **changes):
    url = f"/admin/missions/mission/{mission.pk}/change/"
    response = client.post(url, {**admin_post_data(client.get(url)), **changes})
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else response
    return response


@pytest.fixture
def curator_client(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("edit-curator", password="pw-for-tests-only"))
    return client


@pytest.mark.django_db
def test_after_one_missions_edit_the_grid_rescores_that_mission_only_and_equals_a_full_run():
    GridRun.objects.all().delete()  # no grid yet (the tests' database keeps the shipped data's)
    assert edits.refresh_grid()[0] == "full"
    assert edits.refresh_grid() == ("fresh", 0)
    before = services.load_grid(GridRun.objects.get())
    Mission.objects.filter(acronym="MINURSO").update(chapter_vii=True)

    assert edits.refresh_grid() == ("partial", 1)
    [run] = GridRun.objects.all()
    assert run.fingerprint == services.read_inputs().fingerprint
    stored = services.load_grid(run)
    pd.testing.assert_frame_equal(stored, services.load_grid(services.store_grid(full_grid(), "a full run")))
    minurso = stored["mission"] == "MINURSO"
    assert not stored[minurso].reset_index(drop=True).equals(before[minurso].reset_index(drop=True))
    unranked = ["rank"]  # the ranks are shared; every other figure of another mission is as it was
    pd.testing.assert_frame_equal(stored[~minurso].drop(columns=unranked).reset_index(drop=True),
                                  before[~minurso].drop(columns=unranked).reset_index(drop=True))


@pytest.mark.django_db
def test_a_factor_edit_changes_what_every_mission_reads():
    GridRun.objects.all().delete()  # the grid and its digests stored by this test's own refresh
    edits.refresh_grid()
    from risks.models import Factor

    Factor.objects.filter(code="human_rights_violations").update(likelihood_mode=0.31)
    inputs = services.read_inputs()
    assert edits.changed_missions(inputs)[1] == sorted(inputs.missions.index)


@pytest.mark.django_db
def test_a_mission_edit_recomputes_only_the_scenarios_and_plans_that_include_it(
        curator_client, analyst, monkeypatch, django_capture_on_commit_callbacks):
    about = computed_scenario(analyst, "About MINURSO", ["MINURSO", "UNMOGIP"])
    other = computed_scenario(analyst, "Elsewhere", ["UNFICYP"])
    before = {s.pk: ScenarioResult.objects.get(scenario=s) for s in (about, other)}
    requiring = Plan.objects.create(name="Must hold MINURSO", owner=analyst, max_people=50)
    requiring.required_missions.set(Mission.objects.filter(acronym="MINURSO"))
    elsewhere = Plan.objects.create(name="Anything else", owner=analyst, max_people=50)
    elsewhere.excluded_missions.set(Mission.objects.filter(acronym="MINURSO"))
    unrelated = Plan.objects.create(name="Far away", owner=analyst, max_people=50)
    for plan in (requiring, elsewhere, unrelated):
        PlanResult.objects.create(plan=plan, fingerprint="before", computed_at=before[about.pk].computed_at,
                                  status="optimal", data={"options": [{"mission": "UNFICYP"}]})
    recomputed = []
    monkeypatch.setattr("plans.tasks.enqueue_recompute", recomputed.extend)
    with django_capture_on_commit_callbacks(execute=True):
        admin_edit(curator_client, Mission.objects.get(acronym="MINURSO"), impartiality_concern="on")

    after = {s.pk: ScenarioResult.objects.get(scenario=s) for s in (about, other)}
    assert after[about.pk].fingerprint != before[about.pk].fingerprint and not after[about.pk].is_stale
    assert (after[other.pk].fingerprint, after[other.pk].computed_at, after[other.pk].is_stale) == (
        before[other.pk].fingerprint, before[other.pk].computed_at, False)
    assert sorted(recomputed) == sorted([requiring.pk, elsewhere.pk])
    assert not PlanResult.objects.get(plan=unrelated).is_stale


@pytest.mark.django_db
def test_saving_a_mission_unchanged_recomputes_nothing(curator_client, analyst, django_capture_on_commit_callbacks):
    scenario = computed_scenario(analyst, "About MINURSO", ["MINURSO"])
    before = ScenarioResult.objects.get(scenario=scenario)
    with django_capture_on_commit_callbacks() as ran:
        admin_edit(curator_client, Mission.objects.get(acronym="MINURSO"))
    after = ScenarioResult.objects.get(scenario=scenario)
    assert ran == [] and not after.is_stale and after.computed_at == before.computed_at


@pytest.mark.django_db(transaction=True)
def test_in_the_embedded_default_the_save_answers_first_and_a_thread_recomputes(client, django_user_model,
                                                                                settings):
    reload_real_data()
    settings.RECOMPUTE_IN_THREAD = True
    owner = django_user_model.objects.create_user("thread-analyst", password="pw-for-tests-only")
    scenario = computed_scenario(owner, "About MINURSO", ["MINURSO"])
    client.force_login(django_user_model.objects.create_superuser("thread-curator", password="pw-for-tests-only"))
    hold = threading.Event()
    background.submit(lambda: hold.wait(30), "held")  # the thread is busy until the test lets it go

    admin_edit(client, Mission.objects.get(acronym="MINURSO"), impartiality_concern="on")
    assert ScenarioResult.objects.get(scenario=scenario).is_stale  # the answer came first
    hold.set()
    assert background.idle(120)
    result = ScenarioResult.objects.get(scenario=scenario)
    assert not result.is_stale
    assert result.fingerprint == services.read_inputs(services.scenario_parameters(scenario)).fingerprint
