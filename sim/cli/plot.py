"""``greatgame plot RUNDIR``: redraw a run directory's figures and report.

The drawing itself is :func:`sim.plots.write_all`, shared with single runs
and ``RunResult.save``.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from sim.cli.errors import (
    EXIT_OK,
    UsageError,
    guarded,
)
from sim.cli.options import (
    PROG,
    CommandParser,
    check_geometry,
    figure_options,
    quiet_debug_options,
)

SUMMARY = "redraw the figures and report.html of a run directory"


def plot_parser() -> argparse.ArgumentParser:
    """The options of ``greatgame plot``."""
    p = CommandParser(
        prog=f"{PROG} plot",
        description="Redraw the figures and report.html of a run directory "
        "without rerunning it.",
    )
    p.add_argument(
        "rundir", help="a run directory, e.g. runs/afghanistan-2016/seed-2016"
    )
    figure_options(p, plot_only=True)
    p.add_argument(
        "--ignore-checksums",
        action="store_true",
        help="draw from tables edited since the run wrote them (they are still "
        "checked for completeness and ranges)",
    )
    quiet_debug_options(p, quiet_help=None)
    return p


def draw_all(run, out_dir: Path, geometry: str | None, animation: bool) -> list[Path]:
    """Write every figure and report.html of ``run`` into ``out_dir``."""
    return start_drawing(run, out_dir, geometry, animation).finish()


def start_drawing(
    run, out_dir: Path, geometry: str | None, animation: bool, helper=None
):
    """Start drawing what :func:`draw_all` writes; ``finish()`` the result.

    Why: a run starts the figures before it writes its tables, so that on
    two cores a forked helper (``helper``, if one was forked earlier by
    :func:`sim.plots.prepare`) draws while the tables are written.
    """
    from sim import plots

    return plots.start_all(
        run, out_dir, geometry=geometry, animation=animation, helper=helper
    )


def _redraw(args: argparse.Namespace) -> tuple[int, Path]:
    """Draw into a hidden folder of the run, then move each file into place.

    A drawing helper is forked first (on two idle cores): it imports the
    drawing code while this process reads and checks the run's tables.
    """
    import sim.results.rundata  # noqa: F401 - imported before the fork, not in both
    from sim.plots import prepared

    with prepared(not args.no_anim) as helper:
        return _load_and_redraw(args, helper)


def _load_and_redraw(args: argparse.Namespace, helper) -> tuple[int, Path]:
    """Read the run directory and redraw its figures; (files drawn, directory)."""
    import shutil
    import tempfile

    from sim.results.rundata import load_run

    run = load_run(args.rundir, verify_checksums=not args.ignore_checksums)
    kind = (run.scenario.get("map") or {}).get("kind", "afghanistan")
    if kind != "afghanistan":
        raise UsageError(
            f"'{args.rundir}' was run on a synthetic {kind} map; figures are "
            "drawn for the Afghan map only (its tables and chronicle.md are "
            "there to read)"
        )
    geometry = args.geometry or run.geometry
    if geometry:
        check_geometry(geometry)
    tmp = Path(tempfile.mkdtemp(prefix=".plot-", dir=run.directory))
    try:
        drawing = start_drawing(run, tmp, geometry, not args.no_anim, helper)
        files = drawing.finish()
        for f in files:
            os.replace(f, run.directory / f.name)  # each file appears whole
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return len(files), run.directory


def cmd_plot(argv: list[str]) -> int:
    """Redraw a run directory's figures and report in place (exit 2 on bad input)."""
    from sim.results.verify import RunDirectoryError

    args = plot_parser().parse_args(argv)
    return guarded(
        lambda: _redraw_and_say(args),
        args.debug,
        bad_input=(FileNotFoundError, UsageError, RunDirectoryError),
        interrupted=None,
        saved="the run's tables are unchanged and each figure is either the old "
        "one or the new one, whole",
        bug=lambda err: (
            f"internal error while drawing: {type(err).__name__}: {err}. "
            "Rerun with --debug for the traceback and report it."
        ),
    )


def _redraw_and_say(args: argparse.Namespace) -> int:
    count, directory = _redraw(args)
    print(f"Redrew {count} files in {directory}/ (open report.html).")
    return EXIT_OK
