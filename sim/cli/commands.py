"""The ``greatgame`` command: its subcommands, top-level help, version and dispatch.

``greatgame SCENARIO`` (or ``greatgame run SCENARIO``) runs a scenario;
the other subcommands validate, plot, sweep, check, compare and serve. Each lives in
its own module of :mod:`sim.cli` with its parser; this module only picks
one. Exit codes are those of :mod:`sim.cli.errors`.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from sim.cli.errors import EXIT_BAD_INPUT, fail
from sim.cli.parsing import PROG, CommandParser

if TYPE_CHECKING:  # loaded on first use by __getattr__ below
    from sim.cli.plot import draw_all
    from sim.cli.serve import serve_command
    from sim.cli.summaries import summary, sweep_summary

    #: Subcommand → (what runs it, its one-line description), in help order.
    COMMANDS: dict[str, tuple[Callable[[list[str]], int], str]]

__all__ = ["COMMANDS", "draw_all", "main", "serve_command", "summary", "sweep_summary"]

#: Subcommands in help order; ``NAME`` lives in ``sim.cli.NAME`` as ``cmd_NAME``.
#: A command imports its own module only, so a run never loads the others.
NAMES = ("run", "validate", "plot", "sweep", "check", "compare", "calibrate", "serve")

#: Names this module re-exports from the subcommand modules, loaded on first use.
_REEXPORTS = {
    "draw_all": ("sim.cli.plot", "draw_all"),
    "serve_command": ("sim.cli.serve", "serve_command"),
    "_serve_parser": ("sim.cli.serve", "serve_parser"),  # its former name
    "summary": ("sim.cli.summaries", "summary"),
    "sweep_summary": ("sim.cli.summaries", "sweep_summary"),
}


def command(name: str) -> tuple[Callable[[list[str]], int], str]:
    """(What runs the subcommand ``name``, its one-line description).

    Imports that subcommand's module only: ``greatgame 2016`` does not pay
    for the modules of sweep, calibrate or serve.
    """
    module = importlib.import_module(f"sim.cli.{name}")
    return getattr(module, f"cmd_{name}"), module.SUMMARY


def __getattr__(name: str) -> Any:
    """``COMMANDS`` (every subcommand, imported) and the re-exported names."""
    if name == "COMMANDS":
        return {n: command(n) for n in NAMES}
    if name in _REEXPORTS:
        module, attr = _REEXPORTS[name]
        return getattr(importlib.import_module(module), attr)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def version_text() -> str:
    """``greatgame X.Y.Z``: what ``--version`` prints."""
    from sim.results.manifest import greatgame_version

    return f"{PROG} {greatgame_version()}"


def top_parser() -> argparse.ArgumentParser:
    """The parser of ``greatgame --help`` and ``--version``: one line a subcommand."""
    commands = {n: command(n)[1] for n in NAMES}
    width = max(map(len, commands))
    listing = "\n".join(f"  {n:<{width}}  {line}" for n, line in commands.items())
    p = CommandParser(
        prog=PROG,
        usage=f"{PROG} [run] SCENARIO [options]\n"
        f"       {PROG} {{{','.join(c for c in NAMES if c != 'run')}}} ...\n"
        f"       {PROG} --version",
        description="An agent-based model of the 2015-2017 Afghan proxy war.",
        epilog=f"commands:\n{listing}\n\n"
        "SCENARIO is a YAML file or the name of a shipped scenario "
        f"('{PROG} 2016' runs the 2016 one).\n"
        f"'{PROG} COMMAND --help' shows the options of a command.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--version", action="version", version=version_text())
    return p


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``greatgame``, ``python -m sim`` and ``run.py``; the exit code.

    A first argument naming a subcommand picks it; anything else is a run
    (``greatgame 2016`` is ``greatgame run 2016``), unless it is no scenario
    but close to a command's name (``swep``). ``--help`` and
    ``--version``, like argparse errors, end with :class:`SystemExit`.
    """
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv:
        top_parser().print_usage(sys.stderr)
        return fail(
            f"name a scenario to run (a YAML file or a shipped name such as "
            f"2016) or a command; '{PROG} --help' lists the commands",
            EXIT_BAD_INPUT,
        )
    if argv[0] in ("-h", "--help", "--version"):
        top_parser().parse_args(argv[:1])
    if argv[0] in NAMES:
        return command(argv[0])[0](argv[1:])
    if not argv[0].startswith("-"):
        from sim.cli.suggest import misspelt_command

        problem = misspelt_command(argv[0])
        if problem is not None:
            return fail(problem, EXIT_BAD_INPUT)
    return command("run")[0](argv)


def entry_point() -> int:
    """The program behind ``greatgame``, ``python -m sim`` and ``run.py``: :func:`main`.

    Then it freezes the garbage collector's view of the heap, so the
    interpreter's last collections at exit skip the objects of matplotlib,
    pandas and the run, which the operating system frees anyway: that saves
    about 0.3-0.5 s a command. Everything the command writes is flushed and
    closed before it returns. Call :func:`main` instead from a long-lived
    process (a notebook, a test), whose heap must stay collectable.
    """
    try:
        return main()
    finally:
        gc.freeze()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(entry_point())
