"""Drawing helpers forked before the run exists, to warm up while the model runs.

A forked helper first spends most of a second importing matplotlib, pandas
and the figure code. Forked as soon as the input is checked
(:func:`fork_helper`), it does that while this process imports the
model's code, runs the model and writes the tables; then
:meth:`Helper.start` hands it the finished run. The warm helper forks a
second drawer of its own (which starts drawing at once, with nothing to
import), draws the costliest figure and shares the rest with it from the
queue of :class:`sim.plots.workers.SharedDrawing`, costliest first; this
process, which never imports matplotlib, writes the tables and waits. (With
``parent_draws``, the helper draws alone and this process takes the other
share, as :func:`sim.plots.workers.start_shared` does.)

The run travels as a pickle through a temporary file that both processes
opened before the fork (a pipe would block this process until the helper
has finished warming up), and a pipe says when it is there. If the run ends
before the helper is given anything (a bad scenario, ``--no-figures`` on a
synthetic map, an error, Ctrl-C), :meth:`Helper.cancel` stops and reaps it
(and it its own drawer); if this process dies, the helper reads the end of
the pipe and leaves; if the helper died first, this process draws every
figure itself.
"""

from __future__ import annotations

import gc
import os
import pickle
import struct
import tempfile
from collections.abc import Callable, Sequence

from sim.plots.workers import (
    SharedDrawing,
    can_fork,
    costliest_first,
    figure_jobs,
)

_LENGTH = struct.Struct("<Q")  # the pickle's size, sent when it is written


class Helper:
    """A forked helper waiting for the run it will draw; see :func:`fork_helper`.

    Used as a context manager, it is stopped on leaving the block unless
    :meth:`start` has handed it its work (the drawing then owns it).
    """

    def __init__(self, tasks: list, drawing: SharedDrawing, ready: int, data) -> None:
        self.tasks = tasks
        self._drawing = drawing
        self._ready = ready  # write end of the pipe that says the data is there
        self._data = data  # the temporary file the run is written to
        self.started = False

    def start(self, payload, draw: Callable[[object], None]) -> SharedDrawing:
        """Hand the helper ``payload`` (what it draws from); the drawing under way.

        ``draw`` draws a task in this process; it must write the same file
        as the helper's ``make_draw(payload)`` would. A helper that is gone
        already (killed, or its warm-up failed) is reaped, and every task is
        then drawn here, as on one core.
        """
        data = pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL)
        os.pwrite(self._data.fileno(), data, 0)
        try:
            os.write(self._ready, _LENGTH.pack(len(data)))
        except BrokenPipeError:
            self.cancel()
            self.started = True
            return SharedDrawing(draw, list(self.tasks))
        self._close()
        self._drawing.use(draw)
        self.started = True
        return self._drawing

    def cancel(self) -> None:
        """Stop and reap the helper (whether it was started or not)."""
        self._close()
        self._drawing.cancel()

    def _close(self) -> None:
        if self._ready is not None:
            os.close(self._ready)
            self._data.close()
            self._ready = None

    def __enter__(self) -> Helper:
        return self

    def __exit__(self, kind, error, trace) -> None:
        if kind is not None or not self.started:
            self.cancel()


def _freeze_heap() -> None:
    """Keep the cycle collector off what the helper holds until it exits.

    Why: the modules, fonts and run loaded so far live as long as the
    helper, yet each full collection would walk them again (about half of
    the collector's time while the figures are drawn), and in the second
    drawer forked from the helper, touching them copies their memory pages.
    """
    gc.freeze()


def fork_helper(
    tasks: Sequence,
    cost: Callable[[object], float],
    warm_up: Callable[[], None],
    make_draw: Callable[[object], Callable[[object], None]],
    jobs: int | None = None,
    parent_draws: bool = False,
) -> Helper | None:
    """Fork a helper that calls ``warm_up()``, then waits for its work; or None.

    Args:
        tasks: what will be drawn (the costliest is the helper's own).
        cost: a task's usual cost, to order them.
        warm_up: what the helper does while it waits (imports).
        make_draw: in the helper, turns the payload given to
            :meth:`Helper.start` into the function that draws a task.
        jobs: processes to use (default :func:`sim.plots.workers.figure_jobs`).
        parent_draws: whether this process takes a share of the tasks (the
            helper then draws alone beside it); by default the helper forks
            a second drawer once it has its work, and this process only
            waits for them.

    Returns:
        None where the figures are drawn in one process (see
        :mod:`sim.plots.workers` for when, and where no temporary file can
        be made to hand the run over).
    """
    if len(tasks) < 2 or figure_jobs(jobs) < 2 or not can_fork():
        return None
    first, *rest = costliest_first(tasks, cost)
    try:
        data = tempfile.TemporaryFile(prefix="greatgame-run-")
    except OSError:  # no writable temporary folder: draw here, as on one core
        return None
    reader, ready = os.pipe()

    def child_draw() -> Callable[[object], None] | None:
        os.close(ready)  # else the helper would never see this process end
        warm_up()
        length = os.read(reader, _LENGTH.size)
        if len(length) < _LENGTH.size:
            return None  # nothing to draw: the run ended before
        (size,) = _LENGTH.unpack(length)
        draw = make_draw(pickle.loads(os.pread(data.fileno(), size, 0)))
        _freeze_heap()
        return draw

    drawing = SharedDrawing(None, [], claims=parent_draws)
    try:
        drawing.fork(first, rest, child_draw, sibling=not parent_draws)
    except BaseException:
        os.close(ready)
        data.close()
        raise
    finally:
        os.close(reader)
    return Helper(list(tasks), drawing, ready, data)
