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
"""

from __future__ import annotations

import csv
import datetime as dt
import importlib.util
import inspect
import io
import itertools
import json
import logging
import math
import multiprocessing
import os
import pickle
import re
import signal
import sys
import threading
import time
import types
import uuid
import warnings
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Annotated, Any, Union, get_args, get_origin

import numpy as np
import pandas as pd
from pydantic import BaseModel

from sim.results.metrics import Metric, MetricError, default_metrics, parse_metric
from sim.scenario.loader import (
    ScenarioError,
    apply_overrides,
    geography_of,
    load_scenario,
    resolved_dict,
    scenario_from_dict,
    validate_path,
)
from sim.scenario.schema import Scenario

__all__ = [
    "Plan",
    "Run",
    "RunError",
    "SweepError",
    "make_plan",
    "read_results",
    "read_timeseries",
    "run_seed",
    "summarize",
    "sweep",
]

DESIGNS = ("grid", "points", "lhs", "sobol")
BACKENDS = ("processes", "dask")
SPEC_FILE, RESULTS_FILE, TIMESERIES_FILE = "sweep.json", "results.csv", "timeseries.csv"
RESULTS_PARQUET, TIMESERIES_PARQUET = "results.parquet", "timeseries.parquet"
TIMESERIES_COLUMNS = ["run_id", "step", "date", "metric", "value"]
SPEC_FORMAT = 1
SEED_RULE = (
    "SeedSequence(seed, spawn_key=(k,)).generate_state(1, uint64)[0] >> 1, "
    "k = replicate (common random numbers) or run index"
)
MetricSpec = str | Callable[[Any], Any]


class SweepError(ValueError):
    """A sweep that cannot run as asked: design, ranges, options or output dir."""


class RunError(RuntimeError):
    """One run of a sweep failed (the model or a user metric raised)."""


# --- seeds and the plan -------------------------------------------------------------


def run_seed(sweep_seed: int, k: int) -> int:
    """The seed of replicate (or run) ``k`` of a sweep seeded ``sweep_seed``.

    ``SeedSequence(sweep_seed, spawn_key=(k,))`` is the k-th child of the sweep
    seed: well mixed, independent of every other k, and the same whoever runs
    it. The top bit is dropped so the seed fits an int64 column and a
    scenario's ``seed`` field (rerun one run with ``run.py --seed SEED``).
    """
    seq = np.random.SeedSequence(sweep_seed, spawn_key=(k,))
    return int(seq.generate_state(1, dtype=np.uint64)[0] >> np.uint64(1))


@dataclass(frozen=True)
class Run:
    """One run of a sweep: a point of the design, a replicate and its seed."""

    index: int
    run_id: str
    point: int
    replicate: int
    seed: int


@dataclass
class Plan:
    """A validated sweep design: every point's scenario and every run's seed.

    Attributes:
        base: the scenario as plain data (every default filled in).
        scenarios: the validated scenario of each point.
        design: ``grid``, ``points``, ``lhs`` or ``sobol``.
        parameters: the swept paths, one column each in the results.
        points: the overrides of each point, ``{path: value}``.
        replicates: runs per point.
        seed: the sweep seed.
        common_random_numbers: the same seeds at every point.
        runs: every run, in ``run_id`` order.
        grid: the grid as given (``grid`` design).
        ranges: ``{path: [lo, hi]}`` (``lhs``/``sobol``).
        samples: the number of sampled points (``lhs``/``sobol``).
    """

    base: dict
    scenarios: list[Scenario]
    design: str
    parameters: list[str]
    points: list[dict[str, Any]]
    replicates: int
    seed: int
    common_random_numbers: bool
    runs: list[Run]
    grid: dict[str, list] | None = None
    ranges: dict[str, list[float]] | None = None
    samples: int | None = None

    @property
    def places(self) -> tuple[str, ...]:
        """Province and region names (and ``all``) of the base scenario's map."""
        return geography_of(self.base).places

    @property
    def actors(self) -> list[str]:
        """Actor ids present at any point (the base scenario's first)."""
        ids = dict.fromkeys(self.base["actors"])
        for sc in self.scenarios:
            ids.update(dict.fromkeys(sc.actors))
        return list(ids)

    def frame(self) -> pd.DataFrame:
        """The id columns of the results: run_id, point, replicate, paths, seed."""
        cols: dict[str, list] = {
            "run_id": [r.run_id for r in self.runs],
            "point": [r.point for r in self.runs],
            "replicate": [r.replicate for r in self.runs],
        }
        for path in self.parameters:
            cols[path] = [self.points[r.point].get(path) for r in self.runs]
        cols["seed"] = [r.seed for r in self.runs]
        return pd.DataFrame(cols)


def _plain_value(v: Any) -> Any:
    """Python values for numpy scalars and arrays (for pydantic and JSON)."""
    if isinstance(v, np.generic):
        return v.item()
    if isinstance(v, np.ndarray):
        return v.tolist()
    return v


