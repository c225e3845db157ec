"""sim.experiments.sweep.runner: metrics resolved and measured, one run's failure."""

from __future__ import annotations

import importlib.util
import math
import sys

import pytest

from sim.experiments.sweep import (
    RunError,
    SweepError,
    sweep,
)
from sim.results import metrics as sim_metrics
from sim.results.metrics import MetricError
from sim.scenario.loader import load_scenario
from tests.unit.experiments.sweep.common import (
    GRID,
    S2016,
)


def test_bad_metric_name_fails_before_any_run_with_did_you_mean(short, no_runs):
    with pytest.raises(MetricError, match="did you mean 'provinces'"):
        sweep(short, GRID, metrics=["provinse:taliban"])
    with pytest.raises(MetricError, match="unknown actor 'talibn'; did you mean"):
        sweep(short, GRID, metrics=["alliance_week:russia:talibn"])
    with pytest.raises(MetricError, match="whole-run metric"):
        sweep(short, GRID, timeseries=["alliance_week:russia:taliban"])
    with pytest.raises(SweepError, match="backend"):
        sweep(short, GRID, backend="threads")


def test_metric_names_parse_and_measure_a_run():
    h = sim_metrics_run()
    keys = h.actor_keys
    value = {
        n: sim_metrics.parse_metric(n, keys).value(h)
        for n in [
            "provinces:taliban",
            "strength:taliban",
            "presence:isis_k",
            "contested",
            "government_side_share",
            "alliance_week:russia:taliban",
            "share_allied:russia:taliban",
            "aid_delivered:russia",
            "aid_interdicted:russia",
            "aid_sent:russia",
            "strength_in:taliban:Badakhshan+Takhar+Kunduz+Balkh",
        ]
    }
    last = h.n_rows - 1
    assert (
        value["provinces:taliban"]
        == (h.controller[last] == keys.index("taliban")).sum()
    )
    assert value["strength:taliban"] == pytest.approx(
        h.strength[last, keys.index("taliban")].sum()
    )
    assert value["presence:isis_k"] == sim_metrics.provinces_present(h, "isis_k")
    assert value["contested"] == (h.controller[last] < 0).sum()
    assert 0 <= value["government_side_share"] <= 1
    first = sim_metrics.first_alliance(h, "russia", "taliban")
    assert (math.isnan(value["alliance_week:russia:taliban"]) and first is None) or (
        value["alliance_week:russia:taliban"] == first
    )
    assert value["share_allied:russia:taliban"] == sim_metrics.share_allied(
        h, "russia", "taliban"
    )
    assert value["aid_sent:russia"] == pytest.approx(
        value["aid_delivered:russia"] + value["aid_interdicted:russia"]
    )
    assert value["aid_sent:russia"] > 0
    border = ["Badakhshan", "Takhar", "Kunduz", "Balkh"]
    assert value["strength_in:taliban:Badakhshan+Takhar+Kunduz+Balkh"] == pytest.approx(
        sim_metrics.strength_in(h, "taliban", border)
    )
    series = sim_metrics.parse_metric("aid_delivered:russia").series(h)
    assert len(series) == h.n_rows and series[-1] == value["aid_delivered:russia"]


def sim_metrics_run():
    import sim

    return sim.run(load_scenario(S2016, {"steps": 6}), seed=5).history


def test_a_failing_run_names_itself(short):
    def broken(model):
        raise ZeroDivisionError("oops")

    with pytest.raises(RunError, match=r"run p0000-r000 \(seed \d+; .*\) failed"):
        sweep(short, GRID, metrics=[broken])


def test_functions_from_a_notebook_reach_worker_processes(short, monkeypatch):
    def local_metric(model):  # not importable by a worker: sent by value
        return model.step_index

    if importlib.util.find_spec("cloudpickle") is None:
        with pytest.raises(SweepError, match="cloudpickle"):
            sweep(short, GRID, metrics=[local_metric], workers=2)
        return
    df = sweep(short, GRID, metrics=[local_metric], workers=2)
    assert df["local_metric"].tolist() == [4.0, 4.0]
    monkeypatch.setitem(sys.modules, "cloudpickle", None)  # as if not installed
    with pytest.raises(SweepError, match="cannot import it"):
        sweep(short, GRID, metrics=[local_metric], workers=2)


