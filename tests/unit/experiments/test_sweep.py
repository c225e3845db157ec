"""Sweeps (sim.experiments.sweep): plans, seeds, validation, backends, resume.

Runs use the 2016 scenario cut to a few steps, so each takes milliseconds;
the process-pool and Dask tests pay mostly for starting their workers.
"""

from __future__ import annotations

import csv
import importlib.util
import json
import math
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import sim.experiments.sweep
from sim.experiments.sweep import (
    RunError,
    SweepError,
    make_plan,
    read_results,
    run_seed,
    runner,
    summarize,
    sweep,
)
from sim.results import metrics as sim_metrics
from sim.results.metrics import MetricError
from sim.scenario.loader import ScenarioError, load_scenario

ROOT = Path(__file__).resolve().parents[3]
S2016 = ROOT / "scenarios" / "2016.yaml"
GRID = {"actors.russia.resources": [0, 24], "parameters.interdiction": [0.5]}
METRICS = ["provinces:taliban", "strength:isis_k", "aid_delivered:russia"]


@pytest.fixture(scope="module")
def short():
    """The 2016 scenario, 4 steps long."""
    return load_scenario(S2016, {"steps": 4})


@pytest.fixture
def no_runs(monkeypatch):
    """Make any attempt to run a model fail the test."""

    def fail(*args, **kwargs):
        raise AssertionError("a run started although the sweep was invalid")

    monkeypatch.setattr(runner, "execute", fail)


def csv_rows(path: Path) -> list[list[str]]:
    with path.open(newline="", encoding="utf-8") as f:
        return list(csv.reader(f))


# --- the plan --------------------------------------------------------------------


def test_grid_is_a_full_factorial_with_stable_run_ids(short):
    grid = {"actors.russia.resources": [0, 12, 24], "steps": [3, 4]}
    plan = make_plan(short, grid, replicates=2)
    assert plan.design == "grid"
    assert plan.parameters == ["actors.russia.resources", "steps"]
    assert plan.points == [
        {"actors.russia.resources": r, "steps": s} for r in (0, 12, 24) for s in (3, 4)
    ]
    ids = [r.run_id for r in plan.runs]
    assert ids[:3] == ["p0000-r000", "p0000-r001", "p0001-r000"]
    assert ids == sorted(ids) and len(set(ids)) == 12
    assert [r.index for r in plan.runs] == list(range(12))
    assert [sc.steps for sc in plan.scenarios] == [3, 4] * 3
    assert plan.scenarios[4].actors["russia"].resources == 24
    frame = plan.frame()
    assert list(frame.columns) == [
        "run_id",
        "point",
        "replicate",
        "actors.russia.resources",
        "steps",
        "seed",
    ]
    # the plan is a function of its inputs alone
    assert make_plan(short, grid, replicates=2).runs == plan.runs


def test_no_grid_is_one_point_and_a_single_value_is_held_fixed(short):
    assert make_plan(short, replicates=3).points == [{}]
    plan = make_plan(short, {"steps": 3, "actors.russia.resources": [0, 5]})
    assert plan.points == [
        {"steps": 3, "actors.russia.resources": 0},
        {"steps": 3, "actors.russia.resources": 5},
    ]


def test_explicit_points_from_a_dataframe_or_a_list(short):
    points = pd.DataFrame(
        {"actors.russia.resources": np.array([1.5, 7.0]), "steps": [3, 4]}
    )
    plan = make_plan(short, points)
    assert plan.design == "points"
    assert plan.points == [
        {"actors.russia.resources": 1.5, "steps": 3},
        {"actors.russia.resources": 7.0, "steps": 4},
    ]
    assert type(plan.points[1]["steps"]) is int  # numpy scalars made plain
    listed = make_plan(short, [{"steps": 3}, {"steps": 5}])
    assert [sc.steps for sc in listed.scenarios] == [3, 5]
    with pytest.raises(SweepError, match="lacks"):
        make_plan(short, [{"steps": 3}, {"parameters.beta": 0.1}])


