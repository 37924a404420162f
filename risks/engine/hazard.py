"""Data-calibrated hazard: uniformed fatality rates per 1,000 person-years. Pure numpy/scipy.

For a mission, with k uniformed deaths over T thousand uniformed person-years in the window:

    k ~ Poisson(lambda * T)
    lambda ~ Gamma(shape = a0, rate = b0)               prior: the rate of all missions
    a0 = rate_system * PRIOR_KPY,  b0 = PRIOR_KPY        (worth PRIOR_KPY thousand person-years)
    lambda | k ~ Gamma(a0 + k, b0 + T)                   posterior (Gamma-Poisson conjugacy)

A personnel group (formed units: troops and staff officers, deaths of 'Military' personnel;
individuals: experts on mission and police, deaths of 'Military Observer' and 'Police') has
lambda_g = lambda x r_g, r_g its system-wide rate over the system-wide rate of all uniformed
personnel (a Gamma again, rate divided by r_g); risks.inputs computes both from the data.

so a small mission with no deaths is pulled towards the system-wide rate rather than called
safe, and a large mission's own record dominates. Intervals are the posterior's equal-tailed
quantiles. For an option with c thousand person-years of exposure (size x months / 12 / 1000,
times its function multiplier):

    E[fatalities]       = c * shape / rate
    P(at least one)     = 1 - E[exp(-lambda c)] = 1 - (rate / (rate + c)) ** shape

(the negative-binomial zero term: exact under the model, and always below 1 - exp(-E[N])'s
naive plug-in because the rate itself is uncertain). Hostility, a mission feature in [0, 1), is
the posterior mean malicious-act rate r (all uniformed personnel, prior worth
HOSTILITY_PRIOR_KPY thousand person-years: a description of the mission, where the data should
speak sooner) as r / (r + R_HALF).

Person-years (person_years): each month's reported strength / 12, per mission scaled up by
(months from its first to its last report) / (months it is reported in), because some UN monthly
reports carry no mission breakdown. fit() turns person-years and deaths per mission and group
into the posteriors above; risks.inputs calls it on the data up to the last report, and
risks.engine.backtest on the data up to each cut-off.

Reference: Gelman et al., Bayesian Data Analysis (3rd ed., 2013), sec. 2.6 (Poisson model with
a gamma prior); the pooled-prior ("empirical Bayes") choice follows sec. 5.3.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

PRIOR_KPY = 2.0        # the prior weighs as much as 2,000 person-years at the system-wide rate
HOSTILITY_PRIOR_KPY = 0.2  # the malicious-act rate behind 'hostility' takes a lighter prior
R_HALF = 0.5           # malicious-act deaths per 1,000 person-years at which hostility = 0.5


def posterior(deaths: np.ndarray, kpy: np.ndarray, system_rate: np.ndarray | float,
              prior_kpy: float = PRIOR_KPY) -> tuple[np.ndarray, np.ndarray]:
    """(shape, rate) of the Gamma posterior of lambda (deaths per 1,000 person-years).

    deaths (...,) counts; kpy (...,) thousands of person-years; system_rate: the prior mean
    (broadcasts). Both outputs are positive whenever system_rate > 0."""
    deaths, kpy = np.asarray(deaths, dtype=float), np.asarray(kpy, dtype=float)
    if (deaths < 0).any() or (kpy < 0).any():
        raise ValueError("deaths and person-years must be non-negative")
    system_rate = np.broadcast_to(np.asarray(system_rate, dtype=float), deaths.shape)
    if (system_rate <= 0).any() or prior_kpy <= 0:
        raise ValueError("the prior rate and its weight must be positive")
    return system_rate * prior_kpy + deaths, prior_kpy + kpy


def person_years(rows: pd.DataFrame, missions: list[str], groups: tuple[str, ...]) -> pd.DataFrame:
    """Thousand person-years, (missions x groups). rows: one per report line, columns mission,
    group, month (Timestamp, first of the month), n (personnel reported that month). A mission's
    months without a report between its first and its last are filled in at its reported average."""
    if rows.empty:
        return pd.DataFrame(0.0, index=pd.Index(missions), columns=list(groups))
    span = rows.groupby("mission")["month"].agg(["min", "max", "nunique"])
    spanned = (span["max"].dt.year - span["min"].dt.year) * 12 + span["max"].dt.month - span["min"].dt.month + 1
    scale = (spanned / span["nunique"]).reindex(missions).fillna(1.0)
    py = rows.groupby(["mission", "group"])["n"].sum().unstack(fill_value=0).reindex(
        index=missions, columns=list(groups), fill_value=0) / 12 * scale.to_numpy()[:, None]
    return py.astype(float) / 1000


@dataclass(frozen=True)
class Fit:
    """Per mission (M,) the Gamma posterior of its all-uniformed rate (shape, rate) and per group
    (M, G) the group's rate parameter (the group's shape is the mission's); system-wide rates."""

    shape: np.ndarray
    rate: np.ndarray
    group_rate: np.ndarray
    system_all: float
    system: dict[str, float]


