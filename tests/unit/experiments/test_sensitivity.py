"""sim.experiments.sensitivity: Morris and Sobol' tables, errors, the plot."""

from __future__ import annotations

import importlib.util
import sys

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

from sim.experiments import sensitivity
from sim.experiments.sensitivity import study
from sim.experiments.sweep import SweepError, read_results
from sim.results.metrics import MetricError
from sim.scenario.loader import ScenarioError
from tests.conftest import tiny

needs_salib = pytest.mark.skipif(
    importlib.util.find_spec("SALib") is None,
    reason="SALib not installed (pip install 'greatgame[analysis]')",
)

# a.effectiveness sets a's fire; interdiction only touches aid, and nobody
# in the tiny scenario sends aid, so it cannot matter.
RANGES = {"actors.a.effectiveness": (0.5, 3.0), "parameters.interdiction": (0.0, 1.0)}


def short(steps: int = 4) -> dict:
    return tiny(steps=steps)


def a_effectiveness(model) -> float:
    """A metric that depends on one swept value only (and linearly)."""
    return model.config.actors["a"].effectiveness


@needs_salib
def test_morris_table_ranks_a_parameter_that_cannot_matter_last():
    table = sensitivity.morris(
        short(), RANGES, "strength:c", trajectories=3, replicates=2, seed=3
    )
    assert list(table.columns) == sensitivity.MORRIS_COLUMNS
    assert len(table) == 2
    assert list(table["parameter"]) == list(RANGES)  # largest mu_star first
    inert = table.set_index("parameter").loc["parameters.interdiction"]
    assert inert["mu_star"] == pytest.approx(0.0, abs=1e-9)
    assert table["mu_star"].iloc[0] > 0
    assert table.attrs["method"] == "morris"
    assert table.attrs["metric"] == "strength:c"
    assert table.attrs["points"] == 3 * (2 + 1)
    assert table.attrs["runs"] == 3 * (2 + 1) * 2
    assert table.attrs["replicates"] == 2


@needs_salib
def test_morris_effects_are_in_metric_units_per_range():
    table = sensitivity.morris(
        short(1), RANGES, a_effectiveness, trajectories=4, seed=1
    ).set_index("parameter")
    lo, hi = RANGES["actors.a.effectiveness"]
    eff = table.loc["actors.a.effectiveness"]
    assert eff["mu"] == pytest.approx(hi - lo)
    assert eff["mu_star"] == pytest.approx(hi - lo)
    assert eff["sigma"] == pytest.approx(0.0, abs=1e-9)
    assert table.loc["parameters.interdiction", "mu_star"] == 0.0


@needs_salib
def test_sobol_gives_the_variance_to_the_only_parameter_that_matters():
    table = sensitivity.sobol(short(1), RANGES, a_effectiveness, samples=32, seed=2)
    assert list(table.columns) == sensitivity.SOBOL_COLUMNS
    assert list(table["parameter"]) == list(RANGES)
    rows = table.set_index("parameter")
    assert rows.loc["actors.a.effectiveness", "ST"] == pytest.approx(1.0, abs=0.05)
    assert rows.loc["actors.a.effectiveness", "S1"] == pytest.approx(1.0, abs=0.1)
    assert rows.loc["parameters.interdiction", "ST"] == pytest.approx(0.0, abs=1e-9)
    assert table.attrs["points"] == 32 * (2 + 2)
    assert table.attrs["samples"] == 32


@needs_salib
def test_sobol_confidence_intervals_are_reproducible_with_seed_zero():
    kw = {"samples": 4, "seed": 0}
    first = sensitivity.sobol(short(), RANGES, "strength:c", **kw)
    again = sensitivity.sobol(short(), RANGES, "strength:c", **kw)
    assert first["ST_conf"].notna().all() and first["ST_conf"].gt(0).any()
    pd.testing.assert_frame_equal(first, again)


@needs_salib
def test_replicates_are_averaged_per_point_and_out_resumes(tmp_path):
    out = tmp_path / "m"

    def seeded(model) -> float:
        return model.seed_value % 1000 + model.config.actors["a"].effectiveness

    kw = {"trajectories": 2, "replicates": 3, "seed": 4, "out": out}
    first = sensitivity.morris(short(1), RANGES, seeded, **kw)
    runs = read_results(out)
    assert len(runs) == first.attrs["runs"] == 2 * 3 * 3
    # common random numbers: the seed term is the same at every point and
    # cancels, so the effects are exact despite the noise
    rows = first.set_index("parameter")
    assert rows.loc["actors.a.effectiveness", "mu_star"] == pytest.approx(2.5)
    assert rows.loc["parameters.interdiction", "mu_star"] == pytest.approx(0.0)
    again = sensitivity.morris(short(1), RANGES, seeded, **kw)
    assert again.attrs["resumed"] == first.attrs["runs"]
    pd.testing.assert_frame_equal(first, again)


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


@needs_salib
def test_sobol_of_a_constant_metric_is_refused():
    def constant(model) -> float:
        return 1.0

    with pytest.raises(sensitivity.SensitivityError, match="no variance"):
        sensitivity.sobol(short(1), RANGES, constant, samples=4)


def test_missing_salib_names_the_extra(monkeypatch):
    for name in list(sys.modules):
        if name == "SALib" or name.startswith("SALib."):
            monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "SALib", None)
    with pytest.raises(ImportError, match=r"greatgame\[analysis\]"):
        sensitivity.morris(short(), RANGES, "strength:c")


def test_plot_draws_one_bar_per_parameter_largest_on_top():
    morris = pd.DataFrame(
        {
            "parameter": ["p.big", "p.mid", "p.none"],
            "mu": [3.0, -1.0, 0.0],
            "mu_star": [3.0, 1.5, 0.0],
            "sigma": [0.5, 1.2, 0.0],
            "mu_star_conf": [0.4, 0.3, 0.0],
        }
    )
    morris.attrs.update(metric="provinces:taliban", runs=120)
    fig = sensitivity.plot(morris)
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == ["p.none", "p.mid", "p.big"]  # bottom to top
    assert len(ax.patches) == 3
    title = ax.get_title(loc="left")
    assert "provinces:taliban" in title and "120 runs" in title

    sob = pd.DataFrame(
        {
            "parameter": ["a", "b"],
            "S1": [0.7, 0.1],
            "S1_conf": [0.05, 0.05],
            "ST": [0.8, 0.2],
            "ST_conf": [0.05, 0.05],
        }
    )
    fig = sensitivity.plot(sob, title="mine")
    ax = fig.axes[0]
    assert len(ax.patches) == 4 and ax.get_title(loc="left") == "mine"

    with pytest.raises(ValueError, match="morris"):
        sensitivity.plot(pd.DataFrame({"parameter": ["a"], "x": [1]}))
