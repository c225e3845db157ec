"""What the sensitivity tests share: a tiny scenario, ranges, a linear metric."""

from __future__ import annotations

import importlib.util

import pytest

from tests.conftest import tiny

needs_salib = pytest.mark.skipif(
    importlib.util.find_spec("SALib") is None,
    reason="SALib not installed (pip install 'greatgame[analysis]')",
)

# a.effectiveness sets a's fire; interdiction only touches aid, and nobody
# in the tiny scenario sends aid, so it cannot matter.
RANGES = {"actors.a.effectiveness": (0.5, 3.0), "parameters.interdiction": (0.0, 1.0)}


def short(steps: int = 4) -> dict:
    """The tiny test scenario, ``steps`` long."""
    return tiny(steps=steps)


def a_effectiveness(model) -> float:
    """A metric that depends on one swept value only (and linearly)."""
    return model.config.actors["a"].effectiveness