def checked_range(path: str, rng: Any) -> list:
    """``[lo, hi]`` of a swept parameter, or a SweepError saying what is wrong.

    Shared by the sampled designs here and by :mod:`sim.experiments.sensitivity`.
    """
    pair = [_plain_value(v) for v in rng] if isinstance(rng, Iterable) else []
    ok = len(pair) == 2 and all(
        isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)
        for v in pair
    )
    if not ok or pair[0] >= pair[1]:
        raise SweepError(
            f"range of '{path}' must be (lo, hi), two numbers with lo < hi, got {rng!r}"
        )
    return pair


def _base_scenario(scenario: Any) -> Scenario:
    if isinstance(scenario, Scenario):
        return scenario
    if isinstance(scenario, str | os.PathLike):
        return load_scenario(scenario)
    if isinstance(scenario, Mapping):
        return scenario_from_dict(dict(scenario))
    raise SweepError(
        "scenario must be a scenario file path, a loaded Scenario or a dict, "
        f"not {type(scenario).__name__}"
    )


def _grid_points(grid: Any) -> tuple[str, list[str], list[dict], dict | None]:
    """(design, paths, points, grid as given) from a grid or a list of points."""
    if grid is None:
        return "grid", [], [{}], None
    if isinstance(grid, pd.DataFrame):
        rows = grid.to_dict(orient="records")
        paths = [str(c) for c in grid.columns]
        points = [{str(k): _plain_value(v) for k, v in r.items()} for r in rows]
        return "points", paths, points, None
    if isinstance(grid, Mapping):
        paths, values = [str(p) for p in grid], []
        for path, vals in grid.items():
            if isinstance(vals, np.ndarray | range | list | tuple | pd.Series):
                vals = [_plain_value(v) for v in vals]
            else:
                vals = [_plain_value(vals)]  # a single value: held fixed
            if not vals:
                raise SweepError(f"grid path '{path}' has no values")
            values.append(vals)
        points = [
            dict(zip(paths, combo, strict=True)) for combo in itertools.product(*values)
        ]
        return "grid", paths, points, dict(zip(paths, values, strict=True))
    if isinstance(grid, Sequence) and not isinstance(grid, str):
        points = []
        for i, pt in enumerate(grid):
            if not isinstance(pt, Mapping):
                raise SweepError(f"grid point {i} must be a {{path: value}} mapping")
            points.append({str(k): _plain_value(v) for k, v in pt.items()})
        paths = list(dict.fromkeys(p for pt in points for p in pt))
        for i, pt in enumerate(points):
            if set(pt) != set(paths):
                missing = sorted(set(paths) - set(pt))
                raise SweepError(f"grid point {i} lacks the path(s) {missing}")
        if not points:
            raise SweepError("the list of grid points is empty")
        return "points", paths, points, None
    raise SweepError(
        "grid must be {path: [values]}, a list of {path: value} points or a "
        f"DataFrame, not {type(grid).__name__}"
    )


_SEG = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def _members(tp: Any) -> list[Any]:
    """The types inside Annotated/Optional/Union, flattened."""
    if get_origin(tp) is Annotated:
        return _members(get_args(tp)[0])
    if get_origin(tp) in (Union, types.UnionType):
        return [m for a in get_args(tp) for m in _members(a)]
    return [tp]


def _is_integer_field(path: str) -> bool:
    """True if the schema types the value at ``path`` as a whole number."""
    current = [Scenario]
    for name, index in _SEG.findall(path):
        nxt = []
        for tp in (m for t in current for m in _members(t)):
            origin, args = get_origin(tp), get_args(tp)
            if isinstance(tp, type) and issubclass(tp, BaseModel) and name:
                for fname, f in tp.model_fields.items():
                    if name in (fname, f.alias):
                        nxt.append(f.annotation)
            elif origin is dict and name:
                nxt.append(args[1])
            elif origin in (list, tuple) and index:
                nxt.append(args[0])
        current = nxt
    leaves = [m for t in current for m in _members(t) if m is not type(None)]
    return bool(leaves) and all(m is int for m in leaves)


def _sample_unit(design: str, d: int, n: int, seed: int) -> np.ndarray:
    """``n`` points in ``[0, 1)^d`` from scipy's LHS or scrambled Sobol'."""
    from scipy.stats import qmc

    rng = np.random.default_rng(np.random.SeedSequence(seed))
    cls = qmc.LatinHypercube if design == "lhs" else qmc.Sobol
    key = "rng" if "rng" in inspect.signature(cls).parameters else "seed"
    sampler = cls(d, **{key: rng})
    with warnings.catch_warnings():  # Sobol' with n not a power of two
        warnings.filterwarnings("ignore", message=".*balance properties.*")
        return sampler.random(n)


