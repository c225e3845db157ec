"""Shared data of the uncertainty tests: the scorecard's synthetic facts, band runs."""

from __future__ import annotations

import pandas as pd
import pytest

from sim.experiments.scorecard import BASELINE, load_facts
from tests.unit.experiments.scorecard.conftest import SYNTHETIC


@pytest.fixture
def synthetic(tmp_path):
    path = tmp_path / "facts.yaml"
    path.write_text(SYNTHETIC, encoding="utf-8")
    return load_facts(path)


def band_runs(samples: int, seeds: int, **columns) -> pd.DataFrame:
    """Runs of ``samples`` × ``seeds`` × (baseline, cut).

    ``name=fn(sample, seed, variant)`` gives each run's value of a fact.
    """
    rows = []
    for s in range(samples):
        for variant in (BASELINE, "cut"):
            for r in range(seeds):
                row = {"sample": s, "variant": variant, "replicate": r}
                row.update({k: fn(s, r, variant) for k, fn in columns.items()})
                rows.append(row)
    return pd.DataFrame(rows)


@pytest.fixture
def make_band_runs():
    """The :func:`band_runs` builder."""
    return band_runs


@pytest.fixture
def banded(synthetic):
    """A band table of 10 samples × 4 seeds with known values."""
    from sim.experiments.uncertainty import band_table

    runs = band_runs(
        10,
        4,
        value_pass=lambda s, r, v: float(s),  # 0..9 in every seed
        value_fail=lambda s, r, v: 10.0,
        share_fact=lambda s, r, v: float(s >= 3),  # holds in 7 of 10 samples
        an_input=lambda s, r, v: 0.5,
        cf_lower=lambda s, r, v: 5.0 - (2.0 if v == "cut" and s < 8 else 0.0),
        cf_rarer=lambda s, r, v: 1.0 if v == BASELINE else float(r % 2),
        cf_relative=lambda s, r, v: 4.0 if v == BASELINE else 2.0,
    )
    return band_table(synthetic, runs).set_index("id"), runs
