"""How well the fatality hazards predicted what happened next: a rolling-origin backtest.
Pure numpy/pandas/scipy.

For each cut-off year c (from FIRST_CUTOFF to the year before the last full year of data), the
hazards are fitted as the product would have fitted them on 31 December c: UN monthly reports
and fatalities up to then, the window ending at the earlier of the last report and the last
death (risks.inputs), person-years and posteriors from risks.engine.hazard.person_years and
.fit. Each mission's uniformed deaths in year c + 1 (and each mission and personnel group's) are
then predicted from the person-years it actually had that year, T thousand:

    N ~ Poisson(lambda T),  lambda ~ Gamma(a, b)   =>   N ~ NegBin(n = a, p = b / (b + T))

Three predictors, each a Gamma over the rate, so each predicts a negative binomial:

    model    the product's posterior (the system rate as prior, worth PRIOR_KPY thousand
             person-years, or the prior weight given)
    system   every mission at the system-wide rate: Gamma(K, T_all) over all missions' K deaths
             in T_all thousand person-years (no mission's record counts on its own)
    own      each mission's own record alone (no pooling): Jeffreys Gamma(k + 1/2, T); a mission
             with no person-years before the cut-off has no record and gets the system rate

Scores of a predictive distribution F (pmf p) for an observed count y, averaged over units
(mission-years, or mission-group-years):

    coverage of the central interval of level l: the non-randomised PIT (Czado, Gneiting and
        Held, Biometrics 65, 2009): y counts for the share of [F(y - 1), F(y)] that lies in
        [(1 - l) / 2, (1 + l) / 2], so a calibrated forecast covers l on average although a
        count's interval cannot hold exactly l;
    log score = -log p(y), in nats (lower is better; Gneiting and Raftery, JASA 102, 2007);
    ranked probability score RPS = sum over k >= 0 of (F(k) - 1{y <= k})^2 (lower is better).

Reference for the design: Hyndman and Athanasopoulos, Forecasting: Principles and Practice
(3rd ed., 2021), sec. 5.10 (time-series cross-validation: evaluation on a rolling origin).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from risks.engine import hazard

FIRST_CUTOFF = 2018
PREDICTORS = ("model", "system", "own")
LEVELS = (0.5, 0.9)
TAIL = 1e-9            # the predictive pmf is summed until its upper tail is below this


@dataclass(frozen=True)
class History:
    """What the backtest reads. reports: one row per report line, columns mission, group, month
    (Timestamp, first of the month), n (personnel that month); deaths: one row per death, columns
    mission, group, date (Timestamp); missions: every mission; groups: the hazard groups;
    start: the first day of the hazard window; record_dates: see below."""

    reports: pd.DataFrame
    deaths: pd.DataFrame
    missions: list[str]
    groups: tuple[str, ...]
    start: pd.Timestamp
    record_dates: pd.Series | None = None   # every fatality's date (any person, any mission): the
                                            # product's window ends at the last of them; default: deaths'


def last_full_year(history: History) -> int | None:
    """The last calendar year whose December has a UN report (None without reports)."""
    if history.reports.empty:
        return None
    last = history.reports["month"].max()
    return last.year if last.month == 12 else last.year - 1


def cutoffs(history: History, first: int = FIRST_CUTOFF) -> list[int]:
    """Cut-off years: each predicts the year after it, the last of them the last full year."""
    last = last_full_year(history)
    return [] if last is None else list(range(first, last))


def _counts(deaths: pd.DataFrame, missions: list[str], groups: tuple[str, ...]) -> pd.DataFrame:
    if deaths.empty:
        return pd.DataFrame(0.0, index=pd.Index(missions), columns=list(groups))
    return (deaths.groupby(["mission", "group"]).size().unstack(fill_value=0)
            .reindex(index=missions, columns=list(groups), fill_value=0).astype(float))


def training(history: History, cutoff: int, window_years: int | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(deaths, thousand person-years), each (missions x groups), as the product would have read
    them on 31 December of the cut-off year; window_years keeps only the last years of that."""
    day = pd.Timestamp(cutoff, 12, 31)
    reports = history.reports[(history.reports["month"] >= history.start) & (history.reports["month"] <= day)]
    deaths = history.deaths[(history.deaths["date"] >= history.start) & (history.deaths["date"] <= day)]
    recorded = history.deaths["date"] if history.record_dates is None else history.record_dates
    recorded = recorded[recorded <= day]
    ends = [day] + ([reports["month"].max()] if len(reports) else []) + ([recorded.max()] if len(recorded) else [])
    end = min(ends)
    begin = history.start if window_years is None else max(history.start, pd.Timestamp(cutoff - window_years + 1, 1, 1))
    reports = reports[(reports["month"] <= end) & (reports["month"] >= begin)]
    deaths = deaths[(deaths["date"] <= end) & (deaths["date"] >= begin)]
    return (_counts(deaths, history.missions, history.groups),
            hazard.person_years(reports, history.missions, history.groups))


