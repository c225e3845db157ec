"""Facts read on a frozen world (sim.experiments.scorecard.initial), made-up series."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pytest

from sim.experiments.scorecard import Fact
from sim.experiments.scorecard.initial import _met, frozen_value, input_ranges
from sim.experiments.scorecard.measure import Measure


@dataclass(frozen=True)
class Rising:
    """A per-step metric whose series is 10, 11, 12, ..."""

    def series(self, history):
        return np.arange(10.0, 30.0)


WORDS = {"statement": "s", "source": "s", "observed": "2016", "why": "w"}


@pytest.mark.parametrize(
    ("reduce", "step", "expected"),
    [
        ("min", 0, 10),
        ("max", 0, 10),
        ("mean", 0, 10),
        ("change", 0, 0),
        ("max", 1, 11),
        ("change", 1, 1),
    ],
)
def test_a_window_reads_the_series_frozen_after_step(reduce, step, expected):
    measure = Measure("x", (Rising(),), window=(0, 8), reduce=reduce)
    assert frozen_value(measure, None, step) == expected


def test_a_window_that_starts_later_still_sees_the_frozen_value():
    measure = Measure("x", (Rising(),), window=(5, 8), reduce="change")
    assert frozen_value(measure, None, 0) == 0


def test_met_reads_values_shares_and_paired_differences_as_the_score_does():
    value = Fact(id="v", kind="outcome", lo=5, hi=15, **WORDS)
    assert _met(value, 10.0, None) == (10.0, True)
    share = Fact(id="s", kind="outcome", lo=0.6, hi=1, holds_if=(">", 0.0), **WORDS)
    assert _met(share, 0.0, None) == (0.0, False)
    assert _met(share, 3.0, None) == (1.0, True)
    cf = Fact(
        id="c",
        kind="counterfactual",
        lo=-1,
        hi=0,
        open_hi=True,
        compare="relative",
        **WORDS,
    )
    assert _met(cf, 4.0, 4.0) == (0.0, False)  # the same world: no difference
    assert _met(cf, 4.0, 2.0) == (-0.5, True)


def test_input_ranges_hold_only_input_facts():
    a = Fact(id="a", kind="input", lo=1, hi=3, metrics=("strength:x",), **WORDS)
    b = Fact(id="b", kind="outcome", lo=1, hi=3, metrics=("strength:x",), **WORDS)
    assert input_ranges([a, b]) == {(("strength:x",), 1.0, 3.0): "a"}
    assert b.fact_class == "validation" and a.fact_class == "input"
