"""Command line: run a scenario, validate a file, redraw figures, sweep, check, serve.

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
        "'run.py plot RUNDIR' redraws a run's figures; 'run.py sweep FILE ...' "
        "runs a parameter sweep; 'run.py check FILE' scores it against the facts; "
        "'run.py serve [FILE]' opens the classroom dashboard.",
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
    from sim.results.report import write_report

    files = plots.write_figures(run, out_dir, geometry=geometry, animation=animation)
    report = write_report(run, out_dir, {f.name: f for f in files})
    return [*files, report]


def cmd_plot(argv: list[str]) -> int:
    """Redraw a run directory's figures and report in place (exit 2 on bad input)."""
    import shutil
    import tempfile

    from sim.results.rundata import load_run

    args = _plot_parser().parse_args(argv)
    try:
        run = load_run(args.rundir)
        kind = (run.scenario.get("map") or {}).get("kind", "afghanistan")
        if kind != "afghanistan":
            raise UsageError(
                f"'{args.rundir}' was run on a synthetic {kind} map; figures are "
                "drawn for the Afghan map only (its tables and chronicle.md are "
                "there to read)"
            )
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
    slug = re.sub(r"[^A-Za-z0-9_.-]+", "-", text).strip("-")
    # "." or ".." would make runs/<slug>/ point at runs/ itself or above it
    return slug if slug.strip(".") else "scenario"


def _fail(message: str, code: int) -> int:
    print(f"error: {message}", file=sys.stderr)
    return code


def cmd_validate(argv: list[str]) -> int:
    """Check a scenario (and overrides) and report; exit 0 if valid, 2 if not."""
    from sim.scenario.loader import ScenarioError, load_scenario

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
    from sim.scenario.loader import ScenarioError, load_scenario, resolved_dict

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

    from sim.core.model import GreatGame
    from sim.results import tables as outputs
    from sim.results.chronicle import chronicle

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
    synthetic = scenario.map is not None and scenario.map.kind != "afghanistan"
    if synthetic and not args.no_figures and not args.quiet:
        print(
            "note: figures are drawn for the Afghan map only; a synthetic map "
            "gets the tables and the chronicle",
            file=sys.stderr,
        )
    if not args.no_figures and not synthetic:
        from sim.results.rundata import from_model

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


def _sweep_parser() -> argparse.ArgumentParser:
    from sim.results.metrics import describe_metrics

    p = argparse.ArgumentParser(
        prog="run.py sweep",
        description="Run a scenario over a grid (or a Latin hypercube or Sobol'\n"
        "sample) of parameter values, several seeds per point, and write one\n"
        "row per run to OUT/results.csv. Rerunning the same command resumes it.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="metrics (--metric, --timeseries):\n  "
        + describe_metrics().replace("\n", "\n  ")
        + "\n\nexample:\n  python run.py sweep scenarios/2016.yaml "
        "--grid actors.russia.resources=0,12,24 --replicates 20 "
        "--metric ever_allied:russia:taliban",
    )
    p.add_argument("scenario", help="scenario YAML file, e.g. scenarios/2016.yaml")
    p.add_argument(
        "--grid",
        action="append",
        default=[],
        metavar="PATH=V1,V2,...",
        help="a parameter and its values, read as YAML like --set; repeat for a "
        "full factorial",
    )
    for flag, what in (("--lhs", "a Latin hypercube"), ("--sobol", "a Sobol'")):
        p.add_argument(
            flag,
            action="append",
            default=[],
            metavar="PATH=LO:HI",
            help=f"sample the range with {what} design (with --samples); repeatable",
        )
    p.add_argument(
        "--samples", type=int, metavar="N", help="points of an --lhs/--sobol design"
    )
    p.add_argument(
        "--replicates",
        type=int,
        default=1,
        metavar="R",
        help="seeds per point (default 1)",
    )
    p.add_argument(
        "--workers",
        type=int,
        default=os.cpu_count() or 1,
        metavar="N",
        help="worker processes (default: the number of CPUs)",
    )
    p.add_argument(
        "--out",
        metavar="DIR",
        help="output directory (default runs/<name>/sweep-<seed>)",
    )
    p.add_argument(
        "--metric",
        action="append",
        default=[],
        metavar="NAME",
        help="a metric to record (repeatable; default: provinces and fighters per "
        "actor, contested provinces)",
    )
    p.add_argument(
        "--timeseries",
        action="append",
        default=[],
        metavar="NAME",
        help="a per-step metric to keep in OUT/timeseries.csv (repeatable)",
    )
    p.add_argument(
        "--dask",
        nargs="?",
        const="local",
        metavar="ADDRESS",
        help="run on Dask: a LocalCluster of --workers, or the scheduler at ADDRESS",
    )
    p.add_argument(
        "--seed", type=int, default=0, metavar="S", help="sweep seed (default 0)"
    )
    p.add_argument(
        "--independent-seeds",
        action="store_true",
        help="a fresh seed for every run (default: the same seeds at every point)",
    )
    p.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="PATH=VALUE",
        help="override a value of the base scenario, as for a single run",
    )
    p.add_argument(
        "--steps", type=int, metavar="N", help="number of steps of every run"
    )
    p.add_argument(
        "--force", action="store_true", help="discard a sweep in OUT and start over"
    )
    p.add_argument("--quiet", action="store_true", help="no progress bar or summary")
    p.add_argument(
        "--debug", action="store_true", help="show tracebacks of internal errors"
    )
    return p


