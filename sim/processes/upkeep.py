"""Upkeep at the end of a step: manning, dispersal, equipment wear and cohesion.

* **Manning.** A deploying state holds its ``troops`` (``actors.<id>.troops``)
  by rotation: its forces are rescaled to that total, keeping where they
  stand (or, if none are left, where they stood at the start). The change is
  the ``reinforcement`` term of the strength ledger.
* **Dispersal.** A force below ``parameters.min_strength`` leaves the map
  (``dispersed``).
* **Wear.** Equipment drifts back toward the actor's baseline kit at rate
  ``parameters.equipment_decay``: ``e ← e + ε·(e₀ − e)``.
* **Cohesion** recovers toward a target at rate
  ``parameters.cohesion_recovery``: ``c ← c + r·(c* − c)`` with
  ``c* = c₀ · (1 − ρ + ρ·support)``, where ``ρ`` is
  ``actors.<id>.patron_reliance`` and ``support`` the share of the allied
  cover the actor started with that is still there
  (:func:`sim.processes.firepower.patron_support`).
"""

from __future__ import annotations

import numpy as np

from sim.processes.memo import last_answer


def manning(
    strength: np.ndarray, troops: np.ndarray, initial_strength: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """``(strength, reinforcement)``: each state with ``troops`` brought to them.

    Args:
        strength: ``[N, P]`` fighters (not changed).
        troops: ``[N]`` manning held, NaN for actors that hold none.
        initial_strength: ``[N, P]`` fighters at the start, where a force that
            has vanished comes back.
    """
    before = strength  # the input is not changed: no copy of each row needed
    strength = strength.copy()
    change = np.zeros(strength.shape)
    for i in _manned(troops):
        total = np.add.reduce(strength[i])
        if total > 0:
            strength[i] *= troops[i] / total
        elif troops[i] > 0 and initial_strength[i].sum() > 0:
            base = initial_strength[i]
            strength[i] = troops[i] * base / base.sum()
        change[i] = strength[i] - before[i]
    return strength, change


@last_answer
def _manned(troops: np.ndarray) -> tuple[int, ...]:
    """The actors that hold a manning (``troops`` not NaN), found once a run."""
    return tuple(int(i) for i in np.flatnonzero(~np.isnan(troops)))


def disperse(
    strength: np.ndarray, min_strength: float
) -> tuple[np.ndarray, np.ndarray]:
    """``(strength, dispersed)``: forces below ``min_strength`` leave the map."""
    gone = strength < min_strength
    return np.where(gone, 0.0, strength), np.where(gone, strength, 0.0)


def wear(equipment: np.ndarray, base: np.ndarray, decay: float) -> np.ndarray:
    """Equipment after a step's drift toward each actor's baseline ``base`` ``[N]``."""
    return equipment + decay * (base[:, None] - equipment)


def recover_cohesion(
    cohesion: np.ndarray,
    base: np.ndarray,
    reliance: np.ndarray,
    support: np.ndarray,
    rate: float,
) -> np.ndarray:
    """Cohesion after a step's drift toward the target its patrons' support allows.

    Args:
        cohesion: ``[N, P]`` now.
        base: ``[N]`` the scenario's cohesion.
        reliance: ``[N]`` share of it that rests on the allies' cover.
        support: ``[N]`` share of that cover still there (0..1).
        rate: ``parameters.cohesion_recovery``.
    """
    target = base * (1.0 - reliance + reliance * support)
    drift = target[:, None] - cohesion
    return cohesion + rate * drift
