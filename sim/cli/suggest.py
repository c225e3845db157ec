"""Hints across commands, for the messages of :mod:`sim.cli.parsing` and the dispatcher.

An option typed to the wrong command (``greatgame check --steps``) is named
with the commands that take it; a misspelt command (``greatgame swep``) is
told apart from a scenario name. These build every command's parser, so
they run only when a command line is already wrong.
"""

from __future__ import annotations

import argparse
import importlib
from pathlib import Path

from sim.cli.parsing import PROG, long_options
from sim.text import closest


def command_parsers() -> dict[str, argparse.ArgumentParser]:
    """Every subcommand's parser, by name, in help order."""
    from sim.cli.commands import NAMES

    parsers = {}
    for name in NAMES:
        module = importlib.import_module(f"sim.cli.{name}")
        parsers[name] = getattr(module, f"{name}_parser")()
    return parsers


def commands_with(option: str) -> list[str]:
    """The commands (``run``, ``sweep``...) that take ``option``, in help order."""
    return [
        name
        for name, parser in command_parsers().items()
        if option in long_options(parser)
    ]


def set_hint(parser: argparse.ArgumentParser, option: str) -> str:
    """``; here, --set steps=VALUE sets the scenario's 'steps'``, or ``""``.

    For an option named like a top-level scenario key, on a command that
    takes ``--set``: that is how this command changes the key.
    """
    from sim.scenario.schema import Scenario

    key = option.lstrip("-").replace("-", "_")
    if "--set" not in long_options(parser) or key not in Scenario.model_fields:
        return ""
    return f"; here, --set {key}=VALUE sets the scenario's '{key}'"


def misspelt_command(word: str) -> str | None:
    """The message for a first word that is neither a scenario nor a command.

    None unless ``word`` is a bare name (no folder, no suffix) that is no
    file and no shipped scenario but is close to a command's name: then
    it names that command, the commands and the shipped scenarios. Any
    other word is left to the run, whose message suggests a scenario.
    """
    from sim.cli.commands import NAMES
    from sim.scenario.catalog import shipped_names

    typed = Path(word)
    shipped = shipped_names()
    if typed.exists() or typed.suffix or len(typed.parts) != 1 or word in shipped:
        return None
    command = closest(word, NAMES)
    if command is None:
        return None
    scenario = closest(word, shipped)
    also = f" or the scenario '{scenario}'" if scenario is not None else ""
    return (
        f"'{word}' is not a command, a scenario file or a shipped scenario; "
        f"did you mean '{PROG} {command}'{also}? (commands: {', '.join(NAMES)}; "
        f"shipped scenarios: {', '.join(shipped) or 'none found'})"
    )
