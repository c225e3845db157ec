"""One run of a sweep and its metrics, in a worker or in this process.

A worker gets a :class:`Task` (the scenario once, as data, and a chunk of
runs), builds each point's scenario, runs the model with the run's seed and
measures it; it sends back one :class:`Outcome` per run. A worker process
keeps the scenarios it has built (by the sweep's :func:`plan_key` and the
point), so each point is validated once per worker, not once per chunk, and
with each a :class:`~sim.core.build.BuildCache`: the seeds of a point share
the parts of a model's build the seed does not change (byte-identical runs).
"""

from __future__ import annotations

import hashlib
import math
import pickle
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sim.experiments.sweep.design import point_scenario, show_overrides
from sim.experiments.sweep.errors import RunError, SweepError
from sim.results.metrics import Metric, MetricError, default_metrics, parse_metric
from sim.scenario.schema import Scenario
from sim.scenario.variations import Variations

if TYPE_CHECKING:  # the model's modules are imported by the runs that need them
    from sim.core.build import BuildCache

MetricSpec = str | Callable[[Any], Any]


def callable_name(fn: Callable) -> str:
    """The column a metric function gives: its ``__name__`` (or its type's)."""
    name = getattr(fn, "__name__", None) or type(fn).__name__
    return str(name)


def resolve_metrics(
    metrics: Any,
    actors: list[str],
    base_actors: list[str],
    places: tuple[str, ...] | None = None,
) -> list[Metric | Callable]:
    """Metric names parsed (with "did you mean") and functions kept, none twice.

    None gives the default metrics of the base scenario's actors.
    """
    if metrics is None:
        metrics = default_metrics(base_actors)
    if isinstance(metrics, str) or callable(metrics):
        metrics = [metrics]
    out: list[Metric | Callable] = []
    for m in metrics:
        out.append(m if callable(m) else parse_metric(m, actors, places=places))
    names = [m.name if isinstance(m, Metric) else callable_name(m) for m in out]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise MetricError(f"metric(s) given twice: {', '.join(dupes)}")
    return out


def metric_label(m: Metric | Callable) -> str:
    """How ``sweep.json`` names a metric: its name, or where its function lives."""
    if isinstance(m, Metric):
        return m.name
    qualname = getattr(m, "__qualname__", callable_name(m))
    return f"callable:{getattr(m, '__module__', '?')}.{qualname}"


def pack_callables(fns: list[Callable]) -> bytes:
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
                f"metric function {callable_name(fn)} is defined in __main__ (a "
                "notebook or script) or inline, so worker processes cannot import "
                "it: define it in a module, use workers=1, or pip install cloudpickle"
            )
    return pickle.dumps(fns)


def _to_float(name: str, v: Any) -> float:
    """A metric value as a float column takes it (None is NaN)."""
    if v is None:
        return math.nan
    try:
        return float(v)
    except (TypeError, ValueError):
        raise MetricError(
            f"metric '{name}' returned {v!r}; expected a number (or None)"
        ) from None


def measure(model: Any, metrics: list[Metric | Callable]) -> dict[str, float]:
    """Every metric of a finished model, by column name."""
    values: dict[str, float] = {}
    for m in metrics:
        if isinstance(m, Metric):
            items = [(m.name, m.value(model.history))]
        else:
            got = m(model)
            items = (
                got.items() if isinstance(got, Mapping) else [(callable_name(m), got)]
            )
        for key, v in items:
            if str(key) in values:
                raise MetricError(f"two metrics give a column named '{key}'")
            values[str(key)] = _to_float(str(key), v)
    return values


#: One run as a worker gets it: index, run_id, point, overrides, seed.
RunItem = tuple[int, str, int, dict, int]


@dataclass(frozen=True)
class Task:
    """What a worker needs for a chunk of runs: the scenario once, as data."""

    base: dict | bytes  # pickled: a worker reads it once per plan, not per task
    runs: tuple[RunItem, ...]
    metrics: tuple[Metric | int, ...]  # an int: position in the user functions
    functions: bytes | tuple[Callable, ...]
    timeseries: tuple[Metric, ...]
    plan: str = ""  # the sweep's plan_key; "" builds the scenarios afresh
    # (point, scenario) validated by the sweep already, sent with the first
    # chunk of each point that a worker could not rebuild quickly (one that
    # changes more than parameters and actors' values): a worker validates
    # the others again from ``base``, which costs less than unpickling them
    built: tuple[tuple[int, Scenario], ...] = ()


