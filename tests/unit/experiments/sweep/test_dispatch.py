"""sim.experiments.sweep.dispatch: the same results here, on a pool and on Dask."""

from __future__ import annotations

import contextlib
import os

import pandas as pd
import pytest

from sim.experiments import one_thread
from sim.experiments.sweep import (
    SweepError,
    sweep,
)
from sim.experiments.sweep.dispatch import Backend
from sim.experiments.sweep.pool import chunks
from tests.unit.experiments.sweep.common import (
    GRID,
    METRICS,
    blas_threads,
    shares_roads,
    taliban_share,
)


def test_one_worker_two_workers_and_dask_give_identical_results(short):
    kwargs = {"replicates": 3, "seed": 11, "metrics": [*METRICS, taliban_share]}
    one = sweep(short, GRID, workers=1, **kwargs)
    two = sweep(short, GRID, workers=2, chunksize=1, **kwargs)
    pd.testing.assert_frame_equal(one, two)
    assert one.equals(two)
    pytest.importorskip("dask.distributed")
    dask = sweep(short, GRID, workers=2, backend="dask", **kwargs)
    pd.testing.assert_frame_equal(one, dask)


def test_workers_run_blas_on_one_thread_and_this_process_is_left_alone(
    short, monkeypatch
):
    for name in one_thread.THREAD_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    kwargs = {"replicates": 2, "seed": 3, "metrics": [blas_threads]}
    pool = sweep(short, workers=2, **kwargs)
    assert (pool["blas_threads"] == 1).all()
    assert not any(name in os.environ for name in one_thread.THREAD_VARIABLES)
    pytest.importorskip("dask.distributed")
    dask = sweep(short, workers=2, backend="dask", **kwargs)
    assert (dask["blas_threads"] == 1).all()


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


@pytest.mark.parametrize(("runs", "workers"), [(0, 1), (1, 2), (7, 1), (300, 2)])
def test_guided_chunks_cover_every_run_once_in_order_and_shrink(runs, workers):
    got = chunks(list(range(runs)), workers, None)
    assert [r for c in got for r in c] == list(range(runs))
    sizes = [len(c) for c in got]
    assert all(1 <= s <= 8 for s in sizes)
    assert sizes == sorted(sizes, reverse=True)  # big first, small at the end
    if runs >= 64 * workers:
        assert sizes[0] == 8 and sizes[-1] == 1


def test_fixed_chunks_hold_chunksize_runs():
    assert chunks(list(range(7)), 2, 3) == [[0, 1, 2], [3, 4, 5], [6]]


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"backend": "threads"}, "unknown backend"),
        ({"workers": 0}, "workers"),
        ({"workers": True}, "workers"),
        ({"scheduler": "tcp://x:1"}, "scheduler"),
        ({"chunksize": 0}, "chunksize"),
    ],
)
def test_bad_backend_options_are_refused(kwargs, match):
    with pytest.raises(SweepError, match=match):
        Backend(**kwargs).check()
    assert Backend(workers=2, backend="dask", scheduler="tcp://x:1").check()


@pytest.mark.parametrize(
    "where, starts",
    [
        (Backend(workers=2), True),
        (Backend(workers=1), False),  # runs here: no workers
        (Backend(workers=2, backend="dask"), False),  # Dask starts its own
        (Backend(workers=0), False),  # refused later, with its message
        (Backend(workers=2, backend="threads"), False),
    ],
)
def test_the_fork_server_starts_early_only_for_a_local_pool(where, starts, monkeypatch):
    from sim.experiments.sweep import dispatch

    started = []
    monkeypatch.setattr(dispatch, "start_fork_server", lambda: started.append(1))
    dispatch.start_workers_early(where)
    assert bool(started) is starts


def test_starting_the_fork_server_twice_keeps_one():
    import multiprocessing.forkserver as forkserver

    from sim.experiments.workers import start_fork_server

    start_fork_server()
    first = forkserver._forkserver._forkserver_pid
    start_fork_server()
    assert first is not None and forkserver._forkserver._forkserver_pid == first


