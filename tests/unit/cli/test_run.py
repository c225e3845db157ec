"""A single run's progress bar: shown while a slow run goes, never when told not to."""

from __future__ import annotations

import io
import sys
import time

from sim.cli.run import _simulate


class _SlowModel:
    """Three steps of 0.3 s each: long enough for the bar's half-second delay."""

    def __init__(self) -> None:
        self.steps = 0

    def run(self, progress=None):
        for _ in range(3):
            time.sleep(0.3)
            self.steps += 1
            if progress is not None:
                progress()
        return self


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_slow_run_shows_its_weeks(monkeypatch):
    monkeypatch.setattr(sys, "stderr", _Terminal())
    model = _SlowModel()
    _simulate(model, 3, "2016", show=True)
    assert model.steps == 3
    assert "2016" in sys.stderr.getvalue() and "week" in sys.stderr.getvalue()


def test_no_bar_when_not_wanted(monkeypatch):
    monkeypatch.setattr(sys, "stderr", _Terminal())
    model = _SlowModel()
    _simulate(model, 3, "2016", show=False)
    assert model.steps == 3
    assert sys.stderr.getvalue() == ""
