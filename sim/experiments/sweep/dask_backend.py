"""The Dask backend: chunks of runs on a LocalCluster or a running scheduler.

A LocalCluster is started (and closed) for the sweep unless a scheduler
address is given; remote workers need greatgame installed.
``pip install 'greatgame[dask]'``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from sim.experiments.one_thread import one_thread_environment
from sim.experiments.sweep import runner
from sim.experiments.sweep.errors import SweepError


def _local_cluster(workers: int):
    """A LocalCluster of ``workers`` one-thread processes, quiet, no dashboard.

    Each worker process also runs BLAS and OpenMP on one thread
    (:mod:`sim.experiments.one_thread`); a remote scheduler's workers are
    configured where they run.
    """
    from dask.distributed import LocalCluster

    return LocalCluster(
        n_workers=workers,
        threads_per_worker=1,
        processes=True,
        dashboard_address=None,
        silence_logs=logging.ERROR,
        env=one_thread_environment(),
    )


def run_dask(
    tasks: list[runner.Task], workers: int, scheduler: str | None, done: Callable
) -> None:
    """Run ``tasks`` on Dask; hand each result to ``done`` as it finishes."""
    try:
        from dask.distributed import Client
        from dask.distributed import as_completed as dask_completed
    except ImportError:
        raise SweepError(
            "backend='dask' needs Dask's distributed scheduler: "
            "pip install 'greatgame[dask]'"
        ) from None
    cluster = _local_cluster(workers) if scheduler is None else None
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
            futures = client.map(runner.execute, tasks, pure=False)
            try:
                for fut in dask_completed(futures):
                    done(fut.result())
            except BaseException:
                client.cancel(futures)
                raise
    finally:
        if cluster is not None:
            cluster.close()
