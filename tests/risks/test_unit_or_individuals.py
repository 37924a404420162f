"""The overview's "a unit or individuals?" without the size effect: each mode's best option per
10 people and per US$ 1 M a year, from the same rows the answer table shows."""

import pytest

from risks import scale
from risks.templatetags.best_options import build_answer, size_neutral

pytestmark = pytest.mark.django_db


def test_each_modes_best_option_is_shown_per_person_and_per_dollar():
    answer = build_answer()
    shown = [r for r in answer["rows"] if not r["none"]]
    assert len(answer["per_size"]) == len(shown) >= 3
    for row, per in zip(shown, answer["per_size"], strict=True):
        index = scale.index(row["net"], answer["anchor"])
        assert per["per_10"] == pytest.approx(index / row["size"] * 10)
        assert per["deaths_per_100"] == pytest.approx(row["expected_fatalities"] / row["size"] * 100)
        if row["net_cost_usd"] > 0:
            assert per["per_musd"] == pytest.approx(index / (row["net_cost_usd"] / 1e6))
    assert answer["best_per_person"]["per_10"] == max(p["per_10"] for p in answer["per_size"])


def test_a_small_option_is_not_favoured_by_the_table_above_alone():
    # two options of the same value per person: the larger has the larger index, the same per-10 figure
    rows = [{"none": False, "mode_name": "A", "mission": "X", "size": 150, "net": 1.5, "net_cost_usd": 3e6,
             "expected_fatalities": 0.3},
            {"none": False, "mode_name": "B", "mission": "Y", "size": 10, "net": 0.1, "net_cost_usd": 2e5,
             "expected_fatalities": 0.02}]
    out = size_neutral(rows, anchor=1.5)["per_size"]
    assert out[0]["per_10"] == pytest.approx(out[1]["per_10"])
    assert out[0]["per_musd"] == pytest.approx(out[1]["per_musd"])
    assert out[0]["deaths_per_100"] == pytest.approx(out[1]["deaths_per_100"])
    assert size_neutral(rows, anchor=None)["per_size"] == []


def test_the_overview_says_it_in_english_and_spanish(analyst_client):
    html = analyst_client.get("/").content.decode()
    assert 'id="unit-or-individuals"' in html and "Index per 10 people" in html
    html = analyst_client.get("/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "¿Una unidad o personal individual?" in html and "Índice por cada 10 personas" in html


def test_the_answer_says_when_mexico_could_field_each_best_option():
    answer = build_answer()
    first = answer["first_year"]
    for row in (r for r in answer["rows"] if not r["none"]):
        if row["mode"] in ("individual", "civilian"):
            assert row["from_year"] == first   # individuals are always ready
        else:
            # no formed personnel is trained in the pathway's first year (pathway_rules.csv)
            assert row["from_year"] is None or row["from_year"] > first
    top = answer["top"]
    if top["from_year"] != first:
        # the strongest option ready next year is named beside a later one
        assert answer["top_now"] is not None and answer["top_now"]["mission"]


def test_the_overview_names_the_year_a_formed_unit_could_deploy(analyst_client):
    answer = build_answer()
    if answer["top"]["ready_now"]:
        pytest.skip("the strongest option is ready in the first year with today's data")
    html = analyst_client.get("/").content.decode()
    assert f"from {answer['top']['from_year']} at the earliest" in html
    assert f"The strongest option Mexico could field in {answer['first_year']}" in html
    html = analyst_client.get("/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert f"a partir de {answer['top']['from_year']} como pronto" in html
