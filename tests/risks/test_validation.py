"""The hazards' backtest on the shipped data: the page, the command and the briefing agree."""

import io

import pandas as pd
import pytest
from django.core.management import call_command
from django.utils import translation

from briefings.content import briefing_content
from briefings.data import briefing_data
from missions.models import MandateFunction, Mission
from risks import inputs, services, validation
from risks.engine import backtest, hazard
from risks.models import ContributionMode, Scenario

pytestmark = pytest.mark.django_db


def test_the_backtest_fits_the_hazards_exactly_as_the_product_does():
    """Cut at a date after every record, the backtest's fit is the product's own."""
    history = validation.read_history()
    deaths, kpy = backtest.training(history, history.reports["month"].max().year + 1)
    fitted = hazard.fit(deaths, kpy)
    product = inputs.hazard_table()
    assert list(product.index) == history.missions
    for j, group in enumerate(("formed", "individual")):
        assert fitted.shape == pytest.approx(product[f"shape_{group}"].to_numpy(), rel=1e-12)
        assert fitted.group_rate[:, j] == pytest.approx(product[f"rate_{group}"].to_numpy(), rel=1e-12)
    assert fitted.system_all == pytest.approx(product.attrs["system_all"], rel=1e-12)


def test_the_model_beats_both_baselines_on_the_shipped_data():
    """The deciding test: if a baseline ever predicts better over all years, the prior or the
    window must change (the page says so too)."""
    v = validation.current()
    assert v.cutoffs[0] == 2018 and v.cutoffs[-1] + 1 == backtest.last_full_year(validation.read_history())
    for level in ("mission", "group"):
        assert validation.findings(v, level)["model_best"], level
    found = validation.findings(v)
    assert 0.8 < found["scores"]["model"]["cov90"] < 0.97
    assert 0.35 < found["scores"]["model"]["cov50"] < 0.6


def test_the_backtest_is_kept_per_data_vintage(monkeypatch):
    first = validation.current()
    assert validation.current() is first
    monkeypatch.setattr("missions.selectors.data_vintage", lambda: "another-vintage")
    again = validation.current()
    assert again is not first
    pd.testing.assert_frame_equal(again.table, first.table)


def page_text(client, language: str) -> str:
    client.cookies["django_language"] = language
    response = client.get("/validation/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_page_shows_the_table_chart_and_verdict_in_english(analyst_client):
    html = page_text(analyst_client, "en")
    found = validation.findings(validation.current())
    assert "How good are these numbers?" in html
    assert 'id="fig-calibration"' in html
    for predictor in ("model", "system", "own"):
        assert f"{found['scores'][predictor]['log_score']:.3f}" in html
        assert f"{found['scores'][predictor]['rps']:.3f}" in html
    assert "predicts better than both baselines" in html
    for row in found["beaten"]:
        assert f"{row['value']:.3f}" in html


def test_the_page_speaks_spanish(analyst_client):
    html = page_text(analyst_client, "es")
    found = validation.findings(validation.current())
    assert "¿Qué tan buenas son estas cifras?" in html
    assert "Historial propio de cada misión" in html
    assert "How good are these numbers?" not in html
    assert f"{found['scores']['model']['log_score']:.3f}" in html  # es-MX: a decimal point, as in English


def test_the_page_needs_an_account(client):
    assert client.get("/validation/").status_code == 302


def test_the_command_prints_the_table_and_writes_it_as_csv(tmp_path):
    out = io.StringIO()
    call_command("validate_model", output=tmp_path / "backtest.csv", stdout=out)
    text = out.getvalue()
    v = validation.current()
    written = pd.read_csv(tmp_path / "backtest.csv")
    assert len(written) == len(v.table)
    assert set(written["predictor"]) == {"model", "system", "own"}
    for row in validation.table_rows(v, "mission"):
        assert f"{row['log_score']:>10.3f}{row['rps']:>8.3f}" in text
    assert written.loc[(written["level"] == "mission") & (written["year"] == 0) & (written["predictor"] == "model"),
                       "rps"].iloc[0] == pytest.approx(validation.findings(v)["scores"]["model"]["rps"], abs=1e-4)
    assert "beats both baselines" in text


def test_the_command_refuses_a_missing_directory(tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="does not exist"):
        call_command("validate_model", output=tmp_path / "nowhere" / "x.csv", stdout=io.StringIO())


def test_the_briefing_appendix_states_the_page_numbers(analyst):
    scenario = Scenario.objects.create(name="Observers", owner=analyst,
                                       mode=ContributionMode.objects.get(code="individual"))
    scenario.missions.set(Mission.objects.filter(acronym__in=["UNFICYP", "MINURSO"]))
    scenario.functions.set(MandateFunction.objects.filter(code="ceasefire_monitoring"))
    services.recompute_scenario(scenario.pk)
    found = validation.findings(validation.current())
    for language, point in (("en", "."), ("es", ".")):  # es-MX writes a decimal point
        with translation.override(language):
            sentence = briefing_content(briefing_data(scenario, language=language))["validation"]
        # rounded as the page (floatformat) and the command (format) round them
        for predictor in ("model", "system", "own"):
            for score in ("log_score", "rps"):
                assert f"{found['scores'][predictor][score]:.3f}".replace(".", point) in sentence
        assert f" {found['scores']['model']['predicted']:.0f} " in sentence
        assert f"{found['scores']['model']['cov90'] * 100:.0f}" in sentence
    assert "Puestas a prueba" in sentence


def test_every_hazard_shown_links_to_the_page(analyst_client):
    html = analyst_client.get("/missions/UNFICYP/").content.decode()
    assert 'href="/validation/"' in html


def test_the_page_says_so_when_a_baseline_wins(analyst_client, monkeypatch):
    real = validation.findings

    def beaten(v, level="mission"):
        return {**real(v, level), "model_best": False}

    monkeypatch.setattr(validation, "findings", beaten)
    html = page_text(analyst_client, "en")
    assert "a baseline predicts better than the model" in html
    assert "predicts better than both baselines" not in html


def test_the_page_and_the_command_say_when_there_is_nothing_to_test(analyst_client, monkeypatch):
    from django.core.management.base import CommandError

    empty = validation.Validation(pd.DataFrame(), pd.DataFrame(), pd.DataFrame(), pd.DataFrame(), pd.DataFrame(), [],
                                  hazard.PRIOR_KPY)
    monkeypatch.setattr(validation, "current", lambda: empty)
    assert "no full year after 2018" in page_text(analyst_client, "en")
    with pytest.raises(CommandError, match="nothing to backtest"):
        call_command("validate_model", stdout=io.StringIO())


def test_the_page_has_a_csv_twin_and_refuses_other_formats(analyst_client):
    response = analyst_client.get("/validation/?format=csv")
    assert response.status_code == 200 and response["Content-Type"] == "text/csv"
    assert response.content == validation.csv_bytes(validation.current())
    assert analyst_client.get("/validation/?format=xml").status_code == 400
