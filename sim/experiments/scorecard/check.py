"""Running a check: the plan's sweep, then the score, in one call.

:func:`scorecard` is the whole pipeline for notebooks (plan, run, score);
``run.py check`` calls the steps itself so that it can write the per-run
values too.
"""

from __future__ import annotations

import time
from typing import Any

import pandas as pd

from .plan import CheckPlan, plan_check
from .score import score


def run_check(
    plan: CheckPlan,
    seeds: int = 20,
    workers: int = 2,
    seed: int = 0,
    progress: bool | None = None,
) -> pd.DataFrame:
    """Run a check's sweep: one row per run with every fact's per-seed value.

    Returns:
        Columns ``variant``, ``replicate``, ``seed`` and one per measured fact.
        Replicate ``r`` has the same seed in every variant (common random
        numbers).
    """
    from sim.experiments.sweep import sweep

    res = sweep(
        plan.scenario,
        plan.points,
        replicates=seeds,
        seed=seed,
        workers=workers,
        metrics=[plan.probe] if plan.probe.measures else None,
        progress=progress,
        common_random_numbers=True,
    )
    keys = [m.key for m in plan.probe.measures]
    out = pd.DataFrame(
        {
            "variant": [plan.variants[p] for p in res["point"]],
            "replicate": res["replicate"].to_numpy(),
            "seed": res["seed"].to_numpy(),
        }
    )
    for k in keys:
        out[k] = res[k].to_numpy(dtype=float)
    return out


def scorecard(
    scenario: Any,
    seeds: int = 20,
    workers: int = 2,
    facts: Any = None,
    *,
    seed: int = 0,
    progress: bool | None = None,
) -> pd.DataFrame:
    """Run a scenario's seeds (and the counterfactuals) and score every fact.

    Args:
        scenario: a scenario file, a loaded Scenario or a dict.
        seeds: seeds per variant (the same seeds in every variant).
        workers: worker processes of the sweep.
        facts: a facts file or :class:`~.facts.Facts` (default: the
            package's ``facts.yaml``).
        seed: the sweep seed from which the run seeds derive.
        progress: show a progress bar (default: in a notebook or on a
            terminal, not on a CI machine; see :mod:`sim.progress`).

    Returns:
        The scorecard (see :func:`~.score.score`); ``attrs`` hold
        ``scenario``, ``seeds``, ``seed``, ``variants``, ``runs`` (the number
        of runs) and ``seconds``.
    """
    started = time.perf_counter()
    plan = plan_check(scenario, facts)
    runs = run_check(plan, seeds=seeds, workers=workers, seed=seed, progress=progress)
    df = score(plan.facts, runs, plan.unavailable)
    df.attrs.update(
        scenario=plan.scenario.name,
        seeds=seeds,
        seed=seed,
        variants=list(plan.variants),
        runs=len(runs),
        seconds=time.perf_counter() - started,
    )
    return df
