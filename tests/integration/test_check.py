"""``run.py check``: exit codes, the files it writes, and the 2016 scorecard.

The slow test runs the full 2016 scorecard (20 seeds and the three
counterfactuals on the same seeds, 80 runs, about 10 s on two cores) and
asserts that every validation and calibration fact passes (a strict expected
failure while the model misses some). The ranges come from the sources (the
facts.yaml of sim.experiments.scorecard); the assumptions of 2016.yaml were
tuned to the calibration facts only (docs/calibration.md), never the reverse,
and no validation fact may be met by the starting state alone.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from sim.cli import main as cli_main
from sim.experiments.scorecard import load_facts, scorecard
from sim.experiments.scorecard.initial import frozen_values, input_ranges
from sim.experiments.uncertainty import fact_bands
from sim.experiments.uncertainty.report import FILES as UNCERTAINTY_FILES

ROOT = Path(__file__).resolve().parents[2]
S2016 = str(ROOT / "scenarios" / "2016.yaml")


def test_a_missing_scenario_is_bad_input(tmp_path, capsys):
    assert cli_main(["check", str(tmp_path / "nope.yaml"), "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "Traceback" not in err
    assert not any(tmp_path.iterdir())


def test_a_broken_scenario_is_bad_input(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text("extends: " + S2016 + "\nsteps: many\n", encoding="utf-8")
    assert cli_main(["check", str(bad), "--out", str(tmp_path / "o")]) == 2
    assert "steps" in capsys.readouterr().err
    assert not (tmp_path / "o").exists()


def test_a_bad_facts_file_is_bad_input(tmp_path, capsys):
    facts = tmp_path / "facts.yaml"
    facts.write_text(
        "actors: [taliban]\nfacts:\n  - {id: x, kind: outcome, class: validation, "
        "statement: s, source: s, observed: 2016, why: w, "
        "metric: 'strength:talibn', at: end, range: [0, 1]}\n",
        encoding="utf-8",
    )
    argv = ["check", S2016, "--facts", str(facts), "--out", str(tmp_path / "o")]
    assert cli_main(argv) == 2
    err = capsys.readouterr().err
    assert "fact 'x'" in err and "did you mean 'taliban'" in err
    argv = ["check", S2016, "--facts", str(tmp_path / "none.yaml")]
    assert cli_main(argv) == 2


@pytest.mark.parametrize(
    "extra", [["--seeds", "0"], ["--workers", "0"], ["--seed", "-1"]]
)
def test_bad_options_are_bad_input(tmp_path, extra, capsys):
    assert cli_main(["check", S2016, "--out", str(tmp_path / "o"), *extra]) == 2
    assert extra[0] in capsys.readouterr().err
    assert not (tmp_path / "o").exists()


def test_an_unknown_option_is_bad_input(capsys):
    with pytest.raises(SystemExit) as exit_:
        cli_main(["check", S2016, "--steps", "3"])
    assert exit_.value.code == 2


def test_facts_beyond_a_shortened_run_are_bad_input(tmp_path, capsys):
    argv = ["check", S2016, "--set", "steps=10", "--out", str(tmp_path / "o")]
    assert cli_main(argv) == 2
    assert "is outside the run" in capsys.readouterr().err


def test_check_prints_the_scorecard_and_writes_its_files(tmp_path, capsys):
    out = tmp_path / "check"
    argv = ["check", S2016, "--seeds", "2", "--workers", "1", "--out", str(out)]
    assert cli_main(argv) == 0
    text = capsys.readouterr().out
    assert "2 seeds (sweep seed 0) × 4 variants" in text
    assert "Validation (never used to tune" in text
    assert "validation facts pass; calibration " in text and "inputs as set" in text
    assert all(len(line) <= 100 for line in text.splitlines()[2:-2])
    assert {p.name for p in out.iterdir()} == {
        "scorecard.csv",
        "scorecard_runs.csv",
        "scorecard.png",
    }
    with (out / "scorecard.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert {"id", "model", "p10", "p90", "lo", "hi", "pass", "source"} <= set(rows[0])
    assert all(r["source"] for r in rows)
    with (out / "scorecard_runs.csv").open(encoding="utf-8") as f:
        runs = list(csv.DictReader(f))
    assert len(runs) == 8  # 2 seeds × (baseline + 3 variants)
    seeds = {(r["variant"], r["replicate"]): r["seed"] for r in runs}
    assert seeds[("baseline", "1")] == seeds[("us_exit", "1")]  # the same seeds
    # a second check overwrites the scorecard in place (exit 0)
    assert cli_main([*argv, "--quiet"]) == 0
    assert capsys.readouterr().out == ""


def test_no_validation_fact_is_met_by_the_starting_state():
    """A validation fact must test the dynamics: the world frozen at step 0
    (and, but for counterfactuals, after the first week, when the initial
    affinities have already sent aid) must not meet it."""
    at_start = frozen_values(S2016, step=0)
    after_a_week = frozen_values(S2016, step=1)
    validation = at_start[at_start["class"] == "validation"]
    assert len(validation) >= 5
    assert list(validation.loc[validation["met"], "id"]) == []
    week = after_a_week[
        (after_a_week["class"] == "validation")
        & (after_a_week["kind"] != "counterfactual")
    ]
    assert list(week.loc[week["met"], "id"]) == []


def test_no_validation_fact_is_accepted_in_an_input_range():
    facts = load_facts()
    ranges = input_ranges(facts)
    same = {
        f.id: ranges[(f.metrics, f.lo, f.hi)]
        for f in facts
        if f.fact_class == "validation" and (f.metrics, f.lo, f.hi) in ranges
    }
    assert same == {}


def test_the_alliance_is_read_in_the_window_the_article_gives():
    fact = load_facts()["russia_taliban_allied"]
    assert str(fact.at) <= "2016-06-30"  # the article says 'forging' in Feb 2016


# The known failures of the 2016 scenario, by class, with what the model gives
# (`run.py check scenarios/2016.yaml --seeds 10`, with the believed fight):
# validation 4 of 6, calibration 4 of 5.
KNOWN_FAILURES = {
    "government_side_may2016": "validation: 0.853 (29 of 34) vs [0.606, 0.706]",
    "government_side_aug2016": "validation: 0.794 vs [0.584, 0.684]",
    "russia_taliban_allied": "calibration: allied by 30 Jun 2016 in 0 of 10 "
    "seeds (it forms in 12 of 30 by the end of 2017, median mid-November 2016)",
}


@pytest.mark.slow
@pytest.mark.xfail(
    strict=True,
    reason="the government side holds more ground than SIGAR reported (0.85 in "
    "May, 0.79 in August against 65.6% and 63.4% ±5 points) and the "
    "Russia-Taliban alliance, when it forms, forms after 30 Jun 2016; see "
    "KNOWN_FAILURES",
)
def test_the_2016_scorecard_passes_every_validation_and_calibration_fact():
    df = scorecard(S2016, seeds=20, workers=2)
    scored = df[df["counted"]]
    assert set(scored["class"]) == {"validation", "calibration"}
    assert len(scored) >= 10
    assert set(df.loc[df["status"] == "n/a", "id"]) == {
        "isis_k_recruits_taliban",
        "civilian_casualties_2016",
    }
    failing = {
        r.id: f"{r.model:.4g} vs {r.accepted}"
        for r in scored.itertuples()
        if r.status != "pass"
    }
    assert failing == {}, KNOWN_FAILURES


@pytest.mark.slow  # 32 runs: the quick mode CI runs with the full suite
def test_check_with_uncertainty_writes_the_bands(tmp_path, capsys):
    """The quick mode CI runs: 8 parameter samples × 1 seed × 4 variants."""
    out = tmp_path / "check"
    argv = ["check", S2016, "--uncertainty", "8", "--seeds-per-sample", "1"]
    assert cli_main([*argv, "--workers", "2", "--out", str(out)]) == 0
    text = capsys.readouterr().out
    assert "over 8 parameter samples (lhs, " in text and "32 runs" in text
    assert {p.name for p in out.iterdir()} == set(UNCERTAINTY_FILES)
    with (out / "uncertainty_bands.csv").open(encoding="utf-8") as f:
        rows = {r["id"]: r for r in csv.DictReader(f)}
    assert set(rows) == {f.id for f in load_facts()}
    assert rows["andsf_losses_2016"]["class"] == "calibration"
    assert int(rows["andsf_losses_2016"]["runs"]) == 8
    assert int(rows["cf_us_exit_government"]["runs"]) == 8  # 8 paired runs


@pytest.mark.slow
def test_the_uncertainty_bands_are_the_same_on_one_or_two_workers():
    one = fact_bands(S2016, 2, seeds_per_sample=1, workers=1, progress=False)
    two = fact_bands(S2016, 2, seeds_per_sample=1, workers=2, progress=False)
    assert one.runs.equals(two.runs)
    assert one.table.equals(two.table)


def test_uncertainty_needs_priors_and_sane_options(tmp_path, capsys):
    bare = tmp_path / "bare.yaml"
    bare.write_text(f"extends: {S2016}\nuncertainty: null\n", encoding="utf-8")
    argv = ["check", str(bare), "--uncertainty", "4", "--out", str(tmp_path / "o")]
    assert cli_main(argv) == 2
    assert "no 'uncertainty:' section" in capsys.readouterr().err
    argv = ["check", S2016, "--uncertainty", "0", "--out", str(tmp_path / "o")]
    assert cli_main(argv) == 2
    argv = ["check", S2016, "--uncertainty", "2", "--seeds-per-sample", "0"]
    assert cli_main([*argv, "--out", str(tmp_path / "o")]) == 2
    assert "--seeds-per-sample" in capsys.readouterr().err
    assert not (tmp_path / "o").exists()
