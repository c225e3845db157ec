"""Measuring a run (sim.experiments.scorecard.measure): a fact's value by then.

A hand-made history whose values are known checks the cut at a step, the
reduction over a window and the probe that a sweep sends to its workers.
"""

from __future__ import annotations

import datetime as dt
import math
import pickle

import pytest

from sim.core.history import Flow, History
from sim.experiments.scorecard import FactProbe, Measure, history_until
from sim.results import metrics as sim_metrics
from sim.vocabulary import Status
from sim.world.geography import load_geography


@pytest.fixture
def history():
    """3 actors, 11 rows: a and b allied from step 5, enemies before step 2."""
    geo = load_geography()
    dates = [dt.date(2016, 1, 1) + dt.timedelta(days=7 * t) for t in range(11)]
    h = History.empty(["a", "b", "c"], ["A", "B", "C"], list(geo.names), dates)
    h.last = 10
    kunduz, nangarhar = geo.index["Kunduz"], geo.index["Nangarhar"]
    for t in range(11):
        h.strength[t, 0, kunduz] = 10.0 * t
        h.strength[t, 0, nangarhar] = 100.0
        h.strength[t, 2, nangarhar] = 5.0
        st = Status.ALLY if t >= 5 else Status.ENEMY if t < 2 else Status.NEUTRAL
        h.status[t, 0, 1] = h.status[t, 1, 0] = st
        h.sigar[t] = 4
        h.sigar[t, kunduz] = 4 if t < 3 else 2
    h.flows = [
        Flow(3, "a", "b", "x", 2_000_000, 1_500_000),
        Flow(7, "a", "b", "x", 1_000_000, 1_000_000),
        Flow(7, "a", "c", "x", 4_000_000, 4_000_000),
    ]
    return h


def metric(name: str):
    return sim_metrics.parse_metric(name)


def test_history_until_is_the_history_by_then(history):
    cut = history_until(history, 3)
    assert cut.n_rows == 4 and history.n_rows == 11
    assert cut.strength is history.strength  # a view, no copy
    assert metric("ever_allied:a:b").value(cut) == 0.0
    assert metric("ever_allied:a:b").value(history_until(history, 5)) == 1.0
    assert metric("strength:a").value(cut) == pytest.approx(130.0)
    assert metric("aid_delivered_to:a:b").value(cut) == pytest.approx(1.5)
    assert metric("aid_delivered_to:a:b").value(history) == pytest.approx(2.5)
    assert history_until(history, 99).n_rows == 11


def test_a_measure_reads_at_a_step_or_reduces_a_window(history):
    at = Measure("x", (metric("strength:a"),), step=4)
    assert at.value(history) == pytest.approx(140.0)
    both = Measure("x", (metric("strength:a"), metric("strength:c")), step=4)
    assert both.value(history) == pytest.approx(145.0)
    kunduz = metric("government_side_in:Kunduz")
    assert Measure("x", (kunduz,), window=(0, 2), reduce="min").value(history) == 1
    assert Measure("x", (kunduz,), window=(0, 10), reduce="min").value(history) == 0
    change = Measure("x", (metric("strength:a"),), window=(2, 6), reduce="change")
    assert change.value(history) == pytest.approx(40.0)
    mean = Measure("x", (metric("enemies:a:b"),), window=(0, 9), reduce="mean")
    assert mean.value(history) == pytest.approx(0.2)


def test_the_new_metric_kinds(history):
    assert metric("enemies:a:b").series(history)[:3].tolist() == [1, 1, 0]
    assert metric("presence_in:a:Kunduz+Nangarhar").series(history)[:2].tolist() == [
        1,
        2,
    ]
    assert metric("presence_in:c:east").value(history) == 1
    share = metric("share_in:a:Nangarhar").series(history)
    assert share[0] == 1.0 and share[10] == pytest.approx(0.5)
    assert math.isnan(metric("share_in:b:Nangarhar").value(history))
    assert metric("government_side_in:northeast").series(history)[3] == 0.75
    assert metric("aid_delivered_to:a:c").value(history) == pytest.approx(4.0)
    assert metric("enemies:a:zz").value(history) == 0.0
    assert metric("presence_in:zz:all").value(history) == 0.0


def test_the_probe_pickles_and_reads_a_model(history):
    probe = FactProbe((Measure("s", (metric("strength:a"),), step=1),))
    again = pickle.loads(pickle.dumps(probe))

    class Fake:
        pass

    model = Fake()
    model.history = history
    assert again(model) == {"s": pytest.approx(110.0)}
