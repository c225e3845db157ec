"""sim.experiments.sweep.store: the sweep directory, resume and reading back."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from sim.experiments.sweep import (
    SweepError,
    make_plan,
    read_results,
    runner,
    sweep,
)
from tests.unit.experiments.sweep.common import (
    GRID,
    METRICS,
    csv_rows,
    taliban_share,
)


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


def test_cells_are_written_exactly_whatever_their_type():
    import datetime as dt
    import math

    import numpy as np

    from sim.experiments.sweep.store import _cell

    class Share(float):  # a float subclass takes the general way
        pass

    cases = [
        (0.1, "0.1"),
        (-0.0, "-0.0"),
        (1e-300, "1e-300"),
        (math.inf, "inf"),
        (math.nan, ""),
        (np.float64(0.1), "0.1"),
        (np.float64("nan"), ""),
        (np.float32(0.5), "0.5"),
        (Share(2.5), "2.5"),
        (7, "7"),
        (np.int64(-3), "-3"),
        (True, "true"),
        (np.bool_(False), "false"),
        ("p0003-r017", "p0003-r017"),
        (None, ""),
        (dt.date(2016, 1, 4), "2016-01-04"),
        ((1, 2), "(1, 2)"),
    ]
    assert [(v, _cell(v)) for v, _ in cases] == cases
    assert _cell([1, "a"]) == '[1, "a"]' and _cell(np.array([0.5])) == "[0.5]"
