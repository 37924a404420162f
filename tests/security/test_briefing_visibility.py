"""Issue 25, F11: a consultant downloaded another consultant's client-named briefings. A briefing
is seen by its creator and administrators only: in the scenario page's list, its progress and its
download."""

import pytest
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.test import Client

from missions.models import Mission
from risks.models import Briefing, ContributionMode, Scenario
from tests.conftest import make_user


def consultant(django_user_model, name: str):
    user = django_user_model.objects.create_user(name, password="pw-for-tests-only")
    user.groups.add(Group.objects.get(name="consultant"))
    client = Client()
    client.force_login(user)
    return user, client


@pytest.mark.django_db
def test_a_consultant_sees_only_their_own_briefings(django_user_model, analyst, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    scenario = Scenario.objects.create(name="Observers", owner=analyst,
                                       mode=ContributionMode.objects.get(code="individual"))
    scenario.missions.set(Mission.objects.filter(acronym="MINURSO"))
    first, first_client = consultant(django_user_model, "consultant")
    second, second_client = consultant(django_user_model, "consultant2")
    briefings = []
    for k in range(1, 5):
        briefing = Briefing(scenario=scenario, format="csv", status=Briefing.Status.DONE, created_by=first,
                            client=f"Secretaria Cliente {k}")
        briefing.file.save(f"client-{k}.csv", ContentFile(b"mission,net\nMINURSO,0.1\n"), save=False)
        briefing.save()
        briefings.append(briefing)
    mine = Briefing.objects.create(scenario=scenario, format="pdf", status=Briefing.Status.RUNNING,
                                   created_by=second, client="Mi Cliente")

    page = second_client.get(scenario.get_absolute_url()).content.decode()
    assert "Secretaria Cliente" not in page and "Mi Cliente" in page
    for briefing in briefings:
        assert f"/briefings/{briefing.pk}/download/" not in page
        assert second_client.get(f"/scenarios/briefings/{briefing.pk}/download/").status_code == 404
        assert second_client.get(f"/scenarios/briefings/{briefing.pk}/progress/").status_code == 404
    assert second_client.get(f"/scenarios/briefings/{mine.pk}/progress/").json()["state"] == "PROGRESS"

    page = first_client.get(scenario.get_absolute_url()).content.decode()
    assert "Secretaria Cliente 4" in page and "Mi Cliente" not in page
    download = first_client.get(f"/scenarios/briefings/{briefings[0].pk}/download/")
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"mission,net")
    assert first_client.get(f"/scenarios/briefings/{mine.pk}/progress/").status_code == 404

    admin = Client()
    admin.force_login(make_user(django_user_model, "superuser"))
    page = admin.get(scenario.get_absolute_url()).content.decode()
    assert "Secretaria Cliente 1" in page and "Mi Cliente" in page
    assert admin.get(f"/scenarios/briefings/{briefings[1].pk}/download/").status_code == 200
