"""One thread per worker process for the numerical libraries (BLAS, OpenMP).

A sweep runs one model per worker process, so the parallelism is in the
processes: a BLAS library that starts its own threads in each of them only
oversubscribes the cores (two workers of two threads each on two cores run
slower than two of one). OpenBLAS, MKL, Apple's Accelerate, numexpr and
OpenMP read their thread count from the environment once, when they are
loaded, so the variables must be in a worker's environment before numpy is
imported there: :func:`pinned_environment` puts them in this process's
environment while a pool starts its workers (and, for the "forkserver"
start method, the fork server they are forked from). A variable the user
has set is kept.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

#: The environment variables that cap each library's threads.
THREAD_VARIABLES = (
    "OMP_NUM_THREADS",
    "OPENBLAS_NUM_THREADS",
    "MKL_NUM_THREADS",
    "VECLIB_MAXIMUM_THREADS",
    "NUMEXPR_NUM_THREADS",
)


def one_thread_environment() -> dict[str, str]:
    """The variables that give every numerical library a single thread.

    Those the user has set in this process's environment keep their value.
    """
    return {name: os.environ.get(name, "1") for name in THREAD_VARIABLES}


@contextmanager
def pinned_environment() -> Iterator[None]:
    """Within the block, the thread variables are set (to 1 unless set already).

    Processes started inside the block inherit them; on leaving, this
    process's environment is as it was.
    """
    added = [name for name in THREAD_VARIABLES if name not in os.environ]
    os.environ.update({name: "1" for name in added})
    try:
        yield
    finally:
        for name in added:
            os.environ.pop(name, None)


def limit_this_process() -> None:
    """Cap this process's numerical libraries at one thread, even if already loaded.

    A worker forked from a server that was started before the variables were
    set (by other code in the same notebook, say) has its BLAS loaded with
    as many threads as cores; the variables alone come too late for it.
    ``threadpoolctl`` changes the loaded libraries' thread count in place.
    The variables are set as well, for anything loaded later. A count the
    user set in the environment is kept.
    """
    wanted = one_thread_environment()
    os.environ.update(wanted)
    from threadpoolctl import threadpool_limits

    blas = wanted["OPENBLAS_NUM_THREADS"]
    if blas.isdigit():
        threadpool_limits(limits=int(blas))


def limit_new_worker() -> None:
    """Cap a just-started worker's numerical libraries, scanning them only if need be.

    A worker's libraries were loaded after its process (or the fork server
    it was forked from) started, so they took their thread count from the
    environment it started with: if that holds every variable, they are
    capped already and the scan of :func:`limit_this_process` (a tenth of a
    second per worker) is skipped. Call it first thing in a new worker,
    before anything changes its environment.
    """
    if all(name in os.environ for name in THREAD_VARIABLES):
        return
    limit_this_process()