def _sampled_points(
    design: str, ranges: Any, samples: Any, seed: int
) -> tuple[list[str], list[dict], dict[str, list]]:
    if not isinstance(ranges, Mapping) or not ranges:
        raise SweepError(
            f"design '{design}' needs ranges={{path: (lo, hi)}}, e.g. "
            "{'actors.russia.resources': (0, 50)}"
        )
    if isinstance(samples, bool) or not isinstance(samples, int | np.integer):
        raise SweepError(f"design '{design}' needs samples=N, a whole number ≥ 1")
    if samples < 1:
        raise SweepError(f"samples must be at least 1, got {samples}")
    paths, bounds = [str(p) for p in ranges], {}
    for path, rng in ranges.items():
        bounds[str(path)] = checked_range(path, rng)
    unit = _sample_unit(design, len(paths), int(samples), seed)
    points = [{} for _ in range(int(samples))]
    for j, path in enumerate(paths):
        lo, hi = bounds[path]
        if _is_integer_field(path):
            if lo != int(lo) or hi != int(hi):
                raise SweepError(f"'{path}' takes whole numbers: give a whole range")
            vals = np.minimum(lo + np.floor(unit[:, j] * (hi - lo + 1)), hi)
            column = [int(v) for v in vals]
        else:
            column = [float(v) for v in lo + unit[:, j] * (hi - lo)]
        for pt, v in zip(points, column, strict=True):
            pt[path] = v
    return paths, points, bounds


def _check_paths(paths: list[str], actors: list[str], geo=None) -> None:
    for path in paths:
        if path == "seed":
            raise SweepError(
                "'seed' cannot be swept: each run's seed comes from the sweep seed; "
                "use replicates for more seeds"
            )
        try:
            validate_path(path, actors, geo)
        except ScenarioError as err:
            raise ScenarioError(
                err.message, path=err.path, where=f"sweep parameter {path}"
            ) from None


def _show_overrides(overrides: Mapping[str, Any]) -> str:
    return ", ".join(f"{p}={v!r}" for p, v in overrides.items())


def _point_scenario(base: dict, overrides: Mapping[str, Any], point: int) -> Scenario:
    source = f"sweep point {point} ({_show_overrides(overrides) or 'no overrides'})"
    return scenario_from_dict(apply_overrides(base, dict(overrides)), source)


def _run_ids(n_points: int, replicates: int) -> Callable[[int, int], str]:
    wp = max(4, len(str(n_points - 1)))
    wr = max(3, len(str(replicates - 1)))
    return lambda p, r: f"p{p:0{wp}d}-r{r:0{wr}d}"


def make_plan(
    scenario: Any,
    grid: Any = None,
    *,
    design: str = "grid",
    ranges: Mapping[str, Sequence[float]] | None = None,
    samples: int | None = None,
    replicates: int = 1,
    seed: int = 0,
    common_random_numbers: bool = True,
) -> Plan:
    """Expand and validate a sweep design without running anything.

    Every path is checked against the schema and every point's overrides are
    applied and validated, so errors surface before a single run. The
    arguments are those of :func:`sweep`.

    Returns:
        The :class:`Plan`: points, their scenarios, and runs with their seeds.

    Raises:
        ScenarioError: a bad path or value (with "did you mean").
        SweepError: a malformed design, range or option.
    """
    if design not in ("grid", "lhs", "sobol"):
        raise SweepError(f"unknown design '{design}'; use 'grid', 'lhs' or 'sobol'")
    if isinstance(replicates, bool) or not isinstance(replicates, int | np.integer):
        raise SweepError(f"replicates must be a whole number, got {replicates!r}")
    if replicates < 1:
        raise SweepError(f"replicates must be at least 1, got {replicates}")
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        raise SweepError(f"the sweep seed must be a whole number ≥ 0, got {seed!r}")
    base_sc = _base_scenario(scenario)
    base = resolved_dict(base_sc)
    bounds = None
    if design == "grid":
        if ranges is not None or samples is not None:
            raise SweepError(
                "ranges and samples belong to design='lhs' or 'sobol'; a grid "
                "takes {path: [values]}"
            )
        design, paths, points, grid_given = _grid_points(grid)
    else:
        if grid is not None:
            raise SweepError(f"design '{design}' samples ranges; give no grid")
        paths, points, bounds = _sampled_points(design, ranges, samples, int(seed))
        grid_given = None
    _check_paths(paths, list(base["actors"]), geography_of(base))
    scenarios = [_point_scenario(base, pt, i) for i, pt in enumerate(points)]
    run_id = _run_ids(len(points), int(replicates))
    runs = []
    for p, r in itertools.product(range(len(points)), range(int(replicates))):
        index = p * int(replicates) + r
        k = r if common_random_numbers else index
        runs.append(Run(index, run_id(p, r), p, r, run_seed(int(seed), k)))
    return Plan(
        base=base,
        scenarios=scenarios,
        design=design,
        parameters=paths,
        points=points,
        replicates=int(replicates),
        seed=int(seed),
        common_random_numbers=bool(common_random_numbers),
        runs=runs,
        grid=grid_given,
        ranges=bounds,
        samples=None if samples is None else int(samples),
    )


