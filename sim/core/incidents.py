"""Incidents: discrete events drawn from the state, so that runs differ as wars do.

Scripted events live in the scenario (:mod:`sim.core.timeline`); these are
drawn each step on their own ``incidents`` stream from what the model holds,
and logged in ``events.jsonl`` with the state that made them likely. Each has
a rate in ``parameters``; a rate of 0 switches it off, and with all three off
no draw is made and a run is as it was without this module.

**Offensives.** Where actor i's armed strength ``a`` faces hostile armed
strength ``h`` in province p, it launches an offensive with probability

    P_off = r_off · c[i, p] · max(0, 2·a/(a + h) − 1)

(``r_off`` ``parameters.offensive_rate``; ``c`` its cohesion; Afghan
parties only, not the foreign states' advisers): only a force
with local superiority and cohesion attacks (the 3:1 rule's logic, Mearsheimer
1989, *International Security* 13(4); the Taliban's announced spring
offensives, "Omari" in April 2016 and "Mansouri" in April 2017). For
``parameters.offensive_weeks`` steps its fire in p is multiplied by
``1 + parameters.offensive_boost``.

**A leader killed.** An insurgent i loses its leader with probability

    P_lead = r_lead · Σ_p (S[i, p]/S_i) · max_j (air_j − 1)

over hostile j present in p (``r_lead`` ``parameters.leader_kill_rate``;
``air_j − 1`` the air cover in j's fire, :mod:`sim.processes.firepower`): the
more of its fighters stand under hostile air power, the likelier a strike
finds the leadership (Mullah Mansour, US drone strike, 21 May 2016; ISIS-K's
Hafiz Saeed Khan, US strike in Nangarhar, July 2016). Its cohesion falls by
``parameters.leader_kill_shock`` everywhere (Jordan 2009, *Security Studies*
18(4), and Johnston 2012, *International Security* 36(4), on decapitation:
the shock is real but passes); :mod:`sim.processes.upkeep` lets it recover.

**A commander defects.** The commander of a force below the cohesion
threshold ``c*`` takes ``parameters.commander_share`` of it to another
Afghan actor k present in the province with probability

    P_cmd = r_cmd · (1 − c[i, p]/c*) · max_k (1 + A[i, k])/2

(``r_cmd`` ``parameters.commander_rate``, ``A`` affinity), k drawn with
weights ``(1 + A[i, k])/2 · S[k, p]``: local commanders switch sides as
whole units, toward the side they like and that holds the ground
(Giustozzi 2009, *Koran, Kalashnikov and Laptop*; Kalyvas 2008, *Comparative
Political Studies* 41(8), on defection in civil war).
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from sim.vocabulary import ActorKind

if TYPE_CHECKING:
    from sim.core.model import GreatGame
    from sim.core.state import State


@dataclass
class Ongoing:
    """Offensives under way: steps left and fire multiplier, ``[N, P]``."""

    weeks_left: np.ndarray
    boost: np.ndarray

    @classmethod
    def none(cls, shape: tuple[int, int]) -> Ongoing:
        """No offensive anywhere."""
        return cls(np.zeros(shape, dtype=int), np.ones(shape))

    def tick(self) -> None:
        """One step of every offensive passes; finished ones stop adding fire."""
        self.weeks_left = np.maximum(self.weeks_left - 1, 0)
        self.boost[self.weeks_left == 0] = 1.0


def offensive_fire(state: State, fire: np.ndarray) -> np.ndarray:
    """``fire`` ``[N, P]`` with the offensives under way added (unchanged if none)."""
    if state.incidents is None:
        return fire
    return fire * state.incidents.boost


def step(model: GreatGame) -> None:
    """Draw this step's incidents and apply them to the model's state."""
    s, k, p = model.state, model.setup, model.setup.p
    on = p.offensive_rate > 0 or p.leader_kill_rate > 0 or p.commander_rate > 0
    if s.incidents is None:
        if not on:
            return  # no draw: the run is as it was without incidents
        s.incidents = Ongoing.none(s.strength.shape)
    s.incidents.tick()
    if not on:
        return
    rng = model.streams["incidents"]
    u_off, u_lead, u_cmd = uniforms(rng, s.strength.shape)
    takers = afghan(model)
    present = s.strength >= p.min_strength  # the forces that stand somewhere
    # a rate of 0 gives a chance of 0, which no uniform draw falls below;
    # most steps no draw can fall below a leader's chance and no force wavers
    if p.offensive_rate > 0:
        offensives(model, u_off, takers, present)
    rate = p.leader_kill_rate
    if rate > 0 and not beyond_reach(u_lead, k.insurgent, s.air, rate):
        leaders(model, u_lead, present)
    if (
        p.commander_rate > 0
        and wavering(s.cohesion, present, p.cohesion_threshold)
        and commanders(model, u_cmd, rng, takers, present)
    ):
        s.derive_forces(model.setup)  # fighters changed sides, the sides did not


def uniforms(
    rng: np.random.Generator, shape: tuple[int, int]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """This step's uniforms: offensives ``[N, P]``, leaders ``[N]``, commanders.

    One draw, split in that order: a generator fills an array number by
    number, so these are the very numbers three draws of those shapes give.
    """
    n, provinces = shape
    size = n * provinces
    u = rng.random(2 * size + n)
    return (
        u[:size].reshape(shape),
        u[size : size + n],
        u[size + n :].reshape(shape),
    )


def offensive_chance(
    armed: np.ndarray,
    hostile: np.ndarray,
    cohesion: np.ndarray,
    present: np.ndarray,
    rate: float,
) -> tuple[np.ndarray, np.ndarray]:
    """``(P_off, local share)`` ``[N, P]``: chance of an offensive, and a/(a + h)."""
    facing = hostile.astype(float) @ armed
    total = armed + facing
    share = np.divide(armed, total, out=np.zeros(armed.shape), where=total > 0)
    # clip to [0, 1] (never -0.0 here: a difference of equals is +0.0)
    # one product by both masks: edge · 1 · 0 is edge · 0 (edge is never negative)
    edge = np.minimum(np.maximum(2.0 * share - 1.0, 0.0), 1.0) * (
        (facing > 0) & present
    )
    return rate * cohesion * edge, share


_AFGHAN: list = [None, None]  # (weak reference to a setup, its Afghan parties)


def afghan(model: GreatGame) -> np.ndarray:
    """``[N]`` bool: the Afghan parties, who launch offensives and take in commanders.

    Foreign states' advisers do neither. Read from the scenario once per
    setup (the model rebuilds its setup whenever the scenario changes).
    """
    ref, mask = _AFGHAN
    if ref is None or ref() is not model.setup:
        kinds = [a.kind for a in model.config.actors.values()]
        mask = np.array([kind != ActorKind.STATE for kind in kinds])
        mask.flags.writeable = False
        _AFGHAN[:] = [weakref.ref(model.setup), mask]
    return mask


def offensives(
    model: GreatGame, u: np.ndarray, takers: np.ndarray, present: np.ndarray
) -> None:
    """Launch the offensives drawn this step (``u`` uniform ``[N, P]``).

    ``takers`` are the Afghan parties (:func:`afghan`); ``present`` the
    forces of at least ``parameters.min_strength``.
    """
    s, p = model.state, model.setup.p
    chance, share = offensive_chance(
        s.armed,
        s.hostile,
        s.cohesion,
        present & takers[:, None],
        p.offensive_rate,
    )
    rows, cols = ((u < chance) & (s.incidents.weeks_left == 0)).nonzero()
    if not rows.size:
        return
    s.incidents.weeks_left[rows, cols] = p.offensive_weeks
    s.incidents.boost[rows, cols] = 1.0 + p.offensive_boost
    for i, q in zip(rows.tolist(), cols.tolist(), strict=True):
        model.log(
            "offensive",
            actor=model.keys[i],
            province=model.geo.names[q],
            fighters=round(float(s.strength[i, q])),
            local_share=round(float(share[i, q]), 3),
            cohesion=round(float(s.cohesion[i, q]), 3),
            weeks=p.offensive_weeks,
        )


def air_exposure(
    strength: np.ndarray,
    hostile: np.ndarray,
    air: np.ndarray,
    min_strength: float,
    present: np.ndarray | None = None,
) -> np.ndarray:
    """``[N]`` share of each actor's fighters under hostile air cover, weighted by it.

    ``Σ_p (S[i, p]/S_i) · max_j (air_j − 1)`` over hostile j present in p
    (``present``: strength of at least ``min_strength``, if the caller has it).
    """
    if present is None:
        present = strength >= min_strength
    extra = np.maximum(air - 1.0, 0.0)
    # [N, P]: the strongest hostile air cover over each force
    over = np.maximum.reduce(hostile[:, :, None] * (present * extra[:, None]), 1)
    total = np.add.reduce(strength, 1)
    return np.divide(
        np.add.reduce(strength * over, 1),
        total,
        out=np.zeros(total.shape),
        where=total > 0,
    )


def leaders(model: GreatGame, u: np.ndarray, present: np.ndarray) -> None:
    """Kill the leaders drawn this step (``u`` uniform ``[N]``); cohesion falls.

    ``present`` are the forces of at least ``parameters.min_strength``.
    """
    s, k, p = model.state, model.setup, model.setup.p
    exposure = air_exposure(s.strength, s.hostile, s.air, p.min_strength, present)
    chance = p.leader_kill_rate * exposure * k.insurgent
    for i in (u < chance).nonzero()[0].tolist():
        held = s.strength[i] > 0
        before = float(s.cohesion[i][held].mean()) if held.any() else 0.0
        s.cohesion[i] = np.maximum(0.0, s.cohesion[i] - p.leader_kill_shock)
        model.log(
            "leader_killed",
            actor=model.keys[i],
            air_exposure=round(float(exposure[i]), 3),
            chance=round(float(chance[i]), 4),
            cohesion_before=round(before, 3),
            shock=p.leader_kill_shock,
        )


def beyond_reach(
    u: np.ndarray, insurgent: np.ndarray, air: np.ndarray, rate: float
) -> bool:
    """Whether no insurgent's draw ``u`` can fall below its chance of losing a leader.

    The exposure of :func:`air_exposure` is a strength-weighted mean (strength
    is never negative) of hostile air covers ``air_j − 1``, so no chance
    exceeds ``rate · max_j (air_j − 1)``; the bound is raised by one part in
    a million for the rounding of that mean. A NaN cover answers False.
    """
    top = np.maximum.reduce(air, initial=1.0) - 1.0  # max(0, air_j − 1) at its largest
    bound = rate * top * (1.0 + 1e-6)
    return bool(np.logical_and.reduce((u >= bound) | ~insurgent))


def commander_chance(
    cohesion: np.ndarray,
    affinity: np.ndarray,
    strength: np.ndarray,
    takers: np.ndarray,
    p,
) -> tuple[np.ndarray, np.ndarray]:
    """``(P_cmd [N, P], weights [N, N, P])``: chance of a commander's defection.

    ``weights[i, k, p]`` is ``(1 + A[i, k])/2 · S[k, p]`` for Afghan actors
    (``takers``) k ≠ i present in p, the pull toward each possible new side.
    """
    chance, there = commander_pull(cohesion, affinity, strength, takers, p)
    return chance, there * strength


def commander_pull(
    cohesion: np.ndarray,
    affinity: np.ndarray,
    strength: np.ndarray,
    takers: np.ndarray,
    p,
    present: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """``(P_cmd [N, P], pull [N, N, P])``: :func:`commander_chance` short of weights.

    ``pull[i, k, p]`` is ``(1 + A[i, k])/2`` where k (an Afghan actor other
    than i) is present in p; times ``S[k, p]`` it is the weight, needed only
    where a commander does defect. ``present`` (strength of at least
    ``parameters.min_strength``) if the caller has it.
    """
    if present is None:
        present = strength >= p.min_strength
    like = (1.0 + affinity) / 2.0 * takers
    like.flat[:: like.shape[0] + 1] = 0.0  # no one defects to itself
    there = like[:, :, None] * present  # [N, N, P]
    c_star = p.cohesion_threshold
    if c_star > 0:  # clip to [0, 1] (never -0.0: a difference of equals is +0.0)
        low = np.minimum(np.maximum(1.0 - cohesion / c_star, 0.0), 1.0)
    else:
        low = 0 * cohesion
    chance = p.commander_rate * low * np.maximum.reduce(there, 1) * present
    return chance, there


def wavering(cohesion: np.ndarray, present: np.ndarray, threshold: float) -> bool:
    """Whether any force present is below the cohesion ``threshold`` ``c*``.

    Only such a force can lose a commander: elsewhere (and everywhere when
    ``c*`` is 0) the chance of :func:`commander_pull` is 0 (or NaN, for a
    NaN cohesion), which no uniform draw falls below. Forces seldom waver,
    so checking first spares most steps the ``[N, N, P]`` pull.
    """
    if threshold <= 0:
        return False
    return bool(np.logical_or.reduce((cohesion < threshold) & present, None))


def commanders(
    model: GreatGame,
    u: np.ndarray,
    rng: np.random.Generator,
    takers: np.ndarray,
    present: np.ndarray,
) -> bool:
    """Commanders drawn this step change sides with their men; True if any did.

    ``takers`` are the Afghan parties (:func:`afghan`); ``present`` the
    forces of at least ``parameters.min_strength``.
    """
    s, p = model.state, model.setup.p
    if not wavering(s.cohesion, present, p.cohesion_threshold):
        return False  # most steps: every chance is 0, and no uniform falls below 0
    chance, pull = commander_pull(
        s.cohesion, s.affinity, s.strength, takers, p, present
    )
    rows, cols = (u < chance).nonzero()
    if not rows.size:
        return False
    weights = pull * s.strength  # as the forces stood before anyone defected
    moved = False
    for i, q in zip(rows, cols, strict=True):
        w = weights[i, :, q]
        men = np.floor(p.commander_share * s.strength[i, q])
        if w.sum() <= 0 or men <= 0:
            continue
        to = int(rng.choice(len(w), p=w / w.sum()))
        gained = np.zeros(s.strength.shape)
        gained[to, q] = men
        s.strength[i, q] -= men
        s.ledger["defections_out"][i, q] += men
        s.ledger["defections_in"][to, q] += men
        s.defection_pairs[i, to] += men
        model._add_recruits(gained)
        moved = True
        model.log(
            "commander_defects",
            actor=model.keys[i],
            to=model.keys[to],
            province=model.geo.names[q],
            fighters=int(men),
            cohesion=round(float(s.cohesion[i, q]), 3),
            affinity=round(float(s.affinity[i, to]), 3),
        )
    return moved
