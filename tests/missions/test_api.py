"""GET /api/deployments/: the shape the foundation promises, and totals equal to the UN file."""

import pandas as pd
import pytest
from django.conf import settings


@pytest.mark.django_db
def test_mexicos_monthly_totals_equal_the_shipped_un_file(analyst_client):
    un = pd.read_csv(settings.PKO_DATA_DIR / "un" / "un_uniformed_contributions_monthly_2015_2025.csv.gz",
                     keep_default_na=False, dtype=str)
    mexico = un[un["isocode3"] == "MEX"]
    expected = mexico.groupby(mexico["report_date"].str[:7])["total_personnel"].apply(
        lambda s: s.astype(int).sum()).to_dict()
    response = analyst_client.get("/api/deployments/", {"country": "MEX", "group_by": "month"})
    assert response.status_code == 200
    served = {row["month"]: row["total"] for row in response.json() if row["month"] >= "2015-01"}
    assert served == expected
    assert set(response.json()[0]) >= {"month", "total", "male", "female"}


@pytest.mark.django_db
def test_rows_can_be_grouped_by_mission_and_type(analyst_client):
    rows = analyst_client.get("/api/deployments/", {
        "country": "mex", "group_by": "mission,personnel_type", "start": "2019-09", "end": "2019-12"}).json()
    assert {"mission", "personnel_type", "total"} <= set(rows[0])
    assert any(r["mission"] == "MINURSO" for r in rows)


@pytest.mark.django_db
@pytest.mark.parametrize("params, field", [
    ({"group_by": "planet"}, "group_by"),
    ({"country": "Mexico"}, "country"),
    ({"start": "2020-13"}, "start"),
    ({"personnel_type": "pilots"}, "personnel_type"),
    ({"start": "2020-05", "end": "2019-01"}, "non_field_errors"),
])
def test_bad_parameters_answer_400_with_a_reason(analyst_client, params, field):
    response = analyst_client.get("/api/deployments/", params)
    assert response.status_code == 400
    assert field in response.json()


@pytest.mark.django_db
def test_the_api_needs_a_login(client):
    response = client.get("/api/deployments/", {"country": "MEX"})
    assert response.status_code == 401
