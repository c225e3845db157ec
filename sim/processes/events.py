"""Scenario events: a faction splits off, a shock to a relation or to cohesion.

These are the changes a scenario's ``events`` impose from outside the
mechanisms (``set`` and ``aid`` only change the scenario or the aid in
flight, see :mod:`sim.core.timeline`):

* ``splinter``: a share ``share`` of actor a's fighters (in the listed
  provinces, or everywhere) goes over to actor b, as ISIS-K grew from
  Taliban splinter groups in 2015. They bring their kit.
* ``shock``: a one-off change ``affinity`` of a's affinity toward b (both
  ways if ``mutual``), clipped to [-1, 1], and/or ``cohesion`` added to all
  of a's forces, clipped to [0, 1].
"""

from __future__ import annotations

import numpy as np


def splinter(
    strength: np.ndarray, a: int, b: int, where: np.ndarray, share: float
) -> np.ndarray:
    """``[N, P]`` fighters moving from a to b: positive in b's row only.

    The caller takes them from a's row (``strength[a, where] −= moved[b,
    where]``) and adds them to b's as recruits.
    """
    moved = np.zeros(strength.shape)
    moved[b, where] = strength[a, where] * share
    return moved


def shock_pairs(a: int, b: int, mutual: bool) -> list[tuple[int, int]]:
    """The directed pairs an affinity shock touches (none toward oneself).

    An actor's affinity toward itself stays 1.
    """
    if a == b:
        return []
    return [(a, b), (b, a)] if mutual else [(a, b)]


def shock_affinity(
    affinity: np.ndarray, pairs: list[tuple[int, int]], amount: float
) -> tuple[np.ndarray, np.ndarray]:
    """``(affinity, change)`` after adding ``amount`` to each pair, clipped to [-1, 1].

    ``change`` is what was really added (less than ``amount`` at a bound),
    for the explanation of later status changes.
    """
    affinity = affinity.copy()
    change = np.zeros(affinity.shape)
    for x, y in pairs:
        before = affinity[x, y]
        affinity[x, y] = np.clip(before + amount, -1, 1)
        change[x, y] = affinity[x, y] - before
    return affinity, change


def shock_cohesion(cohesion: np.ndarray, a: int, amount: float) -> np.ndarray:
    """Cohesion after ``amount`` is added to all of a's forces, clipped to [0, 1]."""
    cohesion = cohesion.copy()
    cohesion[a] = np.clip(cohesion[a] + amount, 0, 1)
    return cohesion
