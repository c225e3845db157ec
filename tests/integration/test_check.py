"""``run.py check``: exit codes, the files it writes, and the 2016 scorecard.

The slow test runs the full 2016 scorecard (20 seeds and the three
counterfactuals on the same seeds, 80 runs, about 10 s on two cores) and
asserts that every outcome and counterfactual fact passes. The ranges come
from the sources (the facts.yaml of sim.experiments.scorecard); the free
parameters of 2016.yaml were calibrated to them (docs/calibration.md), never
the reverse.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from sim.cli import main as cli_main
from sim.experiments.scorecard import scorecard

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
        "actors: [taliban]\nfacts:\n  - {id: x, kind: outcome, statement: s, "
        "source: s, observed: 2016, why: w, metric: 'strength:talibn', at: end, "
        "range: [0, 1]}\n",
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
    assert "facts pass (outcomes and counterfactuals)" in text
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


@pytest.mark.slow
@pytest.mark.xfail(
    strict=True,
    reason="since ISIS-K is armed only where the DoD placed it (southern Nangarhar "
    "and Kunar) and combat follows a named law with garrisons that hold ground, "
    "the Russia-Taliban alliance forms in under half the seeds (it rests on "
    "Moscow's fading picture of ISIS-K in the north) and the government side "
    "holds more ground than SIGAR reported in May and August 2016: 19 of 22 "
    "facts pass until the model is recalibrated with calibration facts kept "
    "apart from validation facts (docs/calibration.md)",
)
def test_the_2016_scorecard_passes_every_outcome_and_counterfactual():
    df = scorecard(S2016, seeds=20, workers=2)
    scored = df[df["counted"]]
    assert len(scored) >= 20
    assert set(df.loc[df["status"] == "n/a", "id"]) == {
        "isis_k_recruits_taliban",
        "civilian_casualties_2016",
    }
    failing = {
        r.id: f"{r.model:.4g} vs {r.accepted}"
        for r in scored.itertuples()
        if r.status != "pass"
    }
    assert failing == {}
