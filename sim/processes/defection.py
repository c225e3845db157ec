"""Defection: fighters of a force that is falling apart go over to its rivals.

A force with cohesion ``c`` below the threshold ``c*``
(``parameters.cohesion_threshold``) loses

    D[i, p] = δ · (c* − c[i, p]) / c*  of its strength S[i, p]

(``δ`` ``parameters.defection_rate``) to the rivals present in the province,
in proportion to their rivalry for the same recruits (the overlap of their
recruiting pools). The article: ISIS "recruited from Taliban ranks after the
group began splintering". Whole fighters move: amounts are rounded up or
down at random on the defection stream (:func:`round_defectors`), never more
than a force has. The defection flow is remembered with weight
``parameters.defection_memory`` and feeds back into competition, and so into
threat (:mod:`sim.processes.relations`).
"""

from __future__ import annotations

import numpy as np

from sim.processes.triples import Triples
from sim.scenario.schema import Parameters


def defection(
    strength: np.ndarray,
    cohesion: np.ndarray,
    rivals: np.ndarray,
    present: np.ndarray,
    rate: float,
    threshold: float,
) -> tuple[Triples, np.ndarray]:
    """Fighters who leave i for rival k in p this step: ``(triples, amounts)``.

    A force with cohesion ``c`` below ``threshold`` loses
    ``rate · (threshold − c)/threshold`` of its strength to the rivals present
    in the province, in proportion to their rivalry (competition) with it.
    The triples are those of forces that lose fighters and rivals present.
    """
    if threshold <= 0 or not (cohesion < threshold).any():  # the usual week
        return Triples.none(*strength.shape), np.zeros(0)
    share = rate * np.clip((threshold - cohesion) / threshold, 0.0, 1.0)
    leaving = strength * share
    t = Triples.where(rivals > 0, leaving > 0, present)
    w = rivals[t.j, t.k]
    total = t.total(t.from_cell, w).ravel()[t.from_cell]
    split = np.divide(w, total, out=np.zeros_like(w), where=total > 0)
    return t, leaving[t.j, t.p] * split


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


def defect(
    strength: np.ndarray,
    cohesion: np.ndarray,
    rivals: np.ndarray,
    memory: np.ndarray,
    p: Parameters,
    rng: np.random.Generator,
) -> tuple[np.ndarray | None, np.ndarray | None, np.ndarray]:
    """One step of defection: ``(out, gained, memory)``.

    ``out`` and ``gained`` are ``[N, P]`` fighters lost and won (``None`` when
    nobody defects this step); ``memory`` is the updated defection memory.

    Args:
        strength: ``[N, P]`` fighters.
        cohesion: ``[N, P]``.
        rivals: ``[N, N]`` rivalry for recruits between non-allies.
        memory: ``[N, N]`` remembered defection flow.
        p: the scenario's parameters (``defection_rate``,
            ``cohesion_threshold``, ``min_strength``, ``defection_memory``).
        rng: the defection stream.
    """
    present = strength >= p.min_strength
    who, moved = defection(
        strength, cohesion, rivals, present, p.defection_rate, p.cohesion_threshold
    )
    if not moved.any():
        return None, None, remember(memory, np.zeros_like(memory), p.defection_memory)
    moved, out, gained = round_defectors(who, moved, strength, rng)
    # the strength the defectors leave behind, as the model will hold it
    totals = ((strength - out) + gained).sum(axis=1, keepdims=True)
    flow = flow_shares(who, moved, totals)
    return out, gained, remember(memory, flow, p.defection_memory)


def flow_shares(who: Triples, moved: np.ndarray, totals: np.ndarray) -> np.ndarray:
    """``[N, N]`` defectors from i to k this step, as a share of i's fighters now."""
    n = totals.shape[0]
    return np.divide(
        who.by_pair(moved),
        totals,
        out=np.zeros((n, n)),
        where=totals > 0,
    )


def remember(memory: np.ndarray, flow: np.ndarray, keep: float) -> np.ndarray:
    """Smoothed defection flow: ``keep · memory + (1 − keep) · flow``."""
    return keep * memory + (1 - keep) * flow