def _yaml_values(text: str, flag: str) -> tuple[str, list]:
    """``PATH=v1,v2`` → (path, values), each value read as YAML like ``--set``."""
    import yaml

    path, sep, raw = text.partition("=")
    if not sep or not path.strip() or not raw.strip():
        raise UsageError(
            f"{flag} {text}: expected PATH=V1,V2,..., e.g. "
            f"{flag} actors.russia.resources=0,12,24"
        )
    from sim.scenario.loader import ScenarioError, read_value

    try:  # as strictly as --set: no deep nesting, no alias bombs
        values = read_value(f"[{raw}]")
    except (yaml.YAMLError, ValueError) as e:
        problem = getattr(e, "problem", None) or e
        raise UsageError(f"{flag} {text}: cannot read the values: {problem}") from None
    except ScenarioError as e:
        raise UsageError(f"{flag} {path.strip()}=...: {e.message}") from None
    return path.strip(), values


def _parse_grid(items: list[str]) -> dict[str, list] | None:
    grid: dict[str, list] = {}
    for text in items:
        path, values = _yaml_values(text, "--grid")
        if path in grid:
            raise UsageError(f"--grid {path} is given twice; list all its values once")
        grid[path] = values
    return grid or None


def _parse_ranges(items: list[str], flag: str) -> dict[str, tuple[float, float]]:
    ranges = {}
    for text in items:
        path, sep, raw = text.partition("=")
        lo, colon, hi = raw.partition(":")
        _, bounds = _yaml_values(f"{path}={lo},{hi}", flag) if colon else ("", [])
        if (
            not sep
            or not colon
            or not all(
                isinstance(v, int | float) and not isinstance(v, bool) for v in bounds
            )
        ):
            raise UsageError(
                f"{flag} {text}: expected PATH=LO:HI with two numbers, e.g. "
                f"{flag} parameters.interdiction=0.2:0.8"
            )
        ranges[path.strip()] = (bounds[0], bounds[1])
    return ranges


def _number(x: float) -> str:
    if x != x:
        return "–"
    if abs(x) >= 1000:
        return f"{x:,.0f}"
    return f"{x:.1f}" if abs(x) >= 100 else f"{x:.3g}"


def sweep_summary(results, width: int = 100) -> str:
    """Metric means by point (at most 40 points), else metric spreads over all runs.

    With up to 8 points the table is transposed, one metric a line, so that
    long metric names stay readable in a terminal ``width`` columns wide.
    """
    import pandas as pd

    from sim.experiments.sweep import summarize

    metrics = list(results.attrs.get("metrics", []))
    params = list(results.attrs.get("parameters", []))
    n_points, n_runs = results["point"].nunique(), len(results)
    if not metrics:
        return f"{n_runs} runs over {n_points} point(s); no metrics recorded."
    if n_points > 40:
        stats = results[metrics].describe(percentiles=[0.05, 0.5, 0.95]).T
        table = stats[["mean", "std", "5%", "50%", "95%"]].map(_number)
        head = f"Metrics over {n_runs} runs at {n_points} sampled points:"
        return head + "\n" + table.to_string(line_width=width)
    means = summarize(results)
    table = pd.DataFrame({c: means[c].map(_number) for c in metrics}, index=means.index)
    for c in reversed(params):
        table.insert(0, c, means[c].astype(str))
    table.insert(len(params), "runs", means["runs"].astype(str))
    head = f"Metric means by point ({n_runs} runs):"
    if n_points <= 8:
        table = table.T
        table.columns = [f"point {p}" for p in table.columns]
        table.index.name = None
    return head + "\n" + table.to_string(line_width=width)