def test_run_seeds_come_from_seedsequence_and_are_common_across_points(short):
    plan = make_plan(short, GRID, replicates=3, seed=7)
    expected = [
        int(
            np.random.SeedSequence(7, spawn_key=(r,)).generate_state(1, np.uint64)[0]
            >> np.uint64(1)
        )
        for r in range(3)
    ]
    by_point = {}
    for run in plan.runs:
        by_point.setdefault(run.point, []).append(run.seed)
    assert list(by_point.values()) == [expected, expected]  # CRN: same per point
    assert [run_seed(7, r) for r in range(3)] == expected
    assert all(0 <= s < 2**63 for s in expected)
    assert expected != [7, 8, 9] and len(set(expected)) == 3

    independent = make_plan(
        short, GRID, replicates=3, seed=7, common_random_numbers=False
    )
    seeds = [r.seed for r in independent.runs]
    assert seeds == [run_seed(7, i) for i in range(6)]
    assert len(set(seeds)) == 6
    assert make_plan(short, GRID, replicates=3, seed=8).runs[0].seed != expected[0]


def test_lhs_and_sobol_stay_in_range_and_are_reproducible(short):
    ranges = {"actors.russia.resources": (5, 50), "steps": (2, 6)}
    plan = make_plan(short, design="lhs", ranges=ranges, samples=16, seed=3)
    res = [p["actors.russia.resources"] for p in plan.points]
    steps = [p["steps"] for p in plan.points]
    assert len(plan.points) == 16
    assert all(5 <= v <= 50 for v in res) and len(set(res)) == 16
    assert all(type(s) is int and 2 <= s <= 6 for s in steps)  # whole field
    assert set(steps) == {2, 3, 4, 5, 6}
    # a Latin hypercube: one sample in each of the 16 equal strata
    strata = sorted(int((v - 5) / 45 * 16) for v in res)
    assert strata == list(range(16))
    again = make_plan(short, design="lhs", ranges=ranges, samples=16, seed=3)
    assert again.points == plan.points
    other = make_plan(short, design="lhs", ranges=ranges, samples=16, seed=4)
    assert other.points != plan.points
    sobol = make_plan(short, design="sobol", ranges=ranges, samples=8, seed=3)
    assert all(5 <= p["actors.russia.resources"] <= 50 for p in sobol.points)
    assert (
        sobol.points
        == make_plan(short, design="sobol", ranges=ranges, samples=8, seed=3).points
    )


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"design": "lhs", "ranges": {"steps": (2, 6)}}, "samples"),
        ({"design": "lhs", "samples": 4}, "ranges"),
        ({"design": "lhs", "ranges": {"steps": (6, 2)}, "samples": 4}, "lo < hi"),
        ({"design": "sobol", "ranges": {"steps": (2.5, 6)}, "samples": 4}, "whole"),
        ({"design": "latin"}, "unknown design"),
        ({"ranges": {"steps": (2, 6)}}, "lhs"),
        ({"replicates": 0}, "replicates"),
        ({"seed": -1}, "seed"),
        ({"grid": {"seed": [1, 2]}}, "replicates"),
        ({"grid": {"steps": []}}, "no values"),
    ],
)
def test_malformed_designs_fail_plainly(short, kwargs, match):
    with pytest.raises(SweepError, match=match):
        make_plan(short, **kwargs)


# --- validation before anything runs ------------------------------------------------


def test_bad_path_fails_before_any_run_with_did_you_mean(short, no_runs, tmp_path):
    out = tmp_path / "sweep"
    grid = {"actors.rusia.resources": [0, 12]}
    with pytest.raises(ScenarioError, match="did you mean 'russia'") as err:
        sweep(short, grid, workers=2, out=out)
    assert "sweep parameter actors.rusia.resources" in str(err.value)
    with pytest.raises(ScenarioError, match="did you mean 'interdiction'"):
        sweep(short, {"parameters.interdictoin": [0.1]}, out=out)
    assert not out.exists()  # nothing written either


