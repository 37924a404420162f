"""GET /api/weight-sets/: read-only, the same role rules as the other endpoints."""

import pytest

from tests.conftest import make_user
from tests.weights.test_pages import swing_data
from weights.models import WeightSet


@pytest.mark.django_db
def test_weight_sets_are_listed_with_their_judgments(analyst_client):
    analyst_client.post("/weights/new/swing/", swing_data(budget=0))
    body = analyst_client.get("/api/weight-sets/").json()
    swing = next(r for r in body["results"] if r["name"] == "Swing")
    assert swing["method"] == "swing" and swing["owner"] == "analyst-user"
    assert swing["judgments"]["ratings"]["operational_security"] == 100 and swing["weights"]["budget"] == 0
    presets = [r for r in body["results"] if r["preset"]]
    assert {r["owner"] for r in presets} == {None} and len(presets) == 2
    detail = analyst_client.get(f"/api/weight-sets/{swing['id']}/").json()
    assert detail["participants"] == [] and detail["consistency_ratio"] is None


@pytest.mark.django_db
def test_weight_sets_are_read_only_and_need_a_role(client, django_user_model):
    assert client.get("/api/weight-sets/").status_code == 401
    client.force_login(make_user(django_user_model, ""))
    assert client.get("/api/weight-sets/").status_code == 403
    client.force_login(make_user(django_user_model, "analyst"))
    pk = WeightSet.objects.first().pk
    assert client.post("/api/weight-sets/", {}).status_code == 405
    assert client.delete(f"/api/weight-sets/{pk}/").status_code == 405
    assert client.get("/api/weight-sets/999999/").status_code == 404