def fit(deaths: pd.DataFrame, kpy: pd.DataFrame, prior_kpy: float = PRIOR_KPY) -> Fit:
    """The product's hazards from deaths and thousand person-years, both (missions x groups)
    frames with the same index and columns: lambda_m ~ Gamma(a0 + k_m, b0 + T_m) over all of a
    mission's uniformed personnel, lambda_mg = lambda_m x system rate of g / system rate of all."""
    all_kpy, all_deaths = kpy.sum(axis=1).to_numpy(float), deaths.sum(axis=1).to_numpy(float)
    system_all = float(all_deaths.sum() / all_kpy.sum()) if all_kpy.sum() > 0 else 1.0
    shape, rate = posterior(all_deaths, all_kpy, max(system_all, 1e-3), prior_kpy=prior_kpy)
    system, group_rate = {}, np.empty(kpy.shape)
    for j, g in enumerate(kpy.columns):
        total = float(kpy[g].sum())
        system[g] = float(deaths[g].sum() / total) if total > 0 else system_all
        ratio = system[g] / system_all if system_all > 0 else 1.0
        group_rate[:, j] = rate / max(ratio, 1e-3)
    return Fit(shape, rate, group_rate, system_all, system)


def interval(shape: np.ndarray, rate: np.ndarray, level: float = 0.9) -> tuple[np.ndarray, np.ndarray]:
    """Equal-tailed posterior interval (low, high) of lambda at the given level."""
    tail = (1 - level) / 2
    return (stats.gamma.ppf(tail, shape, scale=1 / np.asarray(rate)),
            stats.gamma.ppf(1 - tail, shape, scale=1 / np.asarray(rate)))


def p_any(shape: np.ndarray, rate: np.ndarray, kpy: np.ndarray) -> np.ndarray:
    """P(at least one fatality) over kpy thousand person-years of exposure, lambda ~ Gamma."""
    shape, rate, kpy = (np.asarray(a, dtype=float) for a in (shape, rate, kpy))
    return -np.expm1(shape * (np.log(rate) - np.log(rate + kpy)))


def hostility(malicious_rate: np.ndarray) -> np.ndarray:
    """Mission feature in [0, 1): r / (r + R_HALF)."""
    r = np.asarray(malicious_rate, dtype=float)
    return r / (r + R_HALF)


def draws(shape: np.ndarray, rate: np.ndarray, draws: int, seed: int, keys: tuple[str, ...]) -> np.ndarray:
    """(len(keys), G, draws) float32 posterior draws of lambda, one stream per mission key
    (numpy default_rng([seed, crc32(key)])), so a mission's draws do not depend on the others."""
    shape, rate = np.asarray(shape, dtype=float), np.asarray(rate, dtype=float)
    out = np.empty(shape.shape + (draws,), dtype=np.float32)
    for i, key in enumerate(keys):
        rng = np.random.default_rng([int(seed), zlib.crc32(("hazard:" + key).encode())])
        out[i] = rng.gamma(shape[i][:, None], 1 / rate[i][:, None], size=(shape.shape[1], draws))
    return out
