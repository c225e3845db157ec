"""Where runs go: this process, the local process pool or Dask.

``processes`` with one worker runs here (user functions need no pickling);
otherwise the runs to do are cut into chunks (:func:`~.pool.chunks`) and
sent to the pool or to Dask, each finished chunk handed to a collector.
"""

from __future__ import annotations

import pickle
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from sim.experiments.sweep import runner
from sim.experiments.sweep.dask_backend import run_dask
from sim.experiments.sweep.errors import SweepError
from sim.experiments.sweep.plan import Plan, RunSpec
from sim.experiments.sweep.pool import chunks, run_processes
from sim.experiments.workers import start_fork_server
from sim.results.metrics import Metric

BACKENDS = ("processes", "dask")


@dataclass(frozen=True)
class Backend:
    """Where and how a sweep's runs are executed; none of it changes results."""

    workers: int = 1
    backend: str = "processes"
    scheduler: str | None = None
    chunksize: int | None = None

    def check(self) -> Backend:
        """Refuse an unknown backend or a bad worker count, scheduler or chunksize."""
        workers, chunksize = self.workers, self.chunksize
        if self.backend not in BACKENDS:
            raise SweepError(
                f"unknown backend '{self.backend}'; use 'processes' or 'dask'"
            )
        if (
            isinstance(workers, bool)
            or not isinstance(workers, int | np.integer)
            or workers < 1
        ):
            raise SweepError(f"workers must be a whole number ≥ 1, got {workers!r}")
        if self.scheduler is not None and self.backend != "dask":
            raise SweepError("scheduler= is for backend='dask'")
        if chunksize is not None and (not isinstance(chunksize, int) or chunksize < 1):
            raise SweepError(f"chunksize must be a whole number ≥ 1, got {chunksize!r}")
        return self

    @property
    def in_process(self) -> bool:
        """True when the runs execute here, one after another."""
        return self.backend == "processes" and self.workers == 1


def start_workers_early(where: Backend) -> None:
    """For a sound local pool of several processes, start its fork server now.

    Nothing for runs here, for Dask, or for options :meth:`Backend.check`
    refuses (the sweep reports those in their turn).
    """
    try:
        where.check()
    except SweepError:
        return
    if where.backend == "processes" and not where.in_process:
        start_fork_server()


def pack(metrics: list[Metric | Callable], where: Backend) -> bytes | tuple:
    """The user's metric functions as the runs will get them.

    Pickled for other processes (which fails early, with a hint, for a
    function a worker cannot import); kept as they are for runs here.
    """
    fns = [m for m in metrics if not isinstance(m, Metric)]
    return tuple(fns) if where.in_process or not fns else runner.pack_callables(fns)


def task_maker(
    plan: Plan, order: tuple, packed: bytes | tuple, series: tuple, key: str
) -> Callable[[list[RunSpec]], runner.Task]:
    """What makes each task of a sweep from its runs, in the order they are sent.

    The first task of a point carries its validated scenario only if a
    worker could not rebuild it quickly: a point checked by what it changes
    (:meth:`~sim.scenario.variations.Variations.checks_alone`) is rebuilt
    from the base in less time than its scenario takes to unpickle.
    """
    # sent to other processes pickled once, not once per task
    base = pickle.dumps(plan.base, pickle.HIGHEST_PROTOCOL) if key else plan.base
    sent: set[int] = set()  # points a task has carried (or need not carry)
    fast = plan.variations.checks_alone if plan.variations else lambda _: False

    def task(runs: list[RunSpec]) -> runner.Task:
        items = tuple(
            (r.index, r.run_id, r.point, plan.points[r.point], r.seed) for r in runs
        )
        first = sorted({r.point for r in runs} - sent)
        sent.update(first)
        built = tuple((p, plan.scenarios[p]) for p in first if not fast(plan.points[p]))
        return runner.Task(base, items, order, packed, series, key, built)

    return task


def run_all(
    plan: Plan,
    todo: list[RunSpec],
    metrics: list[Metric | Callable],
    packed: bytes | tuple,
    series: list[Metric],
    collect: Callable[[list[runner.Outcome]], Any],
    where: Backend,
) -> None:
    """Run ``todo`` here, on a process pool or on Dask; hand results to ``collect``.

    ``packed`` holds the user's metric functions (see :func:`pack`).
    """
    positions = iter(range(len(metrics)))
    order = tuple(m if isinstance(m, Metric) else next(positions) for m in metrics)
    key = "" if where.in_process else runner.plan_key(plan.base, plan.points)

    task = task_maker(plan, order, packed, tuple(series), key)

    if where.in_process:
        from sim.core.build import BuildCache  # the model's modules, as runs need

        cache = {p: BuildCache(s) for p, s in enumerate(plan.scenarios)}
        for run in todo:
            collect(runner.execute(task([run]), cache))
        return
    tasks = [task(c) for c in chunks(todo, where.workers, where.chunksize)]
    if tasks and where.backend == "dask":
        run_dask(tasks, where.workers, where.scheduler, collect)
    elif tasks:
        run_processes(tasks, where.workers, collect)
