"""sim.experiments.sweep.sweep: one tidy row per run, metrics, series."""

from __future__ import annotations

import sys

import pandas as pd

import sim.experiments.sweep
from sim.experiments.sweep import (
    summarize,
    sweep,
)
from tests.unit.experiments.sweep.common import (
    GRID,
    METRICS,
    taliban_share,
)


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


def _stderr(monkeypatch, terminal: bool) -> None:
    import io

    class Stream(io.StringIO):
        def isatty(self) -> bool:
            return terminal

    monkeypatch.setattr(sys, "stderr", Stream())


def test_a_sweep_in_a_notebook_shows_a_bar(monkeypatch):
    """A kernel's stderr is no terminal, yet the user is watching."""
    import types

    from sim.experiments.sweep.driver import _progress_bar

    class Kernel:
        config = {"IPKernelApp": {}}

    fake = types.ModuleType("IPython")
    fake.get_ipython = Kernel
    monkeypatch.setitem(sys.modules, "IPython", fake)
    monkeypatch.delenv("CI", raising=False)
    _stderr(monkeypatch, terminal=False)
    bar = _progress_bar(3, None, 0)
    assert bar is not None
    bar.close()


def test_a_sweep_on_ci_shows_none_even_on_a_terminal(monkeypatch):
    from sim.experiments.sweep.driver import _progress_bar

    monkeypatch.setenv("CI", "true")
    _stderr(monkeypatch, terminal=True)
    assert _progress_bar(3, None, 0) is None
    assert _progress_bar(3, True, 0) is not None
