"""Factories for the pure engine's tests: no database, no Django settings needed."""

import numpy as np
import pytest

from risks.engine import model

N_JUDGEMENT = 8      # even indices are risks, odd ones opportunities
N_FUNCTIONS = 5
FATALITIES, COST = N_JUDGEMENT, N_JUDGEMENT + 1
N_FACTORS = N_JUDGEMENT + 2


@pytest.fixture(autouse=True)
def fresh_cache():
    """The suite-wide fixture clears Django's cache; the engine has none."""
    yield


def make_factors(seed: int, n: int = N_JUDGEMENT, data_factors: bool = True, correlated: bool = True) -> model.Factors:
    """n judgement factors (risks at even indices), then a fatalities and a net-cost risk."""
    rng = np.random.default_rng(seed)
    f = n + (2 if data_factors else 0)
    off = rng.random((f, 1)) < 0.15  # some effects switched off entirely
    correlation = np.eye(f)
    if correlated and n >= 3:
        correlation[0, 2] = correlation[2, 0] = 0.6
    quantity = np.array(["judgement"] * n + (["fatalities", "net_cost"] if data_factors else []))
    return model.Factors(
        codes=tuple(f"factor_{i}" for i in range(f)),
        sign=np.where((np.arange(f) % 2 == 0) | (np.arange(f) >= n), -1, 1),
        category=np.array(["conduct", "reputation"] * (f // 2) + ["conduct"] * (f % 2)),
        likelihood=np.sort(rng.random((f, 3)), axis=1), impact=np.sort(rng.random((f, 3)), axis=1),
        mode_effect=np.where(off & (rng.random((f, len(model.MODES))) < 0.5), 0,
                             rng.uniform(0, 2, (f, len(model.MODES)))),
        function_effect=np.where(rng.random((f, N_FUNCTIONS)) < 0.1, 0, rng.uniform(0.2, 2, (f, N_FUNCTIONS))),
        feature_effect=np.where(rng.random((f, len(model.FEATURES))) < 0.1, 0,
                                rng.uniform(0.3, 3, (f, len(model.FEATURES)))),
        quantity=quantity, size_scaled=rng.random(f) < 0.5, correlation=correlation,
    )


def make_grid(seed: int, missions: int = 4, sizes=None, months: float = 12.0) -> model.Grid:
    rng = np.random.default_rng(seed + 100)
    own = [sorted(rng.choice(N_FUNCTIONS, size=rng.integers(1, 5), replace=False).tolist()) for _ in range(missions)]
    features = rng.random((missions, len(model.FEATURES)))
    features[:, 1:4] = features[:, 1:4] > 0.5  # Chapter VII, Spanish-speaking host, Latin American presence: 0/1
    shape = rng.uniform(0.5, 40, (missions, len(model.GROUPS)))
    rate = rng.uniform(0.5, 60, (missions, len(model.GROUPS)))
    return model.build_grid([f"M{i}" for i in range(missions)], own, [f"g{i}" for i in range(N_FUNCTIONS)], features,
                            sizes=sizes, months=months, hazard_shape=shape, hazard_rate=rate)
