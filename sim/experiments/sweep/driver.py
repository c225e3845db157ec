"""The :func:`sweep` call: plan, check, open the directory, run, collect, write.

Everything is validated before the first run: paths and values (every
point's scenario), metric names, options and the output directory.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import pandas as pd

from sim.experiments.sweep.dispatch import (
    Backend,
    pack,
    run_all,
    start_workers_early,
)
from sim.experiments.sweep.plan import Plan, make_plan
from sim.experiments.sweep.runner import MetricSpec, metric_label, resolve_metrics
from sim.experiments.sweep.seeds import SEED_RULE
from sim.experiments.sweep.store import Store
from sim.experiments.sweep.table import Collector
from sim.progress import bar as progress_bar
from sim.results.metrics import Metric, parse_metric

SPEC_FORMAT = 1


def _package_version() -> str:
    """The installed greatgame version, for the spec ("unknown" if not installed)."""
    try:
        return version("greatgame")
    except PackageNotFoundError:
        return "unknown"


def _spec(plan: Plan, metrics: list, series: list[Metric]) -> dict:
    """What defines the sweep's results (sweep.json); workers and backend do not."""
    return {
        "format": SPEC_FORMAT,
        "package_version": _package_version(),
        "scenario_name": plan.base["name"],
        "design": plan.design,
        "parameters": plan.parameters,
        "grid": plan.grid,
        "ranges": plan.ranges,
        "samples": plan.samples,
        "points": plan.points,
        "replicates": plan.replicates,
        "seed": plan.seed,
        "common_random_numbers": plan.common_random_numbers,
        "run_seeds": SEED_RULE,
        "metrics": [metric_label(m) for m in metrics],
        "timeseries": [m.name for m in series],
        "scenario": plan.base,
    }


def _progress_bar(total: int, progress: bool | None, initial: int) -> Any:
    """A tqdm bar, or None (default: in a notebook or on a terminal, not on CI)."""
    return progress_bar(total, "sweep", "run", progress=progress, initial=initial)


def _series_metrics(plan: Plan, timeseries: Iterable[str] | None) -> list[Metric]:
    """The per-step metrics to keep as series, parsed with "did you mean"."""
    names = [timeseries] if isinstance(timeseries, str) else list(timeseries or ())
    return [
        parse_metric(n, plan.actors, per_step=True, places=plan.places) for n in names
    ]


def _run_and_collect(
    plan: Plan, store: Store | None, progress: bool | None, run: Any
) -> tuple[Collector, int]:
    """Run what ``store`` lacks through ``run(todo, collect)``; (collector, resumed)."""
    todo = [r for r in plan.runs if store is None or r.run_id not in store.rows]
    resumed = len(plan.runs) - len(todo)
    bar = _progress_bar(len(plan.runs), progress, resumed)
    collect = Collector(plan, store, bar)
    try:
        run(todo, collect)
    finally:
        if bar is not None:
            bar.close()
    return collect, resumed


def sweep(
    scenario: Any,
    grid: Any = None,
    *,
    design: str = "grid",
    ranges: Mapping[str, Sequence[float]] | None = None,
    samples: int | None = None,
    replicates: int = 1,
    seed: int = 0,
    workers: int = 1,
    backend: str = "processes",
    scheduler: str | None = None,
    metrics: Iterable[MetricSpec] | MetricSpec | None = None,
    timeseries: Iterable[str] | None = None,
    out: str | os.PathLike[str] | None = None,
    progress: bool | None = None,
    common_random_numbers: bool = True,
    force: bool = False,
    chunksize: int | None = None,
) -> pd.DataFrame | tuple[pd.DataFrame, pd.DataFrame]:
    """Run a scenario over a design of points and replicates; one row per run.

    Everything is validated before the first run: paths and values (every
    point's scenario), metric names, options and the output directory.

    Args:
        scenario: a scenario file, a loaded :class:`~sim.scenario.schema.Scenario` or a
            dict (as :func:`sim.scenario.loader.scenario_from_dict` takes).
        grid: ``{path: [values]}`` (full factorial; a single value is held
            fixed), or a list of ``{path: value}`` points or a DataFrame of
            them (e.g. a SALib sample). None: one point, the scenario as is.
        design: ``grid`` (default), ``lhs`` or ``sobol``.
        ranges: ``{path: (lo, hi)}`` for ``lhs``/``sobol``.
        samples: number of points for ``lhs``/``sobol``.
        replicates: runs per point, each with its own seed.
        seed: the sweep seed, from which every run's seed derives.
        workers: processes (or Dask workers of a LocalCluster); 1 runs here.
        backend: ``processes`` (default) or ``dask``.
        scheduler: a Dask scheduler address; None starts a LocalCluster.
        metrics: metric names (:func:`sim.results.metrics.describe_metrics`) and/or
            functions ``f(model) -> float | dict[str, float]`` (columns named by
            ``__name__`` or the dict's keys). None: provinces held and fighters
            per actor at the end, and contested provinces.
        timeseries: per-step metric names to keep as series.
        out: directory for ``sweep.json``, ``results.csv`` and
            ``timeseries.csv``; a sweep already there is resumed.
        progress: show a tqdm bar (default: in a notebook or on a terminal,
            not on a CI machine; see :mod:`sim.progress`).
        common_random_numbers: the same replicate seeds at every point.
        force: discard a different (or any) sweep in ``out`` and start over.
        chunksize: runs per task sent to a worker (default: up to 8, fewer
            toward the end).

    Returns:
        The results DataFrame sorted by ``run_id``: ``run_id``, ``point``,
        ``replicate``, one column per swept path, ``seed`` and the metric
        columns (floats; NaN where a metric has no value). Its ``attrs`` hold
        ``parameters``, ``metrics``, ``resumed`` (runs read back from ``out``)
        and ``out``. With ``timeseries``, a pair ``(results, series)`` where
        ``series`` has the columns ``run_id, step, date, metric, value``.

    Raises:
        ScenarioError: a bad path or value, before anything runs.
        MetricError: an unknown metric or actor, before anything runs.
        SweepError: a bad design, option or output directory.
        RunError: a run failed; the runs finished before it are kept in ``out``.
    """
    where = Backend(workers, backend, scheduler, chunksize)
    start_workers_early(where)  # workers import the model while the plan is made
    plan = make_plan(
        scenario,
        grid,
        design=design,
        ranges=ranges,
        samples=samples,
        replicates=replicates,
        seed=seed,
        common_random_numbers=common_random_numbers,
    )
    where = where.check()
    resolved = resolve_metrics(
        metrics, plan.actors, list(plan.base["actors"]), plan.places
    )
    series = _series_metrics(plan, timeseries)
    packed = pack(resolved, where)
    store = None
    if out is not None:
        store = Store(
            Path(out), _spec(plan, resolved, series), force, plan, bool(series)
        )
    try:
        collect, resumed = _run_and_collect(
            plan,
            store,
            progress,
            lambda todo, done: run_all(
                plan, todo, resolved, packed, series, done, where
            ),
        )
        results = collect.results()
        ts = collect.timeseries([m.name for m in series]) if series else None
        if store is not None:
            store.finish(results, ts)
    finally:
        if store is not None:
            store.close()
    results.attrs.update(
        parameters=list(plan.parameters),
        metrics=list(collect.columns or []),
        resumed=resumed,
        out=None if out is None else str(out),
    )
    return (results, ts) if series else results
