"""The parser every command uses: argparse, with greatgame's one-paragraph errors.

A mistake on the command line (an option that does not exist, a value of
the wrong kind, a choice that is not offered, a missing scenario) ends the
command with one line on stderr and exit code 2, as bad input does
everywhere else: what was wrong, what was expected and, for a misspelt
name, the closest valid one. The help a parser prints is argparse's own.

Abbreviated options are refused (``--see 3`` is not taken as ``--seed 3``;
the message names ``--seed``): a prefix that names one option today may
name two once an option is added, and a command line kept in a notebook or
a paper's methods must mean the same thing in the next version.
"""

from __future__ import annotations

import argparse
import re
import sys
from typing import NoReturn

from sim.cli.errors import EXIT_BAD_INPUT
from sim.text import did_you_mean, printable

#: The program's name in usage lines, messages and ``--version``.
PROG = "greatgame"

#: What a value of each ``type=`` must be, as a message says it.
_KINDS = {"int": "a whole number", "float": "a number"}
_NUMBER = re.compile(r"-\d+|-\d*\.\d+")
_MISSING = ("expected one argument", "expected at most one argument")


class CommandParser(argparse.ArgumentParser):
    """An :class:`argparse.ArgumentParser` whose errors are greatgame's.

    Options must be typed in full. Every error goes through :meth:`fail`:
    ``error: <one paragraph>`` on stderr, then :class:`SystemExit` with
    exit code 2, as argparse's own errors end.
    """

    def __init__(self, *args, **kwargs) -> None:
        """As :class:`argparse.ArgumentParser`, without abbreviated options."""
        kwargs.setdefault("allow_abbrev", False)
        kwargs["exit_on_error"] = False  # argument errors come to us, whole
        super().__init__(*args, **kwargs)

    @property
    def command(self) -> str:
        """The command as the user calls it: ``greatgame check``, ``greatgame run``."""
        return f"{PROG} run" if self.prog == PROG else self.prog

    def parse_args(self, args=None, namespace=None) -> argparse.Namespace:
        """The options; anything left over is an unknown option or an extra word."""
        namespace, extras = self.parse_known_args(args, namespace)
        if extras:
            self.fail(leftover_problem(self, extras))
        return namespace

    def parse_known_args(self, args=None, namespace=None):
        """As argparse's, but a bad value ends with our one-paragraph message."""
        self.given = list(args) if args is not None else sys.argv[1:]
        try:
            return super().parse_known_args(args, namespace)
        except argparse.ArgumentError as err:
            self.fail(argument_problem(self, err))

    def error(self, message: str) -> NoReturn:
        """Word argparse's own errors (a missing argument) as ours, and exit 2."""
        self.fail(reworded(self, message))

    def fail(self, message: str) -> NoReturn:
        """Print ``error: message`` on stderr and exit with code 2."""
        self.exit(EXIT_BAD_INPUT, f"error: {printable(message)}\n")

    def _check_value(self, action: argparse.Action, value) -> None:
        """A value outside ``choices`` names the choices and the closest one."""
        if action.choices is not None and value not in action.choices:
            choices = [str(c) for c in action.choices]
            raise argparse.ArgumentError(
                action,
                f"must be one of {', '.join(choices)}, got '{value}'"
                f"{did_you_mean(value, choices)}",
            )


def long_options(parser: argparse.ArgumentParser) -> list[str]:
    """The options ``parser`` takes, as typed (``--seed``, ``--help``)."""
    return [s for s in parser._option_string_actions if s.startswith("--")]


def _name(err: argparse.ArgumentError) -> str:
    """The option an error is about, as typed (``--help``, not ``-h/--help``)."""
    return (err.argument_name or "").split("/")[-1]


def _action(parser: argparse.ArgumentParser, name: str) -> argparse.Action | None:
    """The action of the option or positional argument called ``name``."""
    if name in parser._option_string_actions:
        return parser._option_string_actions[name]
    for action in parser._actions:
        if not action.option_strings and name in (action.metavar, action.dest):
            return action
    return None


def expected_value(action: argparse.Action | None) -> str:
    """What a value of ``action`` must be: ``a whole number``, ``one of a, b``..."""
    if action is None:
        return "a value"
    if action.choices is not None:
        return "one of " + ", ".join(map(str, action.choices))
    kind = getattr(action.type, "__name__", None)
    if kind in _KINDS:
        return _KINDS[kind]
    return str(action.metavar or action.dest.upper())