def cmd_sweep(argv: list[str]) -> int:
    """Run a sweep and print metric means by point (exit 2 on bad input)."""
    from sim.experiments.sweep import RunError, SweepError
    from sim.results.metrics import MetricError
    from sim.scenario.loader import ScenarioError

    args = _sweep_parser().parse_args(argv)
    try:
        return _sweep(args)
    except KeyboardInterrupt:
        print(
            "\ninterrupted: finished runs are saved; rerun the same command to resume",
            file=sys.stderr,
        )
        return EXIT_INTERRUPTED
    except (UsageError, ScenarioError, SweepError, MetricError) as err:
        return _fail(str(err), EXIT_BAD_INPUT)
    except RunError as err:
        if args.debug:
            traceback.print_exc()
        return _fail(
            f"{err}. This is a bug in greatgame, not in your sweep; finished runs "
            "are saved (rerun the same command to resume), and --debug shows the "
            "traceback to report.",
            EXIT_INTERNAL,
        )
    except Exception as err:  # noqa: BLE001 - the CLI's last line of defence
        if args.debug:
            traceback.print_exc()
        return _fail(
            f"internal error: {type(err).__name__}: {err}. This is a bug in "
            "greatgame; rerun with --debug for the traceback and report it.",
            EXIT_INTERNAL,
        )


def _sweep(args: argparse.Namespace) -> int:
    import shutil

    from sim.experiments.sweep import sweep
    from sim.scenario.loader import load_scenario

    for name in ("replicates", "workers", "samples", "steps"):
        value = getattr(args, name)
        if value is not None and value < 1:
            raise UsageError(f"--{name} must be a whole number ≥ 1, got {value}")
    if args.seed < 0:
        raise UsageError(f"--seed must be 0 or more, got {args.seed}")
    grid = _parse_grid(args.grid)
    lhs, sobol = _parse_ranges(args.lhs, "--lhs"), _parse_ranges(args.sobol, "--sobol")
    given = [f for f, v in (("--grid", grid), ("--lhs", lhs), ("--sobol", sobol)) if v]
    if len(given) > 1:
        raise UsageError(f"{' and '.join(given)} cannot be combined: choose one design")
    design = "lhs" if lhs else "sobol" if sobol else "grid"
    if design != "grid" and args.samples is None:
        raise UsageError(f"--{design} needs --samples N, the number of points")
    if design == "grid" and args.samples is not None:
        raise UsageError("--samples goes with --lhs or --sobol")
    overrides = [*args.set, *([f"steps={args.steps}"] if args.steps else [])]
    scenario = load_scenario(args.scenario, overrides)
    out = Path(args.out or Path("runs") / _slug(scenario.name) / f"sweep-{args.seed}")
    metrics = [m for text in args.metric for m in text.split(",") if m.strip()]
    series = [m for text in args.timeseries for m in text.split(",") if m.strip()]
    results = sweep(
        scenario,
        grid,
        design=design,
        ranges=lhs or sobol or None,
        samples=args.samples,
        replicates=args.replicates,
        seed=args.seed,
        workers=args.workers,
        backend="dask" if args.dask else "processes",
        scheduler=None if args.dask in (None, "local") else args.dask,
        metrics=metrics or None,
        timeseries=series or None,
        out=out,
        progress=False if args.quiet else None,
        common_random_numbers=not args.independent_seeds,
        force=args.force,
    )
    if isinstance(results, tuple):
        results = results[0]
    if not args.quiet:
        width = shutil.get_terminal_size((100, 24)).columns
        print(sweep_summary(results, width))
        resumed = results.attrs.get("resumed", 0)
        note = f"; {resumed} were already there" if resumed else ""
        print(f"\nWrote {out}/results.csv ({len(results)} runs{note}).")
    return EXIT_OK


