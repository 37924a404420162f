"""The plan's candidates: every option of every active mission (4 modes x its function sets x the
standard sizes), judged by the one feasibility rule (risks.engine.feasibility, through
risks.services.judge: gates, strength caps, unit sizes, mandates, military components) and
scored by the risk model; only admissible ones enter the optimiser.
Reads the database through risks.inputs; the optimisation itself is in risks.engine."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from plans import catalogue
from risks import services
from risks.engine import evaluate, gates, model, pathway, portfolio, smaa, uncertainty
from risks.inputs import Inputs, grid_features, grid_hazard, memoised, weights_for

DRAWS = services.DRAWS
SEED = services.SEED
# Civilian experts take no formed capacity; the pathway counts them with the individuals.
KIND = {"individual": pathway.INDIVIDUAL, "mixed_contingent": pathway.MIXED,
        "national_contingent": pathway.NATIONAL, "private_military_company": pathway.OTHER_FORMED,
        "civilian": pathway.INDIVIDUAL}


@dataclass(frozen=True)
class Candidates:
    """frame: the admissible options (mission, mode, functions, size, net, net_cost_usd,
    expected_fatalities, p_any_fatality, p10, p90); options: the engine's view (group = index
    into missions); value_draws (n, D): net draws at the default weights; smaa_draws (n, D):
    net draws under joint SMAA weight and input draws; fatality_draws (n, D); considered:
    options judged before the gates and deal-breakers."""

    frame: pd.DataFrame
    options: portfolio.Options
    missions: tuple[str, ...]
    value_draws: np.ndarray
    smaa_draws: np.ndarray
    fatality_draws: np.ndarray
    considered: int
    fingerprint: str

    @property
    def kind(self) -> np.ndarray:
        return self.frame["mode"].map(KIND).to_numpy()


def full_grid(inputs: Inputs, acronyms: list[str]) -> model.Grid:
    """Every mission x mode x function set x curated size, 12 months."""
    sizes = catalogue.sizes()
    shape, rate = grid_hazard(inputs, acronyms)
    features = grid_features(inputs, acronyms, services.DEFAULT_DURATION_MONTHS)
    parts = []
    for m, code in enumerate(model.MODES):
        for size in sizes[code]:
            per_mode = np.zeros(len(model.MODES))
            per_mode[m] = size
            parts.append(model.build_grid(acronyms, [inputs.mission_functions[a] for a in acronyms],
                                          list(inputs.functions), features, modes=[m], sizes=per_mode,
                                          months=services.DEFAULT_DURATION_MONTHS, hazard_shape=shape,
                                          hazard_rate=rate))
    join = lambda name: np.concatenate([getattr(p, name) for p in parts])  # noqa: E731
    return model.Grid(tuple(acronyms), inputs.functions, features, join("mission_idx"), join("mode_idx"),
                      join("function_mask"), join("size"), join("months"), shape, rate)


def build(inputs: Inputs) -> Candidates:
    active = inputs.missions.index[inputs.missions["active"].astype(bool)]
    acronyms = sorted(a for a in active if inputs.mission_functions[a])
    grid = full_grid(inputs, acronyms)
    verdict, _, outlives = services.judge(inputs, grid)
    weights = weights_for(inputs.factors)
    result = evaluate.evaluate(inputs.factors, grid, weights, inputs.modes, feasible=verdict < gates.INFEASIBLE,
                               outlives_mandate=outlives, draws=DRAWS, seed=SEED, acceptability=False)
    index = np.flatnonzero(result.admissible)
    frame = result.frame.iloc[index].reset_index(drop=True)
    frame["functions"] = frame["functions"].astype(str)
    frame["mission"] = frame["mission"].astype(str)
    frame["mode"] = frame["mode"].astype(str)
    frame["partner"] = services.partners_of(inputs, frame["mission"], frame["mode"])
    s, h = uncertainty.signed_samples(inputs.factors, result.inputs, weights)
    value_draws = uncertainty.net_draws(result.design, s, h, index)
    sampled = smaa.sample_weights(weights, result.inputs.draws, SEED, groups=smaa.weight_groups(inputs.factors))
    smaa_draws = uncertainty.net_draws(result.design, *uncertainty.signed_samples(inputs.factors, result.inputs,
                                                                                  sampled), index)
    rate = model.expected_rate(grid, inputs.modes)[index]
    lam = result.inputs.hazard.reshape(-1, result.inputs.draws)[result.design.row[index]]
    per_rate = np.divide(result.scores.expected_fatalities[index], rate, out=np.zeros(len(index)), where=rate > 0)
    fatality_draws = (per_rate[:, None] * lam).astype(np.float32)
    options = portfolio.Options(group=np.asarray(grid.mission_idx)[index].astype(np.intp),
                                mode=np.asarray(grid.mode_idx)[index].astype(np.intp),
                                people=frame["size"].to_numpy(float), cost=frame["net_cost_usd"].to_numpy(float),
                                value=frame["net"].to_numpy(float))
    return Candidates(frame, options, tuple(acronyms), value_draws, smaa_draws, fatality_draws, len(grid),
                      inputs.fingerprint)


def cached(inputs: Inputs) -> Candidates:
    """build(inputs), shared per input fingerprint (a few seconds of scoring), kept in the process too."""
    return memoised(f"plans:candidates:{inputs.fingerprint}", lambda: build(inputs))
