"""Worker processes for many runs: the fork server they start from.

Workers are started by the "forkserver" method (never a plain fork of a
possibly threaded process): a server process imports the model once and
forks each worker from itself, so a worker starts in milliseconds instead
of importing Mesa. The server is started at most once per process, with
BLAS and OpenMP on one thread (:mod:`sim.experiments.one_thread`), and can
be started early (:func:`start_fork_server`) so that its imports overlap the
caller's own work. This module imports nothing heavy, so the command line
can start the server before it loads a scenario.
"""

from __future__ import annotations

import multiprocessing

from sim.experiments.one_thread import pinned_environment

#: Imported once by the fork server, so that workers start with them loaded.
PRELOAD = ("sim.core.model", "sim.experiments.sweep")


def process_context() -> multiprocessing.context.BaseContext:
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


def start_fork_server() -> None:
    """Start the fork server now, so that its imports overlap this process's work.

    The fork server imports the model once for all the workers (a second or
    two); started before a sweep loads its scenario, validates its design and
    opens its directory, it is ready, or nearly, when the first workers are
    asked for. Returns at once; a running server is kept.
    """
    ctx = process_context()
    if ctx.get_start_method() != "forkserver":
        return
    from multiprocessing import forkserver

    with pinned_environment():  # the server's workers inherit its environment
        forkserver.ensure_running()
