"""The hazards' backtest on a synthetic history whose true rates are known."""

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from risks.engine import backtest, hazard

GROUPS = ("formed", "individual")


def synthetic_history(missions: int = 40, seed: int = 3) -> tuple[backtest.History, dict[str, float]]:
    """Missions with steady strengths and true rates (deaths per 1,000 person-years) drawn from
    a Gamma; every month reported, 2015-01 to 2024-12; deaths Poisson at the true rate."""
    rng = np.random.default_rng(seed)
    names = [f"M{i:02d}" for i in range(missions)]
    truth = dict(zip(names, rng.gamma(1.5, 1.0, missions), strict=True))
    months = pd.date_range("2015-01-01", "2024-12-01", freq="MS")
    reports, deaths = [], []
    for name in names:
        strength = {"formed": float(rng.integers(200, 12000)), "individual": float(rng.integers(20, 600))}
        for month in months:
            for group in GROUPS:
                reports.append((name, group, month, strength[group]))
                for _ in range(rng.poisson(truth[name] * strength[group] / 12 / 1000)):
                    deaths.append((name, group, month + pd.Timedelta(days=int(rng.integers(0, 28)))))
    history = backtest.History(pd.DataFrame(reports, columns=["mission", "group", "month", "n"]),
                               pd.DataFrame(deaths, columns=["mission", "group", "date"]), names, GROUPS,
                               pd.Timestamp("2015-01-01"))
    return history, truth


@pytest.fixture(scope="module")
def synthetic():
    history, truth = synthetic_history()
    units = backtest.backtest(history)
    # The true-rate predictor: a Gamma so tight it is the Poisson at the truth.
    missions = units[units["level"] == "mission"].drop_duplicates(["year", "mission"])
    big = 1e9
    true_rate = missions["mission"].map(truth).to_numpy()
    oracle = backtest.score(true_rate * big, np.full(len(missions), big), missions["exposure_kpy"], missions["observed"])
    return history, truth, units, oracle


def test_it_predicts_each_year_after_a_cutoff_up_to_the_last_full_year(synthetic):
    history, _, units, _ = synthetic
    assert backtest.last_full_year(history) == 2024
    assert backtest.cutoffs(history) == [2018, 2019, 2020, 2021, 2022, 2023]
    assert sorted(units["year"].unique()) == [2019, 2020, 2021, 2022, 2023, 2024]
    assert set(units["predictor"]) == set(backtest.PREDICTORS)


def test_the_true_rate_covers_near_nominal(synthetic):
    *_, oracle = synthetic
    assert len(oracle) == 240
    assert oracle["cov50"].mean() == pytest.approx(0.5, abs=0.06)
    assert oracle["cov90"].mean() == pytest.approx(0.9, abs=0.04)


def test_the_model_covers_near_nominal_when_rates_are_steady(synthetic):
    _, _, units, _ = synthetic
    model = units[(units["level"] == "mission") & (units["predictor"] == "model")]
    assert model["cov50"].mean() == pytest.approx(0.5, abs=0.07)
    assert model["cov90"].mean() == pytest.approx(0.9, abs=0.05)


def test_the_true_rate_scores_best_and_the_model_beats_the_system_rate(synthetic):
    _, _, units, oracle = synthetic
    table = backtest.summary(units)
    overall = table[(table["level"] == "mission") & (table["year"] == 0)].set_index("predictor")
    for score in ("log_score", "rps"):
        assert oracle[score].mean() < overall[score].min()
        assert overall.loc["model", score] < overall.loc["system", score]


def test_a_single_rate_for_every_mission_makes_the_system_rate_win():
    """With one true rate everywhere, pooling everything is right and own records are noise."""
    history, _ = synthetic_history(missions=30, seed=5)
    rng = np.random.default_rng(9)
    reports = history.reports
    rows = []
    for row in reports.itertuples():
        for _ in range(rng.poisson(1.0 * row.n / 12 / 1000)):
            rows.append((row.mission, row.group, row.month + pd.Timedelta(days=3)))
    flat = backtest.History(reports, pd.DataFrame(rows, columns=["mission", "group", "date"]), history.missions,
                            GROUPS, history.start)
    table = backtest.summary(backtest.backtest(flat))
    overall = table[(table["level"] == "mission") & (table["year"] == 0)].set_index("predictor")
    assert overall.loc["system", "log_score"] < overall.loc["own", "log_score"]
    assert overall.loc["model", "log_score"] < overall.loc["own", "log_score"]


def test_the_fit_reads_nothing_after_the_cutoff(synthetic):
    history, *_ = synthetic
    later = history.deaths[history.deaths["date"] > "2020-12-31"]
    shifted = backtest.History(history.reports, pd.concat([history.deaths, later.assign(date=later["date"])]),
                               history.missions, GROUPS, history.start)
    assert backtest.training(shifted, 2020)[0].equals(backtest.training(history, 2020)[0])
    assert not backtest.training(shifted, 2021)[0].equals(backtest.training(history, 2021)[0])


def test_the_window_ends_at_the_last_report_as_the_product_does():
    months = pd.date_range("2015-01-01", "2018-02-01", freq="MS")
    reports = pd.DataFrame({"mission": "A", "group": "formed", "month": months, "n": 12000.0})
    deaths = pd.DataFrame({"mission": ["A", "A"], "group": ["formed", "formed"],
                           "date": pd.to_datetime(["2017-06-01", "2018-07-01"])})
    history = backtest.History(reports, deaths, ["A"], GROUPS, pd.Timestamp("2015-01-01"))
    k, kpy = backtest.training(history, 2018)
    assert k.loc["A", "formed"] == 1          # the July 2018 death falls after the last report
    assert kpy.loc["A", "formed"] == pytest.approx(len(months) * 12000 / 12 / 1000)


