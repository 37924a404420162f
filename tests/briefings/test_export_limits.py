"""Issue 25, F5: 24 exports posted in 0.3 s queued 22 on the recomputations' queue, and their
files were kept forever. Exports are limited per account, the waiting ones capped, rendered on a
queue of their own, and old files deleted."""

import io
import uuid
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from briefings import views
from missions.models import Mission
from pkoanalysis.celery import app
from risks.models import Briefing, ContributionMode, Scenario

pytestmark = pytest.mark.django_db
FORM = {"format": "csv", "language": "en", "paper": "a4", "client": "SRE", "firm": ""}


class Queued:
    id = "0" * 32


@pytest.fixture
def scenario(analyst):
    scenario = Scenario.objects.create(name="Observers", owner=analyst,
                                       mode=ContributionMode.objects.get(code="individual"))
    scenario.missions.set(Mission.objects.filter(acronym="MINURSO"))
    return scenario


def consultant(django_user_model, name="consultant"):
    user = django_user_model.objects.create_user(name, password="pw-for-tests-only")
    user.groups.add(Group.objects.get(name="consultant"))
    client = Client()
    client.force_login(user)
    return user, client


@pytest.fixture
def queue_kept(monkeypatch, settings):
    """A broker that keeps what it is given: exports stay waiting, as in a burst."""
    settings.BRIEFINGS_IN_THREAD = False
    monkeypatch.setattr(views, "enqueue", lambda task, *args: Queued())


def test_a_burst_of_exports_is_cut_at_the_waiting_limit(django_user_model, scenario, queue_kept, settings):
    settings.BRIEFING_PENDING_MAX = 3
    user, client = consultant(django_user_model)
    answers = [client.post(f"/scenarios/{scenario.pk}/briefings/", FORM).status_code for _ in range(24)]
    assert answers[:3] == [302] * 3 and set(answers[3:]) == {429}
    assert Briefing.objects.filter(created_by=user).count() == 3
    page = client.post(f"/scenarios/{scenario.pk}/briefings/", FORM).content.decode()
    assert "3 briefings waiting to be rendered" in page


def test_exports_are_limited_per_account_and_hour(django_user_model, scenario, queue_kept, settings):
    settings.BRIEFING_PENDING_MAX, settings.BRIEFING_EXPORTS_PER_HOUR = 100, 5
    user, client = consultant(django_user_model)
    for _ in range(5):
        assert client.post(f"/scenarios/{scenario.pk}/briefings/", FORM).status_code == 302
    refused = client.post(f"/scenarios/{scenario.pk}/briefings/", FORM)
    assert refused.status_code == 429 and "5 briefings in the last hour" in refused.content.decode()
    other, other_client = consultant(django_user_model, "consultant2")  # another account is not affected
    assert other_client.post(f"/scenarios/{scenario.pk}/briefings/", FORM).status_code == 302
    Briefing.objects.filter(created_by=user).update(created_at=timezone.now() - timedelta(hours=2))
    assert client.post(f"/scenarios/{scenario.pk}/briefings/", FORM).status_code == 302  # an hour later


def test_the_waiting_exports_of_everyone_are_capped(django_user_model, scenario, queue_kept, settings):
    settings.BRIEFING_QUEUE_MAX = 4
    for k in range(2):
        _user, client = consultant(django_user_model, f"consultant{k}")
        for _ in range(2):
            assert client.post(f"/scenarios/{scenario.pk}/briefings/", FORM).status_code == 302
    _user, client = consultant(django_user_model, "consultant9")
    refused = client.post(f"/scenarios/{scenario.pk}/briefings/", FORM)
    assert refused.status_code == 429 and "Too many briefings are waiting" in refused.content.decode()


def test_briefings_render_on_a_queue_of_their_own():
    route = app.amqp.router.route({}, "briefings.tasks.render_briefing")
    assert route["queue"].name == "documents"
    assert app.amqp.router.route({}, "risks.tasks.recompute_many")["queue"].name == app.conf.task_default_queue != \
        "documents"
    assert app.amqp.router.route({}, "plans.tasks.recompute_plan")["queue"].name != "documents"


def test_old_briefing_files_are_deleted(scenario, django_user_model, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    user, _client = consultant(django_user_model)
    kept = []
    for age in (40, 10):
        briefing = Briefing(scenario=scenario, format="csv", status=Briefing.Status.DONE, created_by=user)
        briefing.file.save(f"{uuid.uuid4().hex}.csv", ContentFile(b"mission,net\n"), save=False)
        briefing.save()
        Briefing.objects.filter(pk=briefing.pk).update(created_at=timezone.now() - timedelta(days=age))
        kept.append(briefing)
    old, recent = kept
    settings.BRIEFING_RETENTION_DAYS = 30
    out = io.StringIO()
    call_command("purge_briefings", stdout=out)
    assert "deleted 1 briefings" in out.getvalue()
    assert not Briefing.objects.filter(pk=old.pk).exists() and not (tmp_path / old.file.name).exists()
    assert Briefing.objects.filter(pk=recent.pk).exists() and (tmp_path / recent.file.name).exists()
    from briefings import tasks

    assert tasks.purge_old_briefings() == 0
    assert settings.CELERY_BEAT_SCHEDULE["purge-old-briefings"]["task"] == "briefings.tasks.purge_old_briefings"
