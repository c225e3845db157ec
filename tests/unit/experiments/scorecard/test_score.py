"""Scoring (sim.experiments.scorecard.score): pass or fail from per-seed values.

Medians, shares of seeds with their Wilson interval and paired differences
are checked on hand-made values whose results are known.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from sim.experiments.scorecard import score, score_headline, score_line, wilson


def test_a_value_fact_passes_when_its_median_lies_in_range(scored):
    row = scored.loc["value_pass"]
    assert row["model"] == pytest.approx(4.5)
    assert row["p10"] == pytest.approx(0.9)
    assert row["p90"] == pytest.approx(8.1)
    assert (row["lo"], row["hi"]) == (4.0, 8.0)
    assert row["status"] == "pass" and bool(row["pass"]) and bool(row["counted"])
    assert row["share_in_range"] == pytest.approx(0.5)  # 4, 5, 6, 7, 8
    assert row["seeds"] == 10


def test_a_value_fact_fails_when_its_median_lies_outside(scored):
    row = scored.loc["value_fail"]
    assert row["model"] == pytest.approx(14.5)
    assert row["status"] == "fail" and not bool(row["pass"])


def test_a_probability_fact_scores_the_share_of_seeds(scored):
    row = scored.loc["share_fact"]
    assert row["model"] == pytest.approx(0.7)
    lo, hi = wilson(7, 10)
    assert (row["p10"], row["p90"]) == (pytest.approx(lo), pytest.approx(hi))
    assert lo < 0.7 < hi
    assert row["status"] == "pass"
    assert row["statistic"] == "share of seeds with value >= 1"


def test_inputs_are_scored_but_not_counted(scored):
    row = scored.loc["an_input"]
    assert row["status"] == "pass" and not bool(row["counted"])


def test_a_counterfactual_needs_its_median_and_its_share_of_seeds(scored):
    row = scored.loc["cf_lower"]
    # paired differences -6..-1 and four +1: median (-2 - 1) / 2, in range
    assert row["model"] == pytest.approx(-1.5)
    assert row["share_in_range"] == pytest.approx(0.6)
    # but only 60% of the seeds are lower, and min_share asks for 70%
    assert row["status"] == "fail"
    assert "60% of seeds" in row["note"]


def test_a_mean_counterfactual_is_the_difference_of_shares(scored):
    row = scored.loc["cf_rarer"]
    assert row["model"] == pytest.approx(0.2)  # 0.8 with, 0.6 without
    assert row["status"] == "fail"  # needs 0.3 or more


def test_a_relative_counterfactual(scored):
    row = scored.loc["cf_relative"]
    assert row["model"] == pytest.approx(-0.25)
    assert row["status"] == "pass"


def test_pairs_are_matched_by_replicate_not_by_row_order(synthetic, make_runs):
    runs = make_runs(
        cf_relative=(np.arange(1.0, 11.0), np.arange(1.0, 11.0) * 0.5),
    )
    shuffled = runs.sample(frac=1.0, random_state=3)
    row = score(synthetic, shuffled).set_index("id").loc["cf_relative"]
    assert row["model"] == pytest.approx(-0.5)
    assert row["p10"] == pytest.approx(-0.5) and row["p90"] == pytest.approx(-0.5)


def test_unmeasurable_and_unavailable_facts_are_na(synthetic, scored, make_runs):
    assert scored.loc["unmeasured", "status"] == "n/a"
    assert "no such quantity" in scored.loc["unmeasured", "note"]
    assert pd.isna(scored.loc["unmeasured", "pass"])
    runs = make_runs(value_pass=(np.arange(10), np.arange(10)))
    df = score(synthetic, runs, {"value_pass": "actor a not in scenario"})
    row = df.set_index("id").loc["value_pass"]
    assert row["status"] == "n/a" and row["note"] == "actor a not in scenario"


def test_the_score_line_counts_each_class_apart(scored):
    line = score_line(scored.reset_index())
    # validation pass: value_pass, share_fact, cf_relative; fail: cf_lower,
    # cf_rarer; calibration fail: value_fail; the input is apart; 'unmeasured'
    # is n/a
    assert line.startswith("3 of 5 validation facts pass")
    assert "calibration 0 of 1" in line
    assert "inputs as set 1 of 1" in line and "1 n/a" in line
    assert (
        score_headline(scored.reset_index()) == "validation 3 of 5, calibration 0 of 1"
    )


def test_wilson_interval():
    assert wilson(0, 20)[0] == 0.0 and wilson(20, 20)[1] == 1.0
    lo, hi = wilson(10, 20)
    assert lo == pytest.approx(1 - hi) and 0.3 < lo < 0.5
    assert all(math.isnan(v) for v in wilson(0, 0))
