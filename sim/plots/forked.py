"""A forked child that does one piece of work and reports its error back.

:mod:`sim.plots.workers` and :mod:`sim.plots.helper` draw figures in forked
children. Each child's error travels back pickled on a pipe and is raised
in the parent as itself (:func:`collect`); a child is always reaped, and
one stopped by Ctrl-C is told to the parent as a KeyboardInterrupt. A
drawer that has forked a drawer of its own stops and reaps it before it
leaves (:func:`stop_raising`).
"""

from __future__ import annotations

import os
import pickle
import signal
import sys
import warnings
from collections.abc import Callable

#: The signals that stop a drawer: the parent's stop, and Ctrl-C.
STOPPING = (signal.SIGTERM, signal.SIGINT)


def stop_raising(signum: int, frame) -> None:
    """Signal handler of a drawer with a child: unwind (stopping the child) once.

    A second stopping signal (Ctrl-C's, then the parent's ``SIGTERM``) is
    let pass by a handler that does nothing, so the unwinding is not cut
    short (and no signal is reported as lost).
    """
    for other in STOPPING:
        signal.signal(other, _already_stopping)
    raise SystemExit(128 + signum)


def _already_stopping(signum: int, frame) -> None:
    """Signal handler of a drawer already stopping: nothing more to do."""


def fork_child(
    work: Callable[[], None], mask: set[signal.Signals] | None = None
) -> tuple[int, int]:
    """Fork a child that calls ``work()``; (its pid, the pipe its error comes on).

    ``mask``: the signals the child blocks (where this process blocks some
    only around the fork); by default it keeps this process's.
    """
    reader, writer = os.pipe()
    sys.stdout.flush()
    sys.stderr.flush()
    with warnings.catch_warnings():
        # the only other threads are idle progress-bar monitors (workers.can_fork)
        warnings.simplefilter("ignore", DeprecationWarning)
        pid = os.fork()
    if pid == 0:  # the child: work, report, leave without the parent's cleanup
        os.close(reader)
        status = 0
        try:
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            if mask is not None:
                signal.pthread_sigmask(signal.SIG_SETMASK, mask)
            work()
        except BaseException as err:  # noqa: BLE001 - every error goes to the parent
            status = _exit_status(err)
            _send(writer, err)
        finally:
            os._exit(status)
    os.close(writer)
    return pid, reader


def _send(writer: int, err: BaseException) -> None:
    """Pickle ``err`` onto the pipe (or a RuntimeError that names it)."""
    try:
        data = pickle.dumps(err)
        pickle.loads(data)
    except Exception:  # noqa: BLE001 - some exceptions cannot travel
        data = pickle.dumps(RuntimeError(f"{type(err).__name__}: {err}"))
    with os.fdopen(writer, "wb") as pipe:
        pipe.write(data)


def _stopped_by_ctrl_c(status: int) -> bool:
    """Whether a drawer's wait ``status`` says Ctrl-C stopped it.

    Why: Ctrl-C reaches every drawer. One it stops is killed by SIGINT (a
    plain drawer) or leaves with ``128 + SIGINT`` (one with a second drawer
    to stop first, :func:`stop_raising`). Told here as a KeyboardInterrupt,
    the command ends like any Ctrl-C ("interrupted", exit 130), even where
    this process's own KeyboardInterrupt was lost (CPython drops one that
    lands in a callback, such as an import lock's).
    """
    if os.WIFSIGNALED(status):
        return os.WTERMSIG(status) == signal.SIGINT
    return os.WIFEXITED(status) and os.WEXITSTATUS(status) == 128 + signal.SIGINT


def stop(pid: int) -> None:
    """Stop the child and reap it (it must not have been reaped yet)."""
    os.kill(pid, signal.SIGTERM)  # a zombie takes the signal harmlessly
    os.waitpid(pid, 0)


def _exit_status(err: BaseException) -> int:
    """The status a child leaves with after ``err``: a SystemExit's own code, else 1.

    Why: a drawer stopped by Ctrl-C leaves with ``SystemExit(128 + SIGINT)``
    (see :func:`stop_raising`), and :func:`collect` must know it from the
    status alone (an exception's pickle does not always keep its code: with
    Dask's tblib installed, a SystemExit comes back with none).
    """
    if isinstance(err, SystemExit) and isinstance(err.code, int) and err.code:
        return err.code
    return 1


def collect(pid: int, reader: int) -> BaseException | None:
    """Read the child's error (if any), wait for it; its exception or None.

    Interrupted while waiting, the child is stopped and reaped first.
    """
    try:
        with os.fdopen(reader, "rb") as pipe:
            data = pipe.read()
        _, status = os.waitpid(pid, 0)
    except BaseException:
        stop(pid)
        raise
    if _stopped_by_ctrl_c(status):
        return KeyboardInterrupt()
    if data:
        return pickle.loads(data)
    if os.WIFSIGNALED(status):
        return RuntimeError(
            f"the process drawing figures was stopped by signal {os.WTERMSIG(status)}"
        )
    if os.waitstatus_to_exitcode(status) != 0:
        return RuntimeError("the process drawing figures failed without a message")
    return None
