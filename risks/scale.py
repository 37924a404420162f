"""The score index people read: 0 = not deploying, 100 = the best admissible option of the
comparison at hand (the whole option grid, or a scenario's missions). The engine's net score
(opportunities minus risks, on a -1..1 scale) is linear, so the index keeps its order and its
ratios: an option at 50 is worth half as much as the best one over not deploying, and one below 0
is worse than staying home. Pages show the index and the rank, with the raw net score on hover."""

from __future__ import annotations

import math
from collections.abc import Iterable


def anchor(options: Iterable[dict], net: str = "net") -> float | None:
    """The best admissible net score (no gate or deal-breaker excludes it), or None when no
    admissible option beats not deploying (then no index is defined: pages show the raw score)."""
    return positive(max((float(o[net]) for o in options if not o.get("excluded_by")), default=None))


def positive(best: float | None) -> float | None:
    """The anchor when it beats not deploying, else None."""
    return best if best is not None and best > 0 else None


def index(net: float | None, best: float | None) -> float | None:
    """100 * net / best; None when either is missing or not a number. Also for sums and parts of
    net scores (a plan's total, a factor's contribution, an option's risk or opportunity): net
    scores add up, so index points do. A plan of two options at 60 and 70 holds 130 points, 1.3
    times what the best single option is worth over not deploying."""
    if net is None or best is None or not best > 0:
        return None
    value = float(net)
    return None if math.isnan(value) else 100.0 * value / best


def above_best(value: float | None) -> bool:
    """An index above 100 (shown rounded, so 100.4 is still 100): a percentile of an option's
    draws, or another option under a stricter comparison, that beats the best admissible
    option's expected value. Not an error: the anchor is an expectation, draws spread around it."""
    return value is not None and round(value) > 100


def common_anchor(anchors: Iterable[float | None]) -> float | None:
    """One ruler for several comparisons (the compare page's scenarios): the largest of their
    anchors, i.e. the best admissible option in any of them; None when none has one."""
    return positive(max((a for a in anchors if a is not None), default=None))
