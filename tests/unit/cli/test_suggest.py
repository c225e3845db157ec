"""Hints across commands: which commands take an option, what a misspelt word meant."""

from __future__ import annotations

from sim.cli.check import check_parser
from sim.cli.plot import plot_parser
from sim.cli.suggest import commands_with, misspelt_command, set_hint


def test_the_commands_that_take_an_option_in_help_order():
    assert commands_with("--steps") == ["run", "sweep"]
    assert commands_with("--facts") == ["check", "calibrate"]
    assert commands_with("--nothing") == []


def test_set_hint_only_for_scenario_keys_on_commands_with_set():
    assert set_hint(check_parser(), "--steps") == (
        "; here, --set steps=VALUE sets the scenario's 'steps'"
    )
    assert set_hint(check_parser(), "--facts") == ""  # no such scenario key
    assert set_hint(plot_parser(), "--steps") == ""  # plot takes no --set


def test_a_word_near_a_command_is_named_as_one(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    said = misspelt_command("calibrat")
    assert said is not None
    assert said.startswith("'calibrat' is not a command, a scenario file or a ")
    assert "did you mean 'greatgame calibrate'?" in said


def test_files_shipped_names_and_far_words_are_left_to_the_run(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "plott").write_text("", encoding="utf-8")
    assert misspelt_command("plott") is None  # a file, whatever its name
    assert misspelt_command("2016") is None  # a shipped scenario
    assert misspelt_command("swep.yaml") is None  # a path: the loader says why
    assert misspelt_command("afghanistan") is None  # near no command
