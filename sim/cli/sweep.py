"""``greatgame sweep FILE``: run a scenario over many parameter values and seeds.

One row per run goes to ``OUT/results.csv``; rerunning the same command
resumes a sweep that was interrupted.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from sim.cli import options
from sim.cli import shared_options as shared
from sim.cli.errors import EXIT_OK, UsageError, bug_report
from sim.cli.summaries import sweep_summary

SUMMARY = "run a scenario over a grid or a sample of parameter values and seeds"


def sweep_parser() -> argparse.ArgumentParser:
    """The options of ``greatgame sweep``, with the metrics it knows in the epilog."""
    from sim.results.metrics import describe_metrics

    p = options.command_parser(
        "sweep",
        "Run a scenario over a grid (or a Latin hypercube or Sobol'\n"
        "sample) of parameter values, several seeds per point, and write one\n"
        "row per run to OUT/results.csv. Rerunning the same command resumes it.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="metrics (--metric, --timeseries):\n  "
        + describe_metrics().replace("\n", "\n  ")
        + f"\n\nexample:\n  {options.PROG} sweep 2016 "
        "--grid actors.russia.resources=0,12,24 --replicates 20 "
        "--metric ever_allied:russia:taliban",
    )
    options.scenario_argument(p)
    _design_options(p)
    _run_options(p)
    _output_options(p)
    return p


def _design_options(p: argparse.ArgumentParser) -> None:
    """The points of the sweep: a grid, or a sampled design of ranges."""
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


def _run_options(p: argparse.ArgumentParser) -> None:
    """How the runs execute: workers, seeds and the base scenario's values."""
    shared.workers_option(p, per_cpu=True)
    p.add_argument(
        "--dask",
        nargs="?",
        const="local",
        metavar="ADDRESS",
        help="run on Dask: a LocalCluster of --workers, or the scheduler at ADDRESS",
    )
    shared.seed_option(p, "sweep seed (default 0)")
    p.add_argument(
        "--independent-seeds",
        action="store_true",
        help="a fresh seed for every run (default: the same seeds at every point)",
    )
    options.set_option(p, "override a value of the base scenario, as for a single run")
    shared.steps_option(p, "number of steps of every run", metavar="N")


def _output_options(p: argparse.ArgumentParser) -> None:
    """What the sweep records and where, and what it prints."""
    shared.out_option(p, "runs/<name>/sweep-<seed>")
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
    shared.force_option(p, "discard a sweep in OUT and start over")
    options.quiet_debug_options(p)


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


def parse_grid(items: list[str]) -> dict[str, list] | None:
    """``--grid PATH=V1,V2`` options → {path: values} (None if there are none)."""
    grid: dict[str, list] = {}
    for text in items:
        path, values = _yaml_values(text, "--grid")
        if path in grid:
            raise UsageError(f"--grid {path} is given twice; list all its values once")
        grid[path] = values
    return grid or None


def parse_ranges(items: list[str], flag: str) -> dict[str, tuple[float, float]]:
    """``--lhs``/``--sobol PATH=LO:HI`` options → {path: (lo, hi)}."""
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


def cmd_sweep(argv: list[str]) -> int:
    """Run a sweep and print metric means by point (exit 2 on bad input)."""
    from sim.results.metrics import MetricError

    return shared.run_experiment(
        sweep_parser(),
        argv,
        _sweep,
        interrupted="finished runs are saved; rerun the same command to resume",
        also_bad=(MetricError,),
        bug=_bug,
        saved="the runs finished before it are saved in the output directory's "
        "results.csv, and rerunning the same command resumes the sweep",
    )


def _bug(err: BaseException) -> str:
    """A failed run is a bug, and the runs finished before it are kept."""
    from sim.experiments.sweep import RunError

    if not isinstance(err, RunError):
        return bug_report(err)
    return (
        f"{err}. This is a bug in greatgame, not in your sweep; finished runs "
        "are saved (rerun the same command to resume), and --debug shows the "
        "traceback to report."
    )


def _design(args: argparse.Namespace) -> tuple[str, dict | None, dict | None]:
    """The design the options choose: (kind, grid, ranges); refuses mixtures."""
    grid = parse_grid(args.grid)
    lhs, sobol = parse_ranges(args.lhs, "--lhs"), parse_ranges(args.sobol, "--sobol")
    given = [f for f, v in (("--grid", grid), ("--lhs", lhs), ("--sobol", sobol)) if v]
    if len(given) > 1:
        raise UsageError(f"{' and '.join(given)} cannot be combined: choose one design")
    design = "lhs" if lhs else "sobol" if sobol else "grid"
    if design != "grid" and args.samples is None:
        raise UsageError(f"--{design} needs --samples N, the number of points")
    if design == "grid" and args.samples is not None:
        raise UsageError("--samples goes with --lhs or --sobol")
    return design, grid, lhs or sobol or None


def _names(options: list[str]) -> list[str]:
    """Metric names from repeated, comma-separated options."""
    return [m for text in options for m in text.split(",") if m.strip()]


def _sweep(args: argparse.Namespace) -> int:
    """Check the options, run the sweep and print its summary."""
    import shutil

    options.check_whole_numbers(args, ("replicates", "workers", "samples", "steps"))
    design, grid, ranges = _design(args)
    if args.workers > 1 and not args.dask:
        from sim.experiments.workers import start_fork_server

        start_fork_server()  # its imports overlap the loading below

    from sim.experiments.sweep import sweep
    from sim.scenario.loader import load_scenario

    overrides = [*args.set, *([f"steps={args.steps}"] if args.steps else [])]
    scenario = load_scenario(options.scenario_file(args.scenario), overrides)
    out = Path(args.out or options.default_out(scenario.name, f"sweep-{args.seed}"))
    shared.writable_output(
        out, "the sweep", advice=". Nothing was run; choose another --out"
    )
    metrics, series = _names(args.metric), _names(args.timeseries)
    results = sweep(
        scenario,
        grid,
        design=design,
        ranges=ranges,
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
