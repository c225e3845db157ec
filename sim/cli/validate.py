"""``greatgame validate FILE``: check a scenario without running it."""

from __future__ import annotations

import argparse

from sim.cli import options
from sim.cli.errors import EXIT_BAD_INPUT, EXIT_OK, fail

SUMMARY = "check a scenario file (and --set overrides) without running it"


def validate_parser() -> argparse.ArgumentParser:
    """The options of ``greatgame validate``."""
    p = options.command_parser("validate", "Check a scenario file without running it.")
    options.scenario_argument(p)
    options.set_option(p, None)
    return p


def cmd_validate(argv: list[str]) -> int:
    """Check a scenario (and overrides) and report; exit 0 if valid, 2 if not."""
    from sim.scenario.loader import ScenarioError, load_scenario

    args = validate_parser().parse_args(argv)
    try:
        sc = load_scenario(options.scenario_file(args.scenario), args.set)
    except ScenarioError as err:
        return fail(str(err), EXIT_BAD_INPUT)
    print(
        f"{args.scenario}: valid. '{sc.name}': {len(sc.actors)} actors, "
        f"{sc.steps} steps "
        f"of {sc.step_days} days from {sc.start}, {len(sc.events)} events."
    )
    return EXIT_OK
