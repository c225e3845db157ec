"""``greatgame check FILE``: score a scenario against the observed facts of 2016.

N seeds of the scenario and of its counterfactuals are run on the same
seeds; the scorecard says which facts the model reproduces.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from sim.cli.errors import (
    EXIT_OK,
    UsageError,
    bug_report,
    guarded,
)
from sim.cli.options import (
    PROG,
    check_whole_numbers,
    default_out,
    quiet_debug_options,
    scenario_file,
    scenario_help,
    set_option,
)

SUMMARY = "score a scenario against the observed facts of 2016 over many seeds"


def check_parser() -> argparse.ArgumentParser:
    """The options of ``greatgame check``."""
    p = argparse.ArgumentParser(
        prog=f"{PROG} check",
        description="Check a scenario against the observed facts of 2016 "
        "(the package's facts.yaml): run N seeds and the counterfactuals on the same "
        "seeds, print the scorecard, and write OUT/scorecard.csv (one row per "
        "fact), OUT/scorecard_runs.csv (every run's values) and "
        "OUT/scorecard.png. Exit 0 whatever the score; 2 on bad input.",
    )
    p.add_argument("scenario", help=scenario_help())
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
        help="a facts file (default: the facts.yaml shipped with the scorecard)",
    )
    p.add_argument(
        "--seed",
        type=int,
        default=0,
        metavar="S",
        help="sweep seed from which the run seeds derive (default 0)",
    )
    set_option(p, "override a value of the scenario, as for a single run")
    quiet_debug_options(p, "no progress bar or table")
    return p


def cmd_check(argv: list[str]) -> int:
    """Score a scenario against the facts; exit 0 whatever the score, 2 on bad input."""
    from sim.experiments.scorecard import FactsError
    from sim.experiments.sweep import RunError, SweepError
    from sim.results.metrics import MetricError
    from sim.scenario.loader import ScenarioError

    args = check_parser().parse_args(argv)
    return guarded(
        lambda: _check(args),
        args.debug,
        bad_input=(UsageError, ScenarioError, FactsError, SweepError, MetricError),
        interrupted="no scorecard was written",
        bug=lambda err: bug_report(
            err, str(err) if isinstance(err, RunError) else None
        ),
    )


def _write_scorecard(out: Path, df, runs, title: str) -> list[str]:
    """Write the two tables and the chart into ``out``, each file appearing whole."""
    from sim.experiments.scorecard import plot_scorecard
    from sim.plots.style import save

    out.mkdir(parents=True, exist_ok=True)
    written = []
    for frame, name in ((df, "scorecard.csv"), (runs, "scorecard_runs.csv")):
        tmp = out / f".{name}.tmp"
        frame.to_csv(tmp, index=False)
        os.replace(tmp, out / name)
        written.append(name)
    fig = plot_scorecard(df, title=title)
    tmp = out / ".scorecard.png.tmp.png"
    save(fig, tmp)
    os.replace(tmp, out / "scorecard.png")
    written.append("scorecard.png")
    return written


def _check(args: argparse.Namespace) -> int:
    """Check the options, run the seeds, score them, write and print the scorecard."""
    import shutil
    import time

    from sim.experiments.scorecard import format_scorecard, plan_check, run_check, score
    from sim.scenario.loader import load_scenario

    check_whole_numbers(args, ("seeds", "workers"))
    started = time.perf_counter()
    scenario = load_scenario(scenario_file(args.scenario), args.set)
    out = Path(args.out) if args.out else default_out(scenario.name, "check")
    if out.exists() and not out.is_dir():
        raise UsageError(f"output path '{out}' exists and is not a directory")
    plan = plan_check(scenario, args.facts)
    runs = run_check(
        plan,
        seeds=args.seeds,
        workers=args.workers,
        seed=args.seed,
        progress=False if args.quiet else None,
    )
    df = score(plan.facts, runs, plan.unavailable)
    seconds = time.perf_counter() - started
    title = (
        f"{scenario.title or scenario.name}: "
        f"{int(((df['status'] == 'pass') & df['counted']).sum())} of "
        f"{int(df['counted'].sum())} facts pass ({args.seeds} seeds)"
    )
    written = _write_scorecard(out, df, runs, title)
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
