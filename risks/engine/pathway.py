"""A phased pathway: the plan grown over a horizon of years, as one multi-period mixed-integer
programme (scipy.optimize.milp, HiGHS). Pure numpy/scipy.

Binary x_ot = 1 when option o is deployed in year t (t = 0..H-1). With the portfolio's notation
(risks.engine.portfolio):

    maximise    sum_t sum_o v_o x_ot
    subject to, every year t:
        sum_o n_o x_ot <= N,  sum_o c_o x_ot <= B,  sum_o x_ot <= K         (yearly caps)
        sum_{o in g} x_ot <= 1                                               (one option per mission)
        x_ot = 0 where o's mission has ended (a final mandate ends before year t does)
        sum_{o formed} n_o x_ot <= capacity_t                                (trained formed personnel)
        x_ot = 0 for a national contingent when t < first_national_year      (training capacity)
        K_m x_ot <= prior_ind_g + sum_{s < t} sum_{o' in g individual} x_o's   for a mixed contingent o in g
        K_n x_ot <= prior_any_g + sum_{s < t} sum_{o' in g} x_o's              for a national contingent o in g
      and a required mission is in the pathway every year it is open; given the plan (the
      options deployable now), year 0 is exactly the plan, so the pathway grows from it.

prior_ind_g, prior_any_g count Mexico's years of individual / any presence in mission g before
the horizon (from the UN reports), so a mission where Mexico already serves can take a
mixed contingent sooner. Solving all years at once (not year by year) lets an early year
prepare a later one: individuals go first where a contingent is worth having later.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import optimize, sparse

from risks.engine.portfolio import Limits, Options, allowed, reduce

INDIVIDUAL, MIXED, NATIONAL, OTHER_FORMED = "individual", "mixed", "national", "formed"


@dataclass(frozen=True)
class Rules:
    """Growth rules (curated, cited in risks/catalogue/pathway_rules.csv)."""

    years: int = 5
    individual_years_before_mixed: int = 2
    presence_years_before_national: int = 2
    first_national_year: int = 2            # index: year 0 is the first
    formed_capacity: tuple[float, ...] = (0, 80, 150, 250, 300)

    def capacity(self, t: int) -> float:
        return float(self.formed_capacity[min(t, len(self.formed_capacity) - 1)]) if self.formed_capacity else np.inf


@dataclass(frozen=True)
class Pathway:
    """status 'optimal' or 'infeasible'; years: one array of chosen option indices per year;
    value: the sum over years."""

    status: str
    years: list[np.ndarray]
    value: float


def solve_pathway(options: Options, limits: Limits, kind: np.ndarray, rules: Rules,
                  available: np.ndarray | None = None, prior_individual: np.ndarray | None = None,
                  prior_presence: np.ndarray | None = None, first_year: np.ndarray | None = None) -> Pathway:
    """kind (n,): INDIVIDUAL, MIXED, NATIONAL or OTHER_FORMED per option; available (n, H)
    bool (mandates); prior_individual, prior_presence (groups,) years of Mexican individual
    presence / any presence immediately before the horizon, by mission index; first_year:
    option indices deployed in year 0 exactly (the plan), so the pathway grows from it."""
    h = rules.years
    kind = np.asarray(kind)
    available = np.ones((len(options), h), dtype=bool) if available is None else np.asarray(available, dtype=bool)
    ok = np.flatnonzero(allowed(options, limits))
    keep = ok[reduce(options.take(ok))]
    pinned = np.zeros(0, dtype=np.intp) if first_year is None else np.asarray(first_year, dtype=np.intp)
    keep = np.union1d(keep, pinned)
    sub, kind_s, avail = options.take(keep), kind[keep], available[keep]
    n = len(sub)
    if n == 0:
        return Pathway("optimal", [np.zeros(0, dtype=np.intp)] * h, 0.0)
    group = np.asarray(sub.group)
    groups, ginv = np.unique(group, return_inverse=True)
    n_groups = int(np.max(options.group)) + 1 if len(options) else 0
    prior_ind = np.zeros(n_groups) if prior_individual is None else np.asarray(prior_individual, dtype=float)
    prior_any = np.zeros(n_groups) if prior_presence is None else np.asarray(prior_presence, dtype=float)

    def var(o, t):
        return t * n + o

    total = n * h
    rows, cols, vals, lo, hi = [], [], [], [], []
    r = 0

    def constraint(entries, lower, upper):
        nonlocal r
        for col, v in entries:
            rows.append(r)
            cols.append(col)
            vals.append(v)
        lo.append(lower)
        hi.append(upper)
        r += 1

    people, cost = np.asarray(sub.people, dtype=float), np.asarray(sub.cost, dtype=float)
    formed = kind_s != INDIVIDUAL
    upper = np.ones(total)
    lower = np.zeros(total)
    if first_year is not None:
        upper[:n] = 0
        upper[np.searchsorted(keep, pinned)] = lower[np.searchsorted(keep, pinned)] = 1
    for t in range(h):
        if limits.max_people is not None:
            constraint([(var(o, t), people[o]) for o in range(n)], -np.inf, limits.max_people)
        if limits.max_cost is not None:
            constraint([(var(o, t), cost[o]) for o in range(n)], -np.inf, limits.max_cost)
        if limits.max_missions is not None:
            constraint([(var(o, t), 1.0) for o in range(n)], -np.inf, limits.max_missions)
        if formed.any():
            constraint([(var(o, t), people[o]) for o in np.flatnonzero(formed)], -np.inf, rules.capacity(t))
        for k in range(len(groups)):
            constraint([(var(o, t), 1.0) for o in np.flatnonzero(ginv == k)], -np.inf, 1.0)
        for o in range(n):
            if not avail[o, t] or (kind_s[o] == NATIONAL and t < rules.first_national_year):
                upper[var(o, t)] = lower[var(o, t)] = 0
            g = group[o]
            if kind_s[o] == MIXED:
                need, same = rules.individual_years_before_mixed, np.flatnonzero((group == g) & (kind_s == INDIVIDUAL))
                prior = prior_ind[g]
            elif kind_s[o] == NATIONAL:
                need, same = rules.presence_years_before_national, np.flatnonzero(group == g)
                prior = prior_any[g]
            else:
                continue
            if need <= 0:
                continue
            # need x_ot - sum_{s < t} sum_{o' in same} x_o's <= the years of presence before the horizon
            entries = [(var(o, t), float(need))] + [(var(p, s), -1.0) for s in range(t) for p in same]
            constraint(entries, -np.inf, float(prior))
    for g in limits.required:  # every year in which the mission is open
        members = np.flatnonzero(group == g)
        for t in range(h):
            if avail[members, t].any():
                constraint([(var(o, t), 1.0) for o in members], 1.0, np.inf)
    matrix = sparse.csr_matrix((vals, (rows, cols)), shape=(r, total))
    c = -np.tile(np.asarray(sub.value, dtype=float), h)
    result = optimize.milp(c, constraints=[optimize.LinearConstraint(matrix, lo, hi)] if r else [],
                           integrality=np.ones(total), bounds=optimize.Bounds(lower, upper),
                           options={"mip_rel_gap": 1e-9})
    if result.x is None:
        return Pathway("infeasible", [np.zeros(0, dtype=np.intp)] * h, float("nan"))
    x = result.x.reshape(h, n) > 0.5
    return Pathway("optimal", [keep[np.flatnonzero(x[t])] for t in range(h)], float(-result.fun))