@dataclass(frozen=True)
class Outcome:
    """What one finished run sends back: its metrics and, if asked, its series."""

    index: int
    run_id: str
    values: dict[str, float]
    series: tuple[tuple[str, tuple[float, ...]], ...] = ()
    dates: tuple[str, ...] = ()


#: Scenarios this (worker) process has built, with what their runs share:
#: by plan key, then by point.
_BUILT: dict[str, dict[int, BuildCache]] = {}
#: Scenarios kept at most (a design of many points is run point after point).
BUILT_MAX = 512
#: The base of each plan this (worker) process has run, validated once, from
#: which it builds the points a task does not carry (by plan key).
_VARIATIONS: dict[str, Variations] = {}


def plan_key(base: dict, points: list[dict]) -> str:
    """A digest of a sweep's base scenario and points: names its scenarios.

    Workers use it to keep each point's validated scenario between chunks.
    """
    return hashlib.sha256(pickle.dumps((base, points))).hexdigest()


def _scenarios_for(task: Task) -> dict[int, BuildCache]:
    """Where the task's scenarios are kept, by point.

    A task of a named plan shares this process's store with the sweep's
    earlier tasks; one without builds its own.
    """
    if not task.plan:
        return {}
    if sum(map(len, _BUILT.values())) + len(task.runs) > BUILT_MAX:
        _BUILT.clear()
    return _BUILT.setdefault(task.plan, {})


def _variations_for(task: Task) -> Variations | None:
    """The variations of the task's base, kept for the plan (None without one)."""
    if not task.plan:
        return None
    if task.plan not in _VARIATIONS:
        if len(_VARIATIONS) >= 4:
            _VARIATIONS.clear()
        base = task.base
        _VARIATIONS[task.plan] = Variations(
            base if isinstance(base, dict) else pickle.loads(base)
        )
    return _VARIATIONS[task.plan]


def _base_of(task: Task, variations: Variations | None) -> dict:
    """The task's scenario as data (read from the plan's variations if kept)."""
    if variations is not None:
        return variations.base
    return task.base if isinstance(task.base, dict) else pickle.loads(task.base)


def _task_metrics(task: Task) -> list[Metric | Callable]:
    """The task's metrics in order, user functions unpickled if need be."""
    funcs = task.functions
    if isinstance(funcs, bytes):
        funcs = pickle.loads(funcs)
    return [funcs[m] if isinstance(m, int) else m for m in task.metrics]


def execute(
    task: Task, scenarios: dict[int, BuildCache] | None = None
) -> list[Outcome]:
    """Run a chunk of runs (in a worker or in-process) and measure them.

    ``scenarios`` keeps each point's scenario and build cache between calls
    (default: this process's store for the task's plan, see :data:`_BUILT`).
    """
    from sim.core.build import BuildCache, reusing
    from sim.core.model import GreatGame

    metrics = _task_metrics(task)
    cache = _scenarios_for(task) if scenarios is None else scenarios
    for point, scenario in task.built:
        if point not in cache:
            cache[point] = BuildCache(scenario)
    out, variations = [], _variations_for(task)
    base = None
    for index, run_id, point, overrides, seed in task.runs:
        try:
            if point not in cache:
                if base is None:
                    base = _base_of(task, variations)
                made = point_scenario(base, overrides, point, variations)
                cache[point] = BuildCache(made)
            with reusing(cache[point]) as kept:
                model = GreatGame(kept.scenario, seed=seed)
            model.run()
            values = measure(model, metrics)
            h = model.history
            series = tuple(
                (m.name, tuple(map(float, m.series(h)))) for m in task.timeseries
            )
        except (MetricError, MemoryError):
            raise  # a metric's own message; the machine's failure, not the run's
        except Exception as err:
            raise RunError(
                f"run {run_id} (seed {seed}; "
                f"{show_overrides(overrides) or 'no overrides'}) failed: "
                f"{type(err).__name__}: {err}"
            ) from err
        dates = tuple(d.isoformat() for d in h.dates[: h.n_rows]) if series else ()
        out.append(Outcome(index, run_id, values, series, dates))
    return out
