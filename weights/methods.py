"""Judgments as stored (JSON keyed by category code) <-> the engine's arrays (risks.engine.elicitation).

swing:  {"ratings": {category: 0-100}}      rank: {"ranks": {category: 1..n}}
ahp:    {"pairs": {"a|b": a_ab}} for every pair a before b in CRITERIA order
direct: {"weights": {category: number}}
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

import numpy as np

from risks.engine import elicitation as el
from risks.models import Category
from weights.models import Method

CRITERIA = tuple(Category.values)


def pair_key(a: str, b: str) -> str:
    return f"{a}|{b}"


PAIRS = tuple(combinations(CRITERIA, 2))


@dataclass(frozen=True)
class Derived:
    weights: dict[str, float]            # normalised
    cr: float | None = None
    repair: el.Repair | None = None      # AHP only, when CR is above the limit


def ahp_matrix(judgments: dict) -> np.ndarray:
    pairs = judgments.get("pairs", {})
    index = {c: k for k, c in enumerate(CRITERIA)}
    return el.matrix_from_pairs(len(CRITERIA), {(index[a], index[b]): float(pairs[pair_key(a, b)])
                                                for a, b in PAIRS if pair_key(a, b) in pairs})


def derive(method: str, judgments: dict) -> Derived:
    """Normalised weights (and CR for AHP) from stored judgments; ElicitationError if none can be."""
    if method == Method.SWING:
        values = el.swing([judgments["ratings"][c] for c in CRITERIA])
    elif method == Method.RANK:
        values = el.rank_order_centroid([judgments["ranks"][c] for c in CRITERIA])
    elif method == Method.AHP:
        matrix = ahp_matrix(judgments)
        result = el.ahp(matrix)
        repair = None if result.consistent else el.worst_judgment(matrix)
        return Derived(as_dict(result.weights), result.cr, repair)
    elif method == Method.DIRECT:
        values = el.normalised([judgments["weights"][c] for c in CRITERIA])
    else:
        raise el.ElicitationError(f"unknown method {method!r}")
    return Derived(as_dict(values))


def repair_path(judgments: dict, most: int = 8) -> list[el.Repair]:
    """The judgments to change, in order, to bring an AHP matrix's CR to the limit: each step
    the engine's worst_judgment (risks.engine.elicitation) of the matrix with the earlier steps
    applied, until CR <= CR_LIMIT, no single change lowers it, or `most` steps. An analyst can
    so fix them all at once instead of one per submission. cr_after is the CR once that step
    and the ones before it are made."""
    matrix = ahp_matrix(judgments)
    steps: list[el.Repair] = []
    while len(steps) < most and not el.ahp(matrix).consistent:
        step = el.worst_judgment(matrix)
        if step is None:
            break
        steps.append(step)
        matrix[step.i, step.j], matrix[step.j, step.i] = step.suggested, 1.0 / step.suggested
    return steps


def as_dict(values) -> dict[str, float]:
    return {c: float(v) for c, v in zip(CRITERIA, values, strict=True)}


def aggregate(method: str, participants: list[dict]) -> tuple[dict, Derived]:
    """The group's judgments and weights from each participant's judgments: the geometric mean
    of AHP judgments (then its eigenvector and CR), the mean of normalised weights otherwise."""
    if method == Method.AHP:
        mean = el.geometric_mean_matrix([ahp_matrix(p) for p in participants])
        judgments = {"pairs": {pair_key(a, b): float(mean[i, j]) for (a, b), (i, j)
                               in zip(PAIRS, combinations(range(len(CRITERIA)), 2), strict=True)}}
        return judgments, derive(Method.AHP, judgments)
    vectors = [list(derive(method, p).weights.values()) for p in participants]
    weights = as_dict(el.mean_weights(vectors))
    return {"weights": weights}, Derived(weights)


def model_weights(weights: dict[str, float]) -> dict[str, float]:
    """Normalised weights -> the scenario's category weights (the largest at 1; ranks unchanged)."""
    values = el.as_model_weights([weights.get(c, 0.0) for c in CRITERIA])
    return {c: round(float(v), 6) for c, v in zip(CRITERIA, values, strict=True)}
