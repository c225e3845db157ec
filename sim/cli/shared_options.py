"""The options the experiment commands share, declared and checked once.

``calibrate``, ``check``, ``compare`` and ``sweep`` each take ``--seed``
and some of ``--seeds``, ``--workers``, ``--out``, ``--facts`` and
``--force`` (the scenario argument, ``--set``, ``--quiet`` and ``--debug``,
which every command takes, are in :mod:`sim.cli.options`). Each such
option is declared here once; what differs from one command to another (a
default, a line of help) is an argument, so a command's parser lists only
what is its own. The checks of their values (an output folder that is a
folder and can be written; counts are :func:`sim.cli.options.check_whole_numbers`)
and the way an experiment command ends (bad input exit 2, a failed run
reported as a bug) live here too, so that their messages are worded once.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable
from pathlib import Path

from sim.cli.environment import check_writable
from sim.cli.errors import UsageError, bug_report, guarded

__all__ = [
    "facts_file",
    "facts_option",
    "force_option",
    "out_option",
    "output_folder",
    "run_bug",
    "run_experiment",
    "seed_option",
    "seeds_option",
    "steps_option",
    "workers_option",
    "writable_output",
]


def seeds_option(
    p: argparse.ArgumentParser, default: int, help_text: str | None = None
) -> None:
    """``--seeds N``: how many seeds are run (a count, checked to be ≥ 1)."""
    p.add_argument(
        "--seeds",
        type=int,
        default=default,
        metavar="N",
        help=help_text or f"seeds (default {default})",
    )


def workers_option(p: argparse.ArgumentParser, *, per_cpu: bool = False) -> None:
    """``--workers``: worker processes, 2 or (``per_cpu``) one per CPU by default."""
    if per_cpu:
        default, metavar, said = os.cpu_count() or 1, "N", ": the number of CPUs"
    else:
        default, metavar, said = 2, "W", " 2"
    p.add_argument(
        "--workers",
        type=int,
        default=default,
        metavar=metavar,
        help=f"worker processes (default{said})",
    )


def seed_option(
    p: argparse.ArgumentParser,
    help_text: str,
    *,
    default: int | None = 0,
    metavar: str | None = "S",
) -> None:
    """``--seed``: the seed the runs derive from (checked to be 0 or more)."""
    p.add_argument("--seed", type=int, default=default, metavar=metavar, help=help_text)


def out_option(
    p: argparse.ArgumentParser, default_dir: str, *, metavar: str | None = "DIR"
) -> None:
    """``--out``: the output directory, ``default_dir`` as the help says it."""
    p.add_argument(
        "--out", metavar=metavar, help=f"output directory (default {default_dir})"
    )


def facts_option(p: argparse.ArgumentParser, default_file: str) -> None:
    """``--facts FILE``: the facts to score instead of the shipped ones."""
    p.add_argument(
        "--facts", metavar="FILE", help=f"a facts file (default: {default_file})"
    )


def facts_file(given: str | None) -> str | None:
    """``--facts``, checked before anything runs: a regular file, not too large.

    Every command that takes ``--facts`` refuses a missing or unreadable
    file in the same words; what is wrong inside the file is the facts
    loader's to say (with its line).
    """
    if given is None:
        return None
    from sim.files import FACTS_MAX_BYTES, FileRefused, check_file

    try:
        check_file(given, FACTS_MAX_BYTES, "a facts file")
    except FileRefused as err:
        reason = "does not exist" if err.missing else err.reason
        raise UsageError(
            f"--facts {given}: the file {reason}; expected a facts YAML file "
            "(without --facts, the shipped one is scored)"
        ) from None
    return given


def steps_option(
    p: argparse.ArgumentParser, help_text: str, *, metavar: str | None = None
) -> None:
    """``--steps N``: the number of steps of every run.

    Checked after parsing to be a positive whole number, in the words of
    :func:`sim.cli.options.check_whole_numbers`, as the other counts are.
    """
    p.add_argument("--steps", type=int, metavar=metavar, help=help_text)


def force_option(p: argparse.ArgumentParser, help_text: str) -> None:
    """``--force``: replace what an earlier command wrote in the output directory."""
    p.add_argument("--force", action="store_true", help=help_text)


def output_folder(given: str | None, default: Path, *, advice: str = "") -> Path:
    """``--out`` (or ``default``); a path that is a file is bad input.

    ``advice`` ends the message (e.g. ``"; choose another --out"``).
    """
    out = Path(given) if given else default
    if out.exists() and not out.is_dir():
        raise UsageError(f"output path '{out}' exists and is not a directory{advice}")
    return out


def writable_output(out: Path, what: str, *, advice: str = "") -> Path:
    """``out`` if files can be written there; bad input, before any run, if not.

    ``what`` names what would be written (``"the scorecard"``), ``advice``
    ends the message.
    """
    problem = check_writable(out)
    if problem:
        raise UsageError(f"cannot write {what} to '{out}': {problem}{advice}")
    return out


def run_bug(err: BaseException) -> str:
    """The bug message of an experiment: a failed run is told by its own words."""
    from sim.experiments.sweep import RunError

    return bug_report(err, str(err) if isinstance(err, RunError) else None)


def run_experiment(
    parser: argparse.ArgumentParser,
    argv: list[str],
    body: Callable[[argparse.Namespace], int],
    *,
    interrupted: str,
    also_bad: tuple[type[BaseException], ...] = (),
    bug: Callable[[BaseException], str] = run_bug,
    saved: str | None = None,
) -> int:
    """Parse ``argv``, run the command's ``body`` and end it as :func:`guarded` does.

    Bad input (exit 2) is a usage error, a scenario error or a sweep error,
    and the command's own kinds in ``also_bad``; a run that fails is a bug
    in greatgame (``bug`` words it); ``interrupted`` and ``saved`` say what
    was kept after Ctrl-C or a failure of the machine.
    """
    from sim.experiments.sweep import SweepError
    from sim.scenario.loader import ScenarioError

    args = parser.parse_args(argv)
    return guarded(
        lambda: body(args),
        args.debug,
        bad_input=(UsageError, ScenarioError, SweepError, *also_bad),
        interrupted=interrupted,
        bug=bug,
        saved=saved,
    )
