import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.http import HttpRequest


@pytest.mark.django_db
def test_it_refuses_with_debug_off_unless_forced(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG off"):
        call_command("seed_demo")


@pytest.mark.django_db
def test_it_creates_one_user_per_role_with_the_given_password(settings, monkeypatch):
    settings.DEBUG = True
    monkeypatch.setenv("PKO_DEMO_PASSWORD", "demo-pass-123")
    call_command("seed_demo")
    for role in ("analyst", "consultant", "curator"):
        user = authenticate(HttpRequest(), username=role, password="demo-pass-123")  # axes needs a request
        assert user is not None and user.groups.filter(name=role).exists()
    assert get_user_model().objects.get(username="curator").has_perm("missions.change_mission")
    assert not get_user_model().objects.get(username="analyst").has_perm("missions.change_mission")
    assert get_user_model().objects.get(username="analyst").has_perm("missions.view_mission")


@pytest.mark.django_db
def test_it_prints_a_generated_password_when_none_is_given(settings, monkeypatch, capsys):
    settings.DEBUG = True
    monkeypatch.delenv("PKO_DEMO_PASSWORD", raising=False)
    call_command("seed_demo")
    out = capsys.readouterr().out
    password = out.split("Password (generated, set PKO_DEMO_PASSWORD to choose one): ")[1].strip()
    assert authenticate(HttpRequest(), username="analyst", password=password) is not None


@pytest.mark.django_db
def test_it_prints_the_password_it_was_given_and_nothing_when_quiet(settings, monkeypatch, capsys):
    settings.DEBUG = True
    monkeypatch.setenv("PKO_DEMO_PASSWORD", "demo-pass-456")
    call_command("seed_demo")
    assert "Password (from PKO_DEMO_PASSWORD): demo-pass-456" in capsys.readouterr().out
    call_command("seed_demo", verbosity=0)
    assert capsys.readouterr().out == ""


@pytest.mark.django_db
def test_a_second_run_with_the_same_password_keeps_every_hash(settings, monkeypatch):

    settings.DEBUG = True
    monkeypatch.setenv("PKO_DEMO_PASSWORD", "the-same-demo-password")
    call_command("seed_demo", verbosity=0)
    before = dict(get_user_model().objects.values_list("username", "password"))
    call_command("seed_demo", verbosity=0)
    assert dict(get_user_model().objects.values_list("username", "password")) == before
    monkeypatch.setenv("PKO_DEMO_PASSWORD", "another-demo-password")
    call_command("seed_demo", verbosity=0)
    changed = dict(get_user_model().objects.values_list("username", "password"))
    assert all(changed[name] != before[name] for name in ("analyst", "consultant", "curator", "admin"))
    assert get_user_model().objects.get(username="admin").check_password("another-demo-password")
