"""greatgame: an agent-based model of the 2015-2017 Afghan proxy war on Mesa.

The package follows the pipeline of a study, one sub-package a stage:

- :mod:`sim.scenario`: the schema of a scenario and the YAML loader;
- :mod:`sim.world`: the province graph, staging areas, generated maps;
- :mod:`sim.core`: the Mesa model, its agents, random streams, the record;
- :mod:`sim.processes`: one module per sub-model (relations, aid, combat...);
- :mod:`sim.results`: tables, run directories, chronicle, report, metrics;
- :mod:`sim.plots`: the figures;
- :mod:`sim.experiments`: sweeps, sensitivity analysis, the 2016 scorecard;
- :mod:`sim.dashboard` and :mod:`sim.cli`: the classroom page and the command line.

Python use, as a Mesa and pandas user expects::

    from sim import GreatGame, run

    model = GreatGame("2016", seed=1, steps=20)  # a Mesa model
    result = run("2016", seed=1, actors__russia__resources=0)
    result.actors  # typed pandas tables; result.save("runs/x") as the CLI

Everything is imported on first use, so ``import sim`` stays cheap (no Mesa,
no matplotlib).
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sim.core.model import GreatGame
    from sim.results.rundata import RunResult
    from sim.scenario.schema import Scenario

__all__ = ["GreatGame", "RunResult", "__version__", "load", "run"]

# imported when first named as sim.<name> (``import sim.<name>`` works as always)
_LAZY = {
    "scenario",
    "world",
    "core",
    "processes",
    "results",
    "plots",
    "experiments",
    "dashboard",
    "cli",
}
# public names defined in a sub-module, imported when first named
_NAMES = {
    "GreatGame": "sim.core.model",
    "RunResult": "sim.results.rundata",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return importlib.import_module(f"sim.{name}")
    if name in _NAMES:
        value = getattr(importlib.import_module(_NAMES[name]), name)
        globals()[name] = value
        return value
    if name == "__version__":
        globals()[name] = value = _version()
        return value
    raise AttributeError(f"module 'sim' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__, *_LAZY})


def _version() -> str:
    """The installed distribution's version, else the clone's pyproject.toml's."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("greatgame")
    except PackageNotFoundError:
        pass
    pyproject = Path(__file__).resolve().parent.parent / "pyproject.toml"
    try:
        import tomllib

        with pyproject.open("rb") as f:
            return str(tomllib.load(f)["project"]["version"])
    except (OSError, KeyError, ValueError):
        return "0+unknown"


def load(path: str | Path, overrides=()) -> Scenario:
    """Load and validate a scenario file (with ``--set``-style overrides).

    ``path`` may also be a shipped scenario's name, such as ``"2016"``.
    """
    from sim.scenario.catalog import find_scenario
    from sim.scenario.loader import load_scenario

    return load_scenario(find_scenario(path), overrides)


def run(
    scenario: Any = "2016",
    *,
    seed: int | None = None,
    steps: int | None = None,
    **overrides: Any,
) -> RunResult:
    """Run a scenario to its end and return the result, tables and model together.

    Args:
        scenario: a path, a shipped scenario's name or a loaded scenario.
        seed: the run's seed (default: the scenario's).
        steps: the run's length in steps, as ``--steps`` (default: the
            scenario's ``steps``).
        **overrides: scenario changes, ``__`` for dots
            (``actors__russia__resources=0``), or ``overrides={path: value}``.

    Returns:
        A :class:`~sim.results.rundata.RunResult`: ``.actors``, ``.provinces``
        and other typed tables, ``.history``, ``.model``, ``.save()``,
        ``.plot()``.
    """
    import datetime as dt

    from sim.core.model import GreatGame
    from sim.results.rundata import from_model
    from sim.scenario.loader import resolved_dict
    from sim.scenario.resolve import override_paths, resolve_scenario

    paths = override_paths(overrides.pop("overrides", None), overrides)
    if steps is not None:
        paths["steps"] = steps
    started = dt.datetime.now(dt.UTC)
    resolved = resolve_scenario(scenario, paths)
    model = GreatGame(resolved, seed=seed).run()
    result = from_model(model)
    result.initial_scenario = resolved_dict(resolved)  # before any set event
    result.started, result.finished = started, dt.datetime.now(dt.UTC)
    result.overrides = [f"{path}={value}" for path, value in paths.items()]
    return result
