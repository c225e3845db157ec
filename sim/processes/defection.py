"""Defection: fighters of a force that is falling apart go over to its rivals.

A force with cohesion ``c`` below the threshold ``c*``
(``parameters.cohesion_threshold``) loses

    D[i, p] = δ · (c* − c[i, p]) / c*  of its strength S[i, p]

(``δ`` ``parameters.defection_rate``). A share ``h``
(``parameters.home_share``) of them go home: they leave the war (the ledger
term ``went_home``), as most Afghan deserters did (desertion and "ghost
soldiers" thinned the ANDSF without swelling any insurgent group; SIGAR,
*Quarterly Report to Congress*, 2016). The rest, where a rival is present,
try to join one: rival k gets

    J[i, k, p] = (1 − h) · D[i, p] · S[i, p] · r[i, k]/Σ_k' r[i, k'] · σ[k, p]^ν

with ``r`` the rivalry for the same recruits (the overlap of their
recruiting pools) among rivals present, ``σ[k, p]`` k's share of all the
fighters in the province and ``ν`` ``parameters.defection_pull``; those not
taken up go home too. A deserter joins the band that holds his valley, not a
cell of forty men among thousands of soldiers (Kalyvas 2006, *The Logic of
Violence in Civil War*, ch. 5: control shapes collaboration and defection).
``ν = 0`` and ``h = 0`` is the model as it was (no one goes home). The
article: ISIS "recruited from Taliban ranks after the group began
splintering". Whole fighters move: amounts are rounded up or down at
random on the defection stream (:func:`round_defectors`), never more than a
force has. The defection flow is remembered with weight
``parameters.defection_memory`` and feeds back into competition, and so into
threat (:mod:`sim.processes.threats`).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from sim.processes.triples import Triples
from sim.scenario.schema import Parameters


def leaving(
    strength: np.ndarray, cohesion: np.ndarray, rate: float, threshold: float
) -> np.ndarray | None:
    """``[N, P]`` fighters who desert this step (``None`` in a cohesive week).

    ``rate · (threshold − c)/threshold`` of each force below ``threshold``.
    """
    below = np.logical_or.reduce(cohesion < threshold, axis=None)  # any()
    if threshold <= 0 or not below:  # the usual week
        return None
    share = rate * np.clip((threshold - cohesion) / threshold, 0.0, 1.0)
    return strength * share


def defection(
    strength: np.ndarray,
    cohesion: np.ndarray,
    rivals: np.ndarray,
    present: np.ndarray,
    rate: float,
    threshold: float,
    pull: float = 0.0,
    home: float = 0.0,
) -> tuple[Triples, np.ndarray]:
    """Fighters who leave i for rival k in p this step: ``(triples, amounts)``.

    Of the ``(1 − home) · rate · (threshold − c)/threshold`` of a force that
    try to join a rival, the rivals present in the province get shares in
    proportion to their rivalry (competition) with it, each taken up with
    the chance ``σ^pull``, σ the rival's share of the fighters in the
    province (1 when ``pull`` is 0). The triples are those of forces that
    lose fighters and rivals present.
    """
    out = leaving(strength, cohesion, rate, threshold)
    if out is None:
        return Triples.none(*strength.shape), np.zeros(0)
    out = out * (1.0 - home)
    t = Triples.where(rivals > 0, out > 0, present)
    w = rivals.take(t.pair)
    total = t.total(t.from_cell, w).ravel()[t.from_cell]
    split = np.divide(w, total, out=np.zeros(w.shape), where=total > 0)
    if pull > 0:
        split = split * local_share(strength).take(t.to_cell) ** pull
    return t, out.take(t.from_cell) * split


def local_share(strength: np.ndarray) -> np.ndarray:
    """``[N, P]`` σ: each force's share of all the fighters in its province."""
    total = strength.sum(axis=0, keepdims=True)
    return np.divide(strength, total, out=np.zeros(strength.shape), where=total > 0)