# --- metrics ---------------------------------------------------------------------


def _callable_name(fn: Callable) -> str:
    name = getattr(fn, "__name__", None) or type(fn).__name__
    return str(name)


def _resolve_metrics(
    metrics: Any,
    actors: list[str],
    base_actors: list[str],
    places: tuple[str, ...] | None = None,
) -> list[Metric | Callable]:
    if metrics is None:
        metrics = default_metrics(base_actors)
    if isinstance(metrics, str) or callable(metrics):
        metrics = [metrics]
    out: list[Metric | Callable] = []
    for m in metrics:
        out.append(m if callable(m) else parse_metric(m, actors, places=places))
    names = [m.name if isinstance(m, Metric) else _callable_name(m) for m in out]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise MetricError(f"metric(s) given twice: {', '.join(dupes)}")
    return out


def _metric_label(m: Metric | Callable) -> str:
    if isinstance(m, Metric):
        return m.name
    qualname = getattr(m, "__qualname__", _callable_name(m))
    return f"callable:{getattr(m, '__module__', '?')}.{qualname}"


def _pack_callables(fns: list[Callable]) -> bytes:
    """Pickle user metric functions for other processes (cloudpickle if need be).

    Functions defined in a notebook or as lambdas cannot be imported by a
    worker; cloudpickle (a Dask dependency) sends them by value.
    """
    try:
        import cloudpickle
    except ImportError:
        cloudpickle = None
    if cloudpickle is not None:
        return cloudpickle.dumps(fns)
    for fn in fns:
        where = getattr(fn, "__module__", "")
        if where == "__main__" or "<" in getattr(fn, "__qualname__", ""):
            raise SweepError(
                f"metric function {_callable_name(fn)} is defined in __main__ (a "
                "notebook or script) or inline, so worker processes cannot import "
                "it: define it in a module, use workers=1, or pip install cloudpickle"
            )
    return pickle.dumps(fns)


def _to_float(name: str, v: Any) -> float:
    if v is None:
        return math.nan
    try:
        return float(v)
    except (TypeError, ValueError):
        raise MetricError(
            f"metric '{name}' returned {v!r}; expected a number (or None)"
        ) from None


def _measure(model: Any, metrics: list[Metric | Callable]) -> dict[str, float]:
    values: dict[str, float] = {}
    for m in metrics:
        if isinstance(m, Metric):
            items = [(m.name, m.value(model.history))]
        else:
            got = m(model)
            items = (
                got.items() if isinstance(got, Mapping) else [(_callable_name(m), got)]
            )
        for key, v in items:
            if str(key) in values:
                raise MetricError(f"two metrics give a column named '{key}'")
            values[str(key)] = _to_float(str(key), v)
    return values


# --- running ----------------------------------------------------------------------


#: One run as a worker gets it: index, run_id, point, overrides, seed.
_RunItem = tuple[int, str, int, dict, int]


@dataclass(frozen=True)
class _Task:
    """What a worker needs for a chunk of runs: the scenario once, as data."""

    base: dict
    runs: tuple[_RunItem, ...]
    metrics: tuple[Metric | int, ...]  # an int: position in the user functions
    functions: bytes | tuple[Callable, ...]
    timeseries: tuple[Metric, ...]


@dataclass(frozen=True)
class _Outcome:
    index: int
    run_id: str
    values: dict[str, float]
    series: tuple[tuple[str, tuple[float, ...]], ...] = ()
    dates: tuple[str, ...] = ()


def _execute(
    task: _Task, scenarios: dict[int, Scenario] | None = None
) -> list[_Outcome]:
    """Run a chunk of runs (in a worker or in-process) and measure them."""
    from sim.core.model import GreatGame

    funcs = task.functions
    if isinstance(funcs, bytes):
        funcs = pickle.loads(funcs)
    metrics = [funcs[m] if isinstance(m, int) else m for m in task.metrics]
    cache = {} if scenarios is None else scenarios
    out = []
    for index, run_id, point, overrides, seed in task.runs:
        try:
            if point not in cache:
                cache[point] = _point_scenario(task.base, overrides, point)
            model = GreatGame(cache[point], seed=seed).run()
            values = _measure(model, metrics)
            h = model.history
            series = tuple(
                (m.name, tuple(map(float, m.series(h)))) for m in task.timeseries
            )
        except MetricError:
            raise
        except Exception as err:
            raise RunError(
                f"run {run_id} (seed {seed}; "
                f"{_show_overrides(overrides) or 'no overrides'}) failed: "
                f"{type(err).__name__}: {err}"
            ) from err
        dates = tuple(d.isoformat() for d in h.dates[: h.n_rows]) if series else ()
        out.append(_Outcome(index, run_id, values, series, dates))
    return out


