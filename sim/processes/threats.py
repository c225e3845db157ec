"""Threat and help as an actor weighs them: the inputs of its affinity update.

What actor i perceives of the others, for the balance-of-threat rule
(:mod:`sim.processes.affinity_terms`). The threat of k to i (Walt 1987,
*The Origins of Alliances*: power, proximity, offensive capability,
intentions) is

    T[i,k] = (max(0, −A[i,k]) · intent[i,k] + γ · competition[i,k])
             · presence of k in i's interest zone,

the presence as i believes it (:mod:`sim.processes.perception`: beliefs
``B[i,k,p]`` that learn toward the armed presence at rate r
``belief_rate``; with r = 1 the armed presence itself). The threat of the
armed presence alone is reported beside it as the real threat. Under
``balance_of_power`` the strongest other actor is the only threat
(:func:`power_threat`).

Beside the threat: j's share of the fight against k in i's zone
``Hz[i,j,k]`` (:func:`fighting_share`, with the fighting j pays for
through aid, :func:`with_aid`), how far j befriends k ``F[j,k]``
(:func:`befriending`) and the aid j gives i relative to i's size
``help[j→i]`` (:func:`help_received`). Parameter: γ ``gamma``.

All functions are pure: arrays in, arrays out.
"""

from __future__ import annotations

import numpy as np

from sim.processes.einsum import einsum
from sim.processes.masks import off_diagonal_ones


def presence(strength: np.ndarray, scale: float) -> np.ndarray:
    """Smooth presence of each force, 0 (absent) .. 1 (well established).

    Breadth of presence, not raw numbers, is what makes an actor threatening:
    2,000 ISIS fighters in 25 provinces worry Moscow more than a large army in
    a few. ``1 − exp(−S/scale)``.
    """
    return -np.expm1(-strength / scale)


def zone_presence(interests: np.ndarray, pres: np.ndarray) -> np.ndarray:
    """``[i, k]``: interest-weighted breadth of k's presence in i's zone (0..1).

    Args:
        interests: ``[N, P]`` interest weights of each actor, rows summing to 1
            (or all zero for an actor that cares about no province).
        pres: ``[N, P]`` presence of each actor's forces.
    """
    return interests @ pres.T


def threat_drive(
    affinity: np.ndarray, intent: np.ndarray, competition: np.ndarray, gamma: float
) -> np.ndarray:
    """``max(0, −A[i,k])·intent[i,k] + γ·competition[i,k]``: k's threat to i if present.

    The factor of :func:`threat` that does not depend on presence, so the
    threat of the believed and of the armed presence can share it.
    """
    return np.maximum(0.0, -affinity) * intent + gamma * competition


def threat(
    affinity: np.ndarray,
    intent: np.ndarray,
    competition: np.ndarray,
    zone_pres: np.ndarray,
    gamma: float,
    drive: np.ndarray | None = None,
) -> np.ndarray:
    """Threat ``T[i, k]`` k poses to i (balance of threat); ``drive`` if computed."""
    if drive is None:
        drive = threat_drive(affinity, intent, competition, gamma)
    t = drive * zone_pres
    t.flat[:: t.shape[0] + 1] = 0.0  # the diagonal, as np.fill_diagonal, faster
    return t


def power_threat(power: np.ndarray) -> np.ndarray:
    """``T[i, k]`` under balance of power: only the strongest other actor threatens.

    Args:
        power: ``[N]`` each actor's share of all armed strength.
    """
    n = power.shape[0]
    t = np.zeros((n, n))
    for i in range(n):
        others = power.copy()
        others[i] = -1.0
        k = int(np.argmax(others))
        t[i, k] = power[k]
    return t


def fighting_share(inflicted: np.ndarray) -> np.ndarray:
    """``Hz[i, j, k]``: j's share of the fight against k inside i's zone (0..1).

    The share of k's combat losses in i's interest zone inflicted by j, from
    the last steps' fighting.

    Args:
        inflicted: ``[N, N, N]`` recent losses j inflicted on k (smoothed over
            steps) inside i's interest zone, ``[i, j, k]``
            (:meth:`sim.processes.kill_memory.KillMemory.inflicted_in` of the
            interests).
    """
    total = np.add.reduce(inflicted, 1, keepdims=True)  # .sum, without its wrapper
    return np.divide(inflicted, total, out=np.zeros(inflicted.shape), where=total > 0)


def with_aid(direct: np.ndarray, aid_share: np.ndarray) -> np.ndarray:
    """Add to ``Hz[i, j, k]`` the fighting of j's clients, weighted by j's aid to each.

    A state with no forces in the zone still counts through the arms it sends.

    Args:
        direct: ``[N, N, N]`` from :func:`fighting_share`.
        aid_share: ``[N, N]`` share of j's aid sent to each client.
    """
    # i's own fighting, paid by j, helps i
    others = off_diagonal_ones(aid_share.shape[0])
    via_aid = einsum("jc,ick,ic->ijk", aid_share, direct, others)
    via_aid += direct  # direct + via_aid, in place
    return np.minimum(1.0, via_aid, out=via_aid)


def befriending(affinity: np.ndarray, help_: np.ndarray, w: float) -> np.ndarray:
    """``F[j, k]``: how far j befriends k, by sentiment and above all by arms.

    The material part is :func:`help_received`: what j's aid means to k, so
    the US arming Kabul counts far more than Russia's small sales to it.
    """
    f = w * np.maximum(0.0, affinity) + (1.0 - w) * help_
    f.flat[:: f.shape[0] + 1] = 0.0  # the diagonal
    return f


def help_received(
    delivered: np.ndarray, strength: np.ndarray, scale: float
) -> np.ndarray:
    """``help[j, i]``: aid j delivered to i, relative to i's size (0..1).

    ``d / (d + scale · S_i / 1000)``: a small patron matters to a small client.
    """
    denom = delivered + scale * strength[None, :] / 1000.0
    return np.divide(delivered, denom, out=np.zeros(delivered.shape), where=denom > 0)