def _check_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="run.py check",
        description="Check a scenario against the observed facts of 2016 "
        "(sim/experiments/facts.yaml): run N seeds and the counterfactuals on the same "
        "seeds, print the scorecard, and write OUT/scorecard.csv (one row per "
        "fact), OUT/scorecard_runs.csv (every run's values) and "
        "OUT/scorecard.png. Exit 0 whatever the score; 2 on bad input.",
    )
    p.add_argument("scenario", help="scenario YAML file, e.g. scenarios/2016.yaml")
    p.add_argument(
        "--seeds", type=int, default=20, metavar="N", help="seeds (default 20)"
    )
    p.add_argument(
        "--workers",
        type=int,
        default=2,
        metavar="W",
        help="worker processes (default 2)",
    )
    p.add_argument(
        "--out", metavar="DIR", help="output directory (default runs/<name>/check)"
    )
    p.add_argument(
        "--facts",
        metavar="FILE",
        help="a facts file (default: the package's sim/experiments/facts.yaml)",
    )
    p.add_argument(
        "--seed",
        type=int,
        default=0,
        metavar="S",
        help="sweep seed from which the run seeds derive (default 0)",
    )
    p.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="PATH=VALUE",
        help="override a value of the scenario, as for a single run",
    )
    p.add_argument("--quiet", action="store_true", help="no progress bar or table")
    p.add_argument(
        "--debug", action="store_true", help="show tracebacks of internal errors"
    )
    return p


def cmd_check(argv: list[str]) -> int:
    """Score a scenario against the facts; exit 0 whatever the score, 2 on bad input."""
    from sim.experiments.scorecard import FactsError
    from sim.experiments.sweep import RunError, SweepError
    from sim.results.metrics import MetricError
    from sim.scenario.loader import ScenarioError

    args = _check_parser().parse_args(argv)
    try:
        return _check(args)
    except KeyboardInterrupt:
        print("\ninterrupted: no scorecard was written", file=sys.stderr)
        return EXIT_INTERRUPTED
    except (UsageError, ScenarioError, FactsError, SweepError, MetricError) as err:
        return _fail(str(err), EXIT_BAD_INPUT)
    except Exception as err:  # noqa: BLE001 - the CLI's last line of defence
        if args.debug:
            traceback.print_exc()
        what = str(err) if isinstance(err, RunError) else f"{type(err).__name__}: {err}"
        return _fail(
            f"internal error: {what}. This is a bug in greatgame; rerun with "
            "--debug for the traceback and report it.",
            EXIT_INTERNAL,
        )


def _check(args: argparse.Namespace) -> int:
    import shutil
    import time

    from sim.experiments.scorecard import (
        format_scorecard,
        plan_check,
        plot_scorecard,
        run_check,
        score,
    )
    from sim.scenario.loader import load_scenario

    for name in ("seeds", "workers"):
        if getattr(args, name) < 1:
            raise UsageError(
                f"--{name} must be a whole number ≥ 1, got {getattr(args, name)}"
            )
    if args.seed < 0:
        raise UsageError(f"--seed must be 0 or more, got {args.seed}")
    started = time.perf_counter()
    scenario = load_scenario(args.scenario, args.set)
    out = Path(args.out) if args.out else Path("runs") / _slug(scenario.name) / "check"
    if out.exists() and not out.is_dir():
        raise UsageError(f"output path '{out}' exists and is not a directory")
    if args.facts is not None and not Path(args.facts).is_file():
        raise UsageError(f"facts file '{args.facts}' does not exist")
    plan = plan_check(scenario, args.facts)
    runs = run_check(
        plan,
        seeds=args.seeds,
        workers=args.workers,
        seed=args.seed,
        progress=False if args.quiet else None,
    )
    df = score(plan.facts, runs, plan.unavailable)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for frame, name in ((df, "scorecard.csv"), (runs, "scorecard_runs.csv")):
        tmp = out / f".{name}.tmp"
        frame.to_csv(tmp, index=False)
        os.replace(tmp, out / name)
        written.append(name)
    from sim.plots.style import save

    seconds = time.perf_counter() - started
    fig = plot_scorecard(
        df,
        title=f"{scenario.title or scenario.name}: "
        f"{int(((df['status'] == 'pass') & df['counted']).sum())} of "
        f"{int(df['counted'].sum())} facts pass ({args.seeds} seeds)",
    )
    tmp = out / ".scorecard.png.tmp.png"
    save(fig, tmp)
    os.replace(tmp, out / "scorecard.png")
    written.append("scorecard.png")
    if not args.quiet:
        width = shutil.get_terminal_size((100, 24)).columns
        variants = ", ".join(plan.variants)
        print(
            f"Scorecard of '{scenario.name}': {args.seeds} seeds (sweep seed "
            f"{args.seed}) × {len(plan.variants)} variants ({variants}) = "
            f"{len(runs)} runs in {seconds:.1f} s.\n"
        )
        print(format_scorecard(df, width))
        print(f"\nWrote {out}/ ({', '.join(written)}).")
    return EXIT_OK


