"""A plan: the best portfolio of options under a government's limits, as an exact mixed-integer
programme (scipy.optimize.milp, HiGHS). Pure numpy/scipy.

Candidates are admissible options o (mission g(o) x mode x function set x size), each with
people n_o, net cost c_o (US$ a year), expected value v_o and, optionally, value draws v_od
(Monte Carlo draws of the net score, d = 1..D). Binary x_o = 1 when o is in the plan.

    maximise    value(x)
    subject to  sum_o n_o x_o <= N                      (personnel cap)
                sum_o c_o x_o <= B                      (net-cost cap per year)
                sum_{o in g} x_o <= 1 for every mission (one mode, function set and size each)
                sum_{o in g} x_o  = 1 for a required mission
                sum_o x_o <= K                          (missions in the plan)
                sum_{o formed} n_o x_o <= F              (trained formed personnel this year)
                x_o = 0 for options not ready this year (readiness, risks.engine.feasibility)
                x_o = 0 for excluded missions and modes not allowed

Objectives (the value of an option is its net score, which already weighs size with
diminishing returns: the opportunities and judgement risks grow with s(n) = log(1 + n/10) /
log(101), fatalities and cost grow linearly, so a larger contingent is worth less per person):

* ``expected``: value(x) = sum_o v_o x_o
* ``cvar``:     value(x) = (1 - lam) sum_o v_o x_o + lam CVaR_alpha(sum_o v_od x_o)
  where CVaR_alpha is the mean of the worst alpha share of the draws, linearised after
  Rockafellar & Uryasev (2000, Journal of Risk 2(3)): CVaR_alpha(V) = max over eta, u >= 0 of
  eta - sum_d u_d / (alpha D) with u_d >= eta - V_d.

An empty plan is always possible unless missions are required: its value is 0, so a plan only
holds options that add value. When the limits admit no plan, explain() names the constraint
that binds instead of failing.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
from scipy import optimize, sparse

OBJECTIVES = ("expected", "cvar")
TOLERANCE = 1e-9


@dataclass(frozen=True)
class Options:
    """The candidates, one entry per option: group (mission index), mode (index), people,
    cost (US$ a year), value (expected); draws (n, D) value draws or None."""

    group: np.ndarray
    mode: np.ndarray
    people: np.ndarray
    cost: np.ndarray
    value: np.ndarray
    draws: np.ndarray | None = None

    def __post_init__(self) -> None:
        n = len(self.group)
        for name in ("mode", "people", "cost", "value"):
            if len(getattr(self, name)) != n:
                raise ValueError(f"{name} needs one entry per option")
        if self.draws is not None and np.shape(self.draws)[0] != n:
            raise ValueError("draws needs one row per option")
        if n and ((np.asarray(self.people) < 0).any() or not np.isfinite(self.value).all()):
            raise ValueError("people must be non-negative and values finite")

    def __len__(self) -> int:
        return len(self.group)

    def take(self, index) -> Options:
        index = np.asarray(index, dtype=np.intp)
        return Options(*(np.asarray(getattr(self, name))[index] for name in ("group", "mode", "people", "cost",
                                                                               "value")),
                       None if self.draws is None else np.asarray(self.draws)[index])


@dataclass(frozen=True, eq=False)
class Limits:
    """None = no limit. required, excluded: mission indices; modes: allowed mode indices;
    ready (n,) bool: the options that may be chosen at all (readiness, risks.engine.feasibility);
    max_formed: at most this many people in options of the formed_modes (trained formed personnel)."""

    max_people: float | None = None
    max_cost: float | None = None
    max_missions: int | None = None
    required: tuple[int, ...] = ()
    excluded: tuple[int, ...] = ()
    modes: tuple[int, ...] | None = None
    ready: np.ndarray | None = None
    max_formed: float | None = None
    formed_modes: tuple[int, ...] = ()


@dataclass(frozen=True)
class Objective:
    kind: str = "expected"
    alpha: float = 0.1      # the worst share of draws CVaR averages
    weight: float = 1.0     # lam: the CVaR's share of the objective

    def __post_init__(self) -> None:
        if self.kind not in OBJECTIVES:
            raise ValueError(f"unknown objective {self.kind!r}: use one of {OBJECTIVES}")
        if not 0 < self.alpha <= 1 or not 0 <= self.weight <= 1:
            raise ValueError("alpha must be in (0, 1] and the weight in [0, 1]")


@dataclass(frozen=True)
class Solution:
    """status 'optimal' or 'infeasible'; chosen: option indices; value: the objective;
    reasons: for an infeasible problem, the binding constraints ({code, ...numbers})."""

    status: str
    chosen: np.ndarray
    value: float
    reasons: list[dict] = field(default_factory=list)

    @property
    def feasible(self) -> bool:
        return self.status == "optimal"


def allowed(options: Options, limits: Limits) -> np.ndarray:
    """(n,) bool: options of missions not excluded, in allowed modes."""
    ok = ~np.isin(options.group, limits.excluded)
    if limits.modes is not None:
        ok &= np.isin(options.mode, limits.modes)
    if limits.ready is not None:
        ok &= np.asarray(limits.ready, dtype=bool)
    return ok


def reduce(options: Options, values: np.ndarray | None = None) -> np.ndarray:
    """Indices of the options that can be optimal for a linear objective: of options with the
    same mission, mode, people and cost (they differ only in function set) only the most
    valuable one. Exact for the 'expected' objective: every constraint sees them alike."""
    values = np.asarray(options.value if values is None else values, dtype=float)
    if not len(options):
        return np.zeros(0, dtype=np.intp)
    keys = np.column_stack([options.group, options.mode, options.people, options.cost]).astype(float)
    order = np.lexsort((-values, *keys.T[::-1]))
    sorted_keys = keys[order]
    first = np.ones(len(order), dtype=bool)
    first[1:] = (np.diff(sorted_keys, axis=0) != 0).any(axis=1)
    return np.sort(order[first])


def _constraints(options: Options, limits: Limits, extra_columns: int = 0) -> list[optimize.LinearConstraint]:
    n = len(options)
    pad = sparse.csr_matrix((1, extra_columns)) if extra_columns else None
    rows, lower, upper = [], [], []

    def add(matrix, lo, hi):
        matrix = sparse.csr_matrix(matrix)
        rows.append(sparse.hstack([matrix, sparse.csr_matrix((matrix.shape[0], extra_columns))])
                    if pad is not None else matrix)
        lower.append(np.atleast_1d(lo))
        upper.append(np.atleast_1d(hi))

    if limits.max_people is not None:
        add(np.asarray(options.people, dtype=float)[None], -np.inf, limits.max_people)
    if limits.max_cost is not None:
        add(np.asarray(options.cost, dtype=float)[None], -np.inf, limits.max_cost)
    if limits.max_missions is not None:
        add(np.ones((1, n)), -np.inf, limits.max_missions)
    if limits.max_formed is not None:
        formed = np.isin(options.mode, limits.formed_modes)
        add((np.asarray(options.people, dtype=float) * formed)[None], -np.inf, limits.max_formed)
    groups, inverse = np.unique(options.group, return_inverse=True)
    membership = sparse.csr_matrix((np.ones(n), (inverse, np.arange(n))), shape=(len(groups), n))
    required = np.isin(groups, limits.required)
    add(membership, required.astype(float), np.ones(len(groups)))
    return [optimize.LinearConstraint(sparse.vstack(rows).tocsr(), np.concatenate(lower), np.concatenate(upper))]


def _run(c: np.ndarray, constraints, integrality, upper: np.ndarray, lower: np.ndarray):
    return optimize.milp(c, constraints=constraints, integrality=integrality,
                         bounds=optimize.Bounds(lower, upper), options={"presolve": True, "mip_rel_gap": 1e-9})


def solve(options: Options, limits: Limits, objective: Objective = Objective(), reduced: bool = True) -> Solution:
    """The optimal plan. reduced: solve over reduce()'s options (exact for 'expected'; for
    'cvar' every option enters)."""
    ok = allowed(options, limits)
    missing = [g for g in limits.required if not (ok & (np.asarray(options.group) == g)).any()]
    if missing or (set(limits.required) & set(limits.excluded)):
        return Solution("infeasible", np.zeros(0, dtype=np.intp), float("nan"), explain(options, limits))
    index = np.flatnonzero(ok)
    if reduced and objective.kind == "expected":
        index = index[reduce(options.take(index))]
    sub = options.take(index)
    n = len(sub)
    if n == 0:
        return Solution("optimal", np.zeros(0, dtype=np.intp), 0.0)
    value = np.asarray(sub.value, dtype=float)
    if objective.kind == "expected" or sub.draws is None:
        c, integrality = -value, np.ones(n)
        lower, upper = np.zeros(n), np.ones(n)
        constraints = _constraints(sub, limits)
    else:
        draws = np.asarray(sub.draws, dtype=float)                                       # (n, D)
        d = draws.shape[1]
        lam, alpha = objective.weight, objective.alpha
        # variables: x (n), eta (1), u (D)
        c = np.concatenate([-(1 - lam) * value, [-lam], np.full(d, lam / (alpha * d))])
        integrality = np.concatenate([np.ones(n), np.zeros(1 + d)])
        lower = np.concatenate([np.zeros(n), [-np.inf], np.zeros(d)])
        upper = np.concatenate([np.ones(n), [np.inf], np.full(d, np.inf)])
        constraints = _constraints(sub, limits, extra_columns=1 + d)
        # u_d - eta + sum_o v_od x_o >= 0
        tail = sparse.hstack([sparse.csr_matrix(draws.T), -np.ones((d, 1)), sparse.identity(d)]).tocsr()
        constraints.append(optimize.LinearConstraint(tail, np.zeros(d), np.full(d, np.inf)))
    result = _run(c, constraints, integrality, upper, lower)
    if result.status == 2 or result.x is None:  # infeasible
        return Solution("infeasible", np.zeros(0, dtype=np.intp), float("nan"), explain(options, limits))
    if result.status not in (0,):
        raise RuntimeError(f"the solver stopped: {result.message}")
    chosen = index[np.flatnonzero(result.x[:n] > 0.5)]
    return Solution("optimal", chosen, float(-result.fun))


def plan_value(options: Options, chosen: np.ndarray, objective: Objective = Objective()) -> float:
    """The objective of a given plan (for checks and brute force)."""
    chosen = np.asarray(chosen, dtype=np.intp)
    mean = float(np.asarray(options.value, dtype=float)[chosen].sum())
    if objective.kind == "expected" or options.draws is None:
        return mean
    return (1 - objective.weight) * mean + objective.weight * cvar(np.asarray(options.draws)[chosen].sum(axis=0),
                                                                   objective.alpha)


def cvar(values: np.ndarray, alpha: float) -> float:
    """The mean of the worst alpha share of the values (the Rockafellar-Uryasev value, with
    the fractional draw at the boundary counted in part)."""
    values = np.sort(np.atleast_1d(np.asarray(values, dtype=float)))
    d = len(values)
    k = alpha * d
    whole = int(np.floor(k + 1e-12))
    total = values[:whole].sum() + (k - whole) * (values[whole] if whole < d else 0.0)
    return float(total / k)


def explain(options: Options, limits: Limits) -> list[dict]:
    """Why no plan meets the limits: the constraints that bind, with their numbers.

    codes: required_excluded (mission), no_option (mission: no admissible option in the
    allowed modes), too_many_required (required, max_missions), people (needed, cap), cost
    (needed, cap): the required missions' smallest options exceed a cap; people_and_cost: each
    cap alone can be met but not both together."""
    reasons: list[dict] = []
    ok = allowed(options, limits)
    group = np.asarray(options.group)
    for g in limits.required:
        if g in limits.excluded:
            reasons.append({"code": "required_excluded", "mission": int(g)})
        elif not (ok & (group == g)).any():
            reasons.append({"code": "no_option", "mission": int(g)})
    if reasons:
        return reasons
    if limits.max_missions is not None and len(set(limits.required)) > limits.max_missions:
        reasons.append({"code": "too_many_required", "required": len(set(limits.required)),
                        "cap": limits.max_missions})
    for code, attribute, cap in (("people", "people", limits.max_people), ("cost", "cost", limits.max_cost)):
        if cap is None:
            continue
        needed = sum(float(np.asarray(getattr(options, attribute))[ok & (group == g)].min())
                     for g in set(limits.required))
        if needed > cap + TOLERANCE:
            reasons.append({"code": code, "needed": needed, "cap": float(cap)})
    if not reasons:
        # Each cap can be met alone (checked above), so only their combination binds.
        reasons.append({"code": "people_and_cost", "people_cap": limits.max_people, "cost_cap": limits.max_cost})
    return reasons


# --- the efficient frontier ----------------------------------------------------------------------

def frontier(options: Options, limits: Limits, axis: str, caps, objective: Objective = Objective()) -> list[dict]:
    """Re-solve with the personnel cap (axis 'people') or the cost cap ('cost') set to each
    value in caps, the other limits unchanged: [{cap, value, people, cost}], value None where
    infeasible. The value never falls as the cap rises (a looser cap keeps every plan)."""
    if axis not in ("people", "cost"):
        raise ValueError("axis must be 'people' or 'cost'")
    out = []
    for cap in caps:
        relaxed = replace(limits, **{"max_people" if axis == "people" else "max_cost": float(cap)})
        solution = solve(options, relaxed, objective)
        chosen = solution.chosen
        out.append({"cap": float(cap), "value": solution.value if solution.feasible else None,
                    "people": float(np.asarray(options.people)[chosen].sum()) if solution.feasible else None,
                    "cost": float(np.asarray(options.cost)[chosen].sum()) if solution.feasible else None})
    return out


# --- robustness ----------------------------------------------------------------------------------

def acceptability(options: Options, limits: Limits, value_draws: np.ndarray, start: int = 0,
                  stop: int | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Re-solve the 'expected' plan once per draw (columns start..stop of value_draws (n, D)):
    returns (counts (n,) of draws in which each option is in the optimal plan, values (k,) of
    each draw's optimum, sizes (k,) of each draw's plan in options). Portfolio acceptability =
    counts / draws. Each draw is solved over reduce()'s options for that draw (exact)."""
    value_draws = np.asarray(value_draws, dtype=float)
    stop = value_draws.shape[1] if stop is None else stop
    counts = np.zeros(len(options), dtype=np.int64)
    values, sizes = [], []
    ok = np.flatnonzero(allowed(options, limits))
    base = options.take(ok)
    inner = replace(limits, ready=None)  # `ok` holds the ready options already
    for d in range(start, stop):
        column = value_draws[ok, d]
        keep = reduce(base, column)
        candidate = Options(base.group[keep], base.mode[keep], base.people[keep], base.cost[keep], column[keep])
        solution = solve(candidate, inner, Objective("expected"), reduced=False)
        if solution.feasible:
            chosen = ok[keep[solution.chosen]]
            counts[chosen] += 1
            values.append(solution.value)
            sizes.append(len(chosen))
        else:
            values.append(np.nan)
            sizes.append(0)
    return counts, np.asarray(values), np.asarray(sizes)
