"""The priors of a scenario: the ``uncertainty:`` section as plain records.

Each assumption a scenario marks uncertain carries a range and the reason
for it; :func:`priors_of` reads them in the order the file gives, so every
sample, table and figure lists them in that order.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sim.experiments.sweep import as_scenario
from sim.scenario.catalog import find_scenario


@dataclass(frozen=True)
class Prior:
    """The range an assumption may take, why, and how it is sampled.

    Attributes:
        path: the dotted scenario path (``parameters.presence_scale``).
        low: the lower end of the range.
        high: the upper end of the range.
        reason: why this range, with its source.
        scale: ``linear`` (uniform) or ``log`` (uniform in log space).
    """

    path: str
    low: float
    high: float
    reason: str
    scale: str = "linear"


def _loaded(scenario: Any) -> Any:
    """A loaded scenario from a scenario object, a dict, a path or a catalogue name."""
    if isinstance(scenario, str) and not scenario.endswith((".yaml", ".yml")):
        scenario = find_scenario(scenario)
    return as_scenario(scenario, TypeError)


def priors_of(scenario: Any) -> list[Prior]:
    """The priors of a scenario's assumptions, in the order its file gives them.

    Args:
        scenario: a loaded Scenario, a dict, a scenario file path or the name
            of a shipped scenario (as :func:`sim.experiments.sweep.as_scenario`
            takes, plus names).

    Returns:
        One :class:`Prior` per entry of ``uncertainty:`` (empty if none). The
        loader has checked each: a numeric path, ``low < high`` within the
        value's own bounds, and the scenario's value inside.
    """
    sc = _loaded(scenario)
    return [
        Prior(path, float(p.range[0]), float(p.range[1]), p.reason, p.scale)
        for path, p in sc.uncertainty.items()
    ]
