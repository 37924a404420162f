"""The hazards' backtest for the page, the briefings and the command: reads the history once,
runs risks.engine.backtest and keeps the result under the data vintage (a new release or a
curator's edit of the missions data is a new key, so the next reader recomputes it)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from django.db.models import Count, Sum

from missions.models import DataSource, Deployment, Fatality, Mission
from risks.engine import backtest, hazard, model
from risks.inputs import GROUP_OF_DEATH, GROUP_OF_TYPE, WINDOW_START, memoised

PRIOR_WEIGHTS = (0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 25.0)   # thousand person-years, for the prior's check
WINDOWS = (3, 5)                                           # years, against the whole window since 2015


@dataclass(frozen=True)
class Validation:
    """units: backtest.backtest()'s rows; table: backtest.summary(); worst: the model's ten
    largest misses per mission-year; calibration: backtest.calibration() of the model per
    mission-year; priors: per prior weight (thousand person-years) and window (years, 0 =
    since 2015) the model's overall log score and RPS per mission-year; cutoffs."""

    units: pd.DataFrame
    table: pd.DataFrame
    worst: pd.DataFrame
    calibration: pd.DataFrame
    priors: pd.DataFrame
    cutoffs: list[int]
    prior_kpy: float


def read_history() -> backtest.History:
    """Every mission (as risks.inputs.hazard_table lists them), its UN monthly reports since the
    hazard window opened and its deaths of uniformed personnel since then, one row each."""
    missions = list(Mission.objects.order_by("acronym").values_list("acronym", flat=True))
    reports = pd.DataFrame(list(
        Deployment.objects.filter(source=DataSource.UN_MONTHLY, mission__isnull=False, month__gte=WINDOW_START)
        .values("mission__acronym", "personnel_type", "month").annotate(n=Sum("total"))),
        columns=["mission__acronym", "personnel_type", "month", "n"])
    reports = pd.DataFrame({"mission": reports["mission__acronym"], "group": reports["personnel_type"].map(GROUP_OF_TYPE),
                            "month": pd.to_datetime(reports["month"]), "n": reports["n"].astype(float)})
    deaths = pd.DataFrame(list(
        Fatality.objects.filter(incident_date__gte=WINDOW_START, personnel_type__in=list(GROUP_OF_DEATH),
                                mission__isnull=False)
        .values("mission__acronym", "personnel_type", "incident_date").annotate(n=Count("id"))),
        columns=["mission__acronym", "personnel_type", "incident_date", "n"])
    deaths = deaths.loc[deaths.index.repeat(deaths["n"])]
    deaths = pd.DataFrame({"mission": deaths["mission__acronym"].to_numpy(),
                           "group": deaths["personnel_type"].map(GROUP_OF_DEATH).to_numpy(),
                           "date": pd.to_datetime(deaths["incident_date"]).to_numpy()})
    # The product's window ends at the last fatality of any kind on record (risks.inputs).
    recorded = pd.to_datetime(pd.Series(list(Fatality.objects.values_list("incident_date", flat=True).distinct())))
    return backtest.History(reports, deaths, missions, model.GROUPS, pd.Timestamp(WINDOW_START), recorded.dropna())


def validate(history: backtest.History, prior_kpy: float = hazard.PRIOR_KPY) -> Validation:
    if not backtest.cutoffs(history):
        units = backtest.backtest(history, prior_kpy)
        return Validation(units, backtest.summary(units), units, pd.DataFrame(), pd.DataFrame(), [], prior_kpy)
    whole = backtest.folds(history)
    outcomes = {cutoff + 1: seen for cutoff, _, seen in whole}
    units = backtest.backtest(history, prior_kpy, folds_=whole)
    table = backtest.summary(units)
    rows = []
    for window in (None, *WINDOWS):
        windowed = whole if window is None else backtest.folds(history, window, outcomes=outcomes)
        for weight in PRIOR_WEIGHTS:
            tried = units if weight == prior_kpy and window is None else backtest.backtest(
                history, weight, folds_=windowed, which=("model",))
            part = tried[(tried["predictor"] == "model") & (tried["level"] == "mission")]
            rows.append({"prior_kpy": weight, "window": window or 0, "log_score": float(part["log_score"].mean()),
                         "rps": float(part["rps"].mean()), "cov50": float(part["cov50"].mean()),
                         "cov90": float(part["cov90"].mean())})
    return Validation(units, table, backtest.worst(units), backtest.calibration(units), pd.DataFrame(rows),
                      backtest.cutoffs(history), prior_kpy)


def cache_key() -> str:
    """The backtest's cache key: the data vintage, the prior and the first cut-off."""
    from missions.selectors import data_vintage

    return f"risks:validation:{data_vintage()}:{hazard.PRIOR_KPY}:{backtest.FIRST_CUTOFF}"


def current() -> Validation:
    """The backtest of the data as they are, computed once per data vintage and prior."""
    return memoised(cache_key(), lambda: validate(read_history()))


def findings(v: Validation, level: str = "mission") -> dict:
    """The headline numbers every surface states: per predictor its overall coverage, log score
    and RPS at the level; the years where a baseline beat the model on either score; the best
    prior weight and window tried; and the totals predicted and observed."""
    table = v.table[v.table["level"] == level]
    overall = table[table["year"] == 0].set_index("predictor")
    beaten = []
    for year, part in table[table["year"] > 0].groupby("year"):
        scores = part.set_index("predictor")
        for baseline in ("system", "own"):
            for score in ("log_score", "rps"):
                if scores.loc[baseline, score] < scores.loc["model", score]:
                    beaten.append({"year": int(year), "baseline": baseline, "score": score,
                                   "model": float(scores.loc["model", score]), "value": float(scores.loc[baseline, score])})
    best = v.priors.sort_values(["log_score", "rps"]).iloc[0]
    current = v.priors[(v.priors["prior_kpy"] == v.prior_kpy) & (v.priors["window"] == 0)].iloc[0]
    win = backtest.winner(v.table, level)
    return {
        "scores": {p: {k: float(overall.loc[p, k]) for k in ("cov50", "cov90", "log_score", "rps", "predicted")}
                   | {"units": int(overall.loc[p, "units"]), "observed": int(overall.loc[p, "observed"])}
                   for p in backtest.PREDICTORS},
        "model_best": win["log_score"] == "model" and win["rps"] == "model", "winner": win, "beaten": beaten,
        "first_year": min(v.cutoffs) + 1 if v.cutoffs else None, "last_year": max(v.cutoffs) + 1 if v.cutoffs else None,
        "best_prior": float(best["prior_kpy"]), "best_window": int(best["window"]),
        "best_log_score": float(best["log_score"]), "best_rps": float(best["rps"]),
        "current_log_score": float(current["log_score"]), "current_rps": float(current["rps"]),
    }


def table_rows(v: Validation, level: str) -> list[dict]:
    """The summary table at the level as dicts (year 0 = all years), in display order."""
    return v.table[v.table["level"] == level].to_dict(orient="records")


def csv_bytes(v: Validation) -> bytes:
    """The summary table (both levels, per year and overall) as CSV."""
    return v.table.to_csv(index=False, float_format="%.4f").encode()