FORK_SERVER_STARTED_ELSEWHERE = """
import multiprocessing, os, sys
from multiprocessing import forkserver
for name in {names!r}:
    os.environ.pop(name, None)
ctx = multiprocessing.get_context("forkserver")
ctx.set_forkserver_preload(["numpy"])  # BLAS loaded with a thread per core
forkserver.ensure_running()  # by other code, before any sweep
from sim.experiments.sweep import sweep
from sim.scenario.loader import load_scenario
from tests.unit.experiments.sweep.common import blas_threads
short = load_scenario(sys.argv[1], {{"steps": 1}})
rows = sweep(short, workers=2, replicates=2, seed=3, metrics=[blas_threads])
print(sorted(set(rows["blas_threads"])))
"""


def test_workers_run_blas_on_one_thread_from_a_fork_server_started_by_others():
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[4]
    code = FORK_SERVER_STARTED_ELSEWHERE.format(names=one_thread.THREAD_VARIABLES)
    env = {k: v for k, v in os.environ.items() if k not in one_thread.THREAD_VARIABLES}
    env["PYTHONPATH"] = str(root)
    done = subprocess.run(
        [sys.executable, "-c", code, str(root / "scenarios" / "2016.yaml")],
        capture_output=True,
        text=True,
        env=env,
        cwd=root,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip().splitlines()[-1] == "[1.0]"


def test_reused_builds_write_the_same_bytes_as_fresh_builds(tmp_path, monkeypatch):
    from sim.core import build
    from sim.scenario.loader import load_scenario
    from tests.unit.experiments.sweep.common import S2016

    sc = load_scenario(S2016, {"steps": 10})
    kwargs = {"replicates": 3, "seed": 5, "timeseries": ["strength:taliban"]}
    sweep(sc, GRID, workers=1, out=tmp_path / "reused", **kwargs)
    sweep(sc, GRID, workers=2, chunksize=2, out=tmp_path / "pool", **kwargs)
    with monkeypatch.context() as patch:  # every run here built afresh
        patch.setattr(build, "reusing", lambda cache: contextlib.nullcontext(cache))
        sweep(sc, GRID, workers=1, out=tmp_path / "fresh", **kwargs)
    for name in ("results.csv", "timeseries.csv"):
        fresh = (tmp_path / "fresh" / name).read_bytes()
        assert (tmp_path / "reused" / name).read_bytes() == fresh
        assert (tmp_path / "pool" / name).read_bytes() == fresh


def test_runs_here_on_a_pool_and_on_dask_reuse_their_point_build(short):
    kwargs = {"replicates": 3, "seed": 2, "metrics": [shares_roads]}
    assert (sweep(short, GRID, **kwargs)["shares_roads"] == 1).all()
    pool = sweep(short, GRID, workers=2, chunksize=2, **kwargs)
    assert (pool["shares_roads"] == 1).all()
    pytest.importorskip("dask.distributed")
    dask = sweep(short, GRID, workers=2, backend="dask", **kwargs)
    assert (dask["shares_roads"] == 1).all()


def test_a_task_carries_only_the_scenarios_a_worker_could_not_rebuild_fast(short):
    from sim.experiments.sweep.dispatch import task_maker
    from sim.experiments.sweep.plan import make_plan

    grid = {"parameters.eta": [0.03, 0.06], "steps": [2, 3]}
    plan = make_plan(short, grid)
    task = task_maker(plan, (), (), (), "key")(plan.runs)
    # a change of steps is validated whole: those points travel validated;
    # the parameters' points are rebuilt in the worker from the base
    assert [p for p, _ in task.built] == [0, 1, 2, 3]
    plan = make_plan(short, {"parameters.eta": [0.03, 0.06]})
    assert task_maker(plan, (), (), (), "key")(plan.runs).built == ()