def outcome(history: History, year: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(deaths, thousand person-years) in the year, each (missions x groups). A mission's months
    in the year without a report (between its first and its last report ever) are filled in at
    its average over the year's reports, as the product fills in its window."""
    reports = history.reports
    span = reports.groupby("mission")["month"].agg(["min", "max"])
    in_year = reports[reports["month"].dt.year == year]
    months = pd.date_range(pd.Timestamp(year, 1, 1), pd.Timestamp(year, 12, 1), freq="MS").to_numpy()
    inside = (months[None, :] >= span["min"].to_numpy()[:, None]) & (months[None, :] <= span["max"].to_numpy()[:, None])
    spanned = pd.Series(inside.sum(axis=1), index=span.index, dtype=float)
    reported = in_year.groupby("mission")["month"].nunique()
    scale = (spanned.reindex(reported.index) / reported).reindex(history.missions).fillna(0.0)
    py = in_year.groupby(["mission", "group"])["n"].sum().unstack(fill_value=0).reindex(
        index=history.missions, columns=list(history.groups), fill_value=0) / 12 * scale.to_numpy()[:, None]
    deaths = history.deaths[history.deaths["date"].dt.year == year]
    return _counts(deaths, history.missions, history.groups), py.astype(float) / 1000


def predictors(deaths: pd.DataFrame, kpy: pd.DataFrame, prior_kpy: float = hazard.PRIOR_KPY
               ) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Per predictor, (shape, rate) arrays of shape (M, 1 + G): column 0 all uniformed
    personnel, then one per group; rates in deaths per thousand person-years."""
    fitted = hazard.fit(deaths, kpy, prior_kpy)
    m = len(kpy)
    k = np.column_stack([deaths.sum(axis=1).to_numpy(float), deaths.to_numpy(float)])
    t = np.column_stack([kpy.sum(axis=1).to_numpy(float), kpy.to_numpy(float)])
    total_k, total_t = k.sum(axis=0), t.sum(axis=0)
    sys_shape = np.broadcast_to(np.maximum(total_k, 0.5), (m, t.shape[1])).copy()
    sys_rate = np.broadcast_to(np.where(total_t > 0, total_t, 1.0), (m, t.shape[1])).copy()
    has = t > 0
    own_shape = np.where(has, k + 0.5, sys_shape)
    own_rate = np.where(has, t, sys_rate)
    model_shape = np.repeat(fitted.shape[:, None], t.shape[1], axis=1)
    model_rate = np.column_stack([fitted.rate, fitted.group_rate])
    return {"model": (model_shape, model_rate), "system": (sys_shape, sys_rate), "own": (own_shape, own_rate)}


def _pmf_table(shape: np.ndarray, p: np.ndarray, observed: np.ndarray) -> np.ndarray:
    """(units, K) pmf of NegBin(shape, p) at k = 0..K-1, K past every unit's tail and outcome."""
    top = int(max(np.max(stats.nbinom.isf(TAIL, shape, p)), observed.max())) + 2
    k = np.arange(top)
    return stats.nbinom.pmf(k[None, :], shape[:, None], p[:, None])


def score(shape: np.ndarray, rate: np.ndarray, exposure: np.ndarray, observed: np.ndarray) -> pd.DataFrame:
    """Scores of NegBin predictions for units (n,): shape, rate (deaths per thousand
    person-years), exposure (thousand person-years), observed (deaths). Columns mean, low50,
    high50, low90, high90 (central intervals' ends, as counts), cov50, cov90, log_score, rps."""
    shape, rate = np.asarray(shape, float), np.asarray(rate, float)
    exposure, observed = np.asarray(exposure, float), np.asarray(observed).astype(int)
    p = rate / (rate + exposure)
    out = pd.DataFrame({"mean": shape * exposure / rate})
    if not len(shape):
        for name in ("low50", "high50", "low90", "high90", "cov50", "cov90", "log_score", "rps"):
            out[name] = pd.Series(dtype=float)
        return out
    pmf = _pmf_table(shape, p, observed)
    cdf = np.minimum(np.cumsum(pmf, axis=1), 1.0)
    rows = np.arange(len(shape))
    upper = cdf[rows, observed]
    lower = np.where(observed > 0, cdf[rows, np.maximum(observed - 1, 0)], 0.0)
    width = upper - lower
    for level in LEVELS:
        lo, hi = (1 - level) / 2, (1 + level) / 2
        inside = np.clip(np.minimum(upper, hi) - np.maximum(lower, lo), 0, None)
        share = np.where(width > 1e-12, inside / np.where(width > 1e-12, width, 1.0), (upper >= lo) & (upper <= hi))
        tag = f"{round(level * 100)}"
        out[f"low{tag}"] = stats.nbinom.ppf(lo, shape, p)
        out[f"high{tag}"] = stats.nbinom.ppf(hi, shape, p)
        out[f"cov{tag}"] = share
    out["log_score"] = -stats.nbinom.logpmf(observed, shape, p)
    step = (np.arange(cdf.shape[1])[None, :] >= observed[:, None]).astype(float)
    out["rps"] = ((cdf - step) ** 2).sum(axis=1)
    return out


Fold = tuple[int, tuple[pd.DataFrame, pd.DataFrame], tuple[pd.DataFrame, pd.DataFrame]]


def folds(history: History, window_years: int | None = None, first: int = FIRST_CUTOFF,
          outcomes: dict[int, tuple[pd.DataFrame, pd.DataFrame]] | None = None) -> list[Fold]:
    """Per cut-off: (cutoff, training(), outcome() of the next year). outcomes: the years'
    outcome() already computed (they do not depend on the window)."""
    outcomes = outcomes or {}
    return [(c, training(history, c, window_years), outcomes.get(c + 1) or outcome(history, c + 1))
            for c in cutoffs(history, first)]


def backtest(history: History, prior_kpy: float = hazard.PRIOR_KPY, window_years: int | None = None,
             first: int = FIRST_CUTOFF, folds_: list[Fold] | None = None,
             which: tuple[str, ...] = PREDICTORS) -> pd.DataFrame:
    """One row per cut-off, unit and predictor. Columns: cutoff, year (predicted), level
    ('mission': all uniformed personnel; 'group': one personnel group), mission, group ('all'
    or the group), predictor, exposure_kpy, observed, then score()'s columns. Units are the
    missions (and groups) with person-years in the predicted year; shape and rate (the
    predictive Gamma over the rate) close each row. folds_: folds() already computed (the prior
    weight does not change them); which: the predictors to score."""
    frames = []
    labels = ("all", *history.groups)
    for cutoff, (deaths, kpy), (seen, exposure) in (folds(history, window_years, first) if folds_ is None else folds_):
        observed = np.column_stack([seen.sum(axis=1).to_numpy(), seen.to_numpy()])
        t = np.column_stack([exposure.sum(axis=1).to_numpy(), exposure.to_numpy()])
        m_idx, g_idx = np.nonzero(t > 0)
        for name, (shape, rate) in predictors(deaths, kpy, prior_kpy).items():
            if name not in which:
                continue
            scored = score(shape[m_idx, g_idx], rate[m_idx, g_idx], t[m_idx, g_idx], observed[m_idx, g_idx])
            scored["shape"], scored["rate"] = shape[m_idx, g_idx], rate[m_idx, g_idx]
            scored.insert(0, "observed", observed[m_idx, g_idx].astype(int))
            scored.insert(0, "exposure_kpy", t[m_idx, g_idx])
            scored.insert(0, "predictor", name)
            scored.insert(0, "group", [labels[g] for g in g_idx])
            scored.insert(0, "mission", [history.missions[m] for m in m_idx])
            scored.insert(0, "level", np.where(g_idx == 0, "mission", "group"))
            scored.insert(0, "year", cutoff + 1)
            scored.insert(0, "cutoff", cutoff)
            frames.append(scored)
    if not frames:
        return pd.DataFrame(columns=["cutoff", "year", "level", "mission", "group", "predictor", "exposure_kpy",
                                     "observed", "mean", "low50", "high50", "low90", "high90", "cov50", "cov90",
                                     "log_score", "rps", "shape", "rate"])
    return pd.concat(frames, ignore_index=True)


def summary(units: pd.DataFrame) -> pd.DataFrame:
    """Per level, year (0 = every year) and predictor: units, observed and predicted deaths
    (sums), mean cov50, cov90, log_score and rps. Sorted by level, year, predictor order."""
    keys = ["level", "year", "predictor"]
    agg = {"units": ("observed", "size"), "observed": ("observed", "sum"), "predicted": ("mean", "sum"),
           "cov50": ("cov50", "mean"), "cov90": ("cov90", "mean"), "log_score": ("log_score", "mean"),
           "rps": ("rps", "mean")}
    per_year = units.groupby(keys).agg(**agg).reset_index()
    overall = units.groupby(["level", "predictor"]).agg(**agg).reset_index()
    overall.insert(1, "year", 0)
    table = pd.concat([per_year, overall], ignore_index=True)
    table["order"] = table["predictor"].map({p: i for i, p in enumerate(PREDICTORS)})
    table["level_order"] = table["level"].map({"mission": 0, "group": 1})
    table["year_order"] = table["year"].replace(0, 10**6)
    return (table.sort_values(["level_order", "year_order", "order"]).drop(columns=["order", "level_order", "year_order"])
            .reset_index(drop=True))


def winner(table: pd.DataFrame, level: str = "mission") -> dict[str, str]:
    """Over every year at the level: the predictor with the lowest mean log score and the one
    with the lowest mean RPS."""
    overall = table[(table["level"] == level) & (table["year"] == 0)].set_index("predictor")
    return {"log_score": str(overall["log_score"].idxmin()), "rps": str(overall["rps"].idxmin())}


def worst(units: pd.DataFrame, n: int = 10, predictor: str = "model", level: str = "mission") -> pd.DataFrame:
    """The n units the predictor missed most (highest log score), worst first."""
    rows = units[(units["predictor"] == predictor) & (units["level"] == level)]
    return rows.sort_values(["log_score", "year"], ascending=[False, True]).head(n).reset_index(drop=True)


def calibration(units: pd.DataFrame, bins: int = 12, predictor: str = "model", level: str = "mission",
                min_expected: float = 2.0) -> pd.DataFrame:
    """Units of the predictor and level sorted by predicted mean and cut into `bins` groups of
    (nearly) equal size; the lowest groups are merged until each expects at least min_expected
    deaths (where the whole lot expects that many), so a bin's total is worth comparing. Per bin: units, predicted (sum of means), low90 and high90 (the central
    90% interval of the bin's total deaths: the convolution of its units' predictive pmfs),
    observed (sum); low_mean and high_mean, the bin's range of predicted means."""
    rows = units[(units["predictor"] == predictor) & (units["level"] == level)].sort_values("mean")
    parts = [p for p in np.array_split(np.arange(len(rows)), min(bins, len(rows))) if len(p)]
    means = rows["mean"].to_numpy()
    while len(parts) > 1 and means[parts[0]].sum() < min_expected:
        parts[:2] = [np.concatenate(parts[:2])]
    out = []
    for part in parts:
        chosen = rows.iloc[part]
        p = chosen["rate"].to_numpy() / (chosen["rate"].to_numpy() + chosen["exposure_kpy"].to_numpy())
        pmf = _pmf_table(chosen["shape"].to_numpy(), p, chosen["observed"].to_numpy())
        total = np.array([1.0])
        for row in pmf:
            total = np.convolve(total, row)
        cdf = np.cumsum(total)
        out.append({"units": len(chosen), "predicted": float(chosen["mean"].sum()),
                    "low90": int(np.searchsorted(cdf, 0.05)), "high90": int(np.searchsorted(cdf, 0.95)),
                    "observed": int(chosen["observed"].sum()),
                    "low_mean": float(chosen["mean"].min()), "high_mean": float(chosen["mean"].max())})
    return pd.DataFrame(out, columns=["units", "predicted", "low90", "high90", "observed", "low_mean", "high_mean"])
