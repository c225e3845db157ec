"""What a run remembers: per-step arrays, aid flows and the event log.

The model fills a :class:`History` as it steps; :mod:`sim.outputs` turns it
into tables and the chronicle. Row ``t`` of every array is the state after
``t`` steps (row 0 is the start).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np


@dataclass
class Flow:
    """Aid from one patron to one client in one step (micro-units, exact)."""

    step: int
    patron: str
    client: str
    route: str
    sent: int
    delivered: int

    @property
    def interdicted(self) -> int:
        """Lost on the way: exactly sent − delivered."""
        return self.sent - self.delivered


@dataclass
class History:
    """Arrays of a run, indexed ``[step, ...]`` with ``steps + 1`` rows."""

    actor_keys: list[str]
    actor_names: list[str]
    province_names: list[str]
    dates: list[dt.date]
    strength: np.ndarray
    equipment: np.ndarray
    affinity: np.ndarray
    status: np.ndarray
    controller: np.ndarray
    government_share: np.ndarray
    sigar: np.ndarray
    aid_sent: np.ndarray
    aid_received: np.ndarray
    aid_budget: np.ndarray
    losses: np.ndarray
    recruits: np.ndarray
    flows: list[Flow] = field(default_factory=list)
    events: list[dict] = field(default_factory=list)
    last: int = 0
    regions: tuple[str, ...] | None = None  # None: the provinces are Afghanistan's

    @classmethod
    def empty(
        cls,
        actor_keys: list[str],
        actor_names: list[str],
        province_names: list[str],
        dates: list[dt.date],
    ) -> History:
        """Preallocate arrays for ``len(dates)`` rows."""
        t, n, p = len(dates), len(actor_keys), len(province_names)
        return cls(
            actor_keys=actor_keys,
            actor_names=actor_names,
            province_names=province_names,
            dates=dates,
            strength=np.zeros((t, n, p)),
            equipment=np.zeros((t, n, p)),
            affinity=np.zeros((t, n, n)),
            status=np.zeros((t, n, n), dtype=np.int8),
            controller=np.full((t, p), -1, dtype=np.int16),
            government_share=np.zeros((t, p)),
            sigar=np.zeros((t, p), dtype=np.int8),
            aid_sent=np.zeros((t, n)),
            aid_received=np.zeros((t, n)),
            aid_budget=np.zeros((t, n)),
            losses=np.zeros((t, n)),
            recruits=np.zeros((t, n)),
        )

    @property
    def n_rows(self) -> int:
        """Rows filled so far (steps run + 1)."""
        return self.last + 1
