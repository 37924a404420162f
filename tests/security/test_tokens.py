"""Passwords of at least 12 characters (ASVS 2.1.1); API tokens that expire, are kept only as a
digest, and die with the password they were obtained with or when the person signs out."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone
from knox.crypto import hash_token
from knox.models import AuthToken

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
    AuthToken.objects.filter(digest=hash_token(body["token"])).update(expiry=timezone.now() - timedelta(seconds=1))
    response = get(client, body["token"])
    assert response.status_code == 401 and "expired" in response.json()["detail"]
    assert not AuthToken.objects.filter(digest=hash_token(body["token"])).exists()
    assert obtain(client)["token"] != body["token"]  # a fresh one


def test_an_expired_token_is_replaced_when_a_new_one_is_asked_for(client, analyst):
    old = obtain(client)["token"]
    AuthToken.objects.filter(digest=hash_token(old)).update(expiry=timezone.now() - timedelta(days=29))
    new = obtain(client)["token"]
    assert new != old and get(client, new).status_code == 200
    assert AuthToken.objects.filter(user=analyst).count() == 1  # the expired one is gone


def test_the_database_keeps_only_a_digest_of_each_token(client, analyst):
    token = obtain(client)["token"]
    assert len(token) >= 64
    stored = list(AuthToken.objects.filter(user=analyst).values())
    assert len(stored) == 1 and token not in repr(stored)  # a copy of the table calls nothing
    assert stored[0]["digest"] == hash_token(token) and token.startswith(stored[0]["token_key"])
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
    assert "authtoken_token" not in tables  # DRF's plain-text table is gone


def test_each_request_gets_its_own_token_and_an_account_keeps_a_bounded_number(client, analyst, settings):
    settings.API_TOKENS_PER_USER = 3
    tokens = [obtain(client)["token"] for _ in range(5)]
    assert len(set(tokens)) == 5
    assert [get(client, t).status_code for t in tokens] == [401, 401, 200, 200, 200]  # the oldest went first


def test_signing_out_of_the_site_revokes_every_token(client, analyst):
    tokens = [obtain(client)["token"] for _ in range(2)]
    client.force_login(analyst)
    assert client.post("/accounts/logout/").status_code == 302
    assert [get(client, t).status_code for t in tokens] == [401, 401]
    assert not AuthToken.objects.filter(user=analyst).exists()


def test_a_session_that_times_out_leaves_the_notebook_token_working(client, analyst, settings):
    token = obtain(client)["token"]
    settings.SESSION_IDLE_SECONDS = 0
    client.force_login(analyst)
    client.get("/")  # stamps the session
    assert client.get("/").status_code == 302  # idle past the limit: signed out, sent to log in
    assert get(client, token).status_code == 200


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
