"""Measuring a run: a fact's value read from one finished run's history.

A fact's metric (a name of :mod:`sim.results.metrics`; a list is summed) is
evaluated on the history cut at the step of the fact's ``at`` date
(:func:`history_until`), so whole-run metrics such as ``ever_allied`` mean
"by then"; or its per-step series is reduced over the ``over`` window.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from sim.core.history import History
from sim.results.metrics import Metric


def history_until(h: History, step: int) -> History:
    """The history as it stood after ``step`` steps (a view: arrays are shared).

    Every metric of :mod:`sim.results.metrics` reads rows ``0 .. n_rows-1`` only, so a
    metric of the result is the metric "by then"; events and aid flows after
    ``step`` are left out too.
    """
    t = min(max(0, int(step)), h.last)
    return dataclasses.replace(
        h,
        last=t,
        flows=[f for f in h.flows if f.step <= t],
        events=[e for e in h.events if e.get("step", 0) <= t],
    )


@dataclass(frozen=True)
class Measure:
    """How one fact is read from a run (names and steps only: pickles small)."""

    key: str
    metrics: tuple[Metric, ...]
    step: int | None = None
    window: tuple[int, int] | None = None
    reduce: str | None = None

    def value(self, h: History) -> float:
        """The fact's per-seed value in the run whose history is ``h``."""
        if self.window is None:
            cut = history_until(h, self.step if self.step is not None else h.last)
            return float(sum(m.value(cut) for m in self.metrics))
        t0, t1 = self.window
        series = sum(np.asarray(m.series(h), dtype=float) for m in self.metrics)
        part = series[t0 : t1 + 1]
        if self.reduce == "change":
            return float(part[-1] - part[0])
        fn = {"min": np.nanmin, "max": np.nanmax, "mean": np.nanmean}[self.reduce]
        return float(fn(part)) if np.isfinite(part).any() else math.nan


@dataclass(frozen=True)
class FactProbe:
    """A sweep metric function: every fact's value in one run, by fact id."""

    measures: tuple[Measure, ...]

    def __call__(self, model: Any) -> dict[str, float]:
        """``{fact id: value}`` for a finished model."""
        h = model.history
        return {m.key: m.value(h) for m in self.measures}
