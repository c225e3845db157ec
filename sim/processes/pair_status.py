"""Pair status from the affinities: ally, neutral or enemy, with hysteresis.

A pair is allied when both its affinities are above ``ally_threshold`` and
enemies when either is below ``enemy_threshold``; with a previous status a
pair keeps it until its affinity is ``hysteresis`` past the threshold
(:func:`status`; :mod:`sim.processes.affinity_terms` moves the affinities).
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from sim.vocabulary import Status

ALLY, NEUTRAL, ENEMY = Status.ALLY, Status.NEUTRAL, Status.ENEMY


def status(
    affinity: np.ndarray,
    ally: float,
    enemy: float,
    previous: np.ndarray | None = None,
    hysteresis: float = 0.0,
) -> np.ndarray:
    """Symmetric pair status: ally if both ways above ``ally``, enemy if either below.

    With a ``previous`` status, a pair keeps it until its affinity is
    ``hysteresis`` past the threshold, so noise near a threshold does not make
    an alliance flicker week by week.
    """
    n = affinity.shape[0]
    if previous is None or hysteresis <= 0:
        previous, hysteresis = None, 0.0
    key = None if previous is None else (previous.dtype.str, previous.tobytes())
    ally_at, enemy_at, enemy_kept = _kept_thresholds(key, n, ally, enemy, hysteresis)
    both = np.minimum(affinity, affinity.T)
    ally_now = both > ally_at
    enemy_now = both < enemy_at
    if enemy_kept is not None:
        # a kept enmity wins over everything, else an alliance over a new enmity
        enemy_now &= enemy_kept | ~ally_now
    # int64 codes: ally 1, enemy -1, neutral 0
    st = np.where(enemy_now, ENEMY, ally_now)
    st.flat[:: n + 1] = NEUTRAL
    return st


@lru_cache(maxsize=256)
def _kept_thresholds(
    previous: tuple[str, bytes] | None,
    n: int,
    ally: float,
    enemy: float,
    hysteresis: float,
) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """Per pair: the ally and enemy thresholds and whether an enmity is kept.

    A pair that was allied stays so down to ``ally − hysteresis``, an enmity
    up to ``enemy + hysteresis``. Status changes seldom, so the answer is
    cached on the previous status (its dtype and bytes; read-only arrays).
    Where no pair's enemy threshold exceeds its ally threshold (the usual
    case), no affinity is both above one and below the other, so which of
    the two wins never matters: the enmities kept are then None.
    """
    if previous is None:
        prev = np.zeros((n, n), dtype=np.int64)
    else:
        prev = np.frombuffer(previous[1], dtype=previous[0]).reshape(n, n)
    was_ally, was_enemy = prev == ALLY, prev == ENEMY
    ally_at = np.where(was_ally, ally - hysteresis, ally)
    enemy_at = np.where(was_enemy, enemy + hysteresis, enemy)
    for a in (ally_at, enemy_at, was_enemy):
        a.flags.writeable = False
    if np.logical_and.reduce(enemy_at <= ally_at, None):
        return ally_at, enemy_at, None
    return ally_at, enemy_at, was_enemy