def test_bad_value_at_any_point_fails_before_any_run(short, no_runs):
    grid = {"actors.russia.resources": [0, 12, -5]}
    with pytest.raises(ScenarioError, match="must be ≥ 0") as err:
        sweep(short, grid, workers=2)
    assert "sweep point 2 (actors.russia.resources=-5)" in str(err.value)
    with pytest.raises(ScenarioError):
        sweep(
            short, design="lhs", ranges={"parameters.interdiction": (0, 2)}, samples=8
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


# --- running ---------------------------------------------------------------------


def taliban_share(model) -> float:
    h = model.history
    return float(h.strength[-1, h.actor_keys.index("taliban")].sum() / 1e3)


def test_results_have_one_tidy_row_per_run_and_user_metrics(short):
    def both(model):
        return {"steps_run": model.step_index, "nothing": None}

    df = sweep(short, GRID, replicates=2, metrics=[*METRICS, taliban_share, both])
    assert list(df.columns) == [
        "run_id",
        "point",
        "replicate",
        "actors.russia.resources",
        "parameters.interdiction",
        "seed",
        *METRICS,
        "taliban_share",
        "steps_run",
        "nothing",
    ]
    assert len(df) == 4 and df["run_id"].is_monotonic_increasing
    assert df["actors.russia.resources"].tolist() == [0, 0, 24, 24]
    assert (df["steps_run"] == 4).all() and df["nothing"].isna().all()
    assert df["taliban_share"].gt(10).all()
    assert (
        df.loc[df["actors.russia.resources"] == 0, "aid_delivered:russia"].eq(0).all()
    )
    assert (
        df.loc[df["actors.russia.resources"] == 24, "aid_delivered:russia"].gt(0).all()
    )
    assert df.attrs["metrics"] == [*METRICS, "taliban_share", "steps_run", "nothing"]
    means = summarize(df)
    assert list(means.index) == [0, 1] and means["runs"].tolist() == [2, 2]
    assert means.loc[1, "actors.russia.resources"] == 24


def test_default_metrics_are_provinces_and_strength_per_actor(short):
    df = sweep(short, replicates=1)
    actors = list(short.actors)
    assert df.attrs["metrics"] == [
        *(f"provinces:{a}" for a in actors),
        *(f"strength:{a}" for a in actors),
        "contested",
    ]


def test_a_failing_run_names_itself(short):
    def broken(model):
        raise ZeroDivisionError("oops")

    with pytest.raises(RunError, match=r"run p0000-r000 \(seed \d+; .*\) failed"):
        sweep(short, GRID, metrics=[broken])


def test_one_worker_two_workers_and_dask_give_identical_results(short):
    kwargs = {"replicates": 3, "seed": 11, "metrics": [*METRICS, taliban_share]}
    one = sweep(short, GRID, workers=1, **kwargs)
    two = sweep(short, GRID, workers=2, chunksize=1, **kwargs)
    pd.testing.assert_frame_equal(one, two)
    assert one.equals(two)
    pytest.importorskip("dask.distributed")
    dask = sweep(short, GRID, workers=2, backend="dask", **kwargs)
    pd.testing.assert_frame_equal(one, dask)


def test_dask_on_an_existing_scheduler_by_address(short):
    distributed = pytest.importorskip("dask.distributed")
    kwargs = {"replicates": 2, "seed": 11, "metrics": METRICS}
    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=1, dashboard_address=None
    ) as cluster:
        remote = sweep(
            short, GRID, backend="dask", scheduler=cluster.scheduler_address, **kwargs
        )
    pd.testing.assert_frame_equal(remote, sweep(short, GRID, **kwargs))


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


def test_common_random_numbers_make_differences_less_noisy(short):
    grid = {"actors.russia.resources": [12, 12]}  # two identical points
    crn = sweep(short, grid, replicates=2, metrics=["strength:taliban"])
    a, b = (crn[crn.point == p]["strength:taliban"].to_numpy() for p in (0, 1))
    assert (a == b).all()  # same seeds, same scenario: identical runs
    ind = sweep(
        short,
        grid,
        replicates=2,
        metrics=["strength:taliban"],
        common_random_numbers=False,
    )
    a, b = (ind[ind.point == p]["strength:taliban"].to_numpy() for p in (0, 1))
    assert (a != b).all()


def test_timeseries_in_long_form(short, tmp_path):
    df, ts = sweep(
        short,
        GRID,
        replicates=1,
        metrics=["strength:taliban"],
        timeseries=["strength:taliban", "provinces:taliban"],
        out=tmp_path / "s",
    )
    assert list(ts.columns) == ["run_id", "step", "date", "metric", "value"]
    assert len(ts) == 2 * 2 * 5  # runs x metrics x (steps + 1)
    last = ts[(ts.metric == "strength:taliban") & (ts.step == 4)]
    assert last["value"].tolist() == df["strength:taliban"].tolist()
    assert ts["date"].iloc[:2].tolist() == ["2016-02-12", "2016-02-19"]
    on_disk = sim.experiments.sweep.read_timeseries(tmp_path / "s")
    pd.testing.assert_frame_equal(on_disk, ts, check_dtype=False)


