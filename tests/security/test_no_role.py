"""An account without a role reads nothing: pages answer 403 with the reason, as the API does."""

import pytest


@pytest.fixture
def roleless_client(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("newcomer", password="pw-for-tests-only"))
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/missions/", "/missions/MINURSO/", "/scenarios/", "/scenarios/explorer/"])
def test_an_account_without_a_role_is_refused_every_page_with_the_reason(roleless_client, path):
    response = roleless_client.get(path)
    assert response.status_code == 403
    assert "no role yet" in response.content.decode()


@pytest.mark.django_db
def test_an_account_without_a_role_can_still_log_out_and_is_refused_by_the_api(roleless_client):
    assert roleless_client.get("/api/missions/").status_code == 403
    assert roleless_client.post("/accounts/logout/").status_code == 302


@pytest.mark.django_db
def test_an_analyst_still_reads_the_pages(analyst_client):
    assert analyst_client.get("/missions/").status_code == 200