def test_a_year_without_reports_for_some_months_is_filled_in():
    months = [m for m in pd.date_range("2018-01-01", "2020-12-01", freq="MS") if not (m.year == 2019 and m.month < 9)]
    reports = pd.DataFrame({"mission": "A", "group": "formed", "month": months, "n": 1200.0})
    history = backtest.History(reports, pd.DataFrame(columns=["mission", "group", "date"]).astype(
        {"date": "datetime64[ns]"}), ["A"], GROUPS, pd.Timestamp("2015-01-01"))
    _, kpy = backtest.outcome(history, 2019)
    assert kpy.loc["A", "formed"] == pytest.approx(1.2)   # 12 months of 1,200 from 4 reported ones


def test_scores_match_their_definitions():
    shape, rate, exposure = np.array([3.0, 0.5]), np.array([2.0, 1.0]), np.array([1.5, 4.0])
    observed = np.array([2, 0])
    scored = backtest.score(shape, rate, exposure, observed)
    p = rate / (rate + exposure)
    assert scored["log_score"].to_numpy() == pytest.approx(-stats.nbinom.logpmf(observed, shape, p))
    assert scored["mean"].to_numpy() == pytest.approx(shape * exposure / rate)
    k = np.arange(400)
    for i in range(2):
        cdf = stats.nbinom.cdf(k, shape[i], p[i])
        assert scored["rps"][i] == pytest.approx(((cdf - (k >= observed[i])) ** 2).sum(), rel=1e-9)
        low, high = stats.nbinom.cdf(observed[i] - 1, shape[i], p[i]), stats.nbinom.cdf(observed[i], shape[i], p[i])
        inside = max(0.0, min(high, 0.95) - max(low, 0.05))
        assert scored["cov90"][i] == pytest.approx(inside / (high - low))


def test_calibration_bins_hold_every_unit_and_expect_at_least_two_deaths(synthetic):
    _, _, units, _ = synthetic
    bins = backtest.calibration(units)
    model = units[(units["level"] == "mission") & (units["predictor"] == "model")]
    assert bins["units"].sum() == len(model)
    assert bins["observed"].sum() == model["observed"].sum()
    assert (bins["predicted"] >= 2).all()
    assert (bins["low90"] <= bins["predicted"]).all() and (bins["predicted"] <= bins["high90"]).all()


def test_person_years_and_fit_are_the_products_formulas():
    rows = pd.DataFrame({"mission": ["A", "A", "B"], "group": ["formed", "formed", "individual"],
                         "month": pd.to_datetime(["2015-01-01", "2015-03-01", "2015-01-01"]), "n": [1200.0, 1200.0, 600.0]})
    kpy = hazard.person_years(rows, ["A", "B", "C"], GROUPS)
    assert kpy.loc["A", "formed"] == pytest.approx(2400 / 12 * 3 / 2 / 1000)   # February filled in
    assert kpy.loc["C"].sum() == 0
    deaths = pd.DataFrame({"formed": [2.0, 0.0, 0.0], "individual": [0.0, 1.0, 0.0]}, index=["A", "B", "C"])
    fit = hazard.fit(deaths, kpy)
    system_all = 3 / kpy.to_numpy().sum()
    assert fit.system_all == pytest.approx(system_all)
    assert fit.shape == pytest.approx(system_all * hazard.PRIOR_KPY + np.array([2, 1, 0]))
    assert fit.rate == pytest.approx(hazard.PRIOR_KPY + kpy.sum(axis=1).to_numpy())


def test_the_backtest_imports_no_django():
    code = "import sys, risks.engine.backtest; print('django' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_a_history_without_a_full_year_after_the_first_cutoff_has_nothing_to_score():
    months = pd.date_range("2015-01-01", "2018-06-01", freq="MS")
    reports = pd.DataFrame({"mission": "A", "group": "formed", "month": months, "n": 100.0})
    empty = pd.DataFrame(columns=["mission", "group", "date"]).astype({"date": "datetime64[ns]"})
    for history in (backtest.History(reports, empty, ["A"], GROUPS, pd.Timestamp("2015-01-01")),
                    backtest.History(reports.iloc[:0], empty, ["A"], GROUPS, pd.Timestamp("2015-01-01"))):
        assert backtest.cutoffs(history) == []
        assert backtest.summary(backtest.backtest(history)).empty


def test_the_window_ends_at_the_last_fatality_of_any_kind_as_the_product_does():
    months = pd.date_range("2015-01-01", "2019-12-01", freq="MS")
    reports = pd.DataFrame({"mission": "A", "group": "formed", "month": months, "n": 1200.0})
    deaths = pd.DataFrame({"mission": ["A"], "group": ["formed"], "date": pd.to_datetime(["2019-11-20"])})
    uniformed_only = backtest.History(reports, deaths, ["A"], GROUPS, pd.Timestamp("2015-01-01"))
    with_civilians = backtest.History(reports, deaths, ["A"], GROUPS, pd.Timestamp("2015-01-01"),
                                      pd.to_datetime(pd.Series(["2019-11-20", "2019-12-28"])))
    assert backtest.training(uniformed_only, 2019)[1].loc["A", "formed"] == pytest.approx(59 * 0.1)
    assert backtest.training(with_civilians, 2019)[1].loc["A", "formed"] == pytest.approx(60 * 0.1)
