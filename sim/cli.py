"""Command line: run a scenario, validate a file, or redraw a run's figures.

Exit codes: 0 success, 2 bad input (one clear paragraph, no traceback),
1 internal error (the traceback only with ``--debug``), 130 interrupted.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import sys
import traceback
from pathlib import Path

EXIT_OK, EXIT_INTERNAL, EXIT_BAD_INPUT, EXIT_INTERRUPTED = 0, 1, 2, 130


class UsageError(Exception):
    """Bad command-line input that is not about the scenario file's content."""


def _run_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="run.py",
        description="Run a greatgame scenario and write its tables and chronicle.",
        epilog="Also: 'run.py validate FILE' checks a scenario without running it; "
        "'run.py plot RUNDIR' redraws a run's figures.",
    )
    p.add_argument("scenario", help="scenario YAML file, e.g. scenarios/2016.yaml")
    p.add_argument("--out", help="output directory (default runs/<name>/seed-<seed>)")
    p.add_argument("--seed", type=int, help="random seed (default: the scenario's)")
    p.add_argument(
        "--steps", type=int, help="number of steps (default: the scenario's)"
    )
    p.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="PATH=VALUE",
        help="override a scenario value, e.g. --set actors.russia.resources=0",
    )
    p.add_argument(
        "--force", action="store_true", help="overwrite an existing output dir"
    )
    _figure_options(p)
    p.add_argument("--quiet", action="store_true", help="no progress bar or summary")
    p.add_argument(
        "--debug", action="store_true", help="show tracebacks of internal errors"
    )
    return p


def _figure_options(p: argparse.ArgumentParser, plot_only: bool = False) -> None:
    if not plot_only:
        p.add_argument(
            "--no-figures", action="store_true", help="tables and chronicle only"
        )
    p.add_argument("--no-anim", action="store_true", help="skip the map animation")
    p.add_argument(
        "--geometry",
        metavar="GEOJSON",
        help="province boundaries for the map (default: the scenario's, else a "
        "schematic map)",
    )


def _plot_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="run.py plot",
        description="Redraw the figures and report.html of a run directory "
        "without rerunning it.",
    )
    p.add_argument(
        "rundir", help="a run directory, e.g. runs/afghanistan-2016/seed-2016"
    )
    _figure_options(p, plot_only=True)
    p.add_argument("--debug", action="store_true", help="show tracebacks")
    return p


def _check_geometry(path: str) -> None:
    """Read a GeoJSON before anything runs, so a bad file fails at once."""
    from sim.plots.geometry import GeometryError, load_geojson

    try:
        load_geojson(path)
    except GeometryError as err:
        raise UsageError(str(err)) from None


def draw_all(run, out_dir: Path, geometry: str | None, animation: bool) -> list[Path]:
    """Write every figure and report.html of ``run`` into ``out_dir``."""
    from sim import plots
    from sim.report import write_report

    files = plots.write_figures(run, out_dir, geometry=geometry, animation=animation)
    report = write_report(run, out_dir, {f.name: f for f in files})
    return [*files, report]


def cmd_plot(argv: list[str]) -> int:
    """Redraw a run directory's figures and report in place (exit 2 on bad input)."""
    import shutil
    import tempfile

    from sim.rundata import load_run

    args = _plot_parser().parse_args(argv)
    try:
        run = load_run(args.rundir)
        geometry = args.geometry or run.geometry
        if geometry:
            _check_geometry(geometry)
        tmp = Path(tempfile.mkdtemp(prefix=".plot-", dir=run.directory))
        try:
            files = draw_all(run, tmp, geometry, not args.no_anim)
            for f in files:
                os.replace(f, run.directory / f.name)  # each file appears whole
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    except (FileNotFoundError, UsageError) as err:
        return _fail(str(err), EXIT_BAD_INPUT)
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except Exception as err:  # noqa: BLE001 - the CLI's last line of defence
        if args.debug:
            traceback.print_exc()
        return _fail(
            f"internal error while drawing: {type(err).__name__}: {err}. "
            "Rerun with --debug for the traceback and report it.",
            EXIT_INTERNAL,
        )
    print(f"Redrew {len(files)} files in {run.directory}/ (open report.html).")
    return EXIT_OK


def _validate_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="run.py validate", description="Check a scenario file without running it."
    )
    p.add_argument("scenario", help="scenario YAML file")
    p.add_argument("--set", action="append", default=[], metavar="PATH=VALUE")
    return p


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", text).strip("-") or "scenario"


def _fail(message: str, code: int) -> int:
    print(f"error: {message}", file=sys.stderr)
    return code


def cmd_validate(argv: list[str]) -> int:
    """Check a scenario (and overrides) and report; exit 0 if valid, 2 if not."""
    from sim.scenario import ScenarioError, load_scenario

    args = _validate_parser().parse_args(argv)
    try:
        sc = load_scenario(args.scenario, args.set)
    except ScenarioError as err:
        return _fail(str(err), EXIT_BAD_INPUT)
    print(
        f"{args.scenario}: valid. '{sc.name}': {len(sc.actors)} actors, "
        f"{sc.steps} steps "
        f"of {sc.step_days} days from {sc.start}, {len(sc.events)} events."
    )
    return EXIT_OK


