"""Where hostile forces meet, and how each splits its fire over its enemies.

Fighting is defined on every (attacker j, target k, province p), but it can
happen only where j and k are hostile and both present in p: those are the
*engagements* (:class:`Engagements`, sparse :mod:`sim.processes.triples` in
the C order of the full ``[N, N, P]`` array), found again only when presence
or sides change.

With three or more hostile forces each splits its fire over its enemies
(Kress, Lin & MacKay 2018, *Operations Research* 66(4): 950-956, on
splitting fire in multilateral war; Kress, Caulkins, Feichtinger, Grass &
Seidl 2018, *European Journal of Operational Research* 264(1): 46-54): the
share ``f_jk`` aimed at k is proportional to j's hostility toward it
(:func:`fire_intensity`), ``max(0, −A) + γ·competition + 0.05``, times
``S_k^(1−φ)``, with φ ``parameters.fire_focus``: 0 fires at whoever is there
in proportion to their numbers, 1 by hostility alone, above 1 hunts the
weakest cells (:func:`fire_shares`). What that fire inflicts follows the
attrition laws of :mod:`sim.processes.combat`.
"""

from __future__ import annotations

import numpy as np

from sim.processes.triples import Triples


class Engagements(Triples):
    """Every (attacker j, target k, province p) where hostile forces meet."""

    @classmethod
    def find(cls, strength: np.ndarray, hostile: np.ndarray) -> Engagements:
        """Pairs with ``hostile[j, k]`` both present (strength > 0) in p.

        While presence and sides are those the last engagements were found
        from (most steps: forces seldom appear or vanish, sides seldom
        change), those same engagements are given again, with what has been
        computed from them (their flat indices, the constants of
        :func:`sim.processes.combat.law_losses`).
        """
        present = strength > 0
        last = _FOUND[0]
        if (
            last is not None
            and type(last[2]) is cls
            and last[0].shape == present.shape
            and last[1].shape == hostile.shape
            and np.logical_and.reduce(last[0] == present, None)
            and np.logical_and.reduce(last[1] == hostile, None)
        ):
            return last[2]
        found = cls.where(hostile, present, present)
        _FOUND[0] = (present, hostile.copy(), found)
        return found


#: ``(present, hostile, engagements)`` of the last :meth:`Engagements.find`.
_FOUND: list = [None]


def fire_shares(
    eng: Engagements,
    strength: np.ndarray,
    hostile: np.ndarray,
    intensity: np.ndarray,
    focus: float = 0.0,
) -> np.ndarray:
    """``f[j, k, p]`` at each engagement: share of j's fire aimed at k in p.

    The share is proportional to ``intensity[j, k] · S_k^(1−focus)``: at
    focus 0 fire goes where the enemies are, in proportion to their numbers;
    above 1 an attacker concentrates on the weakest cells, to wipe them out.

    Args:
        eng: the engagements of ``strength`` and ``hostile``.
        strength: ``[N, P]``.
        hostile: ``[N, N]`` bool, who fights whom.
        intensity: ``[N, N]`` how much j wants k gone (≥ 0).
        focus: ``parameters.fire_focus`` (φ).
    """
    # flat indices (take) rather than [j, k] pairs of index arrays: same values
    w = (hostile * intensity).take(eng.pair)
    if focus != 1.0:  # S**0 is 1 and w·1 is w: at focus 1 the numbers drop out
        target = strength.take(eng.to_cell)
        if focus != 0.0:
            target = target ** (1.0 - focus)
        w = w * target
    cells = eng.from_cell
    total = np.bincount(cells, weights=w, minlength=eng.n * eng.provinces)[cells]
    return np.divide(w, total, out=np.zeros(w.shape), where=total > 0)


def fire_intensity(
    affinity: np.ndarray, competition: np.ndarray, gamma: float
) -> np.ndarray:
    """``[N, N]`` how much j wants k gone: ``max(0, −A) + γ·competition + 0.05``."""
    return np.maximum(0.0, -affinity) + gamma * competition + 0.05
