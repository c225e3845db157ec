"""The terminal summaries of a run and of a sweep."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from sim.cli.summaries import MAX_POINTS_LISTED, summary, sweep_summary
from sim.core.model import GreatGame
from sim.scenario.loader import load_scenario
from tests.conftest import ROOT


@pytest.fixture(scope="module")
def history():
    scenario = load_scenario(ROOT / "scenarios" / "2016.yaml", ["steps=3"])
    return GreatGame(scenario, seed=5).run().history


def test_run_summary_has_a_line_per_actor(history):
    lines = summary(history).splitlines()
    assert lines[0].split()[0] == "actor"
    for name in history.actor_names:
        assert sum(line.startswith(name) for line in lines) == 1
    end = int((history.controller[history.n_rows - 1] < 0).sum())
    assert lines[-1] == (
        f"Contested provinces at the end: {end} of {len(history.province_names)}."
    )


def _results(points: int, runs_per_point: int = 2) -> pd.DataFrame:
    rng = np.random.default_rng(np.random.SeedSequence(3))
    n = points * runs_per_point
    frame = pd.DataFrame(
        {
            "point": np.repeat(np.arange(points), runs_per_point),
            "x": np.repeat(np.linspace(0, 1, points), runs_per_point),
            "seed": np.arange(n),
            "big": rng.uniform(1000, 5000, n),
            "small": rng.uniform(0, 1, n),
        }
    )
    frame.loc[0, "small"] = math.nan
    frame.attrs.update(metrics=["big", "small"], parameters=["x"])
    return frame


def test_no_metrics_says_so():
    frame = _results(2)
    frame.attrs["metrics"] = []
    assert sweep_summary(frame) == "4 runs over 2 point(s); no metrics recorded."


def test_few_points_get_one_metric_a_line():
    text = sweep_summary(_results(3))
    lines = text.splitlines()
    assert lines[0] == "Metric means by point (6 runs):"
    assert "point 0" in lines[1] and "point 2" in lines[1]
    big = next(line for line in lines if line.startswith("big"))
    assert "," in big  # thousands get separators
    assert len(big.split()) == 4


def test_many_points_get_spreads_over_all_runs():
    text = sweep_summary(_results(MAX_POINTS_LISTED + 1, 1))
    lines = text.splitlines()
    assert lines[0] == (
        f"Metrics over {MAX_POINTS_LISTED + 1} runs at "
        f"{MAX_POINTS_LISTED + 1} sampled points:"
    )
    assert lines[1].split() == ["mean", "std", "5%", "50%", "95%"]


def test_a_point_without_values_shows_a_dash():
    frame = _results(2, 1)
    frame["small"] = math.nan
    small = next(ln for ln in sweep_summary(frame).splitlines() if "small" in ln)
    assert small.split()[1:] == ["–", "–"]
