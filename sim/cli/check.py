"""``greatgame check FILE``: score a scenario against the observed facts of 2016.

N seeds of the scenario and of its counterfactuals are run on the same
seeds; the scorecard says which facts the model reproduces.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from sim.cli.environment import check_writable
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
        "OUT/scorecard.png. With --uncertainty N, sample N parameter sets from "
        "the scenario's priors instead and write the bands of every fact "
        "(OUT/uncertainty_bands.csv, .md, .png). Exit 0 whatever the score; 2 on "
        "bad input.",
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
    p.add_argument(
        "--uncertainty",
        type=int,
        metavar="N",
        help="instead of seeds alone, sample N parameter sets from the scenario's "
        "priors (its 'uncertainty:' section) and report every fact as a band: "
        "OUT/uncertainty_bands.csv, .md and .png",
    )
    p.add_argument(
        "--seeds-per-sample",
        type=int,
        default=2,
        metavar="K",
        help="with --uncertainty: seeds per parameter set, the same in every "
        "set and variant (default 2)",
    )
    p.add_argument(
        "--method",
        choices=("lhs", "sobol"),
        default="lhs",
        help="with --uncertainty: Latin hypercube (default) or Sobol sampling",
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

    from sim.experiments.scorecard import (
        format_scorecard,
        plan_check,
        run_check,
        score,
        score_headline,
    )
    from sim.scenario.loader import load_scenario

    check_whole_numbers(args, ("seeds", "workers", "uncertainty"))
    if args.seeds_per_sample < 1:
        got = args.seeds_per_sample
        raise UsageError(f"--seeds-per-sample must be a whole number ≥ 1, got {got}")
    started = time.perf_counter()
    scenario = load_scenario(scenario_file(args.scenario), args.set)
    out = Path(args.out) if args.out else default_out(scenario.name, "check")
    if out.exists() and not out.is_dir():
        raise UsageError(f"output path '{out}' exists and is not a directory")
    problem = check_writable(out)
    if problem:
        raise UsageError(f"cannot write the scorecard to '{out}': {problem}")
    if args.uncertainty is not None:
        return _check_uncertainty(args, scenario, out, started)
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
    title = f"{scenario.title or scenario.name} ({args.seeds} seeds): " + (
        score_headline(df)
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


def _check_uncertainty(args: argparse.Namespace, scenario, out: Path, started) -> int:
    """Sample the scenario's priors, run the facts over them, write the bands."""
    import time

    from sim.experiments.uncertainty import fact_bands, format_bands, write_bands

    if not scenario.uncertainty:
        raise UsageError(
            f"scenario '{scenario.name}' has no 'uncertainty:' section, so there are "
            "no priors to sample for --uncertainty; give each assumption a range, "
            "e.g. uncertainty: {parameters.presence_scale: {range: [30, 120], "
            "reason: ...}} (docs/scenarios.md)"
        )
    result = fact_bands(
        scenario,
        args.uncertainty,
        seeds_per_sample=args.seeds_per_sample,
        workers=args.workers,
        method=args.method,
        seed=args.seed,
        facts=args.facts,
        progress=False if args.quiet else None,
    )
    title = (
        f"{scenario.title or scenario.name}: bands over {args.uncertainty} "
        f"parameter samples × {args.seeds_per_sample} seeds"
    )
    written = write_bands(out, result, title)
    if not args.quiet:
        print(
            f"Uncertainty check of '{scenario.name}': {len(result.runs)} runs in "
            f"{time.perf_counter() - started:.1f} s.\n"
        )
        print(format_bands(result.table))
        print(f"Wrote {out}/ ({', '.join(written)}).")
    return EXIT_OK