def _serve_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="run.py serve",
        description="Open the classroom dashboard (Mesa's SolaraViz) in the "
        "browser: the map, the alliance graph, control and relations over time, "
        "sliders, a scenario picker and a 'Why?' panel. Works offline. Needs "
        "the viz extra: pip install 'greatgame[viz]'. Equivalent to "
        "'GREATGAME_SCENARIO=FILE solara run sim/dashboard/app.py "
        "--host 127.0.0.1 --production'.",
    )
    p.add_argument(
        "scenario",
        nargs="?",
        default="scenarios/2016.yaml",
        help="scenario YAML file (default scenarios/2016.yaml); the picker lists "
        "the other files of its directory",
    )
    p.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on (default 127.0.0.1: this computer only)",
    )
    p.add_argument(
        "--port", type=int, default=8765, help="port (default 8765; 0: any free)"
    )
    p.add_argument(
        "--no-open", action="store_true", help="do not open a browser window"
    )
    return p


def serve_command(args: argparse.Namespace) -> tuple[list[str], dict[str, str]]:
    """The ``solara run`` command line and environment that serve the dashboard."""
    app = Path(__file__).resolve().parent.parent / "dashboard" / "app.py"
    cmd = [
        sys.executable,
        "-m",
        "solara",
        "run",
        str(app),
        "--host",
        args.host,
        "--port",
        str(args.port),
        "--production",  # no hot reload, no call home from the page
        "--no-open" if args.no_open else "--open",
    ]
    env = {
        **os.environ,
        "GREATGAME_SCENARIO": args.scenario,
        "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "False",  # offline: no call home
        "MPLBACKEND": "Agg",
    }
    return cmd, env


def cmd_serve(argv: list[str]) -> int:
    """Serve the dashboard until interrupted (exit 2 on bad input)."""
    import importlib.util
    import subprocess

    args = _serve_parser().parse_args(argv)
    from sim.scenario.loader import ScenarioError, load_scenario

    try:
        load_scenario(args.scenario)
    except ScenarioError as err:
        return _fail(str(err), EXIT_BAD_INPUT)
    missing = [
        m for m in ("solara", "solara_assets") if importlib.util.find_spec(m) is None
    ]
    if missing:
        return _fail(
            f"the dashboard needs {' and '.join(missing)}: install the viz extra "
            "with pip install 'greatgame[viz]'",
            EXIT_BAD_INPUT,
        )
    cmd, env = serve_command(args)
    print(
        f"Serving the dashboard of {args.scenario} on http://{args.host}:{args.port}/ "
        "(Ctrl-C stops it).",
        file=sys.stderr,
    )
    try:
        return subprocess.call(cmd, env=env)
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``run.py``, ``python -m sim`` and the ``greatgame`` script."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "validate":
        return cmd_validate(argv[1:])
    if argv and argv[0] == "plot":
        return cmd_plot(argv[1:])
    if argv and argv[0] == "sweep":
        return cmd_sweep(argv[1:])
    if argv and argv[0] == "check":
        return cmd_check(argv[1:])
    if argv and argv[0] == "serve":
        return cmd_serve(argv[1:])
    if argv and argv[0] == "run":
        argv = argv[1:]
    return cmd_run(argv)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
