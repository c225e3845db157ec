"""Drawing a run's figures on two cores: a forked helper takes a share.

The process that ran the model already holds the run and has imported
matplotlib, so the cheapest second worker is a ``fork`` of it: nothing is
imported, pickled or sent. :func:`start_shared` forks as soon as the run
exists; the child draws the costliest figure (the animation) at once, while
the parent is still writing the tables, and then the two take the other
figures one at a time from a shared queue (a pipe of task numbers), the
costliest first, so they finish together whatever the figures cost.
:meth:`SharedDrawing.finish` draws the parent's share and waits for the
child. Each figure is drawn by the same code on the same data whichever
process draws it, so the files are byte-identical to a serial drawing.

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
it); an error in the parent (while drawing, or while doing its own work
before :meth:`SharedDrawing.finish`) stops the child first. The child is
always waited for, so it never lingers as a zombie.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from collections.abc import Callable, Sequence

from sim.plots.forked import STOPPING, collect, fork_child, stop, stop_raising

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


def costliest_first(tasks: Sequence, cost: Callable[[object], float]) -> list:
    """``tasks`` by falling ``cost`` (ties keep their order): the order they are drawn.

    The costliest goes to the forked child at once; the rest are taken one
    at a time by whichever process is free, so the costs only order the
    work: a figure made cheaper (or dearer) moves where it is drawn, never
    whether the two processes finish together.
    """
    return sorted(tasks, key=lambda task: -cost(task))


class SharedDrawing:
    """Tasks being drawn, perhaps by a forked child already; :meth:`finish` ends it.

    Made by :func:`start_shared`. Until :meth:`finish` is called, this
    process is free for other work (writing the tables) while the child
    draws. Used as a context manager, an exception inside the block stops
    the child (:meth:`cancel`) before it propagates.
    """

    def __init__(
        self, draw: Callable[[object], None], serial: list, claims: bool = True
    ) -> None:
        self._draw = draw
        self._serial = serial  # drawn here in finish(), in this order
        self._claims = claims  # whether this process also takes shared tasks
        self._pid: int | None = None
        self._errors: int | None = None  # the pipe the child's error comes on
        self._queue: int | None = None  # the pipe both take task numbers from
        self._tasks: list = []

    def fork(
        self,
        first,
        rest: list,
        child_draw: Callable[[], Callable | None],
        sibling: bool = False,
    ) -> None:
        """Fork a child that draws ``first``, then shares ``rest`` with this process.

        The child draws with what ``child_draw()`` returns (called in the
        child; None: it leaves without drawing). With ``sibling``, the
        child forks a second drawer of its own once ``child_draw()`` has
        returned (see :func:`_draw_with_sibling`): the two share ``rest``,
        and this process takes a share only if it ``claims``.
        """
        self._tasks = rest
        self._queue = _task_queue(len(rest))

        def child() -> None:
            draw = child_draw()
            if draw is None:
                return
            if sibling and can_fork():
                _draw_with_sibling(draw, first, self._claim_all)
                return
            draw(first)
            self._claim_all(draw)

        self._pid, self._errors = fork_child(child)

    def use(self, draw: Callable[[object], None]) -> None:
        """Draw this process's share with ``draw`` (set before :meth:`finish`)."""
        self._draw = draw

    def _claim_all(self, draw: Callable[[object], None]) -> None:
        """Draw tasks taken from the queue until it is empty."""
        while number := os.read(self._queue, 1):
            draw(self._tasks[number[0]])

    def finish(self) -> None:
        """Draw this process's share, wait for the child; re-raise its error."""
        for task in self._serial:
            self._draw(task)
        if self._pid is None:
            return
        try:
            if self._claims:
                self._claim_all(self._draw)
        except BaseException:  # our own error, or an interrupt: stop the child first
            self.cancel()
            raise
        pid, errors = self._pid, self._errors
        self._close()
        error = collect(pid, errors)
        if error is not None:
            raise error

    def cancel(self) -> None:
        """Stop and reap the child if it still runs (nothing else is drawn)."""
        if self._pid is not None:
            stop(self._pid)
            os.close(self._errors)
            self._close()

    def _close(self) -> None:
        os.close(self._queue)
        self._pid = self._errors = self._queue = None

    def __enter__(self) -> SharedDrawing:
        return self

    def __exit__(self, kind, error, trace) -> None:
        if kind is not None:
            self.cancel()


def start_shared(
    tasks: Sequence,
    draw: Callable[[object], None],
    cost: Callable[[object], float],
    jobs: int | None = None,
) -> SharedDrawing:
    """Start drawing ``tasks``: fork a child that draws now, if two processes may.

    Args:
        tasks: what to draw (e.g. figure names).
        draw: draws one task (writes its file); its exceptions propagate.
        cost: a task's usual cost, to start with the costliest.
        jobs: processes to use (default :func:`figure_jobs`).

    Returns:
        The drawing: call :meth:`SharedDrawing.finish` once this process is
        free (it draws here what the child has not taken, in serial the
        whole list in its order); leave it unfinished only through
        :meth:`SharedDrawing.cancel`.
    """
    if len(tasks) < 2 or figure_jobs(jobs) < 2 or not can_fork():
        return SharedDrawing(draw, list(tasks))
    first, *rest = costliest_first(tasks, cost)
    drawing = SharedDrawing(draw, [])
    drawing.fork(first, rest, lambda: draw)
    return drawing


def draw_shared(
    tasks: Sequence,
    draw: Callable[[object], None],
    cost: Callable[[object], float],
    jobs: int | None = None,
) -> None:
    """Call ``draw(task)`` for every task, sharing them with a forked child.

    The arguments are those of :func:`start_shared`; returns once every
    task is drawn.
    """
    with start_shared(tasks, draw, cost, jobs) as drawing:
        drawing.finish()


def _task_queue(count: int) -> int:
    """A pipe holding the numbers ``0 .. count-1``, one byte each; its read end.

    Reading one byte from a pipe is atomic, so two processes reading it
    never take the same task; an empty, closed pipe reads as the end.
    """
    if count > 255:
        raise ValueError(f"at most 256 tasks can be shared, got {count + 1}")
    reader, writer = os.pipe()
    try:
        os.write(writer, bytes(range(count)))
    finally:
        os.close(writer)
    return reader


def _draw_with_sibling(
    draw: Callable[[object], None],
    first,
    claim_all: Callable[[Callable[[object], None]], None],
) -> None:
    """In a forked child: fork a second drawer, draw ``first``, share the rest with it.

    Why: the child has imported and warmed up everything drawing needs, so
    a fork of it starts drawing at once, where a second process of its own
    would import matplotlib again. The second drawer takes tasks from the
    queue (``claim_all``) while this one draws ``first``; its error comes
    back here and is raised as this process's own. Told to stop
    (``SIGTERM`` from :func:`sim.plots.forked.stop`, or Ctrl-C's
    ``SIGINT``), this process stops and reaps the second drawer before it
    leaves, so none outlives it.
    """
    for signum in STOPPING:
        signal.signal(signum, stop_raising)
    # held back until the second drawer is known, so a stop always reaps it
    mask = signal.pthread_sigmask(signal.SIG_BLOCK, STOPPING)
    pid, errors = fork_child(lambda: claim_all(draw), mask)
    try:
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)
        draw(first)
        claim_all(draw)
    except BaseException:
        stop(pid)
        os.close(errors)
        raise
    error = collect(pid, errors)
    if error is not None:
        raise error
