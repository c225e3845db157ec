"""sim.experiments.sensitivity.study: inputs checked first, values, SALib."""

from __future__ import annotations

import sys

import numpy as np
import pytest

from sim.experiments import sensitivity
from sim.experiments.sensitivity import study
from sim.experiments.sweep import SweepError, read_results
from sim.results.metrics import MetricError
from sim.scenario.loader import ScenarioError
from tests.unit.experiments.sensitivity.common import (
    RANGES,
    needs_salib,
    short,
)


@needs_salib
def test_whole_number_fields_take_whole_values(tmp_path):
    sensitivity.morris(
        short(1),
        {"steps": (1, 4), "parameters.interdiction": (0.0, 1.0)},
        "strength:c",
        trajectories=2,
        out=tmp_path / "s",
    )
    steps = read_results(tmp_path / "s")["steps"]
    assert set(steps) <= {1, 2, 3, 4}
    assert np.issubdtype(steps.dtype, np.integer)


@needs_salib
@pytest.mark.parametrize(
    ("ranges", "metric", "error", "match"),
    [
        ({"actors.a.efectiveness": (0, 1)}, "strength:c", ScenarioError, "did you"),
        ({"actors.a.effectiveness": (0.5, 20)}, "strength:c", ScenarioError, "10"),
        ({"actors.a.effectiveness": (2, 1)}, "strength:c", SweepError, "lo < hi"),
        ({}, "strength:c", SweepError, "ranges"),
        (RANGES, "strenght:c", MetricError, "did you mean 'strength'"),
        (RANGES, "strength:z", MetricError, "unknown actor"),
        (RANGES, ["strength:c", "strength:a"], MetricError, "one metric"),
    ],
)
def test_bad_input_fails_before_anything_runs(
    monkeypatch, ranges, metric, error, match
):
    def no_runs(*args, **kwargs):
        raise AssertionError("the sweep should not have started")

    monkeypatch.setattr(study, "sweep", no_runs)
    with pytest.raises(error, match=match):
        sensitivity.morris(short(), ranges, metric, trajectories=2)
    with pytest.raises(error, match=match):
        sensitivity.sobol(short(), ranges, metric, samples=4)


@needs_salib
def test_a_metric_without_a_value_in_some_run_is_refused():
    with pytest.raises(sensitivity.SensitivityError, match="ever_allied"):
        sensitivity.morris(short(1), RANGES, "alliance_week:a:c", trajectories=2)


def test_missing_salib_names_the_extra(monkeypatch):
    for name in list(sys.modules):
        if name == "SALib" or name.startswith("SALib."):
            monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "SALib", None)
    with pytest.raises(ImportError, match=r"greatgame\[analysis\]"):
        sensitivity.morris(short(), RANGES, "strength:c")
