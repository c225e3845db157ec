"""The options the experiment commands share: declared once, checked once.

Each of calibrate, check, compare and sweep lists its shared options once,
in the order its help has always shown them, and a bad value of each
shared option ends the command with the same one-paragraph error and exit
code 2, before anything runs or is written.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

import pytest

from sim.cli import main as cli_main
from sim.cli import shared_options as shared
from sim.cli.calibrate import calibrate_parser
from sim.cli.check import check_parser
from sim.cli.compare import compare_parser
from sim.cli.errors import UsageError
from sim.cli.sweep import sweep_parser

ROOT = Path(__file__).resolve().parents[3]
S2016 = str(ROOT / "scenarios" / "2016.yaml")

#: Every option of each experiment command, in the order of its help.
OPTIONS = {
    "calibrate": (
        calibrate_parser,
        "--help --workers --quick --out --facts --cutoff --seed --set --quiet --debug",
    ),
    "check": (
        check_parser,
        "--help --seeds --workers --out --facts --seed --uncertainty "
        "--seeds-per-sample --method --set --quiet --debug",
    ),
    "compare": (
        compare_parser,
        "--help --seed --seeds --out --force --set --no-figures --quiet --debug",
    ),
    "sweep": (
        sweep_parser,
        "--help --grid --lhs --sobol --samples --replicates --workers --dask --seed "
        "--independent-seeds --set --steps --out --metric --timeseries --force "
        "--quiet --debug",
    ),
}
SHARED = ("--seeds", "--workers", "--seed", "--out", "--facts", "--force", "--set")
#: The scenario argument(s) each command takes before its options.
SCENARIOS = {
    "calibrate": [S2016],
    "check": [S2016],
    "compare": [S2016, S2016],
    "sweep": [S2016, "--workers", "1"],
}


@pytest.mark.parametrize("command", sorted(OPTIONS))
def test_each_command_lists_its_options_in_the_order_of_its_help(command):
    parser, expected = OPTIONS[command]
    flags = [a.option_strings[-1] for a in parser()._actions if a.option_strings]
    assert flags == expected.split()


@pytest.mark.parametrize("command", sorted(OPTIONS))
def test_the_help_lists_each_shared_option_once(command, monkeypatch):
    monkeypatch.setenv("COLUMNS", "100")
    parser, expected = OPTIONS[command]
    lines = parser().format_help().splitlines()
    for flag in SHARED:
        if flag not in expected.split():
            continue
        described = [line for line in lines if line.strip().startswith(flag + " ")]
        assert len(described) == 1, (flag, described)


def _bad(command: str, extra: list[str], capsys) -> str:
    """Run ``command`` with ``extra``; check it is bad input; its stderr."""
    assert cli_main([command, *SCENARIOS[command], *extra]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert err.count("\n") == 1, err  # one paragraph
    return err.strip()


@pytest.mark.parametrize("command", ["check", "compare"])
def test_seeds_below_one_are_refused(command, capsys):
    expected = "error: --seeds must be a whole number ≥ 1, got 0"
    assert _bad(command, ["--seeds", "0"], capsys) == expected


@pytest.mark.parametrize("command", ["calibrate", "check", "sweep"])
def test_workers_below_one_are_refused(command, capsys):
    expected = "error: --workers must be a whole number ≥ 1, got 0"
    assert _bad(command, ["--workers", "0"], capsys) == expected


@pytest.mark.parametrize("command", sorted(OPTIONS))
def test_a_negative_seed_is_refused(command, capsys):
    expected = "error: --seed must be 0 or more, got -1"
    assert _bad(command, ["--seed", "-1"], capsys) == expected


@pytest.mark.parametrize("command", sorted(OPTIONS))
def test_a_misspelt_set_path_names_the_closest_key(command, capsys):
    expected = (
        "error: --set stepz=3, at stepz: unknown key 'stepz'; did you mean 'steps'?"
    )
    assert _bad(command, ["--set", "stepz=3"], capsys) == expected


@pytest.mark.parametrize(
    ("command", "words"),
    [
        ("calibrate", "output path '{out}' exists and is not a directory"),
        ("check", "output path '{out}' exists and is not a directory"),
        (
            "compare",
            "output path '{out}' exists and is not a directory; choose another --out",
        ),
        (
            "sweep",
            "cannot write the sweep to '{out}': '{out}' is not a directory. "
            "Nothing was run; choose another --out",
        ),
    ],
)
def test_an_output_path_that_is_a_file_is_refused(command, words, tmp_path, capsys):
    out = tmp_path / "afile"
    out.write_text("mine\n", encoding="utf-8")
    err = _bad(command, ["--out", str(out)], capsys)
    assert err == "error: " + words.format(out=out)
    assert out.read_text(encoding="utf-8") == "mine\n"


@pytest.mark.parametrize("command", ["calibrate", "check"])
def test_a_missing_facts_file_is_refused_in_one_wording(command, tmp_path, capsys):
    facts = tmp_path / "nofacts.yaml"
    out = tmp_path / "out"
    err = _bad(command, ["--facts", str(facts), "--out", str(out)], capsys)
    assert err == (
        f"error: --facts {facts}: the file does not exist; expected a facts YAML "
        "file (without --facts, the shipped one is scored)"
    )
    assert not out.exists()


@pytest.mark.parametrize("command", ["calibrate", "check"])
def test_a_facts_folder_is_refused_in_one_wording(command, tmp_path, capsys):
    out = tmp_path / "out"
    err = _bad(command, ["--facts", str(tmp_path), "--out", str(out)], capsys)
    assert err.startswith(f"error: --facts {tmp_path}: the file is a directory")
    assert not out.exists()


def test_uncertainty_checks_the_facts_file_before_the_scenario(tmp_path, capsys):
    facts = tmp_path / "nofacts.yaml"
    err = _bad("check", ["--uncertainty", "2", "--facts", str(facts)], capsys)
    assert err.startswith(f"error: --facts {facts}: the file does not exist;")


@pytest.mark.parametrize("command", ["run", "sweep"])
@pytest.mark.parametrize("value", ["0", "-3"])
def test_steps_below_one_are_refused_in_one_wording(command, value, tmp_path, capsys):
    out = tmp_path / "out"
    assert cli_main([command, S2016, "--steps", value, "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err == f"error: --steps must be a whole number ≥ 1, got {value}\n"
    assert not out.exists()


@pytest.mark.parametrize("command", ["run", "sweep"])
def test_steps_that_are_no_number_are_refused_in_one_wording(command, capsys):
    with pytest.raises(SystemExit) as exc:
        cli_main([command, S2016, "--steps", "many"])
    assert exc.value.code == 2
    assert capsys.readouterr().err == (
        "error: --steps must be a whole number, got 'many'\n"
    )


@pytest.mark.parametrize("command", sorted(OPTIONS))
def test_a_misspelt_option_names_the_shared_one(command, capsys):
    with pytest.raises(SystemExit) as exc:
        cli_main([command, *SCENARIOS[command], "--sed", "1"])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert err == (
        f"error: greatgame {command} has no option '--sed'; did you mean '--seed'? "
        f"('greatgame {command} --help' lists its options)\n"
    )


def test_the_workers_default_is_two_or_one_per_cpu():
    fixed, per_cpu = argparse.ArgumentParser(), argparse.ArgumentParser()
    shared.workers_option(fixed)
    shared.workers_option(per_cpu, per_cpu=True)
    assert fixed.parse_args([]).workers == 2
    assert per_cpu.parse_args([]).workers == (os.cpu_count() or 1)


def test_output_folder_is_the_default_unless_out_is_given(tmp_path):
    default = tmp_path / "runs" / "x"
    assert shared.output_folder(None, default) == default
    assert shared.output_folder(str(tmp_path / "o"), default) == tmp_path / "o"
    assert not default.exists()


def test_an_unwritable_output_is_refused_with_what_would_be_written(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    with pytest.raises(UsageError) as exc:
        shared.writable_output(blocker / "out", "the scorecard", advice=".")
    assert str(exc.value).startswith(f"cannot write the scorecard to '{blocker}/out'")
    assert str(exc.value).endswith(".")
