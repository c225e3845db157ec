"""The validation facts scored on posterior predictive runs.

A few accepted parameter sets are drawn from the posterior; each is run on
the same seeds (with the counterfactuals the validation facts need), and
all those runs are pooled into one scorecard, so a fact's band spans both
what the calibration left uncertain and the seeds.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from sim.experiments.calibration.matching import Match
from sim.experiments.scorecard import plan_check, run_check, score
from sim.experiments.sweep import as_scenario
from sim.scenario.loader import apply_overrides, resolved_dict, scenario_from_dict


def posterior_draws(match: Match, n: int, seed: int = 0) -> pd.DataFrame:
    """Up to ``n`` distinct accepted parameter sets, drawn at random (seeded)."""
    post = match.posterior
    if post.empty:
        return post
    rng = np.random.default_rng(np.random.SeedSequence([seed, 2]))
    take = rng.choice(len(post), size=min(n, len(post)), replace=False)
    return post.iloc[np.sort(take)].reset_index(drop=True)


def _with(scenario: Any, row: pd.Series, paths: list[str]) -> Any:
    """The scenario with one parameter set applied."""
    base = resolved_dict(as_scenario(scenario, TypeError))
    values = {p: row[p].item() if hasattr(row[p], "item") else row[p] for p in paths}
    return scenario_from_dict(apply_overrides(base, values), "posterior draw")


def validate(
    scenario: Any,
    match: Match,
    draws: int = 8,
    seeds: int = 4,
    *,
    seed: int = 0,
    workers: int = 1,
    progress: bool | None = None,
) -> pd.DataFrame:
    """Score the validation facts on runs of posterior draws, pooled.

    Args:
        scenario: the calibrated scenario.
        match: the history match (its posterior and validation facts).
        draws: accepted parameter sets to run.
        seeds: seeds per parameter set (the same seeds for each).
        seed: seeds the draw and the runs.
        workers: processes for the sweeps.
        progress: progress bars (default: when stderr is a terminal).

    Returns:
        The scorecard of the validation facts (see
        :func:`sim.experiments.scorecard.score`) over all pooled runs;
        ``attrs`` hold ``draws``, ``seeds`` and ``runs``. Empty when there
        is no posterior or no validation fact.
    """
    chosen = posterior_draws(match, draws, seed)
    if chosen.empty or len(match.split.validation) == 0:
        return pd.DataFrame()
    paths = [p.path for p in match.priors]
    pooled, plan = [], None
    for i, row in chosen.iterrows():
        plan = plan_check(_with(scenario, row, paths), match.split.validation)
        runs = run_check(
            plan, seeds=seeds, workers=workers, seed=seed, progress=progress
        )
        runs["replicate"] = runs["replicate"] + i * seeds
        pooled.append(runs)
    runs = pd.concat(pooled, ignore_index=True)
    table = score(plan.facts, runs, plan.unavailable)
    table.attrs.update(draws=len(chosen), seeds=seeds, runs=len(runs))
    return table


def score_of(table: pd.DataFrame) -> tuple[int, int]:
    """``(passed, counted)`` of a scorecard table."""
    if table.empty:
        return 0, 0
    counted = table["counted"].astype(bool)
    return int(((table["status"] == "pass") & counted).sum()), int(counted.sum())
