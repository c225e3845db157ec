"""``greatgame calibrate FILE``: fit the calibration facts, check the validation facts.

History matching in waves over the scenario's priors (its ``uncertainty:``
section): the assumptions the calibration facts cannot rule out are the
posterior; the validation facts are then scored on runs of posterior draws.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from sim.cli import options
from sim.cli import shared_options as shared
from sim.cli.errors import EXIT_OK, UsageError

SUMMARY = "fit the calibration facts over the priors, then score the validation facts"


def calibrate_parser() -> argparse.ArgumentParser:
    """The options of ``greatgame calibrate``."""
    p = options.command_parser(
        "calibrate",
        "History-match a scenario's priors (its uncertainty: section) "
        "to the calibration facts in waves of runs, then score the validation "
        "facts on runs of accepted assumptions. Writes OUT/evaluated.csv, "
        "OUT/posterior.csv, OUT/posterior_summary.csv, OUT/validation.csv and "
        "OUT/posterior.png. Exit 0 whatever the fit; 2 on bad input.",
    )
    options.scenario_argument(p)
    shared.workers_option(p)
    p.add_argument(
        "--quick",
        action="store_true",
        help="a small run for tests and CI (2 waves of 6 and 4 points, 1 seed)",
    )
    shared.out_option(p, "runs/<name>/calibrate")
    shared.facts_option(p, "the shipped facts.yaml")
    p.add_argument(
        "--cutoff",
        type=float,
        default=3.0,
        metavar="I",
        help="largest implausibility a point may have (default 3)",
    )
    shared.seed_option(p, "seed of designs and runs")
    options.set_option(p, "override a value of the scenario before calibrating")
    options.quiet_debug_options(p, "no progress bars or summary")
    return p


def cmd_calibrate(argv: list[str]) -> int:
    """Calibrate a scenario; exit 0 whatever the fit, 2 on bad input."""
    from sim.experiments.scorecard import FactsError

    return shared.run_experiment(
        calibrate_parser(),
        argv,
        _calibrate,
        interrupted="the calibration's files were not written",
        also_bad=(FactsError,),
    )


def _checked(args: argparse.Namespace):
    """The scenario, facts and output directory, checked before anything runs."""
    from sim.experiments.calibration import split_facts
    from sim.experiments.scorecard import load_facts
    from sim.experiments.uncertainty import priors_of
    from sim.scenario.loader import load_scenario

    options.check_whole_numbers(args, ("workers",))
    if not args.cutoff > 0:
        raise UsageError(f"--cutoff must be above 0, got {args.cutoff}")
    shared.facts_file(args.facts)
    path = options.scenario_file(args.scenario)
    scenario = load_scenario(path, args.set)
    if not priors_of(scenario):
        raise UsageError(
            f"{path}: the scenario has no priors to calibrate; add an uncertainty: "
            "section, e.g. uncertainty: {parameters.beta: {range: [0.005, 0.02], "
            "reason: ...}}"
        )
    out = shared.output_folder(
        args.out, options.default_out(scenario.name, "calibrate")
    )
    try:
        split = split_facts(load_facts(args.facts, scenario))
    except ValueError as err:
        raise UsageError(str(err)) from None
    return scenario, split, out


def _report(cal, out: Path, written: list[str]) -> None:
    """Print the run count, wall time, posterior and validation score."""
    from sim.experiments.calibration import score_of

    m = cal.match
    passed, counted = score_of(cal.validation)
    basis = (
        "classed facts"
        if m.split.classed
        else "no classes in the facts: every outcome fitted"
    )
    print(
        f"Calibration: {len(m.evaluated)} points in "
        f"{m.evaluated['wave'].max()} waves, {cal.runs:,} model runs in "
        f"{cal.seconds:.0f} s; {len(m.split.calibration)} calibration facts "
        f"({basis}), cut-off {m.cutoff:g}"
    )
    print(f"Posterior: {len(m.posterior)} accepted parameter sets")
    for note in m.notes:
        print(f"  note: {note}")
    if counted:
        print(f"Validation: {passed} of {counted} facts pass on posterior runs")
    else:
        print(
            "Validation: not scored (no accepted parameter set or no validation fact)"
        )
    print(f"Wrote {out}/ ({', '.join(written)}).")


def _calibrate(args: argparse.Namespace) -> int:
    """Check the input, calibrate, write and report."""
    from dataclasses import replace

    from sim.experiments.calibration import FULL, QUICK, calibrate
    from sim.experiments.calibration.files import write_calibration

    scenario, split, out = _checked(args)
    waves = replace(QUICK if args.quick else FULL, cutoff=args.cutoff)
    cal = calibrate(
        scenario,
        quick=args.quick,
        waves=waves,
        facts=split,
        workers=args.workers,
        seed=args.seed,
        progress=False if args.quiet else None,
    )
    written = write_calibration(cal, out)
    if not args.quiet:
        _report(cal, out, written)
    return EXIT_OK
