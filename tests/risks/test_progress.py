import uuid

import pytest


@pytest.mark.django_db
def test_progress_of_an_unknown_task_is_pending(analyst_client):
    response = analyst_client.get(f"/tasks/{uuid.uuid4()}/")
    assert response.status_code == 200
    assert response.json()["state"] == "PENDING"


@pytest.mark.django_db
def test_progress_needs_a_login(client):
    assert client.get(f"/tasks/{uuid.uuid4()}/").status_code == 401


@pytest.mark.django_db
def test_a_malformed_task_id_is_a_404(analyst_client):
    assert analyst_client.get("/tasks/not-a-uuid/").status_code == 404
