"""What an edit of the inputs affects, so that only that is computed again.

The option grid scores each mission's options apart from every other mission's (common random
numbers are keyed by mission, which is also what lets the grid fan out in chunks); only the ranks
are shared, and they follow from the net scores. So each mission gets a digest of everything its
options read (its row of the inputs, its mandate functions, and the shared catalogue: factors,
modes, gates, the start month), kept beside the stored grid. A refresh re-scores the missions
whose digest changed, keeps the other rows, ranks again and stores the result under the new
inputs' fingerprint. An edit of one mission's facts re-scores that mission (about 1,000 of the
13,000 options); an edit of a factor changes the shared part and re-scores everything.
"""

from __future__ import annotations

import hashlib
import io
import json

import numpy as np
import pandas as pd
from django.core.cache import caches

from risks import services
from risks.inputs import Inputs, read_inputs
from risks.models import GridRun

DIGESTS_TIMEOUT = 30 * 24 * 3600


def mission_digests(inputs: Inputs) -> dict[str, str]:
    """acronym -> digest of what the grid's options of that mission read."""
    shared = hashlib.sha256()
    for array in (inputs.factors.sign, inputs.factors.likelihood, inputs.factors.impact, inputs.factors.mode_effect,
                  inputs.factors.function_effect, inputs.factors.feature_effect, inputs.factors.correlation,
                  inputs.modes.cost, inputs.modes.reimbursement, inputs.modes.group):
        shared.update(np.ascontiguousarray(array, dtype=float).tobytes())
    shared.update(json.dumps([inputs.factors.codes, list(inputs.factors.quantity),
                              list(map(bool, inputs.factors.size_scaled)), list(inputs.factors.category),
                              inputs.functions, sorted(inputs.gates), inputs.mode_functions, inputs.mode_sizes,
                              inputs.start], default=str).encode())
    digests = {}
    for acronym, row in inputs.missions.astype(str).to_dict(orient="index").items():
        one = shared.copy()
        one.update(json.dumps([acronym, row, inputs.mission_functions[acronym]]).encode())
        digests[acronym] = one.hexdigest()
    return digests


def digests_key(fingerprint: str) -> str:
    return f"risks:grid-digests:{fingerprint}"


def remember_digests(inputs: Inputs, digests: dict[str, str] | None = None) -> None:
    # The shared cache (a database table, or Redis with CACHE_URL): the next refresh may run in
    # another process (a worker, or the web process after bin/run's recompute_scores).
    caches["shared"].set(digests_key(inputs.fingerprint), digests or mission_digests(inputs), DIGESTS_TIMEOUT)


def changed_missions(inputs: Inputs) -> tuple[GridRun | None, list[str] | None, dict[str, str]]:
    """The stored grid to start from, the missions whose options must be scored again (None when
    there is nothing to start from: no grid, or its digests are lost) and the current digests."""
    now = mission_digests(inputs)
    run = GridRun.objects.order_by("-computed_at", "-pk").first()
    before = caches["shared"].get(digests_key(run.fingerprint)) if run else None
    if before is None:
        return run, None, now
    return run, sorted(a for a in now if before.get(a) != now[a]), now


def refresh_grid(inputs: Inputs | None = None) -> tuple[str, int]:
    """Store the option grid of the current inputs, scoring only the missions whose inputs
    changed since the stored grid. Returns ('fresh' | 'partial' | 'full', missions scored)."""
    inputs = inputs or read_inputs()
    if GridRun.objects.filter(fingerprint=inputs.fingerprint).exists():
        return "fresh", 0
    return splice(inputs, *changed_missions(inputs))


def splice(inputs: Inputs, run: GridRun | None, changed: list[str] | None, digests: dict[str, str]) -> tuple[str, int]:
    """refresh_grid's work, from changed_missions()'s answer."""
    if changed is None:
        kept, changed, how = None, sorted(inputs.missions.index), "full"
    else:
        kept, how = services.load_grid(run), "partial"
        kept = kept[kept["mission"].isin(inputs.missions.index) & ~kept["mission"].isin(changed)]
    scored = services.score_grid(inputs, changed)
    # The stored rows went through CSV: the new ones do too (as the chunks of a fanned-out grid
    # do, merged by services.merge_and_store_grid), so the result is the grid a full run stores.
    scored = pd.read_csv(io.StringIO(scored.to_csv(index=False)), keep_default_na=False)
    frame = scored if kept is None else pd.concat([kept, scored], ignore_index=True)
    frame = services.rank_grid(frame.sort_values(["mission", "mode", "functions"], kind="stable")
                               .reset_index(drop=True))
    services.store_grid(frame, inputs.fingerprint)
    remember_digests(inputs, digests)
    return how, len(changed)