def cmd_run(argv: list[str]) -> int:
    """Run a scenario and write its run directory (DESIGN sections 8 and 9)."""
    args = _run_parser().parse_args(argv)
    try:
        return _run(args)
    except KeyboardInterrupt:
        print("\ninterrupted: nothing was written", file=sys.stderr)
        return EXIT_INTERRUPTED
    except UsageError as err:
        return _fail(str(err), EXIT_BAD_INPUT)
    except Exception as err:  # noqa: BLE001 - the CLI's last line of defence
        if args.debug:
            traceback.print_exc()
        return _fail(
            f"internal error: {type(err).__name__}: {err}. This is a bug in greatgame, "
            "not in your scenario; rerun with --debug for the traceback and report it.",
            EXIT_INTERNAL,
        )


def _run(args: argparse.Namespace) -> int:
    from sim.scenario import ScenarioError, load_scenario, resolved_dict

    overrides = list(args.set)
    if args.steps is not None:
        if args.steps < 1:
            raise UsageError(
                f"--steps must be a positive whole number, got {args.steps}"
            )
        overrides.append(f"steps={args.steps}")
    if args.seed is not None and args.seed < 0:
        raise UsageError(f"--seed must be 0 or more, got {args.seed}")
    try:
        scenario = load_scenario(args.scenario, overrides)
    except ScenarioError as err:
        return _fail(str(err), EXIT_BAD_INPUT)
    seed = scenario.seed if args.seed is None else args.seed
    geometry = None
    if not args.no_figures:
        geometry = str(Path(args.geometry).resolve()) if args.geometry else None
        geometry = geometry or scenario.geometry
        if geometry:
            _check_geometry(geometry)
    out = (
        Path(args.out)
        if args.out
        else Path("runs") / _slug(scenario.name) / f"seed-{seed}"
    )
    if out.exists() and not out.is_dir():
        raise UsageError(
            f"output path '{out}' exists and is not a directory; choose another "
            "--out (--force replaces directories only)"
        )
    if out.exists() and any(out.iterdir()) and not args.force:
        raise UsageError(
            f"output directory '{out}' already exists and is not empty; pass --force "
            "to overwrite it or --out to choose another directory"
        )

    from sim import outputs
    from sim.chronicle import chronicle
    from sim.model import GreatGame

    started = dt.datetime.now(dt.UTC)
    model = GreatGame(scenario, seed=seed)
    show = not args.quiet and sys.stderr.isatty()
    if show:
        from tqdm import tqdm

        with tqdm(
            total=scenario.steps, desc=scenario.name, unit="week", file=sys.stderr
        ) as bar:
            model.run(progress=bar.update)
    else:
        model.run()
    finished = dt.datetime.now(dt.UTC)
    h = model.history
    text = chronicle(h, scenario.title or scenario.name, scenario.description, seed)
    meta = outputs.manifest(
        resolved_dict(scenario), seed, scenario.steps, started, finished, overrides
    )
    extras = None
    if not args.no_figures:
        from sim.rundata import from_model

        def extras(tmp: Path) -> None:
            if show:
                print("drawing figures...", file=sys.stderr)
            draw_all(from_model(model), tmp, geometry, not args.no_anim)

    outputs.write_run(out, h, meta, text, force=args.force, extras=extras)
    if not args.quiet:
        print(summary(h))
        what = "report.html shows it all" if extras else "chronicle.md tells the story"
        print(f"\nWrote {out}/ ({what}; tables are CSV).")
    return EXIT_OK


def summary(h) -> str:
    """A short table for the terminal: each actor at the start and the end."""
    last = h.n_rows - 1
    lines = [
        f"{'actor':<22} {'fighters':>19} {'provinces held':>15} "
        f"{'aid in':>8} {'aid out':>8}"
    ]
    for i, name in enumerate(h.actor_names):
        s0, s1 = h.strength[0, i].sum(), h.strength[last, i].sum()
        c0 = int((h.controller[0] == i).sum())
        c1 = int((h.controller[last] == i).sum())
        lines.append(
            f"{name:<22} {s0:>8,.0f} → {s1:>8,.0f} {c0:>6} → {c1:>6} "
            f"{h.aid_received[:, i].sum():>8,.0f} {h.aid_sent[:, i].sum():>8,.0f}"
        )
    formed = [e for e in h.events if e["type"] == "alliance"]
    if formed:
        lines.append(
            "Alliances formed: "
            + "; ".join(
                f"{h.actor_names[h.actor_keys.index(e['a'])]}–"
                f"{h.actor_names[h.actor_keys.index(e['b'])]} ({e['date']})"
                for e in formed
            )
        )
    contested = int((h.controller[last] < 0).sum())
    lines.append(
        f"Contested provinces at the end: {contested} of {len(h.province_names)}."
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``run.py``, ``python -m sim`` and the ``greatgame`` script."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "validate":
        return cmd_validate(argv[1:])
    if argv and argv[0] == "plot":
        return cmd_plot(argv[1:])
    if argv and argv[0] == "run":
        argv = argv[1:]
    return cmd_run(argv)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
