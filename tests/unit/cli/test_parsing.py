"""Command-line mistakes: one paragraph on stderr, exit 2, and the closest valid name.

Each command's parser is a :class:`~sim.cli.parsing.CommandParser`: a
misspelt or shortened option, a value of the wrong kind, a choice not
offered, a missing or extra argument each end the command with
``error: ...`` on one line (no usage block, no traceback) and exit code 2,
before anything is read, run or written.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from sim.cli import main
from sim.cli.parsing import CommandParser, near_options
from sim.cli.suggest import command_parsers

ROOT = Path(__file__).resolve().parents[3]
S2016 = str(ROOT / "scenarios" / "2016.yaml")
SHIPPED = "2016, iran_backs_taliban, no_isis, no_russian_aid, taliban_united, " + (
    "us_withdrawal_2016"
)

#: The words before the options of each command (its scenario, run folder...).
BEFORE = {
    "run": ["run", S2016],
    "validate": ["validate", S2016],
    "plot": ["plot", "runs/x"],
    "sweep": ["sweep", S2016],
    "check": ["check", S2016],
    "compare": ["compare", S2016, S2016],
    "calibrate": ["calibrate", S2016],
    "serve": ["serve", S2016],
}


def refused(argv: list[str], capsys) -> str:
    """Run ``argv``; check it ends as bad input in one line; the line."""
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1 and captured.err.endswith("\n"), captured.err
    assert "usage:" not in captured.err and "Traceback" not in captured.err
    return captured.err.strip()


def help_hint(command: str) -> str:
    return f"('greatgame {command} --help' lists its options)"


def test_every_command_s_parser_is_ours():
    parsers = command_parsers()
    assert sorted(parsers) == sorted(BEFORE)
    for parser in parsers.values():
        assert isinstance(parser, CommandParser)
        assert parser.allow_abbrev is False


@pytest.mark.parametrize(
    ("command", "typed", "meant"),
    [
        ("run", "--seeed", "--seed"),
        ("validate", "--sett", "--set"),
        ("plot", "--no-anm", "--no-anim"),
        ("sweep", "--wokers", "--workers"),
        ("check", "--fact", "--facts"),
        ("compare", "--no-figure", "--no-figures"),
        ("calibrate", "--cutof", "--cutoff"),
        ("serve", "--prot", "--port"),
    ],
)
def test_a_misspelt_option_names_the_closest_one(command, typed, meant, capsys):
    err = refused([*BEFORE[command], typed, "3"], capsys)
    assert err == (
        f"error: greatgame {command} has no option '{typed}'; did you mean "
        f"'{meant}'? {help_hint(command)}"
    )


def test_a_misspelt_option_of_a_bare_run(capsys):
    err = refused(["2016", "--seeed", "3"], capsys)
    assert err.startswith("error: greatgame run has no option '--seeed'; ")
    assert "did you mean '--seed'?" in err


def test_a_misspelt_option_given_with_equals(capsys):
    err = refused(["sweep", S2016, "--wokers=2"], capsys)
    assert err.startswith("error: greatgame sweep has no option '--wokers'; ")


def test_a_misspelt_option_before_the_scenario_is_named_first(capsys):
    # '--fact x' once took the scenario's place: the option is the mistake
    err = refused(["check", "--fact", "x"], capsys)
    assert "no option '--fact'; did you mean '--facts'?" in err
    err = refused(["--verison"], capsys)
    assert err == "error: greatgame run has no option '--verison'; did you mean " + (
        f"'--version'? {help_hint('run')}"
    )


def test_an_abbreviation_is_refused_and_names_the_whole_option(tmp_path, capsys):
    out = tmp_path / "out"
    argv = ["2016", "--see", "3", "--steps", "1", "--no-figures", "--out", str(out)]
    err = refused(argv, capsys)
    assert "has no option '--see'; did you mean '--seed'?" in err
    assert not out.exists()


def test_a_prefix_of_several_options_names_them_all(capsys):
    err = refused(["2016", "--no"], capsys)
    assert "did you mean '--no-figures' or '--no-anim'?" in err


def test_options_as_near_as_each_other_are_both_named():
    # picking one of two equally near names would be a guess
    assert near_options("--seet", ["--seed", "--seen"]) == (
        "; did you mean '--seed' or '--seen'?"
    )
    assert near_options("--seedx", ["--seeds", "--seed"]) == "; did you mean '--seed'?"
    assert near_options("--zzz", ["--seed"]) == ""


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (
            ["check", S2016, "--steps", "3"],
            "error: greatgame check has no option '--steps'; run and sweep take it; "
            "here, --set steps=VALUE sets the scenario's 'steps' " + help_hint("check"),
        ),
        (
            ["2016", "--facts", "x.yaml"],
            "error: greatgame run has no option '--facts'; check and calibrate "
            "take it " + help_hint("run"),
        ),
        (
            ["validate", S2016, "--debug"],
            "error: greatgame validate has no option '--debug'; run, plot, sweep, "
            "check, compare and calibrate take it " + help_hint("validate"),
        ),
    ],
)
def test_an_option_of_another_command_names_the_commands(argv, said, capsys):
    assert refused(argv, capsys) == said


def test_a_choice_not_offered_names_the_choices_and_the_closest(capsys):
    err = refused(["check", S2016, "--method", "sobl"], capsys)
    assert err == (
        "error: --method must be one of lhs, sobol, got 'sobl'; did you mean 'sobol'?"
    )


@pytest.mark.parametrize("command", ["run", "sweep", "check", "compare", "calibrate"])
def test_a_seed_that_is_no_number(command, capsys):
    err = refused([*BEFORE[command], "--seed", "abc"], capsys)
    assert err == "error: --seed must be a whole number, got 'abc'"


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (["calibrate", S2016, "--cutoff", "x"], "--cutoff must be a number, got 'x'"),
        (
            ["serve", "2016", "--port", "http"],
            "--port must be a whole number, got 'http'",
        ),
        (
            ["check", S2016, "--seeds", "many"],
            "--seeds must be a whole number, got 'many'",
        ),
    ],
)
def test_a_value_of_the_wrong_kind(argv, said, capsys):
    assert refused(argv, capsys) == "error: " + said


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (["2016", "--seed"], "--seed needs a value after it: a whole number"),
        (
            ["sweep", S2016, "--steps"],
            "--steps needs a value after it: a whole number",
        ),
        (
            ["check", S2016, "--method"],
            "--method needs a value after it: one of lhs, sobol",
        ),
        (["validate", S2016, "--set"], "--set needs a value after it: PATH=VALUE"),
        (["compare", S2016, S2016, "--out"], "--out needs a value after it: OUT"),
    ],
)
def test_an_option_without_its_value(argv, said, capsys):
    assert refused(argv, capsys) == "error: " + said


def test_a_switch_given_a_value(capsys):
    assert refused(["2016", "--quiet=yes"], capsys) == (
        "error: --quiet takes no value, got 'yes'"
    )


@pytest.mark.parametrize("command", ["validate", "sweep", "check", "calibrate"])
def test_a_missing_scenario_says_what_a_scenario_is(command, capsys):
    err = refused([command], capsys)
    assert err == (
        f"error: greatgame {command} needs SCENARIO (scenario YAML file, or the name "
        f"of a shipped scenario such as '2016' (shipped: {SHIPPED}))"
    )


def test_a_missing_argument_of_run_plot_and_compare(capsys):
    assert refused(["run"], capsys).startswith("error: greatgame run needs SCENARIO (")
    err = refused(["plot"], capsys)
    assert err == (
        "error: greatgame plot needs RUNDIR (a run directory, e.g. "
        "runs/afghanistan-2016/seed-2016)"
    )
    err = refused(["compare", S2016], capsys)
    assert err.startswith("error: greatgame compare needs B (the counterfactual: ")


@pytest.mark.parametrize("command", ["run", "validate", "check", "calibrate"])
def test_an_extra_word_is_named(command, capsys):
    err = refused([*BEFORE[command], "extra"], capsys)
    assert err == (
        f"error: greatgame {command}: unexpected argument 'extra'; "
        f"'greatgame {command} --help' shows what it takes"
    )


def test_a_negative_number_is_a_value_not_an_option(capsys):
    assert main(["check", S2016, "--seed", "-1"]) == 2
    assert capsys.readouterr().err == "error: --seed must be 0 or more, got -1\n"
