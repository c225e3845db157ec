"""``greatgame check FILE``: score a scenario against the observed facts of 2016.

N seeds of the scenario and of its counterfactuals are run on the same
seeds; the scorecard says which facts the model reproduces.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from sim.cli import options
from sim.cli import shared_options as shared
from sim.cli.errors import EXIT_OK, UsageError

SUMMARY = "score a scenario against the observed facts of 2016 over many seeds"


def check_parser() -> argparse.ArgumentParser:
    """The options of ``greatgame check``."""
    p = options.command_parser(
        "check",
        "Check a scenario against the observed facts of 2016 "
        "(the package's facts.yaml): run N seeds and the counterfactuals on the same "
        "seeds, print the scorecard, and write OUT/scorecard.csv (one row per "
        "fact), OUT/scorecard_runs.csv (every run's values) and "
        "OUT/scorecard.png. With --uncertainty N, sample N parameter sets from "
        "the scenario's priors instead and write the bands of every fact "
        "(OUT/uncertainty_bands.csv, .md, .png). Exit 0 whatever the score; 2 on "
        "bad input.",
    )
    options.scenario_argument(p)
    shared.seeds_option(p, 20)
    shared.workers_option(p)
    shared.out_option(p, "runs/<name>/check")
    shared.facts_option(p, "the facts.yaml shipped with the scorecard")
    shared.seed_option(p, "sweep seed from which the run seeds derive (default 0)")
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
    options.set_option(p, "override a value of the scenario, as for a single run")
    options.quiet_debug_options(p, "no progress bar or table")
    return p


def cmd_check(argv: list[str]) -> int:
    """Score a scenario against the facts; exit 0 whatever the score, 2 on bad input."""
    from sim.experiments.scorecard import FactsError
    from sim.results.metrics import MetricError

    return shared.run_experiment(
        check_parser(),
        argv,
        _check,
        interrupted="no scorecard was written",
        also_bad=(FactsError, MetricError),
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

    options.check_whole_numbers(args, ("seeds", "workers", "uncertainty"))
    options.check_whole_numbers(args, ("seeds_per_sample",))
    shared.facts_file(args.facts)
    started = time.perf_counter()
    scenario = load_scenario(options.scenario_file(args.scenario), args.set)
    default = options.default_out(scenario.name, "check")
    out = shared.output_folder(args.out, default)
    shared.writable_output(out, "the scorecard")
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