# --- files and resume ------------------------------------------------------------


def test_out_holds_spec_and_sorted_results(short, tmp_path):
    out = tmp_path / "s"
    df = sweep(short, GRID, replicates=2, seed=4, metrics=METRICS, out=out)
    spec = json.loads((out / "sweep.json").read_text())
    assert spec["design"] == "grid" and spec["replicates"] == 2 and spec["seed"] == 4
    assert spec["common_random_numbers"] is True
    assert (
        spec["metrics"] == METRICS and spec["points"] == make_plan(short, GRID).points
    )
    assert spec["scenario"]["steps"] == 4 and spec["package_version"]
    rows = csv_rows(out / "results.csv")
    assert rows[0] == list(df.columns)
    assert [r[0] for r in rows[1:]] == df["run_id"].tolist()
    back = read_results(out)
    pd.testing.assert_frame_equal(back, df, check_dtype=False)
    assert not [p for p in out.iterdir() if p.name.startswith(".")]  # no temp files


def test_resume_after_lost_rows_matches_an_uninterrupted_sweep(
    short, tmp_path, monkeypatch
):
    kwargs = {"replicates": 3, "seed": 2, "metrics": [*METRICS, taliban_share]}
    whole = tmp_path / "whole"
    expected = sweep(short, GRID, out=whole, **kwargs)

    part = tmp_path / "part"
    sweep(short, GRID, out=part, **kwargs)
    rows = csv_rows(part / "results.csv")
    kept = [rows[0], rows[3], rows[1], rows[5], rows[1]]  # shuffled, a duplicate
    text = "".join(",".join(r) + "\n" for r in kept)
    (part / "results.csv").write_text(text + rows[2][0] + ",0,1,2")  # a torn line
    ran = []
    real = runner.execute

    def counting(task, *args):
        ran.extend(r[1] for r in task.runs)
        return real(task, *args)

    monkeypatch.setattr(runner, "execute", counting)
    resumed = sweep(short, GRID, out=part, **kwargs)
    assert sorted(ran) == sorted(
        {r[0] for r in rows[1:]} - {rows[1][0], rows[3][0], rows[5][0]}
    )
    assert resumed.attrs["resumed"] == 3
    pd.testing.assert_frame_equal(resumed, expected)
    assert (part / "results.csv").read_bytes() == (whole / "results.csv").read_bytes()
    ids = [r[0] for r in csv_rows(part / "results.csv")[1:]]
    assert len(ids) == len(set(ids)) == 6

    ran.clear()  # a finished sweep rerun: nothing runs, the same table
    again = sweep(short, GRID, out=part, **kwargs)
    assert ran == [] and again.equals(expected)


def test_a_different_sweep_in_out_is_refused_unless_forced(short, tmp_path, no_runs):
    out = tmp_path / "s"
    out.mkdir()
    (out / "sweep.json").write_text(json.dumps({"format": 1, "replicates": 9}))
    with pytest.raises(SweepError, match="different sweep.*--force"):
        sweep(short, GRID, out=out)
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "notes.txt").write_text("mine")
    with pytest.raises(SweepError, match="not empty"):
        sweep(short, GRID, out=tmp_path / "other")


def test_force_starts_over(short, tmp_path):
    out = tmp_path / "s"
    sweep(short, GRID, metrics=METRICS, out=out)
    df = sweep(short, GRID, replicates=2, metrics=METRICS, out=out, force=True)
    assert df.attrs["resumed"] == 0
    assert len(csv_rows(out / "results.csv")) == 1 + 4


def test_parquet_copy_when_pyarrow_is_installed(short, tmp_path):
    pytest.importorskip("pyarrow")
    df = sweep(short, GRID, metrics=METRICS, out=tmp_path / "s")
    back = pd.read_parquet(tmp_path / "s" / "results.parquet")
    pd.testing.assert_frame_equal(back, df, check_dtype=False)
