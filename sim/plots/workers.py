"""Drawing a run's figures on two cores: a forked helper takes a share.

The process that ran the model already holds the run and has imported
matplotlib, so the cheapest second worker is a ``fork`` of it: nothing is
imported, pickled or sent. :func:`draw_shared` splits the figures in two by
their usual cost, forks once, draws one share in the child and the other in
the parent, then waits for the child. Each figure is drawn by the same code
on the same data whichever process draws it, so the files are byte-identical
to a serial drawing.

The figures are drawn serially when:

* the machine (or this process's CPU affinity) offers a single core, or
  the others are busy (the load average leaves less than half a core idle:
  two processes sharing one core are slower than one);
* the platform has no ``fork`` (Windows);
* the process runs other threads than tqdm's idle progress-bar monitor (a
  Jupyter kernel, the dashboard's server): forking a process whose other
  threads may hold locks is not safe;
* the ``GREATGAME_FIGURE_JOBS`` environment variable is ``1`` (or ``jobs=1``
  is passed).

An error in the child reaches the caller as the same exception it would have
raised serially (or, if it cannot be sent back, a ``RuntimeError`` that names
it); an error in the parent stops the child first. The child is always
waited for, so it never lingers as a zombie.
"""

from __future__ import annotations

import os
import pickle
import signal
import sys
import threading
import warnings
from collections.abc import Callable, Sequence

#: The environment variable that sets how many processes draw (1: serial).
JOBS_VARIABLE = "GREATGAME_FIGURE_JOBS"


def figure_jobs(jobs: int | None = None) -> int:
    """How many processes draw the figures: ``jobs``, else the environment, else cores.

    At most two are used (there are two natural shares: the animation and
    the static figures). Left to choose, it takes two only when the machine
    has at least half a core idle besides this process's. An unreadable
    ``GREATGAME_FIGURE_JOBS`` counts as unset, with a warning that names it:
    a typo in a speed setting should not stop a run, nor pass unseen.
    """
    if jobs is None:
        value = os.environ.get(JOBS_VARIABLE, "0")
        try:
            jobs = int(value)
        except ValueError:
            print(
                f"warning: {JOBS_VARIABLE}={value!r} is not a whole number; "
                "expected 1 (draw the figures in one process) or 2 (two "
                "processes); the figures are drawn as if it were unset",
                file=sys.stderr,
            )
            jobs = 0
    if jobs <= 0:
        jobs = _cores() if _free_cores() >= 0.5 else 1
    return max(1, min(jobs, 2))


def _free_cores() -> float:
    """Cores left idle by the processes running now (the 1-minute load average).

    On a busy machine a second process finds no idle core: the two then
    share one, and each runs slower than one process alone.
    """
    if not hasattr(os, "getloadavg"):
        return float(_cores())
    return _cores() - os.getloadavg()[0]


def _cores() -> int:
    """The cores this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def _only_idle_threads() -> bool:
    """Whether every other thread is a tqdm progress-bar monitor (asleep)."""
    others = [t for t in threading.enumerate() if t is not threading.current_thread()]
    return all(
        t.daemon
        and type(t).__module__.startswith("tqdm.")
        and type(t).__name__ == "TMonitor"
        for t in others
    )


def can_fork() -> bool:
    """Whether a helper process may be forked from this one now."""
    return (
        hasattr(os, "fork")
        and threading.current_thread() is threading.main_thread()
        and _only_idle_threads()
    )


def split(tasks: Sequence, cost: Callable[[object], float]) -> tuple[list, list]:
    """Two shares of ``tasks`` of about equal ``cost``, each in the original order.

    Greedy: the costliest task first, each to the lighter share so far.
    """
    shares: tuple[list, list] = ([], [])
    totals = [0.0, 0.0]
    for i in sorted(range(len(tasks)), key=lambda i: -cost(tasks[i])):
        lighter = 0 if totals[0] <= totals[1] else 1
        shares[lighter].append(i)
        totals[lighter] += cost(tasks[i])
    return tuple([tasks[i] for i in sorted(share)] for share in shares)


def draw_shared(
    tasks: Sequence,
    draw: Callable[[object], None],
    cost: Callable[[object], float],
    jobs: int | None = None,
) -> None:
    """Call ``draw(task)`` for every task, sharing them with a forked child.

    Args:
        tasks: what to draw (e.g. figure names).
        draw: draws one task (writes its file); its exceptions propagate.
        cost: a task's usual cost, to balance the two shares.
        jobs: processes to use (default :func:`figure_jobs`).
    """
    if len(tasks) < 2 or figure_jobs(jobs) < 2 or not can_fork():
        for task in tasks:
            draw(task)
        return
    theirs, ours = split(tasks, cost)
    pid, reader = _fork_child(theirs, draw)
    try:
        for task in ours:
            draw(task)
    except BaseException:  # our own error, or an interrupt: stop the child first
        _stop(pid)
        os.close(reader)
        raise
    error = _collect(pid, reader)
    if error is not None:
        raise error


def _fork_child(tasks: list, draw: Callable[[object], None]) -> tuple[int, int]:
    """Fork a child that draws ``tasks``; (its pid, the pipe its error comes on)."""
    reader, writer = os.pipe()
    sys.stdout.flush()
    sys.stderr.flush()
    with warnings.catch_warnings():
        # the only other threads are idle progress-bar monitors (can_fork)
        warnings.simplefilter("ignore", DeprecationWarning)
        pid = os.fork()
    if pid == 0:  # the child: draw, report, leave without the parent's cleanup
        os.close(reader)
        status = 0
        try:
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            for task in tasks:
                draw(task)
        except BaseException as err:  # noqa: BLE001 - every error goes to the parent
            status = 1
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


def _stop(pid: int) -> None:
    """Stop the child and reap it (it must not have been reaped yet)."""
    os.kill(pid, signal.SIGTERM)  # a zombie takes the signal harmlessly
    os.waitpid(pid, 0)


def _collect(pid: int, reader: int) -> BaseException | None:
    """Read the child's error (if any), wait for it; its exception or None.

    Interrupted while waiting, the child is stopped and reaped first.
    """
    try:
        with os.fdopen(reader, "rb") as pipe:
            data = pipe.read()
        _, status = os.waitpid(pid, 0)
    except BaseException:
        _stop(pid)
        raise
    if data:
        return pickle.loads(data)
    if os.WIFSIGNALED(status):
        return RuntimeError(
            f"the process drawing figures was stopped by signal {os.WTERMSIG(status)}"
        )
    if os.waitstatus_to_exitcode(status) != 0:
        return RuntimeError("the process drawing figures failed without a message")
    return None
