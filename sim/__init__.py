"""greatgame: an agent-based model of the 2015-2017 Afghan proxy war on Mesa.

Notebook use::

    import sim
    model = sim.run("scenarios/2016.yaml", seed=1)
    model.history  # arrays of the run; sim.outputs turns them into tables

A sweep in three lines (one row per run; see :mod:`sim.sweep`)::

    import sim
    grid = {"actors.russia.resources": [0, 12, 24]}
    df = sim.sweep.sweep("scenarios/2016.yaml", grid, replicates=20, workers=2)

Submodules (``sim.sweep``, ``sim.sensitivity``, ``sim.metrics``,
``sim.outputs``, ``sim.plots``...) are imported on first use, so ``import sim``
stays cheap. The notebooks in ``notebooks/`` walk through all of it.
"""

from __future__ import annotations

import importlib
from pathlib import Path

__all__ = ["load", "run", "sensitivity", "sweep"]

# imported when first named as sim.<name> (``import sim.<name>`` works as always)
_LAZY = {
    "sweep",
    "sensitivity",
    "metrics",
    "outputs",
    "plots",
    "chronicle",
    "scenario",
    "rundata",
}


def __getattr__(name: str):
    if name in _LAZY:
        return importlib.import_module(f"sim.{name}")
    raise AttributeError(f"module 'sim' has no attribute {name!r}")


def load(path: str | Path, overrides=()):
    """Load and validate a scenario file (with ``--set``-style overrides)."""
    from sim.scenario import load_scenario

    return load_scenario(path, overrides)


def run(scenario, seed: int | None = None, steps: int | None = None):
    """Run a scenario (a path or a loaded one) and return the finished model."""
    from sim.model import GreatGame

    if not hasattr(scenario, "actors"):
        scenario = load(scenario)
    return GreatGame(scenario, seed=seed).run(steps)
