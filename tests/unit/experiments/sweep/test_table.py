"""sim.experiments.sweep.table: the summary of a results table by point."""

from __future__ import annotations

import pandas as pd
import pytest

from sim.experiments.sweep import summarize


@pytest.fixture
def results():
    """A results table as a sweep returns it: two points, three runs each."""
    df = pd.DataFrame(
        {
            "run_id": [f"p{p:04d}-r{r:03d}" for p in (0, 1) for r in range(3)],
            "point": [0, 0, 0, 1, 1, 1],
            "replicate": [0, 1, 2] * 2,
            "steps": [3, 3, 3, 5, 5, 5],
            "seed": [11, 12, 13] * 2,
            "a": [1.0, 2.0, 6.0, 10.0, 10.0, 40.0],
            "b": [0.0, 0.0, 3.0, 1.0, 1.0, 1.0],
        }
    )
    df.attrs.update(parameters=["steps"], metrics=["a", "b"])
    return df


def test_summary_has_the_swept_values_the_runs_and_the_statistic(results):
    means = summarize(results)
    assert list(means.columns) == ["steps", "runs", "a", "b"]
    assert list(means.index) == [0, 1]
    assert means["steps"].tolist() == [3, 5]
    assert means["runs"].tolist() == [3, 3]
    assert means["a"].tolist() == [3.0, 20.0]
    assert summarize(results, ["a"], "median")["a"].tolist() == [2.0, 10.0]


def test_without_attrs_the_metrics_are_the_columns_after_seed(results):
    results.attrs.clear()
    table = summarize(results, stat="max")
    assert list(table.columns) == ["runs", "a", "b"]
    assert table["b"].tolist() == [3.0, 1.0]
