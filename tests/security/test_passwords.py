"""Password strength (issue 25 F12): length alone let `xxxxxxxxxxxx` in. An offline estimate of
how many guesses a password takes (zxcvbn: repeats, sequences, dictionary words, the account's
own name) refuses the guessable ones, with a reason, on every path that sets a password."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from tests.conftest import make_user

PASSWORD = "pw-for-tests-only"
pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("weak", ["xxxxxxxxxxxx", "Aaaaaaaaaaaa", "analyst2analyst2", "password1234", "qwertyuiop12",
                                  "Mexico123456"])
def test_guessable_passwords_of_twelve_characters_or_more_are_refused(django_user_model, weak):
    user = django_user_model(username="analyst2")
    with pytest.raises(ValidationError, match="too easy to guess"):
        validate_password(weak, user)


def test_a_password_built_on_the_account_name_is_refused(django_user_model):
    user = django_user_model(username="sedena.liaison", first_name="Rosa", last_name="Icaza")
    with pytest.raises(ValidationError, match="too easy to guess"):
        validate_password("sedena.liaison2026", user)


@pytest.mark.parametrize("strong", ["kq7-vbn-w3xz", "a-new-long-password", "correct horse battery staple",
                                    "pko-demo-2026"])
def test_passwords_that_take_many_guesses_are_accepted(django_user_model, strong):
    validate_password(strong, django_user_model(username="analyst2"))


def test_a_very_long_password_is_judged_without_error():
    validate_password("r4nd0m-" * 40)  # zxcvbn itself refuses more than 72 characters: the rest is not judged


def test_the_password_change_page_and_the_admin_refuse_a_guessable_password(client, analyst, django_user_model):
    client.force_login(analyst)
    response = client.post("/accounts/password_change/", {
        "old_password": PASSWORD, "new_password1": "analyst2analyst2", "new_password2": "analyst2analyst2"})
    assert response.status_code == 200 and "too easy to guess" in response.content.decode()
    client.force_login(make_user(django_user_model, "superuser"))
    response = client.post(f"/admin/auth/user/{analyst.pk}/password/", {
        "password1": "Aaaaaaaaaaaa", "password2": "Aaaaaaaaaaaa", "usable_password": "true"})
    assert response.status_code == 200 and "too easy to guess" in response.content.decode()
    analyst.refresh_from_db()
    assert analyst.check_password(PASSWORD)


def test_the_demo_accounts_still_get_their_password(settings, monkeypatch, capsys):
    from django.contrib.auth import authenticate
    from django.core.management import call_command
    from django.http import HttpRequest

    settings.DEBUG = True
    monkeypatch.setenv("PKO_DEMO_PASSWORD", "pko-demo-2026")  # bin/run's default
    call_command("seed_demo")
    validate_password("pko-demo-2026")
    assert authenticate(HttpRequest(), username="analyst", password="pko-demo-2026") is not None
    monkeypatch.delenv("PKO_DEMO_PASSWORD")
    call_command("seed_demo")
    generated = capsys.readouterr().out.split("set PKO_DEMO_PASSWORD to choose one): ")[1].strip()
    validate_password(generated)  # the generated one would pass the rules too
