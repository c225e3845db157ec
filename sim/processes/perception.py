"""Perceived presence: what each actor believes about where the others are armed.

Threat is a perception (Walt 1987, *The Origins of Alliances*: power,
proximity, offensive capability and *perceived* intentions; Jervis 1976,
*Perception and Misperception in International Politics*). An actor does not
see its rivals' fighters; it sees reports, recruiting and propaganda. In
February 2016 the UN counted an ISIS-Khorasan "presence in 25 out of
Afghanistan's 34 provinces" (quoted in Yahoo News, 12 Feb 2016) while the US
command put its fighters, "in the 1 to 3,000 range", "contained largely to
four or five districts" of southern Nangarhar (Brig. Gen. Shoffner, DoD
briefing, 11 Feb 2016). The model keeps the two apart: armed cells where the
fighters are, and each observer's belief ``B[i, k, p]`` about k's presence
in province p, which drives i's threat.

Beliefs start from the scenario (``actors.<k>.believed_presence``: where
observers believe k is present, 0..1, and ``actors.<i>.beliefs``: one
observer's own estimate of k, which overrides it) or, where none is given,
from k's armed presence, and learn each step toward what i observes, k's
armed presence ``π[k, p] = 1 − exp(−S[k, p]/s)`` (adaptive expectations,
Cagan 1956; Nerlove 1958):

    B[i, k, p] ← (1 − r) · B[i, k, p] + r · π[k, p]

with the learning rate ``r`` = ``parameters.belief_rate`` (1: beliefs are
the armed presence every step, the model without perception). So beliefs
can lag behind a change on the ground, exaggerate a small presence, and
correct. The zone presence that enters the threat ``T[i, k]``
(:func:`sim.processes.threats.threat`) is then

    Z[i, k] = Σ_p interest[i, p] · B[i, k, p]

against the armed zone presence ``Σ_p interest[i, p] · π[k, p]`` of the
real threat, which the model reports beside it.
"""

from __future__ import annotations

import numpy as np

from sim.processes.einsum import einsum
from sim.processes.masks import off_diagonal
from sim.scenario.schema import Scenario


def given_beliefs(
    config: Scenario, where_ids: callable, n_provinces: int
) -> np.ndarray:
    """``[i, k, p]`` presence beliefs the scenario gives, NaN where it gives none.

    ``actors.<k>.believed_presence`` applies to every observer but k itself;
    ``actors.<i>.beliefs.<k>`` is observer i's own and replaces it.

    Args:
        config: the scenario.
        where_ids: province ids of a province, region or ``all``
            (:func:`sim.core.setup.provinces_named` bound to the map).
        n_provinces: provinces on the map.
    """
    keys = list(config.actors)
    index = {k: i for i, k in enumerate(keys)}
    n = len(keys)
    given = np.full((n, n, n_provinces), np.nan)
    for k, actor in enumerate(config.actors.values()):
        for where, v in actor.believed_presence.items():
            given[:, k, where_ids(where)] = v
    for i, actor in enumerate(config.actors.values()):
        for target, table in actor.beliefs.items():
            if target not in index:
                continue
            k = index[target]
            given[i, k] = np.nan
            for where, v in table.items():
                given[i, k, where_ids(where)] = v
    own = np.arange(n)
    given[own, own] = np.nan  # an actor knows where its own fighters are
    return given


def initial(given: np.ndarray, armed_presence: np.ndarray) -> np.ndarray:
    """Starting beliefs: the given belief, or the armed presence, whichever is more.

    A scenario's belief adds presence where observers believe an actor is
    (recruiting, propaganda); it does not hide fighters who are there.

    Args:
        given: ``[i, k, p]`` from :func:`given_beliefs` (NaN: none given).
        armed_presence: ``[k, p]`` presence of the armed forces now.
    """
    seen = np.broadcast_to(armed_presence[None, :, :], given.shape)
    return np.where(np.isnan(given), seen, np.maximum(given, seen))


def learn(beliefs: np.ndarray, armed_presence: np.ndarray, rate: float) -> np.ndarray:
    """One step of learning: ``B ← (1 − r)·B + r·π`` (module docstring).

    Written so that ``rate = 1`` gives exactly the armed presence. Then
    every actor believes the same thing, so the answer is the armed presence
    seen by all (a read-only view, not ``N`` copies: on a large map the copies
    cost ``N²·P``). Beliefs are never negative, so ``0·B`` is ``+0`` and
    ``0·B + π`` is ``π + 0``: the same bits as the formula.
    """
    if rate == 1.0:
        seen = np.add(armed_presence, 0.0)  # as 0·B + π: a −0 becomes +0
        return np.broadcast_to(seen[None, :, :], beliefs.shape)
    learnt = (1.0 - rate) * beliefs
    learnt += rate * armed_presence[None, :, :]  # the same sum, in place
    return learnt


def zone_presence(interests: np.ndarray, beliefs: np.ndarray) -> np.ndarray:
    """``Z[i, k]``: interest-weighted believed presence of k in i's zone (0..1).

    Args:
        interests: ``[N, P]`` interest weights, rows summing to 1 (or 0).
        beliefs: ``[i, k, p]`` presence beliefs.
    """
    return einsum("ip,ikp->ik", interests, beliefs)


def believed_fighting(
    interests: np.ndarray,
    beliefs: np.ndarray,
    presence: np.ndarray,
    hostile: np.ndarray,
) -> np.ndarray:
    """``Hz_b[i, j, k]``: j's share of the fight against k as i pictures it.

    Where i believes k is present and j stands there, hostile to k, i takes j
    to be fighting k, whether or not kills are reported: Moscow's case for
    the Taliban as "a buffer against ISIS" in the north rested on where it
    believed ISIS to be, not on battles fought there (Jervis 1976,
    *Perception and Misperception in International Politics*, on decisions
    made on the picture of the adversary). The encounter i pictures is

        E[i, j, k] = Σ_p interest[i, p] · B[i, k, p] · presence[j, p] · hostile[j, k]

    and j's share is ``E[i, j, k] / Σ_j E[i, j, k]`` (0 where i pictures no
    fight against k).

    Args:
        interests: ``[N, P]`` interest weights of each actor.
        beliefs: ``[N, N, P]`` presence each actor believes each other has.
        presence: ``[N, P]`` armed presence of each actor (0..1).
        hostile: ``[N, N]`` whether j fights k.
    """
    encounter = einsum("ip,ikp,jp->ijk", interests, beliefs, presence)
    # j fights k where hostile, and nobody fights itself (the [j, k] diagonal)
    # (as 1.0 and 0.0: numpy would cast the bools to them, slower, for the same bits)
    encounter *= (hostile & off_diagonal(hostile.shape[0])).astype(float)
    total = np.add.reduce(encounter, 1, keepdims=True)  # .sum, without its wrapper
    # where i pictures no fight against k every encounter is 0 already
    return np.divide(encounter, total, out=encounter, where=total > 0)


def blend_fighting(
    reported: np.ndarray, believed: np.ndarray, weight: float
) -> np.ndarray:
    """The fight shares an actor acts on: ``(1 − ω)·Hz + ω·Hz_b``.

    ``weight`` ω is ``parameters.perceived_fight``; at 0 the reported kills
    alone, exactly as without beliefs.
    """
    if weight <= 0.0:
        return reported
    return (1.0 - weight) * reported + weight * believed
