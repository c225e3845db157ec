"""``greatgame [run] SCENARIO``: run a scenario and write its run directory.

The run directory holds the tables, the event log, the chronicle, the
manifest and (on the Afghan map) the figures and report.html; it appears
whole or not at all (see :func:`sim.results.tables.write_run`).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path

from sim.cli.environment import check_writable
from sim.cli.errors import (
    EXIT_BAD_INPUT,
    EXIT_OK,
    UsageError,
    fail,
    guarded,
)
from sim.cli.options import (
    PROG,
    CommandParser,
    check_geometry,
    check_whole_numbers,
    default_out,
    figure_options,
    quiet_debug_options,
    scenario_file,
    scenario_help,
    set_option,
)
from sim.cli.plot import start_drawing
from sim.cli.shared_options import steps_option
from sim.cli.summaries import summary
from sim.progress import bar as progress_bar
from sim.progress import wanted as wanted_progress

SUMMARY = "run a scenario and write its tables, chronicle, figures and report"


def run_parser() -> argparse.ArgumentParser:
    """The options of a single run (``greatgame [run] SCENARIO``)."""
    p = CommandParser(
        prog=PROG,
        usage=f"{PROG} [run] SCENARIO [options]",
        description="Run a greatgame scenario and write its tables and chronicle.",
        epilog=f"Other commands: validate, plot, sweep, check, compare, serve "
        f"('{PROG} --help' lists them, '{PROG} COMMAND --help' explains one).",
    )
    p.add_argument("scenario", help=scenario_help())
    p.add_argument("--out", help="output directory (default runs/<name>/seed-<seed>)")
    p.add_argument("--seed", type=int, help="random seed (default: the scenario's)")
    steps_option(p, "number of steps (default: the scenario's)")
    set_option(p, "override a scenario value, e.g. --set actors.russia.resources=0")
    p.add_argument(
        "--force", action="store_true", help="overwrite an existing output dir"
    )
    figure_options(p)
    quiet_debug_options(p)
    return p


def cmd_run(argv: list[str]) -> int:
    """Run a scenario and write its run directory (exit 2 on bad input)."""
    from sim.results.rundir import NotOurDirectory

    args = run_parser().parse_args(argv)
    return guarded(
        lambda: _run(args),
        args.debug,
        bad_input=(UsageError, NotOurDirectory),
        interrupted="nothing was written",
        bug=_bug,
        saved="nothing was written (an earlier run in that directory is kept)",
    )


def _bug(err: BaseException) -> str:
    return (
        f"internal error: {type(err).__name__}: {err}. This is a bug in greatgame, "
        "not in your scenario; rerun with --debug for the traceback and report it."
    )


def _overrides(args: argparse.Namespace) -> list[str]:
    """The ``--set`` overrides, with ``--steps`` as one more; checks the numbers."""
    check_whole_numbers(args, ("steps",))  # worded as every command words it
    overrides = list(args.set)
    if args.steps is not None:
        overrides.append(f"steps={args.steps}")
    return overrides


def _geometry(args: argparse.Namespace, scenario) -> str | None:
    """The GeoJSON the map is drawn on (None: the default), checked before the run."""
    if args.no_figures:
        return None
    geometry = str(Path(args.geometry).resolve()) if args.geometry else None
    geometry = geometry or scenario.geometry
    if geometry:
        check_geometry(geometry)
    return geometry


def _output_dir(args: argparse.Namespace, scenario, seed: int) -> Path:
    """Where the run goes, checked before anything is computed.

    Refuses a file, a symbolic link (dangling or not), a non-empty folder
    without --force, a folder that is not a run of ours even with --force
    (naming what would have been removed), and a place that cannot be
    written.
    """
    from sim.results.rundir import NotOurDirectory, check_replaceable

    out = Path(args.out) if args.out else default_out(scenario.name, f"seed-{seed}")
    if out.is_symlink():
        target = os.readlink(out)
        dangling = "" if out.exists() else ", which does not exist"
        raise UsageError(
            f"output path '{out}' is a symbolic link (to '{target}'{dangling}); "
            "runs are never written through a link: give the real directory as --out"
        )
    if out.exists() and not out.is_dir():
        raise UsageError(
            f"output path '{out}' exists and is not a directory; choose another "
            "--out (--force replaces directories only)"
        )
    if out.exists() and any(out.iterdir()):
        if not args.force:
            raise UsageError(
                f"output directory '{out}' already exists and is not empty; pass "
                "--force to overwrite it or --out to choose another directory"
            )
        try:
            check_replaceable(out)
        except NotOurDirectory as err:
            raise UsageError(str(err)) from None
    problem = check_writable(out.parent)
    if problem:
        raise UsageError(
            f"cannot write the run to '{out}': {problem}. Nothing was computed; "
            "choose another --out"
        )
    return out


def _simulate(model, steps: int, name: str, show: bool) -> None:
    """Run the model to its end, with a progress bar where one is wanted."""
    bar = progress_bar(steps, name, "week", progress=show, delay=0.5)
    if bar is None:
        model.run()
        return
    with bar:
        model.run(progress=bar.update)


def _draws_figures(args: argparse.Namespace, scenario) -> bool:
    """Whether the run draws figures: asked for, and on the Afghan map.

    A synthetic map gets the tables and the chronicle (and a note says so).
    """
    synthetic = scenario.map is not None and scenario.map.kind != "afghanistan"
    if synthetic and not args.no_figures and not args.quiet:
        print(
            "note: figures are drawn for the Afghan map only; a synthetic map "
            "gets the tables and the chronicle",
            file=sys.stderr,
        )
    return not args.no_figures and not synthetic


def _figure_writer(args, model, geometry, helper, show, initial: dict):
    """The callback that starts the figures in the unfinished run directory.

    It returns the drawing under way (:func:`sim.plots.start_all`): on two
    cores the ``helper`` forked before the model ran draws the animation
    while this process writes the tables.
    """
    from sim.results.rundata import from_model

    def extras(tmp: Path):
        if show:
            print("drawing figures...", file=sys.stderr)
        run = from_model(model)
        run.initial_scenario = initial
        return start_drawing(run, tmp, geometry, not args.no_anim, helper)

    return extras


def _run(args: argparse.Namespace) -> int:
    """Load, check, run and write; returns the exit code.

    With figures, drawing helpers are forked as soon as the input is
    checked (on two idle cores), before the model's code is imported: they
    import the drawing code while this process imports the model, runs it
    and writes the tables, and then draw every figure (see
    :mod:`sim.plots.helper`).
    """
    from sim.scenario.loader import ScenarioError, load_scenario

    overrides = _overrides(args)
    try:
        scenario = load_scenario(scenario_file(args.scenario), overrides)
    except ScenarioError as err:
        return fail(str(err), EXIT_BAD_INPUT)
    seed = scenario.seed if args.seed is None else args.seed
    geometry = _geometry(args, scenario)
    out = _output_dir(args, scenario, seed)
    if not _draws_figures(args, scenario):
        return _run_and_write(args, scenario, seed, out, overrides, None)

    from sim.plots import prepared

    with prepared(not args.no_anim, geometry=geometry) as helper:
        drawing = (geometry, helper)
        return _run_and_write(args, scenario, seed, out, overrides, drawing)


def _run_and_write(args, scenario, seed, out, overrides, drawing) -> int:
    """Run the checked scenario and write its run directory; the exit code.

    ``drawing`` is None (no figures) or (the geometry, the drawing helper).
    """
    from sim.core.model import GreatGame
    from sim.results import tables as outputs
    from sim.results.chronicle import chronicle
    from sim.scenario.loader import resolved_dict

    started = dt.datetime.now(dt.UTC)
    model = GreatGame(scenario, seed=seed)
    show = not args.quiet and wanted_progress()
    _simulate(model, scenario.steps, scenario.name, show)
    finished = dt.datetime.now(dt.UTC)
    h = model.history
    initial = resolved_dict(scenario)  # the model changed only its own copy
    title = scenario.title or scenario.name
    text = chronicle(h, title, scenario.description, seed, initial, initial)
    meta = outputs.manifest(initial, seed, scenario.steps, started, finished, overrides)
    extras = None
    if drawing is not None:
        extras = _figure_writer(args, model, *drawing, show, initial)
    outputs.write_run(out, h, meta, text, force=args.force, extras=extras)
    if not args.quiet:
        print(summary(h))
        what = "report.html shows it all" if extras else "chronicle.md tells the story"
        print(f"\nWrote {out}/ ({what}; tables are CSV).")
    return EXIT_OK
