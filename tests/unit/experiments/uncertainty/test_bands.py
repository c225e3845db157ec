"""Band tables (sim.experiments.uncertainty.bands) from hand-made runs."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from sim.experiments.uncertainty import band_table
from sim.experiments.uncertainty.bands import sample_points
from sim.scenario.loader import load_scenario
from tests.conftest import ROOT


def test_a_value_fact_is_banded_over_every_run(banded):
    table, _ = banded
    row = table.loc["value_pass"]  # samples 0..9, four seeds each; range [4, 8]
    assert row["p50"] == pytest.approx(4.5)
    assert row["p10"] == pytest.approx(0.9) and row["p90"] == pytest.approx(8.1)
    assert row["share_in_range"] == pytest.approx(0.5)
    assert row["samples_passing"] == pytest.approx(0.5)
    assert row["runs"] == 40 and row["class"] == "validation"
    assert table.loc["value_fail", "share_in_range"] == 0
    assert table.loc["value_fail", "class"] == "calibration"


def test_a_share_fact_is_banded_over_samples(banded):
    row = banded[0].loc["share_fact"]  # holds in every seed of samples 3..9
    assert row["p50"] == 1 and row["p10"] == pytest.approx(0.0)
    assert row["samples_passing"] == pytest.approx(0.7)
    assert row["note"] == "condition met in 70% of runs"


def test_a_counterfactual_is_paired_within_each_sample(banded):
    table, _ = banded
    lower = table.loc["cf_lower"]  # -2 in samples 0..7, 0 in 8 and 9
    assert lower["share_in_range"] == pytest.approx(0.8)
    assert lower["samples_passing"] == pytest.approx(0.8)
    assert lower["p50"] == -2 and lower["runs"] == 40
    rarer = table.loc["cf_rarer"]  # 1, 0, 1, 0 in each sample: mean 0.5 passes
    assert rarer["share_in_range"] == pytest.approx(0.5)
    assert rarer["samples_passing"] == 1
    assert table.loc["cf_relative", "p50"] == pytest.approx(-0.5)


def test_pairs_never_cross_samples(synthetic, make_band_runs):
    # each sample's variant differs from its own baseline by 0, though the
    # baselines differ between samples: a pairing across samples would not
    runs = make_band_runs(5, 2, cf_lower=lambda s, r, v: 10.0 * s)
    row = band_table(synthetic, runs).set_index("id").loc["cf_lower"]
    assert row["p10"] == row["p90"] == 0


def test_unmeasured_and_unavailable_facts_are_na(synthetic, banded):
    table, runs = banded
    assert math.isnan(table.loc["unmeasured", "p50"])
    other = band_table(synthetic, runs, {"value_pass": "actor a not in scenario"})
    row = other.set_index("id").loc["value_pass"]
    assert row["note"] == "actor a not in scenario" and math.isnan(row["p50"])


def test_sample_points_carry_every_variant_and_round_whole_numbers():
    sc = load_scenario(ROOT / "scenarios" / "2016.yaml")
    samples = pd.DataFrame(
        {
            "parameters.presence_scale": [40.0, 90.0],
            "parameters.offensive_weeks": [3.4, 5.6],
        }
    )
    variants = [{"actors.russia.resources": 12}, {"actors.russia.resources": 0}]
    points = sample_points(sc, samples, variants)
    assert len(points) == 4
    assert points[1] == {
        "parameters.presence_scale": 40.0,
        "parameters.offensive_weeks": 3,
        "actors.russia.resources": 0,
    }
    assert points[3]["parameters.offensive_weeks"] == 6
    assert isinstance(points[3]["parameters.offensive_weeks"], int)
