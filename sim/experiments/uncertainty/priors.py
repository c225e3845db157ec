"""The priors of a scenario: one :class:`Prior` per entry of ``uncertainty:``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sim.experiments.sweep import as_scenario


@dataclass(frozen=True)
class Prior:
    """One assumption's prior: uniform on [low, high], or log-uniform.

    Attributes:
        path: the dotted path of the assumption (as for ``--set``).
        low: the lowest plausible value.
        high: the highest plausible value.
        reason: why this range.
        scale: ``linear`` (uniform) or ``log`` (log-uniform).
    """

    path: str
    low: float
    high: float
    reason: str
    scale: str = "linear"


def priors_of(scenario: Any) -> list[Prior]:
    """The priors a scenario declares, in the file's order.

    Args:
        scenario: a scenario file, a loaded Scenario or a dict.

    Returns:
        One :class:`Prior` per entry of the scenario's ``uncertainty:``
        section (an empty list when it has none).
    """
    sc = as_scenario(scenario, TypeError)
    return [
        Prior(path, float(p.range[0]), float(p.range[1]), p.reason, p.scale)
        for path, p in sc.uncertainty.items()
    ]
