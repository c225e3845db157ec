"""The printed scorecard (sim.experiments.scorecard.table): groups, widths, score."""

from __future__ import annotations

from sim.experiments.scorecard import format_scorecard, score_line
from sim.experiments.scorecard.table import model_text, ordered


def test_the_table_fits_its_width_and_ends_with_the_score(scored):
    df = scored.reset_index()
    text = format_scorecard(df, width=100)
    assert all(len(line) <= 100 for line in text.splitlines())
    assert text.splitlines()[-1] == score_line(df)
    assert "FAIL" in text and "pass" in text and "no such quantity" in text


def test_facts_are_grouped_by_class_with_the_na_facts_last(scored):
    df = scored.reset_index()
    groups = [
        "n/a" if s == "n/a" else c
        for c, s in zip(ordered(df)["class"], ordered(df)["status"], strict=True)
    ]
    assert groups == sorted(
        groups, key=["validation", "calibration", "input", "n/a"].index
    )
    text = format_scorecard(df)
    titles = ["Validation", "Calibration", "Inputs", "Not measured"]
    positions = [text.index(t) for t in titles]
    assert positions == sorted(positions)


def test_the_score_line_keeps_validation_apart_from_calibration(scored):
    line = score_line(scored.reset_index())
    assert line.startswith("3 of 5 validation facts pass; calibration 0 of 1; ")


def test_a_model_value_is_tagged_with_what_it_is(scored):
    assert model_text(scored.loc["share_fact"]).startswith("share 0.7 [")
    assert model_text(scored.loc["cf_lower"], spread=False) == "Δ -1.5"
    assert model_text(scored.loc["cf_rarer"], spread=False) == "mean Δ 0.2"
    assert model_text(scored.loc["value_pass"]) == "4.5 [0.9 – 8.1]"
    assert model_text(scored.loc["unmeasured"]) == "n/a"
