"""``run.py calibrate``: quick mode end to end, and bad input before any run."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from sim.cli import main as cli_main
from sim.experiments.calibration.files import FILES

S2016 = "scenarios/2016.yaml"


@pytest.mark.slow  # two small waves of runs: CI runs it with the full suite
def test_quick_calibration_writes_the_posterior_and_reports_runs(tmp_path, capsys):
    out = tmp_path / "cal"
    argv = ["calibrate", S2016, "--quick", "--workers", "1", "--out", str(out)]
    assert cli_main([*argv, "--cutoff", "1e9"]) == 0
    text = capsys.readouterr().out
    assert "model runs in" in text
    assert "Posterior: 4 accepted parameter sets" in text
    assert "facts pass on posterior runs" in text
    assert sorted(p.name for p in out.iterdir()) == sorted(FILES)
    with open(out / "posterior_summary.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert rows[0]["parameter"] == "parameters.lambda"  # the first prior in the file
    assert {"median", "p05", "p95", "prior_low", "prior_high"} <= set(rows[0])


def test_a_scenario_without_priors_is_bad_input(tmp_path, capsys):
    text = Path(S2016).read_text(encoding="utf-8")
    start = text.index("\nuncertainty:")
    bare = tmp_path / "bare.yaml"
    bare.write_text(text[:start] + "\n", encoding="utf-8")  # the section is last
    assert cli_main(["calibrate", str(bare), "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert "bare.yaml" in err and "uncertainty:" in err
    assert "Traceback" not in err
    assert not (tmp_path / "o").exists()


@pytest.mark.parametrize(
    "extra", [["--cutoff", "0"], ["--workers", "0"], ["--set", "parameters.bta=1"]]
)
def test_bad_options_are_bad_input_and_nothing_is_written(tmp_path, extra, capsys):
    out = tmp_path / "o"
    assert cli_main(["calibrate", S2016, "--out", str(out), *extra]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert not out.exists()
