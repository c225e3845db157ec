"""greatgame: an agent-based model of the 2015-2017 Afghan proxy war on Mesa.

Notebook use::

    import sim
    model = sim.run("scenarios/2016.yaml", seed=1)
    model.history  # arrays of the run; sim.outputs turns them into tables
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["load", "run"]


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
