"""The selective-peacekeeping explorer: the stored option grid, read for a page."""

from __future__ import annotations

import numpy as np
import pandas as pd

from risks import scale
from risks.engine import model
from risks.inputs import Inputs, cached_inputs, grid_features, grid_hazard, memoised, weights_for
from risks.services import BETTER_TASK_SET, DEFAULT_DURATION_MONTHS, current_grid


def explorer_grid() -> tuple[pd.DataFrame, Inputs]:
    """The current option grid (cached per input fingerprint) and the inputs it came from."""
    inputs = cached_inputs()
    return memoised(f"risks:grid:{inputs.fingerprint}", lambda: current_grid(inputs)), inputs


def explore(mode: str, feasibility_filter: str, open_only: bool, top: int = 25, per_mission: bool = False) -> dict:
    """Heatmap data (missions x single functions: net and verdict) and the best options of a
    mode, with what would have to change for the weak or infeasible ones. Admissible options
    (no gate makes them infeasible, no deal-breaker excludes them) always come before the
    others, whatever their scores. per_mission keeps only each mission's best option."""
    grid, inputs = explorer_grid()
    rows = grid[grid["mode"] == mode]
    if open_only:
        rows = rows[rows["mission"].isin(inputs.missions.index[inputs.missions["active"]])]
    single = rows[~rows["functions"].str.contains("+", regex=False)]
    matrix = single.pivot(index="mission", columns="functions", values="net")
    verdicts = single.pivot(index="mission", columns="functions", values="feasibility")
    order = [c for c in inputs.functions if c in matrix.columns]
    matrix, verdicts = matrix[order], verdicts[order]
    chosen = rows[rows["excluded_by"] != BETTER_TASK_SET]  # one option per mission x mode x size, its best tasks
    if feasibility_filter == "not_infeasible":
        chosen = chosen[chosen["feasibility"] != "infeasible"]
    elif feasibility_filter:
        chosen = chosen[chosen["feasibility"] == feasibility_filter]
    best = admissible_first(chosen)
    if per_mission:
        best = best.drop_duplicates("mission")
    best = best.head(top).copy()
    best["drag"] = largest_drags(inputs, best)
    return {"matrix": matrix, "verdicts": verdicts, "top": best, "count": len(chosen), "anchor": grid_anchor(grid)}


def admissible_first(options: pd.DataFrame) -> pd.DataFrame:
    """Grid rows with the admissible ones (empty excluded_by) first, each part by net score."""
    excluded = options["excluded_by"].fillna("") != ""
    return options.iloc[np.lexsort((-options["net"].to_numpy(), excluded.to_numpy()))]


def grid_anchor(grid: pd.DataFrame) -> float | None:
    """The index anchor of the whole grid (risks.scale): its best admissible net score."""
    admissible = grid.loc[grid["excluded_by"].fillna("") == "", "net"]
    return scale.positive(float(admissible.max()) if len(admissible) else None)


def best_per_mode(options: pd.DataFrame) -> dict[str, pd.Series]:
    """The best option of each mode in a grid frame (admissible_first). {mode code: row};
    modes without options are absent."""
    return {row["mode"]: row for _, row in admissible_first(options).drop_duplicates("mode").iterrows()}


def largest_drags(inputs: Inputs, options: pd.DataFrame) -> list[str]:
    """For each option, the risk factor that pulls its net score down most (default weights)."""
    if options.empty:
        return []
    acronyms = list(options["mission"])
    masks = [sum(1 << inputs.functions.index(c) for c in f.split("+")) for f in options["functions"]]
    shape, rate = grid_hazard(inputs, acronyms)
    grid = model.Grid(tuple(acronyms), inputs.functions, grid_features(inputs, acronyms, DEFAULT_DURATION_MONTHS),
                      np.arange(len(acronyms), dtype=np.int32),
                      np.array([model.MODES.index(m) for m in options["mode"]], dtype=np.int8),
                      np.array(masks, dtype=np.int64), options["size"].to_numpy(float),
                      options["months"].to_numpy(float), shape, rate)
    contributions = model.score(inputs.factors, grid, weights_for(inputs.factors), inputs.modes).contributions
    return [inputs.factors.codes[int(i)] for i in contributions.argmin(axis=1)]
