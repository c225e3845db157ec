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

Notebook use::

    import sim
    model = sim.run("scenarios/2016.yaml", seed=1)

Sub-packages are imported on first use, so ``import sim`` stays cheap.
"""

from __future__ import annotations

import importlib
from pathlib import Path

__all__ = ["load", "run"]

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


def __getattr__(name: str):
    if name in _LAZY:
        return importlib.import_module(f"sim.{name}")
    raise AttributeError(f"module 'sim' has no attribute {name!r}")


def load(path: str | Path, overrides=()):
    """Load and validate a scenario file (with ``--set``-style overrides)."""
    from sim.scenario.loader import load_scenario

    return load_scenario(path, overrides)


def run(scenario, seed: int | None = None, steps: int | None = None):
    """Run a scenario (a path or a loaded one) and return the finished model."""
    from sim.core.model import GreatGame

    if not hasattr(scenario, "actors"):
        scenario = load(scenario)
    return GreatGame(scenario, seed=seed).run(steps)
