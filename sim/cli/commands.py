"""The ``greatgame`` command: its subcommands, top-level help, version and dispatch.

``greatgame SCENARIO`` (or ``greatgame run SCENARIO``) runs a scenario;
the other subcommands validate, plot, sweep, check, compare and serve. Each lives in
its own module of :mod:`sim.cli` with its parser; this module only picks
one. Exit codes are those of :mod:`sim.cli.errors`.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

from sim.cli import calibrate, check, compare, plot, run, serve, sweep, validate
from sim.cli.errors import EXIT_BAD_INPUT, fail
from sim.cli.options import PROG
from sim.cli.plot import draw_all
from sim.cli.serve import serve_command
from sim.cli.serve import serve_parser as _serve_parser  # noqa: F401 - old name
from sim.cli.summaries import summary, sweep_summary

__all__ = ["COMMANDS", "draw_all", "main", "serve_command", "summary", "sweep_summary"]

#: Subcommand → (what runs it, its one-line description), in help order.
COMMANDS: dict[str, tuple[Callable[[list[str]], int], str]] = {
    "run": (run.cmd_run, run.SUMMARY),
    "validate": (validate.cmd_validate, validate.SUMMARY),
    "plot": (plot.cmd_plot, plot.SUMMARY),
    "sweep": (sweep.cmd_sweep, sweep.SUMMARY),
    "check": (check.cmd_check, check.SUMMARY),
    "compare": (compare.cmd_compare, compare.SUMMARY),
    "calibrate": (calibrate.cmd_calibrate, calibrate.SUMMARY),
    "serve": (serve.cmd_serve, serve.SUMMARY),
}


def version_text() -> str:
    """``greatgame X.Y.Z``: what ``--version`` prints."""
    from sim.results.manifest import greatgame_version

    return f"{PROG} {greatgame_version()}"


def top_parser() -> argparse.ArgumentParser:
    """The parser of ``greatgame --help`` and ``--version``: one line a subcommand."""
    width = max(map(len, COMMANDS))
    listing = "\n".join(f"  {n:<{width}}  {line}" for n, (_, line) in COMMANDS.items())
    p = argparse.ArgumentParser(
        prog=PROG,
        usage=f"{PROG} [run] SCENARIO [options]\n"
        f"       {PROG} {{{','.join(c for c in COMMANDS if c != 'run')}}} ...\n"
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
    (``greatgame 2016`` is ``greatgame run 2016``). ``--help`` and
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
    command, _ = COMMANDS.get(argv[0], (None, ""))
    if command is not None:
        return command(argv[1:])
    return run.cmd_run(argv)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
