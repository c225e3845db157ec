"""Sobol' indices: how much of a metric's variance each parameter accounts for.

Sobol' (2001) and Saltelli et al. (2010), without second-order terms:
``S1`` is the share of the variance due to one parameter alone, ``ST`` the
share it takes part in, interactions included.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from sim.experiments.sensitivity.study import (
    CONF_LEVEL,
    RESAMPLES,
    SensitivityError,
    check_whole,
    salib,
    study,
)

SOBOL_COLUMNS = ["parameter", "S1", "S1_conf", "ST", "ST_conf"]


def _bootstrap_seed(seed: int) -> np.random.SeedSequence:
    """The seed of the confidence intervals' bootstrap, never left to global state.

    SALib's Sobol' analysis draws from NumPy's global generator when its seed
    is falsy, so a sweep seed of 0 would give different intervals each time.
    A SeedSequence is never falsy and seeds the same generator as the int.
    """
    return np.random.SeedSequence(seed)


def sobol(
    scenario: Any,
    ranges: Mapping[str, Sequence[float]],
    metric: str | Callable[[Any], float],
    *,
    samples: int = 64,
    replicates: int = 1,
    seed: int = 0,
    workers: int = 1,
    out: str | os.PathLike[str] | None = None,
    **sweep_options: Any,
) -> pd.DataFrame:
    """Sobol' first-order and total indices of ``ranges`` for one metric.

    Saltelli's design without second-order terms: ``samples * (len(ranges)
    + 2)`` points. The indices are shares of the variance of the averaged
    metric over the ranges; they need many more runs than
    :func:`sim.experiments.sensitivity.morris`.

    Args:
        scenario: a scenario file, a loaded scenario or a dict.
        ranges: ``{path: (lo, hi)}``; whole-number fields take whole values.
        metric: one metric name or a function ``f(model) -> float``.
        samples: base sample size ``N`` (a power of two: 64, 128, 256...).
        replicates: seeds per point, averaged before the analysis.
        seed: seeds the design, the runs and the bootstrap.
        workers: processes for the sweep.
        out: sweep directory (a rerun resumes).
        **sweep_options: passed to :func:`sim.experiments.sweep.sweep`.

    Returns:
        One row per parameter, largest ``ST`` first: ``parameter``, ``S1``,
        ``S1_conf``, ``ST``, ``ST_conf`` (confidence values are half-widths
        of 95% bootstrap intervals). ``attrs`` as for Morris, with
        ``samples``.

    Raises:
        ImportError: SALib is not installed.
        ScenarioError: a bad path or value, before anything runs.
        MetricError: an unknown metric or actor, before anything runs.
        SweepError: bad ranges or sweep options.
        SensitivityError: the metric has no value in some run, or it does not
            vary at all over the design (the indices are then undefined).
    """
    lib = salib()
    it = study(scenario, ranges, metric, replicates, seed, workers, out, sweep_options)
    check_whole("samples", samples, 2)
    X = lib.sobol_sample.sample(it.problem, samples, calc_second_order=False, seed=seed)
    Y, results = it.run(X)
    if np.ptp(Y) == 0:
        raise SensitivityError(
            f"metric '{it.column}' is {Y[0]:g} at every design point: it has no "
            "variance to share out; widen the ranges or pick another metric"
        )
    res = lib.sobol_analyze.analyze(
        it.problem,
        Y,
        calc_second_order=False,
        num_resamples=RESAMPLES,
        conf_level=CONF_LEVEL,
        seed=_bootstrap_seed(seed),
    )
    table = it.table(res, SOBOL_COLUMNS, "ST")
    table.attrs.update(it.attrs("sobol", len(X), results, samples=int(samples)))
    return table
