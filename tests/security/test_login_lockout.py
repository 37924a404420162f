"""Login attempts are rate-limited by django-axes, per username and address: a guessed password
stops working after AXES_FAILURE_LIMIT tries, on the login page, the admin and /api/token/."""

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from tests.conftest import make_user

PASSWORD, WRONG = "pw-for-tests-only", "not-the-password"
pytestmark = pytest.mark.django_db


def log_in(client, username: str, password: str, url: str = "/accounts/login/", **extra):
    return client.post(url, {"username": username, "password": password}, **extra)


def exhaust(client, username: str, url: str = "/accounts/login/", **extra) -> list[int]:
    return [log_in(client, username, WRONG, url, **extra).status_code for _ in range(settings.AXES_FAILURE_LIMIT)]


@pytest.fixture
def analyst(django_user_model):
    return make_user(django_user_model, "analyst")


def test_the_limit_is_five_wrong_passwords_for_fifteen_minutes():
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_COOLOFF_TIME.total_seconds() == 15 * 60
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"], "ip_address"]
    assert settings.AXES_ADDRESS_FAILURE_LIMIT == 20


def test_after_five_wrong_passwords_the_right_one_is_refused_with_a_clear_message(client, analyst):
    assert exhaust(client, "analyst-user") == [200, 200, 200, 200, 429]  # the form again, then the lock
    response = log_in(client, "analyst-user", PASSWORD)
    assert response.status_code == 429
    page = response.content.decode()
    assert "Too many login attempts" in page
    assert "locked after 5 failed login attempts" in page and "Try again in 15 minutes" in page
    assert "_auth_user_id" not in client.session
    assert client.get("/").status_code == 302  # still anonymous


def test_the_lockout_message_is_in_spanish_for_spanish_readers(client, analyst):
    exhaust(client, "analyst-user")
    response = log_in(client, "analyst-user", PASSWORD, HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 429
    assert "Demasiados intentos" in response.content.decode()


def test_a_different_user_from_the_same_address_is_not_blocked(client, analyst, django_user_model):
    make_user(django_user_model, "consultant")
    exhaust(client, "analyst-user")
    response = log_in(client, "consultant-user", PASSWORD)
    assert response.status_code == 302 and response.url == reverse("home")


def test_the_same_user_from_another_address_is_not_blocked(client, analyst):
    exhaust(client, "analyst-user", REMOTE_ADDR="192.0.2.10")
    assert log_in(client, "analyst-user", PASSWORD, REMOTE_ADDR="192.0.2.10").status_code == 429
    assert log_in(client, "analyst-user", PASSWORD, REMOTE_ADDR="192.0.2.20").status_code == 302


def test_a_successful_login_forgets_the_earlier_failures(client, analyst):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        log_in(client, "analyst-user", WRONG)
    assert log_in(client, "analyst-user", PASSWORD).status_code == 302
    client.logout()
    assert log_in(client, "analyst-user", WRONG).status_code == 200  # one failure, not five
    assert log_in(client, "analyst-user", PASSWORD).status_code == 302


def test_the_admin_login_is_locked_too(client, django_user_model):
    make_user(django_user_model, "curator")
    assert exhaust(client, "curator-user", url="/admin/login/")[-1] == 429
    assert log_in(client, "curator-user", PASSWORD, url="/admin/login/").status_code == 429
    assert log_in(client, "curator-user", PASSWORD).status_code == 429  # the same lock on the site's form


def test_the_api_token_endpoint_is_locked_too_and_says_why(client, analyst):
    assert exhaust(client, "analyst-user", url="/api/token/") == [400, 400, 400, 400, 429]
    response = log_in(client, "analyst-user", PASSWORD, url="/api/token/")
    assert response.status_code == 429
    assert "token" not in response.json()
    assert "Too many failed login attempts" in response.json()["detail"]


def test_an_administrator_unlocks_a_user_with_axes_reset_username(client, analyst):
    exhaust(client, "analyst-user")
    assert log_in(client, "analyst-user", PASSWORD).status_code == 429
    call_command("axes_reset_username", "analyst-user")
    assert log_in(client, "analyst-user", PASSWORD).status_code == 302


def test_one_password_sprayed_over_many_usernames_locks_the_address(client, analyst):
    sprayed = [log_in(client, f"user-{n}", WRONG, REMOTE_ADDR="192.0.2.30").status_code
               for n in range(settings.AXES_ADDRESS_FAILURE_LIMIT)]
    assert sprayed[:-1] == [200] * (settings.AXES_ADDRESS_FAILURE_LIMIT - 1) and sprayed[-1] == 429
    # Now every username is refused from that address, a real one with its right password too...
    assert log_in(client, "analyst-user", PASSWORD, REMOTE_ADDR="192.0.2.30").status_code == 429
    # ...and from another address it still works.
    assert log_in(client, "analyst-user", PASSWORD, REMOTE_ADDR="192.0.2.31").status_code == 302


def test_a_sprayer_cannot_clear_the_address_count_by_signing_in_to_an_account_of_their_own(client, analyst):
    for n in range(settings.AXES_ADDRESS_FAILURE_LIMIT - 1):
        log_in(client, f"user-{n}", WRONG, REMOTE_ADDR="192.0.2.40")
    assert log_in(client, "analyst-user", PASSWORD, REMOTE_ADDR="192.0.2.40").status_code == 302
    client.logout()
    assert log_in(client, "someone-else", WRONG, REMOTE_ADDR="192.0.2.40").status_code == 429


def test_behind_the_proxy_the_address_is_the_one_nginx_forwards(client, analyst):
    """nginx connects from 127.0.0.1 and sets X-Real-IP: clients are told apart by it."""
    exhaust(client, "analyst-user", REMOTE_ADDR="127.0.0.1", HTTP_X_REAL_IP="198.51.100.7")
    assert log_in(client, "analyst-user", PASSWORD, REMOTE_ADDR="127.0.0.1",
                  HTTP_X_REAL_IP="198.51.100.7").status_code == 429
    assert log_in(client, "analyst-user", PASSWORD, REMOTE_ADDR="127.0.0.1",
                  HTTP_X_REAL_IP="198.51.100.8").status_code == 302


def test_a_client_talking_to_gunicorn_directly_cannot_choose_its_address(client, analyst):
    exhaust(client, "analyst-user", REMOTE_ADDR="203.0.113.5", HTTP_X_REAL_IP="198.51.100.9")
    assert log_in(client, "analyst-user", PASSWORD, REMOTE_ADDR="203.0.113.5",
                  HTTP_X_REAL_IP="198.51.100.10").status_code == 429
