"""The local process pool: chunks of runs fed to workers started by a fork server.

Workers are started by the fork server of :mod:`sim.experiments.workers`
(never a plain fork of a threaded process), kept for the whole sweep and
fed chunks of runs; they leave Ctrl-C to the parent, exit if the parent
dies, and run BLAS and OpenMP on one thread each
(:mod:`sim.experiments.one_thread`).
"""

from __future__ import annotations

import math
import os
import signal
import threading
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed

from sim.experiments.one_thread import limit_new_worker, pinned_environment
from sim.experiments.sweep import runner
from sim.experiments.workers import process_context


def _init_worker(parent: int) -> None:
    """Worker initializer: one BLAS thread; leave Ctrl-C to the parent; exit if it dies.

    A pool's workers would otherwise wait for work forever when the sweep's
    process is killed (they hold their own end of the task queue).
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    limit_new_worker()  # whoever started the fork server it came from

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


def run_processes(tasks: list[runner.Task], workers: int, done: Callable) -> None:
    """Run ``tasks`` on ``workers`` local processes; hand each result to ``done``.

    On a failed run or Ctrl-C the pool stops at once; the rows ``done`` has
    saved stay saved.
    """
    pool = ProcessPoolExecutor(
        workers,
        mp_context=process_context(),
        initializer=_init_worker,
        initargs=(os.getpid(),),
    )
    try:
        with pinned_environment():  # workers (and the fork server) start here
            futures = [pool.submit(runner.execute, t) for t in tasks]
        for fut in as_completed(futures):
            done(fut.result())
    except BaseException:  # a failed run, Ctrl-C: finished rows are saved
        _stop(pool)
        raise
    pool.shutdown(wait=True)


def chunks[T](runs: list[T], workers: int, size: int | None) -> list[list[T]]:
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
