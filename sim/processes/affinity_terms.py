"""Affinity dynamics: the terms of each step's change of the affinities, by lens.

Each ordered pair of actors has an affinity ``A[i, j]`` in [-1, 1]. Every step
the balance-of-threat rule (the default lens) changes it by

    dA[i,j] = η · ( Σ_k T[i,k]·Hz[i,j,k]      shared enemy k: j fights my threat
                  − Σ_k T[i,k]·F[j,k]         j befriends (arms) my threat
                  + ρ · help[j→i]             reciprocity for aid received
                  − κ · T[i,j] )              j itself threatens me
              − λ · d_ideology(i,j) · [A>0]   ideological friction between friends
              − μ[i,j] · (A[i,j] − A0[i,j])   inertia toward the baseline
              + σ · ε                         noise (relations stream)

with the threat ``T[i,k]`` of k to i, j's share ``Hz[i,j,k]`` of the fight
against k, how far j befriends k ``F[j,k]`` and the aid ``help[j→i]`` as i
perceives them (:mod:`sim.processes.threats`).

This is Heider's structural balance in its dynamic forms (Marvel, Kleinberg,
Kleinberg & Strogatz 2011, *PNAS* 108: dX/dt = X²; Traag, Van Dooren & De
Leenheer 2013, *PLoS ONE* 8: X·Xᵀ for asymmetric ties) weighted by threat,
with costs (friction) and memory (inertia). Parameters: η ``eta``, ρ
``rho``, κ ``kappa``, λ ``lambda``, μ ``mu`` (per pair:
``relations[].inertia``), σ ``sigma``.

Theory lenses (``parameters.alliance_rule``) swap the threat and fighting
terms: ``structural_balance`` uses signed affinities alone,

    dA[i,j] = η · Σ_{k≠i,j} A[i,k]·A[j,k] − μ[i,j]·(A[i,j] − A0[i,j]) + σ·ε
    A[i,·] ← clip(A[i,·] + dA[i,·], −1, 1),  A[i,i] = 1

(Traag et al.'s A·Aᵀ over third parties only, scaled by η ``eta``, plus
inertia and noise, then clipped: :func:`structural_balance_terms` and
:func:`sim.processes.lenses.updated_row`); ``marvel`` is Marvel et al.'s
unclipped ``dX/dt = X²`` (:mod:`sim.processes.lenses`); ``balance_of_power``
makes the strongest actor the only threat and counts any hostility toward it
as help; ``static`` freezes A (scenario shocks still apply).

**No "friend of my friend" term in the default rule.** Balance of threat
has "enemy of my enemy" (Hz) and "friend of my enemy" (F) but no term that
warms i to j because both like a third party: Walt's states align against
threats, not through shared friendships, and such a term would pull the US
and Russia together because both court Kabul. A shared patron already
counts through aid (``help``). The ``structural_balance`` and ``marvel``
lenses have it (``friends``, told as "common friend k").

All functions are pure: arrays in, arrays out. Terms are returned separately
so that a status change can be explained by its largest contributions
(:mod:`sim.processes.explanation`).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from sim.processes.masks import off_diagonal_ones, third_party_ones


@dataclass
class Terms:
    """The contributions to ``dA`` of one step, kept apart for explanations.

    ``shared[i, j, k]`` (k is an enemy of both), ``friends[i, j, k]`` (k is a
    friend of both) and ``befriend[i, j, k]`` (one side befriends the
    other's threat k) are per third party; the others are ``[i, j]``.
    ``shock`` holds scenario shocks (only ever accumulated, never stepped).
    """

    shared: np.ndarray
    befriend: np.ndarray
    friends: np.ndarray
    help: np.ndarray
    threat: np.ndarray
    friction: np.ndarray
    inertia: np.ndarray
    noise: np.ndarray
    shock: np.ndarray
    # the Marvel lens's X² of the tie itself and within-step compounding;
    # zero under every other lens (filled in by __post_init__)
    momentum: np.ndarray | None = None

    FIELDS = (
        "shared",
        "befriend",
        "friends",
        "help",
        "threat",
        "friction",
        "inertia",
        "noise",
        "shock",
        "momentum",
    )

    def __post_init__(self) -> None:
        """A lens that has no momentum term gets zeros."""
        if self.momentum is None:
            self.momentum = np.zeros(self.help.shape)

    @classmethod
    def zeros(cls, n: int) -> Terms:
        """All terms zero, for ``n`` actors."""
        per_k = {"shared", "befriend", "friends"}
        return cls(
            **{f: np.zeros((n, n, n) if f in per_k else (n, n)) for f in cls.FIELDS}
        )

    def total(self) -> np.ndarray:
        """The full change ``dA[i, j]`` of this step."""
        return (
            np.add.reduce(self.shared, 2)
            + np.add.reduce(self.befriend, 2)
            + np.add.reduce(self.friends, 2)
            + self.shock
            + self.help
            + self.threat
            + self.friction
            + self.inertia
            + self.noise
            + self.momentum
        )


def balance_of_threat_terms(**given: np.ndarray | float) -> Terms:
    """The terms of the affinity rule (module docstring) for all pairs at once.

    Also serves ``balance_of_power`` (with its own threat and fighting arrays).
    Takes the keyword arguments of :func:`balance_of_threat` (``noise`` is
    the already scaled draw ``σ·ε``), which gives their total as well.
    """
    return balance_of_threat(**given)[0]


def balance_of_threat(
    *,
    affinity: np.ndarray,
    baseline: np.ndarray,
    inertia: np.ndarray,
    threat_: np.ndarray,
    fight: np.ndarray,
    befriend: np.ndarray,
    help_: np.ndarray,
    ideology_distance: np.ndarray,
    noise: np.ndarray,
    eta: float,
    rho: float,
    kappa: float,
    lam: float,
) -> tuple[Terms, np.ndarray]:
    """:func:`balance_of_threat_terms` and their total ``dA``, in a few operations.

    The total is ``Σ_k shared + Σ_k befriend + help + threat + friction +
    inertia + noise``, added left to right as
    :func:`sim.processes.lenses.threat_total` adds the terms, to the same
    bits: the terms are made as rows of one array, so one mask product
    covers the per-third-party terms, one the pair terms, and one reduction
    over the rows (which numpy adds one row after the other) the total.
    The terms a threat lens leaves at +0.0 are left out of the total
    (:func:`sim.processes.lenses.threat_total` says why that keeps the bits).
    """
    n = affinity.shape[0]
    t_ik = threat_[:, None, :]
    per_k = np.empty((2, n, n, n))  # shared, befriend: each product left to right
    np.multiply(eta * t_ik, fight, out=per_k[0])
    np.multiply(-eta * t_ik, befriend[None, :, :], out=per_k[1])
    per_k *= third_party_ones(n)  # then the mask, as its last factor
    rows = np.empty((7, n, n))  # the sums over k of per_k, then the pair terms
    np.multiply(eta * rho, help_.T, out=rows[2])
    np.multiply(-eta * kappa, threat_, out=rows[3])
    friends_now = (affinity > 0).astype(float)
    np.multiply(-lam * ideology_distance, friends_now, out=rows[4])
    np.multiply(-inertia, affinity - baseline, out=rows[5])
    rows[6] = noise
    rows[2:] *= off_diagonal_ones(n)
    np.add.reduce(per_k, 3, out=rows[:2])
    no_friends, zero = unused_terms(n)
    terms = Terms(
        shared=per_k[0],
        befriend=per_k[1],
        friends=no_friends,
        shock=zero,
        help=rows[2],
        threat=rows[3],
        friction=rows[4],
        inertia=rows[5],
        noise=rows[6],
        momentum=zero,
    )
    return terms, np.add.reduce(rows, 0)


@functools.cache
def unused_terms(n: int) -> tuple[np.ndarray, np.ndarray]:
    """``([n, n, n], [n, n])`` zeros for the terms a threat lens leaves at +0.0.

    Its ``friends``, ``shock`` and ``momentum`` (:data:`sim.processes.lenses.
    THREAT_ZERO_TERMS`), which nothing adds up: made once per number of
    actors and shared read-only (cached), rather than three new arrays a step.
    """
    per_k, pairs = np.zeros((n, n, n)), np.zeros((n, n))
    per_k.flags.writeable = pairs.flags.writeable = False
    return per_k, pairs


def structural_balance_terms(
    *,
    affinity: np.ndarray,
    baseline: np.ndarray,
    inertia: np.ndarray,
    noise: np.ndarray,
    eta: float,
) -> Terms:
    """Pure Heider balance for asymmetric ties: ``dA = η·A·Aᵀ`` (Traag et al. 2013).

    Exactly: ``dA[i,j] = η Σ_{k≠i,j} A[i,k]·A[j,k] − μ[i,j]·(A[i,j] − A0[i,j])
    + σ·ε[i,j]`` for ``i ≠ j`` (zero on the diagonal): i warms to j when they
    regard third parties alike. The sum runs over third parties only (with
    the unit diagonal the full product would add ``A[i,j] + A[j,i]``, a tie
    feeding itself). Both hostile to k is a ``shared`` enemy, both friendly
    a common friend (``friends``), and opposite stances count as
    ``befriend``. The caller then clips: ``A ← clip(A + dA, −1, 1)`` with
    the diagonal 1 (:func:`sim.processes.lenses.updated_row`), so unlike
    Marvel et al.'s ``dX/dt = X²`` (the ``marvel`` lens) the values saturate
    at ±1 instead of blowing up.
    """
    n = affinity.shape[0]
    a_ik = affinity[:, None, :]
    a_jk = affinity[None, :, :]
    prod = eta * a_ik * a_jk * third_party_ones(n)
    off = off_diagonal_ones(n)
    zero = np.zeros(affinity.shape)
    both_hostile = (a_ik < 0) & (a_jk < 0)
    return Terms(
        shared=np.where(both_hostile, prod, 0.0),
        friends=np.where((a_ik > 0) & (a_jk > 0), prod, 0.0),
        befriend=np.minimum(prod, 0.0),
        shock=zero,
        help=zero,
        threat=zero,
        friction=zero,
        inertia=-inertia * (affinity - baseline) * off,
        noise=noise * off,
    )
