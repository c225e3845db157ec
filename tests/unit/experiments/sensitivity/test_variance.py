"""sim.experiments.sensitivity.variance: the Sobol' table."""

from __future__ import annotations

import pandas as pd
import pytest

from sim.experiments import sensitivity
from tests.unit.experiments.sensitivity.common import (
    RANGES,
    a_effectiveness,
    needs_salib,
    short,
)


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
def test_sobol_of_a_constant_metric_is_refused():
    def constant(model) -> float:
        return 1.0

    with pytest.raises(sensitivity.SensitivityError, match="no variance"):
        sensitivity.sobol(short(1), RANGES, constant, samples=4)
