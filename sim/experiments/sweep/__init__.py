"""Parameter sweeps: many seeded runs of one scenario, one tidy row per run.

In the EMA workbench's words, a sweep varies *uncertainties* (what no actor
controls: ISIS's strength, interdiction) and *levers* (policy choices: Russia's
aid budget, US troops) over a design of *points*, runs every point for several
*replications* (seeds), and measures *outcomes* (metrics, :mod:`sim.results.metrics`).
From a notebook::

    from sim.experiments.sweep import sweep
    grid = {"actors.russia.resources": [0, 12, 24], "steps": [52, 104]}
    df = sweep("scenarios/2016.yaml", grid, replicates=20, workers=2)

``df`` has one row per run: ``run_id``, ``point``, ``replicate``, one column
per swept path, ``seed``, then one column per metric.

Designs:
    ``grid`` (default): ``{path: [values]}``, the full factorial, the first path
    varying slowest. A list of ``{path: value}`` dicts or a DataFrame with one
    column per path gives the points themselves (design ``points``: e.g. a
    SALib sample). No grid: one point, the scenario as it is.
    ``lhs`` and ``sobol``: ``ranges={path: (lo, hi)}`` and ``samples=n``, a Latin
    hypercube or a scrambled Sobol' sequence from :mod:`scipy.stats.qmc`,
    seeded from the sweep seed. Integer fields (``steps``) take whole values,
    uniform over ``lo..hi``. Sobol' points are balanced only when ``n`` is a
    power of two.

    Paths are those of ``--set`` (``actors.russia.resources``,
    ``parameters.interdiction``, ``steps``). Every point's overrides are applied
    and validated before anything runs, so a typo or a bad value fails at once
    with "did you mean" (:class:`sim.scenario.loader.ScenarioError`).

Seeds:
    Run seeds come from the sweep seed through ``numpy.random.SeedSequence``
    (:func:`run_seed`), never ``seed + i``, so results do not depend on the
    number of workers, the backend or the order in which runs finish. With
    ``common_random_numbers=True`` (default), replicate ``r`` has the same seed
    at every point, so points are compared on the same draws (as Covasim and
    Starsim do): differences between points are then effects, not noise.
    With ``False`` every run gets its own seed (independent samples).

Backends:
    ``processes`` (default): ``workers`` local processes started by the
    "forkserver" method (never a plain fork of a threaded process), kept for
    the whole sweep and fed chunks of runs; ``workers=1`` runs in this process.
    ``dask``: Dask distributed, on a ``LocalCluster`` started (and closed) for
    you, or on the scheduler at ``scheduler="tcp://host:8786"`` (its workers
    need greatgame installed). ``pip install 'greatgame[dask]'``.

Files (with ``out``): ``sweep.json`` (the spec: resolved scenario, design,
points, replicates, seed, metrics, package version) is written first; each
finished run's row is appended to ``results.csv`` at once; at the end
``results.csv`` is rewritten sorted by ``run_id`` (and ``results.parquet``
written when pyarrow is installed). Running the same sweep into the same
directory again resumes it: finished runs are kept, the others run. Time
series (``timeseries=[...]``) go to ``timeseries.csv`` in long form:
``run_id, step, date, metric, value``.

The pipeline, one module each: :mod:`~.design` (grids, samples, paths and
values checked), :mod:`~.seeds` (SeedSequence fan-out), :mod:`~.plan` (the
:class:`Plan` and its :class:`RunSpec` list), :mod:`~.runner` (one run and
its metrics), :mod:`~.dispatch` with :mod:`~.pool` and :mod:`~.dask_backend`
(where runs execute), :mod:`~.table` (the results table) and :mod:`~.store`
(the files, resume, reading back); :mod:`~.driver` holds :func:`sweep`.
"""

from __future__ import annotations

from sim.experiments.sweep.design import (
    DESIGNS,
    as_scenario,
    checked_range,
    is_integer_field,
)
from sim.experiments.sweep.dispatch import BACKENDS
from sim.experiments.sweep.driver import sweep
from sim.experiments.sweep.errors import RunError, SweepError
from sim.experiments.sweep.plan import Plan, RunSpec, make_plan
from sim.experiments.sweep.seeds import SEED_RULE, run_seed
from sim.experiments.sweep.store import read_results, read_timeseries
from sim.experiments.sweep.table import summarize

__all__ = [
    "BACKENDS",
    "DESIGNS",
    "SEED_RULE",
    "Plan",
    "RunError",
    "RunSpec",
    "SweepError",
    "as_scenario",
    "checked_range",
    "is_integer_field",
    "make_plan",
    "read_results",
    "read_timeseries",
    "run_seed",
    "summarize",
    "sweep",
]