def round_defectors(
    who: Triples, moved: np.ndarray, strength: np.ndarray, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(moved, out, gained)``: whole defectors per triple, lost and gained per cell.

    Each amount is rounded down or up at random (up with the probability of
    its fraction), so the expected number is kept. Rounding up may ask more
    than a force has: its defectors are then scaled down so that the rivals
    receive exactly what it loses.
    """
    moved = np.floor(moved + rng.random(moved.shape))
    out = who.total(who.from_cell, moved)
    fit = np.divide(strength, out, out=np.ones_like(out), where=out > strength)
    moved *= fit.ravel()[who.from_cell]
    out = np.minimum(who.total(who.from_cell, moved), strength)
    gained = who.total(who.to_cell, moved)
    return moved, out, gained


class Deserted(NamedTuple):
    """One step of defection, ``[N, P]`` per force unless said otherwise.

    ``out`` and ``gained`` are fighters lost to and won from rivals, ``home``
    those who went home, ``pairs`` ``[N, N]`` the defectors from i to k
    (``out``, ``gained``, ``home`` and ``pairs`` are ``None`` when nobody
    leaves), ``memory`` the updated defection memory.
    """

    out: np.ndarray | None
    gained: np.ndarray | None
    home: np.ndarray | None
    pairs: np.ndarray | None
    memory: np.ndarray


def defect(
    strength: np.ndarray,
    cohesion: np.ndarray,
    rivals: np.ndarray,
    memory: np.ndarray,
    p: Parameters,
    rng: np.random.Generator,
) -> Deserted:
    """One step of defection (:class:`Deserted`).

    Args:
        strength: ``[N, P]`` fighters.
        cohesion: ``[N, P]``.
        rivals: ``[N, N]`` rivalry for recruits between non-allies.
        memory: ``[N, N]`` remembered defection flow.
        p: the scenario's parameters (``defection_rate``,
            ``cohesion_threshold``, ``min_strength``, ``defection_memory``,
            ``defection_pull``, ``home_share``).
        rng: the defection stream.
    """
    if leaving(strength, cohesion, p.defection_rate, p.cohesion_threshold) is None:
        # the usual week: nobody deserts, only the memory fades (a flow of
        # 0.0 adds what a zero array would, element by element)
        faded = remember(memory, 0.0, p.defection_memory)
        return Deserted(None, None, None, None, faded)
    present = strength >= p.min_strength
    who, moved = defection(
        strength,
        cohesion,
        rivals,
        present,
        p.defection_rate,
        p.cohesion_threshold,
        p.defection_pull,
        p.home_share,
    )
    zero = np.zeros(strength.shape)
    out, gained, pairs = zero, zero, np.zeros(memory.shape)
    want = home_wanted(strength, cohesion, who, moved, p)
    if moved.any():
        moved, out, gained = round_defectors(who, moved, strength, rng)
        pairs = who.by_pair(moved)
    home = None if want is None else go_home(want, strength - out, rng)
    if not moved.any() and home is None:
        return Deserted(
            None, None, None, None, remember(memory, pairs, p.defection_memory)
        )
    # the strength the defectors leave behind, as the model will hold it
    home = zero if home is None else home
    totals = ((strength - out - home) + gained).sum(axis=1, keepdims=True)
    flow = flow_shares(pairs, totals)
    return Deserted(
        out, gained, home, pairs, remember(memory, flow, p.defection_memory)
    )


def home_wanted(
    strength: np.ndarray,
    cohesion: np.ndarray,
    who: Triples,
    joining: np.ndarray,
    p: Parameters,
) -> np.ndarray | None:
    """``[N, P]`` expected deserters who go home (``None`` if nobody can).

    ``home_share`` of all deserters, plus, where a rival is present, those
    who tried to join one and were not taken up (``defection_pull``). Where
    no rival is present only the ``home_share`` leaves, as before.
    """
    if p.home_share <= 0 and p.defection_pull <= 0:
        return None  # the model without homes: no draw
    d = leaving(strength, cohesion, p.defection_rate, p.cohesion_threshold)
    if d is None:
        return None
    tried = (1.0 - p.home_share) * d
    joined = who.total(who.from_cell, joining)
    rival_there = who.total(who.from_cell, np.ones_like(joining)) > 0
    return p.home_share * d + np.where(rival_there, np.maximum(tried - joined, 0), 0)


def go_home(want: np.ndarray, left: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """``[N, P]`` whole deserters who go home, rounded up or down at random.

    Never more than a force has ``left`` after defections to rivals.
    """
    return np.clip(np.floor(want + rng.random(want.shape)), 0.0, left)


def flow_shares(pairs: np.ndarray, totals: np.ndarray) -> np.ndarray:
    """``[N, N]`` defectors from i to k this step, as a share of i's fighters now."""
    n = totals.shape[0]
    return np.divide(
        pairs,
        totals,
        out=np.zeros((n, n)),
        where=totals > 0,
    )


def remember(memory: np.ndarray, flow: np.ndarray | float, keep: float) -> np.ndarray:
    """Smoothed defection flow: ``keep · memory + (1 − keep) · flow``.

    ``flow`` is ``[N, N]``, or a number for the same flow between every pair
    (0.0 when nobody left).
    """
    return keep * memory + (1 - keep) * flow
