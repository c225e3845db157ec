"""What several commands share: the scenario argument, output folders, figures.

A scenario is named by a path or, anywhere, by the name of a shipped
scenario (``greatgame 2016``); default output folders live under
``runs/<scenario name>/``; the run and plot commands take the same figure
options. The options the experiment commands (calibrate, check, compare,
sweep) have in common are declared and checked in
:mod:`sim.cli.shared_options`.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from sim.cli.errors import UsageError
from sim.cli.parsing import PROG as PROG  # its home is sim.cli.parsing
from sim.cli.parsing import CommandParser
from sim.scenario.catalog import find_scenario, shipped_names
from sim.text import did_you_mean


def scenario_help(example: str = "2016") -> str:
    """The help of a SCENARIO argument, naming the shipped scenarios."""
    names = ", ".join(shipped_names()) or "none found"
    return (
        f"scenario YAML file, or the name of a shipped scenario such as "
        f"'{example}' (shipped: {names})"
    )


def command_parser(name: str, description: str, **kwargs) -> CommandParser:
    """The parser of ``greatgame NAME``: its usage line names the subcommand.

    A :class:`~sim.cli.parsing.CommandParser`, so its errors are one
    paragraph that names the closest option or choice.
    """
    return CommandParser(prog=f"{PROG} {name}", description=description, **kwargs)


def scenario_argument(p: argparse.ArgumentParser) -> None:
    """The SCENARIO argument: a YAML file or the name of a shipped scenario."""
    p.add_argument("scenario", help=scenario_help())


def scenario_file(name_or_path: str) -> str:
    """The scenario file the user means, as a string for the loader.

    A path is kept as typed, so error messages name the file the user gave;
    a bare name such as ``2016`` becomes the shipped scenario's file, and a
    bare name that is neither a file nor shipped is a
    :class:`~sim.scenario.loader.ScenarioError` that suggests the closest
    shipped name.
    """
    typed = Path(name_or_path)
    found = find_scenario(name_or_path)
    if found != typed:
        return str(found)
    if typed.exists() or typed.suffix or len(typed.parts) != 1:
        return name_or_path
    from sim.scenario.loader import ScenarioError

    shipped = shipped_names()
    raise ScenarioError(
        "no such file, and no shipped scenario of that name"
        f"{did_you_mean(name_or_path, shipped)} (shipped: "
        f"{', '.join(shipped) or 'none found'})",
        file=name_or_path,
    )


def slug(text: str) -> str:
    """``text`` made safe as one folder name (runs/<slug>/...)."""
    slug = re.sub(r"[^A-Za-z0-9_.-]+", "-", text).strip("-")
    # "." or ".." would make runs/<slug>/ point at runs/ itself or above it
    return slug if slug.strip(".") else "scenario"


def default_out(scenario_name: str, leaf: str) -> Path:
    """The default output folder: ``runs/<scenario name>/<leaf>``."""
    return Path("runs") / slug(scenario_name) / leaf


def check_whole_numbers(args: argparse.Namespace, names: tuple[str, ...]) -> None:
    """Refuse a count option below 1 and a negative ``--seed`` (bad input).

    ``names`` are the options' destinations (``seeds_per_sample`` for
    ``--seeds-per-sample``), checked in the order given: the first bad one
    is the one reported.
    """
    for name in names:
        value = getattr(args, name)
        if value is not None and value < 1:
            flag = "--" + name.replace("_", "-")
            raise UsageError(f"{flag} must be a whole number ≥ 1, got {value}")
    if getattr(args, "seed", None) is not None and args.seed < 0:
        raise UsageError(f"--seed must be 0 or more, got {args.seed}")


def figure_options(p: argparse.ArgumentParser, plot_only: bool = False) -> None:
    """Add the options that choose which figures are drawn, and on what map."""
    if not plot_only:
        p.add_argument(
            "--no-figures", action="store_true", help="tables and chronicle only"
        )
    p.add_argument("--no-anim", action="store_true", help="skip the map animation")
    p.add_argument(
        "--geometry",
        metavar="GEOJSON",
        help="province boundaries for the map (default: the scenario's, else "
        "those shipped with the model)",
    )


def check_geometry(path: str) -> None:
    """Read a GeoJSON before anything runs, so a bad file fails at once."""
    from sim.plots.geometry import GeometryError, load_geojson

    try:
        load_geojson(path)
    except GeometryError as err:
        raise UsageError(str(err)) from None


def set_option(p: argparse.ArgumentParser, help_text: str | None) -> None:
    """``--set PATH=VALUE`` (repeatable): the one way to override a scenario value."""
    p.add_argument(
        "--set", action="append", default=[], metavar="PATH=VALUE", help=help_text
    )


def quiet_debug_options(
    p: argparse.ArgumentParser, quiet_help: str | None = "no progress bar or summary"
) -> None:
    """``--quiet`` (unless ``quiet_help`` is None) and ``--debug``, as all commands."""
    if quiet_help is not None:
        p.add_argument("--quiet", action="store_true", help=quiet_help)
    p.add_argument(
        "--debug", action="store_true", help="show tracebacks of internal errors"
    )