def _init_worker(parent: int) -> None:
    """Worker initializer: leave Ctrl-C to the parent; exit if the parent dies.

    A pool's workers would otherwise wait for work forever when the sweep's
    process is killed (they hold their own end of the task queue).
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)

    def watch() -> None:
        while True:
            time.sleep(0.5)
            try:
                os.kill(parent, 0)
            except ProcessLookupError:
                os._exit(1)
            except PermissionError:
                pass  # alive, another user's (cannot happen for our parent)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def _stop(pool: ProcessPoolExecutor) -> None:
    """Stop a pool at once: cancel queued tasks and end the running ones."""
    if hasattr(pool, "terminate_workers"):  # Python 3.14+
        pool.terminate_workers()
        return
    for proc in list(getattr(pool, "_processes", {}).values()):
        proc.terminate()
    pool.shutdown(wait=True, cancel_futures=True)


#: Imported once by the fork server, so that workers start with them loaded.
PRELOAD = ("sim.core.model", "sim.experiments.sweep")


def _mp_context() -> multiprocessing.context.BaseContext:
    """The "forkserver" context (else "spawn"): never a fork of this process.

    Asks the fork server, if this process has not started it yet, to import
    the model before it forks workers: a worker then starts in milliseconds
    instead of importing Mesa itself, and a second sweep from the same
    notebook starts at once. This does not set a start method for anyone else.
    """
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(["__main__", *PRELOAD])
    return ctx


def _run_processes(tasks: list[_Task], workers: int, done: Callable) -> None:
    pool = ProcessPoolExecutor(
        workers,
        mp_context=_mp_context(),
        initializer=_init_worker,
        initargs=(os.getpid(),),
    )
    try:
        futures = [pool.submit(_execute, t) for t in tasks]
        for fut in as_completed(futures):
            done(fut.result())
    except BaseException:  # a failed run, Ctrl-C: finished rows are saved
        _stop(pool)
        raise
    pool.shutdown(wait=True)


def _run_dask(
    tasks: list[_Task], workers: int, scheduler: str | None, done: Callable
) -> None:
    try:
        from dask.distributed import Client, LocalCluster
        from dask.distributed import as_completed as dask_completed
    except ImportError:
        raise SweepError(
            "backend='dask' needs Dask's distributed scheduler: "
            "pip install 'greatgame[dask]'"
        ) from None
    cluster = None
    if scheduler is None:
        cluster = LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            silence_logs=logging.ERROR,
        )
    try:
        try:
            client = Client(
                cluster if cluster is not None else scheduler, timeout="20s"
            )
        except OSError as err:
            raise SweepError(
                f"cannot reach the Dask scheduler at {scheduler}: {err}"
            ) from None
        with client:
            futures = client.map(_execute, tasks, pure=False)
            try:
                for fut in dask_completed(futures):
                    done(fut.result())
            except BaseException:
                client.cancel(futures)
                raise
    finally:
        if cluster is not None:
            cluster.close()


def _chunks(runs: list[Run], workers: int, size: int | None) -> list[list[Run]]:
    """Consecutive runs in tasks: ``size`` each, or shrinking ("guided").

    Guided chunks hold up to 8 runs while many remain (little overhead per
    run) and shrink to one run at the end, so no worker idles long while
    another finishes a big chunk.
    """
    out, i = [], 0
    while i < len(runs):
        left = len(runs) - i
        n = size or max(1, min(8, math.ceil(left / (4 * workers))))
        out.append(runs[i : i + n])
        i += n
    return out


def _progress_bar(total: int, progress: bool | None, initial: int) -> Any:
    show = sys.stderr.isatty() if progress is None else bool(progress)
    if not show:
        return None
    from tqdm.auto import tqdm

    return tqdm(total=total, initial=initial, unit="run", desc="sweep", file=sys.stderr)


# --- files -------------------------------------------------------------------------


def _cell(v: Any) -> str:
    """A value as CSV text: exact floats (repr), YAML-like booleans, JSON lists."""
    v = _plain_value(v)
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return "" if math.isnan(v) else repr(v)
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, list | dict):
        return json.dumps(v, default=str)
    return str(v)


def _temp_beside(path: Path) -> Path:
    return path.with_name(f".{path.name}.{os.getpid()}-{uuid.uuid4().hex[:8]}.tmp")


def _atomic_write(path: Path, text: str) -> None:
    """Write a file whole or not at all (a temporary file renamed into place)."""
    tmp = _temp_beside(path)
    try:
        with open(tmp, "w", encoding="utf-8", newline="") as f:
            f.write(text)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _csv_text(header: list[str] | None, rows: Iterable[Sequence[Any]]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    if header is not None:
        writer.writerow(header)
    writer.writerows([_cell(v) for v in row] for row in rows)
    return buf.getvalue()


def _complete_rows(path: Path) -> tuple[list[list[str]], bool]:
    """CSV rows of a file that may end in a half-written line; (rows, clean?)."""
    if not path.exists():
        return [], True
    text = path.read_text(encoding="utf-8")
    cut = text.rfind("\n") + 1
    rows = list(csv.reader(io.StringIO(text[:cut])))
    return rows, cut == len(text)


def _package_version() -> str:
    try:
        return version("greatgame")
    except PackageNotFoundError:
        return "unknown"


def _normal(obj: Any) -> Any:
    """JSON round trip, so a spec compares equal to the one read back."""
    return json.loads(json.dumps(obj, default=str))


class _Store:
    """The sweep directory: spec, rows appended as runs finish, resume."""

    def __init__(self, out: Path, spec: dict, force: bool, plan: Plan, series: bool):
        self.dir, self.plan = Path(out), plan
        self.fixed = list(plan.frame().columns)
        self._prepare(_normal(spec), force)
        self.header, self.rows = self._read_results()
        self.series = self._read_series() if series else []

    def _prepare(self, spec: dict, force: bool) -> None:
        d, spec_path = self.dir, self.dir / SPEC_FILE
        if d.exists() and not d.is_dir():
            raise SweepError(f"output path '{d}' exists and is not a directory")
        ours = [
            SPEC_FILE,
            RESULTS_FILE,
            TIMESERIES_FILE,
            RESULTS_PARQUET,
            TIMESERIES_PARQUET,
        ]
        if spec_path.exists() and not force:
            try:
                old = json.loads(spec_path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                old = {}
            if old == spec:
                return
            keys = sorted(k for k in set(spec) | set(old) if spec.get(k) != old.get(k))
            raise SweepError(
                f"'{d}' holds a different sweep (it differs in: {', '.join(keys)}); "
                "choose another output directory (--out), or pass --force "
                "(force=True) to discard it and start over"
            )
        if not spec_path.exists() and d.exists() and any(d.iterdir()) and not force:
            raise SweepError(
                f"'{d}' is not empty and holds no {SPEC_FILE}, so it is not a sweep "
                "to resume; choose another output directory (--out), or pass --force "
                "(force=True) to write the sweep there anyway"
            )
        for name in ours if force else ():
            (d / name).unlink(missing_ok=True)
        d.mkdir(parents=True, exist_ok=True)
        _atomic_write(spec_path, json.dumps(spec, indent=2, ensure_ascii=False) + "\n")

    def _read_results(self) -> tuple[list[str] | None, dict[str, dict[str, float]]]:
        path = self.dir / RESULTS_FILE
        rows, clean = _complete_rows(path)
        if not rows:
            path.unlink(missing_ok=True)
            return None, {}
        header, nf = rows[0], len(self.fixed)
        if header[:nf] != self.fixed:
            raise SweepError(
                f"'{path}' does not match {SPEC_FILE} (columns {header[:nf]}); "
                "pass --force (force=True) to start over"
            )
        seeds = {r.run_id: str(r.seed) for r in self.plan.runs}
        kept: dict[str, dict[str, float]] = {}
        for row in rows[1:]:
            ok = len(row) == len(header) and seeds.get(row[0]) == row[nf - 1]
            if not ok or row[0] in kept:
                continue  # a torn, foreign or duplicate row: that run runs again
            try:
                kept[row[0]] = {
                    c: math.nan if v == "" else float(v)
                    for c, v in zip(header[nf:], row[nf:], strict=True)
                }
            except ValueError:
                continue
        if not clean or len(kept) != len(rows) - 1:
            raw: dict[str, list[str]] = {}
            for row in rows[1:]:
                if row and row[0] in kept:
                    raw.setdefault(row[0], row)
            _atomic_write(path, _csv_text(header, (raw[k] for k in kept)))
        return header, kept

    def _read_series(self) -> list[tuple]:
        path = self.dir / TIMESERIES_FILE
        rows, clean = _complete_rows(path)
        good = []
        for row in rows[1:]:
            if len(row) == 5 and row[0] in self.rows:
                try:
                    value = math.nan if row[4] == "" else float(row[4])
                    good.append((row[0], int(row[1]), row[2], row[3], value))
                except ValueError:
                    continue
        if rows and (not clean or len(good) != len(rows) - 1):
            _atomic_write(path, _csv_text(TIMESERIES_COLUMNS, good))
        return good

    def append(self, header: list[str], rows: list[list], series: list[tuple]) -> None:
        """Append finished runs: series first, then result rows (both flushed)."""
        if series:
            path = self.dir / TIMESERIES_FILE
            new = not path.exists()
            with open(path, "a", encoding="utf-8", newline="") as f:
                f.write(_csv_text(TIMESERIES_COLUMNS if new else None, series))
        path = self.dir / RESULTS_FILE
        new = not path.exists()
        with open(path, "a", encoding="utf-8", newline="") as f:
            f.write(_csv_text(header if new else None, rows))
        self.header = header

    def finish(self, results: pd.DataFrame, series: pd.DataFrame | None) -> None:
        """Rewrite the files sorted by run_id; Parquet copies if pyarrow is there."""
        _atomic_write(
            self.dir / RESULTS_FILE,
            _csv_text(list(results.columns), results.itertuples(index=False)),
        )
        if series is not None:
            _atomic_write(
                self.dir / TIMESERIES_FILE,
                _csv_text(TIMESERIES_COLUMNS, series.itertuples(index=False)),
            )
        if importlib.util.find_spec("pyarrow") is None:
            return
        for frame, name in ((results, RESULTS_PARQUET), (series, TIMESERIES_PARQUET)):
            if frame is None:
                continue
            tmp = _temp_beside(self.dir / name)
            try:
                frame.to_parquet(tmp, index=False)
                os.replace(tmp, self.dir / name)
            except Exception as err:  # noqa: BLE001 - Parquet is a convenience copy
                tmp.unlink(missing_ok=True)
                warnings.warn(
                    f"{name} not written ({err}); the CSV has it all", stacklevel=3
                )


class _Collector:
    """Gathers finished runs in memory and appends them to the store."""

    def __init__(self, plan: Plan, store: _Store | None, bar: Any):
        self.plan, self.store, self.bar = plan, store, bar
        self.fixed = list(plan.frame().columns)
        self.columns = (
            None
            if store is None or store.header is None
            else store.header[len(self.fixed) :]
        )
        self.values = dict(store.rows) if store else {}
        self.series = list(store.series) if store else []
        self.runs = {r.run_id: r for r in plan.runs}

    def __call__(self, outcomes: list[_Outcome]) -> None:
        rows, series = [], []
        for o in outcomes:
            if self.columns is None:
                self.columns = list(o.values)
                clash = set(self.columns) & set(self.fixed)
                if clash:
                    raise MetricError(
                        f"metric column(s) {sorted(clash)} clash with id columns"
                    )
            if list(o.values) != self.columns and set(o.values) != set(self.columns):
                raise MetricError(
                    f"run {o.run_id} gave metrics {sorted(o.values)}, earlier runs "
                    f"{sorted(self.columns)}: a metric function must return the "
                    "same keys every run"
                )
            self.values[o.run_id] = {c: o.values[c] for c in self.columns}
            run = self.runs[o.run_id]
            ids = [run.run_id, run.point, run.replicate]
            ids += [self.plan.points[run.point].get(p) for p in self.plan.parameters]
            rows.append([*ids, run.seed, *(o.values[c] for c in self.columns)])
            for name, vals in o.series:
                series.extend(
                    (o.run_id, t, o.dates[t], name, v) for t, v in enumerate(vals)
                )
        self.series.extend(series)
        if self.store is not None:
            self.store.append(self.fixed + self.columns, rows, series)
        if self.bar is not None:
            self.bar.update(len(outcomes))

    def results(self) -> pd.DataFrame:
        frame = self.plan.frame()
        cols = self.columns or []
        data = {c: [self.values[r][c] for r in frame["run_id"]] for c in cols}
        metrics = pd.DataFrame(data, index=frame.index, columns=cols, dtype=float)
        return pd.concat([frame, metrics], axis=1)

    def timeseries(self, names: list[str]) -> pd.DataFrame:
        order = {n: i for i, n in enumerate(names)}
        rows = sorted(
            self.series, key=lambda r: (r[0], order.get(r[3], len(order)), r[1])
        )
        df = pd.DataFrame(rows, columns=TIMESERIES_COLUMNS)
        return df.astype({"step": "int64", "value": "float64"})


# --- the sweep ----------------------------------------------------------------------


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
        "metrics": [_metric_label(m) for m in metrics],
        "timeseries": [m.name for m in series],
        "scenario": plan.base,
    }


def _check_options(workers: Any, backend: str, scheduler: Any, chunksize: Any) -> None:
    if backend not in BACKENDS:
        raise SweepError(f"unknown backend '{backend}'; use 'processes' or 'dask'")
    if (
        isinstance(workers, bool)
        or not isinstance(workers, int | np.integer)
        or workers < 1
    ):
        raise SweepError(f"workers must be a whole number ≥ 1, got {workers!r}")
    if scheduler is not None and backend != "dask":
        raise SweepError("scheduler= is for backend='dask'")
    if chunksize is not None and (not isinstance(chunksize, int) or chunksize < 1):
        raise SweepError(f"chunksize must be a whole number ≥ 1, got {chunksize!r}")


def _run_all(
    plan: Plan,
    todo: list[Run],
    metrics: list[Metric | Callable],
    packed: bytes | tuple,
    series: list[Metric],
    collect: Callable,
    workers: int,
    backend: str,
    scheduler: str | None,
    chunksize: int | None,
) -> None:
    """Run ``todo`` here, on a process pool or on Dask; hand results to ``collect``.

    ``packed`` holds the user's metric functions, pickled for other processes.
    """
    fns = [m for m in metrics if not isinstance(m, Metric)]
    in_process = backend == "processes" and workers == 1
    positions = iter(range(len(fns)))
    order = tuple(m if isinstance(m, Metric) else next(positions) for m in metrics)

    def task(runs: list[Run]) -> _Task:
        items = tuple(
            (r.index, r.run_id, r.point, plan.points[r.point], r.seed) for r in runs
        )
        return _Task(plan.base, items, order, packed, tuple(series))

    if in_process:
        cache = dict(enumerate(plan.scenarios))  # validated already
        for run in todo:
            collect(_execute(task([run]), cache))
        return
    tasks = [task(c) for c in _chunks(todo, workers, chunksize)]
    if tasks and backend == "dask":
        _run_dask(tasks, workers, scheduler, collect)
    elif tasks:
        _run_processes(tasks, workers, collect)


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
        progress: show a tqdm bar (default: when stderr is a terminal).
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
    _check_options(workers, backend, scheduler, chunksize)
    resolved = _resolve_metrics(
        metrics, plan.actors, list(plan.base["actors"]), plan.places
    )
    names = [timeseries] if isinstance(timeseries, str) else list(timeseries or ())
    series = [
        parse_metric(n, plan.actors, per_step=True, places=plan.places) for n in names
    ]
    fns = [m for m in resolved if not isinstance(m, Metric)]
    here = backend == "processes" and workers == 1
    packed = tuple(fns) if here or not fns else _pack_callables(fns)
    store = None
    if out is not None:
        spec = _spec(plan, resolved, series)
        store = _Store(Path(out), spec, force, plan, bool(series))
    todo = [r for r in plan.runs if store is None or r.run_id not in store.rows]
    bar = _progress_bar(len(plan.runs), progress, len(plan.runs) - len(todo))
    collect = _Collector(plan, store, bar)
    try:
        _run_all(
            plan,
            todo,
            resolved,
            packed,
            series,
            collect,
            workers,
            backend,
            scheduler,
            chunksize,
        )
    finally:
        if bar is not None:
            bar.close()

    results = collect.results()
    ts = collect.timeseries([m.name for m in series]) if series else None
    if store is not None:
        store.finish(results, ts)
    results.attrs.update(
        parameters=list(plan.parameters),
        metrics=list(collect.columns or []),
        resumed=len(plan.runs) - len(todo),
        out=None if out is None else str(out),
    )
    return (results, ts) if series else results


# --- reading and summarising ---------------------------------------------------------


def _read_csv(path: Path) -> pd.DataFrame:
    """Read a CSV with floats exactly as written (pandas 3 does so by default)."""
    exact = (
        {}
        if int(pd.__version__.split(".")[0]) >= 3
        else {"float_precision": "round_trip"}
    )
    return pd.read_csv(path, **exact)


def read_results(out: str | os.PathLike[str]) -> pd.DataFrame:
    """The results of a sweep directory (as written by :func:`sweep`).

    Swept values are parsed by pandas from their CSV text; metrics are exact.
    ``attrs`` holds ``parameters`` and ``metrics`` from ``sweep.json``.
    """
    d = Path(out)
    spec = json.loads((d / SPEC_FILE).read_text(encoding="utf-8"))
    df = _read_csv(d / RESULTS_FILE)
    params = spec.get("parameters", [])
    start = list(df.columns).index("seed") + 1
    df.attrs.update(parameters=params, metrics=list(df.columns[start:]), out=str(d))
    return df


def read_timeseries(out: str | os.PathLike[str]) -> pd.DataFrame:
    """The time series of a sweep directory: run_id, step, date, metric, value."""
    return _read_csv(Path(out) / TIMESERIES_FILE)


def summarize(
    results: pd.DataFrame,
    metrics: Sequence[str] | None = None,
    stat: str | Callable = "mean",
) -> pd.DataFrame:
    """One row per point: the swept values, the number of runs and a statistic.

    Args:
        results: a :func:`sweep` result.
        metrics: the metric columns (default: ``results.attrs['metrics']``,
            else every column after ``seed``).
        stat: a pandas aggregation (``"mean"``, ``"median"``, ``"std"``...).

    Returns:
        A DataFrame indexed by ``point``.
    """
    params = list(results.attrs.get("parameters", []))
    if metrics is None:
        metrics = results.attrs.get("metrics")
    if metrics is None:
        metrics = list(results.columns[list(results.columns).index("seed") + 1 :])
    groups = results.groupby("point", sort=True)
    parts = [groups[params].first()] if params else []
    parts.append(groups.size().rename("runs").to_frame())
    parts.append(groups[list(metrics)].agg(stat))
    return pd.concat(parts, axis=1)
