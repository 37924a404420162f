"""Without a broker the export does not hold the web worker: it renders in a thread and the
page polls its progress."""

import pytest
from django.contrib.auth.models import Group

from missions.models import MandateFunction, Mission
from risks import services
from risks.models import Briefing, ContributionMode, Scenario
from tests.conftest import reload_real_data


@pytest.mark.django_db(transaction=True)
def test_the_export_returns_at_once_and_the_thread_renders_it(client, django_user_model, settings, monkeypatch,
                                                              tmp_path):
    from briefings import service

    reload_real_data()
    settings.BRIEFINGS_IN_THREAD = True
    settings.MEDIA_ROOT = tmp_path
    threads = []
    start = service.render_in_thread
    monkeypatch.setattr(service, "render_in_thread", lambda pk: threads.append(start(pk)) or threads[-1])
    user = django_user_model.objects.create_user("consultant-thread", password="x-test-only")
    user.groups.add(Group.objects.get(name="consultant"))
    client.force_login(user)
    scenario = Scenario.objects.create(name="Observers", owner=user, mode=ContributionMode.objects.get(code="individual"))
    scenario.missions.set(Mission.objects.filter(acronym__in=["MINURSO"]))
    scenario.functions.set(MandateFunction.objects.filter(code="ceasefire_monitoring"))
    services.recompute_scenario(scenario.pk)

    response = client.post(f"/scenarios/{scenario.pk}/briefings/", {"format": "csv", "language": "en",
                                                                    "paper": "a4", "client": "SRE"})
    assert response.status_code == 302 and len(threads) == 1
    threads[0].join(timeout=60)
    briefing = Briefing.objects.get(scenario=scenario)
    assert briefing.status == "done" and briefing.file.name.endswith(".csv")
    assert client.get(f"/scenarios/briefings/{briefing.pk}/progress/").json()["state"] == "SUCCESS"


@pytest.mark.django_db
def test_a_running_briefing_shows_its_progress_on_the_page(client, django_user_model, analyst):
    user = django_user_model.objects.create_user("consultant-progress", password="x-test-only")
    user.groups.add(Group.objects.get(name="consultant"))
    client.force_login(user)
    scenario = Scenario.objects.create(name="Observers", owner=analyst,
                                       mode=ContributionMode.objects.get(code="individual"))
    briefing = Briefing.objects.create(scenario=scenario, format="pdf", status=Briefing.Status.RUNNING,
                                       created_by=user)
    page = client.get(scenario.get_absolute_url()).content.decode()
    assert f'data-url="/scenarios/briefings/{briefing.pk}/progress/"' in page
    assert client.get(f"/scenarios/briefings/{briefing.pk}/progress/").json()["state"] == "PROGRESS"
    assert client.get("/scenarios/briefings/999999/progress/").status_code == 404