def test_a_worker_builds_each_point_once_per_sweep_not_once_per_chunk(monkeypatch):
    from sim.experiments.sweep import runner

    base = load_scenario(S2016, {"steps": 1}).model_dump(mode="json")
    points = [{"parameters.interdiction": 0.2}, {"parameters.interdiction": 0.4}]
    key = runner.plan_key(base, points)
    built = []
    real = runner.point_scenario
    monkeypatch.setattr(
        runner, "point_scenario", lambda *a: built.append(a[2]) or real(*a)
    )
    monkeypatch.setattr(runner, "_BUILT", {})

    def chunk(first: int, plan: str) -> runner.Task:
        runs = tuple(
            (k, f"r{k}", k % 2, points[k % 2], 100 + k) for k in (first, first + 1)
        )
        metric = sim_metrics.parse_metric("provinces:taliban", list(base["actors"]))
        return runner.Task(base, runs, (metric,), (), (), plan)

    kept = [o.values for t in (0, 2, 4) for o in runner.execute(chunk(t, key))]
    assert built == [0, 1]  # three chunks, each point built once
    fresh = [o.values for t in (0, 2, 4) for o in runner.execute(chunk(t, ""))]
    assert built[2:] == [0, 1, 0, 1, 0, 1]  # without a plan key: per chunk
    assert kept == fresh
    other = runner.plan_key(base, points[::-1])
    assert other != key  # another sweep's point 0 is another scenario


def test_a_worker_takes_the_scenarios_the_sweep_validated(monkeypatch):
    from sim.experiments.sweep import runner
    from sim.experiments.sweep.design import point_scenario

    base = load_scenario(S2016, {"steps": 1}).model_dump(mode="json")
    points = [{"parameters.interdiction": 0.2}, {"parameters.interdiction": 0.4}]
    validated = tuple((p, point_scenario(base, points[p], p)) for p in (0, 1))
    built = []
    real = runner.point_scenario
    monkeypatch.setattr(
        runner, "point_scenario", lambda *a: built.append(a[2]) or real(*a)
    )
    monkeypatch.setattr(runner, "_BUILT", {})
    metric = sim_metrics.parse_metric("provinces:taliban", list(base["actors"]))
    runs = tuple((k, f"r{k}", k % 2, points[k % 2], 100 + k) for k in range(4))
    key = runner.plan_key(base, points)
    given = runner.Task(base, runs, (metric,), (), (), key, validated)
    taken = [o.values for o in runner.execute(given)]
    assert built == []  # nothing validated again in the worker
    monkeypatch.setattr(runner, "_BUILT", {})
    alone = runner.Task(base, runs, (metric,), (), (), key)
    assert [o.values for o in runner.execute(alone)] == taken
    assert built == [0, 1]


def test_a_pickled_base_is_read_once_per_plan_and_runs_the_same(monkeypatch):
    import pickle

    from sim.experiments.sweep import runner

    base = load_scenario(S2016, {"steps": 1}).model_dump(mode="json")
    points = [{"parameters.interdiction": 0.2}, {"actors.russia.resources": 3.0}]
    metric = sim_metrics.parse_metric("provinces:taliban", list(base["actors"]))
    runs = tuple((k, f"r{k}", k % 2, points[k % 2], 100 + k) for k in range(4))
    key = runner.plan_key(base, points)
    monkeypatch.setattr(runner, "_BUILT", {})
    monkeypatch.setattr(runner, "_VARIATIONS", {})
    packed, loads, real = pickle.dumps(base), [], pickle.loads
    monkeypatch.setattr(
        runner.pickle, "loads", lambda b: loads.append(b == packed) or real(b)
    )
    halves = [
        runner.Task(packed, half, (metric,), (), (), key)
        for half in (runs[:2], runs[2:])
    ]
    got = [o.values for t in halves for o in runner.execute(t)]
    assert sum(loads) == 1  # the base, once for the plan's tasks
    monkeypatch.setattr(runner, "_BUILT", {})
    plain = runner.Task(base, runs, (metric,), (), (), "")
    assert [o.values for o in runner.execute(plain)] == got
