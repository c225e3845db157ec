"""Morris screening: which parameters move a metric, ranked cheaply.

Morris (1991) and Campolongo et al. (2007): ``trajectories`` random
one-at-a-time paths through a grid of ``levels`` values per parameter; each
step gives an elementary effect, the change in the metric over the step
divided by the step as a share of the range.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import pandas as pd

from sim.experiments.sensitivity.study import (
    CONF_LEVEL,
    RESAMPLES,
    check_whole,
    salib,
    study,
)

MORRIS_COLUMNS = ["parameter", "mu", "mu_star", "sigma", "mu_star_conf"]


def morris(
    scenario: Any,
    ranges: Mapping[str, Sequence[float]],
    metric: str | Callable[[Any], float],
    *,
    trajectories: int = 10,
    levels: int = 4,
    replicates: int = 1,
    seed: int = 0,
    workers: int = 1,
    out: str | os.PathLike[str] | None = None,
    **sweep_options: Any,
) -> pd.DataFrame:
    """Morris elementary-effects screening of ``ranges`` for one metric.

    Args:
        scenario: a scenario file, a loaded scenario or a dict (as for
            :func:`sim.experiments.sweep.sweep`).
        ranges: ``{path: (lo, hi)}``, the paths of ``--set``. Whole-number
            fields (``steps``) take the nearest whole value.
        metric: one metric name (:func:`sim.results.metrics.describe_metrics`) or a
            function ``f(model) -> float``.
        trajectories: random one-at-a-time paths (``r``); the design has
            ``trajectories * (len(ranges) + 1)`` points. 10–20 is usual.
        levels: values per parameter on the Morris grid (even; 4 is usual).
        replicates: seeds per point, averaged before the analysis.
        seed: seeds the design, the runs (through the sweep) and the
            bootstrap of the confidence intervals.
        workers: processes for the sweep.
        out: sweep directory (``results.csv``; a rerun resumes).
        **sweep_options: passed to :func:`sim.experiments.sweep.sweep` (``backend``,
            ``scheduler``, ``progress``, ``common_random_numbers``, ``force``).

    Returns:
        One row per parameter, largest ``mu_star`` first: ``parameter``,
        ``mu`` (mean effect, signed), ``mu_star`` (mean absolute effect),
        ``sigma`` (spread of the effects) and ``mu_star_conf`` (half-width of
        the 95% bootstrap interval of ``mu_star``), in the metric's units per
        whole range. ``attrs`` hold ``method``, ``metric``, ``ranges``,
        ``points``, ``replicates``, ``runs``, ``resumed`` and ``out``.

    Raises:
        ImportError: SALib is not installed.
        ScenarioError: a bad path or value, before anything runs.
        MetricError: an unknown metric or actor, before anything runs.
        SweepError: bad ranges or sweep options.
        SensitivityError: the metric has no value in some run.
    """
    lib = salib()
    it = study(scenario, ranges, metric, replicates, seed, workers, out, sweep_options)
    check_whole("trajectories", trajectories, 2)
    check_whole("levels", levels, 2)
    X = lib.morris_sample.sample(it.problem, trajectories, num_levels=levels, seed=seed)
    Y, results = it.run(X)
    res = lib.morris_analyze.analyze(
        it.problem,
        X,
        Y,
        num_resamples=RESAMPLES,
        conf_level=CONF_LEVEL,
        num_levels=levels,
        seed=seed,
    )
    table = it.table(res, MORRIS_COLUMNS, "mu_star")
    table.attrs.update(
        it.attrs(
            "morris",
            len(X),
            results,
            trajectories=int(trajectories),
            levels=int(levels),
        )
    )
    return table
