"""sim.experiments.sensitivity.screening: the Morris table."""

from __future__ import annotations

import pandas as pd
import pytest

from sim.experiments import sensitivity
from sim.experiments.sweep import read_results
from tests.unit.experiments.sensitivity.common import (
    RANGES,
    a_effectiveness,
    needs_salib,
    short,
)


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
