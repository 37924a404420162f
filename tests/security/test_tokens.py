"""Passwords of at least 12 characters (ASVS 2.1.1); API tokens that expire, and die with the
password they were obtained with."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils import timezone
from rest_framework.authtoken.models import Token

from tests.conftest import make_user

PASSWORD = "pw-for-tests-only"
pytestmark = pytest.mark.django_db


def obtain(client, username: str = "analyst-user", password: str = PASSWORD) -> dict:
    response = client.post("/api/token/", {"username": username, "password": password})
    assert response.status_code == 200, response.content
    return response.json()


def get(client, token: str):
    return client.get("/api/modes/", HTTP_AUTHORIZATION=f"Token {token}")


def test_a_password_of_eleven_characters_is_refused_and_twelve_are_enough():
    with pytest.raises(ValidationError, match="at least 12 characters"):
        validate_password("kq7-vbn-w3x")
    validate_password("kq7-vbn-w3xz")


def test_the_password_change_page_refuses_a_short_password(client, analyst):
    client.force_login(analyst)
    response = client.post("/accounts/password_change/", {
        "old_password": PASSWORD, "new_password1": "kq7-vbn-w3x", "new_password2": "kq7-vbn-w3x"})
    assert response.status_code == 200 and "at least 12 characters" in response.content.decode()


def test_a_token_says_when_it_expires_and_is_refused_after_that(client, analyst):
    body = obtain(client)
    assert get(client, body["token"]).status_code == 200
    assert abs(timezone.datetime.fromisoformat(body["expires"]) - timezone.now()
               - timedelta(hours=settings.API_TOKEN_HOURS)) < timedelta(minutes=1)
    Token.objects.filter(key=body["token"]).update(created=timezone.now() - timedelta(hours=settings.API_TOKEN_HOURS,
                                                                                      seconds=1))
    response = get(client, body["token"])
    assert response.status_code == 401 and "expired" in response.json()["detail"]
    assert not Token.objects.filter(key=body["token"]).exists()
    assert obtain(client)["token"] != body["token"]  # a fresh one


def test_an_expired_token_is_replaced_when_a_new_one_is_asked_for(client, analyst):
    old = obtain(client)["token"]
    Token.objects.filter(key=old).update(created=timezone.now() - timedelta(days=30))
    new = obtain(client)["token"]
    assert new != old and get(client, new).status_code == 200


def test_changing_the_password_revokes_the_tokens(client, analyst):
    token = obtain(client)["token"]
    client.force_login(analyst)
    response = client.post("/accounts/password_change/", {
        "old_password": PASSWORD, "new_password1": "a-new-long-password", "new_password2": "a-new-long-password"})
    assert response.status_code == 302
    client.logout()
    assert get(client, token).status_code == 401


def test_an_administrator_setting_a_new_password_revokes_the_tokens_too(client, analyst, django_user_model):
    token = obtain(client)["token"]
    admin = make_user(django_user_model, "superuser")
    client.force_login(admin)
    response = client.post(f"/admin/auth/user/{analyst.pk}/password/", {
        "password1": "set-by-the-admin-1", "password2": "set-by-the-admin-1", "usable_password": "true"})
    assert response.status_code == 302, response.content.decode()[:2000]
    client.logout()
    assert get(client, token).status_code == 401
