"""sim.plots.forked: a child's error and its stop, as the parent is told them."""

from __future__ import annotations

import os
import signal

import pytest

from sim.plots import forked
from tests.conftest import reaped

needs_fork = pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork here")


def _leave(code: int):
    raise SystemExit(code)


@needs_fork
@pytest.mark.parametrize(
    ("stop", "told"),
    [
        # a plain drawer: killed by the signal
        (lambda: os.kill(os.getpid(), signal.SIGINT), KeyboardInterrupt),
        # a drawer with a second drawer: stops it, then leaves as stop_raising makes it
        (lambda: _leave(128 + signal.SIGINT), KeyboardInterrupt),
        # any other way out is itself
        (lambda: _leave(3), SystemExit),
    ],
    ids=["killed-by-sigint", "left-on-sigint", "left-otherwise"],
)
def test_a_drawer_stopped_by_ctrl_c_is_an_interrupt_here(stop, told):
    pid, errors = forked.fork_child(stop)
    error = forked.collect(pid, errors)
    assert type(error) is told
    assert reaped(pid)