def argument_problem(
    parser: argparse.ArgumentParser, err: argparse.ArgumentError
) -> str:
    """The message of a bad value: ``--seed must be a whole number, got 'abc'``."""
    name, message = _name(err), err.message
    action = _action(parser, name)
    if message.startswith("must "):  # worded by us: a type or a choice check
        return f"{name} {message}"
    bad_type = re.fullmatch(r"invalid (\S+) value: (.*)", message)
    if bad_type:
        return f"{name} must be {expected_value(action)}, got {bad_type[2]}"
    if message in _MISSING:
        return f"{name} needs a value after it: {expected_value(action)}"
    explicit = re.fullmatch(r"ignored explicit argument (.*)", message)
    if explicit:
        return f"{name} takes no value, got {explicit[1]}"
    return f"{name}: {message}" if name else message


def reworded(parser: CommandParser, message: str) -> str:
    """An argparse message worded as ours (``greatgame check needs SCENARIO``)."""
    required = re.fullmatch(r"the following arguments are required: (.*)", message)
    if not required:
        return f"{parser.command}: {message}"
    given = getattr(parser, "given", [])
    options = given[: given.index("--")] if "--" in given else given
    unknown = [a for a in options if _unknown(parser, a)]
    if unknown:  # a misspelt option may have taken the scenario's place
        return unknown_option(parser, unknown[0].split("=", 1)[0])
    missing = []
    for name in required[1].split(", "):
        action = _action(parser, name)
        shown = name.upper() if action is None or action.metavar is None else name
        missing.append(f"{shown} ({action.help})" if action and action.help else shown)
    return f"{parser.command} needs {' and '.join(missing)}"


def _unknown(parser: argparse.ArgumentParser, word: str) -> bool:
    """Whether ``word`` looks like an option ``parser`` does not take."""
    if not word.startswith("-") or word in ("-", "--") or _NUMBER.fullmatch(word):
        return False
    return word.split("=", 1)[0] not in parser._option_string_actions


def leftover_problem(parser: CommandParser, extras: list[str]) -> str:
    """The message for what argparse could not place: an unknown option, or a word."""
    option = next((e for e in extras if _unknown(parser, e)), None)
    if option is not None:
        return unknown_option(parser, option.split("=", 1)[0])
    return (
        f"{parser.command}: unexpected argument '{extras[0]}'; "
        f"'{parser.command} --help' shows what it takes"
    )


def unknown_option(parser: CommandParser, option: str) -> str:
    """``greatgame check has no option '--fact'; did you mean '--facts'?`` and help.

    An option another command has is named with the commands that take it
    (``--steps`` belongs to run and sweep); one that is a top-level key of
    the scenario says how ``--set`` sets it.
    """
    from sim.cli.suggest import commands_with, set_hint

    said = f"{parser.command} has no option '{option}'"
    others = [c for c in commands_with(option) if f"{PROG} {c}" != parser.command]
    if others:
        listed = ", ".join(others[:-1]) + " and " if len(others) > 1 else ""
        takes = "takes" if len(others) == 1 else "take"
        said += f"; {listed}{others[-1]} {takes} it" + set_hint(parser, option)
    else:
        said += near_options(option, long_options(parser) + extra_names(parser, option))
    return f"{said} ('{parser.command} --help' lists its options)"


def extra_names(parser: CommandParser, option: str) -> list[str]:
    """``--version`` when ``option`` came first to the bare ``greatgame``.

    ``greatgame --verison`` reaches the run's parser; ``--version`` is an
    option of the program there, not of a run.
    """
    first = getattr(parser, "given", [])[:1] == [option]
    return ["--version"] if parser.prog == PROG and first else []


def near_options(option: str, options: list[str]) -> str:
    """``; did you mean '--seed'?`` for a misspelt or shortened ``option``, or ``""``.

    A prefix of options names them all (``--no`` → ``--no-figures`` or
    ``--no-anim``), since abbreviations are not taken.
    """
    prefixed = [o for o in options if o.startswith(option) and len(option) > 2]
    if prefixed:
        return "; did you mean " + " or ".join(f"'{o}'" for o in prefixed[:3]) + "?"
    return did_you_mean(option, options, ties=True)
