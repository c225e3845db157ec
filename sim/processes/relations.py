"""Affinity dynamics: threat-weighted "enemy of my enemy", and why ties change.

Each ordered pair of actors has an affinity ``A[i, j]`` in [-1, 1]. Every step

    dA[i,j] = η · ( Σ_k T[i,k]·Hz[i,j,k]      shared enemy k: j fights my threat
                  − Σ_k T[i,k]·F[j,k]         j befriends (arms) my threat
                  + ρ · help[j→i]             reciprocity for aid received
                  − κ · T[i,j] )              j itself threatens me
              − λ · d_ideology(i,j) · [A>0]   ideological friction between friends
              − μ[i,j] · (A[i,j] − A0[i,j])   inertia toward the baseline
              + σ · ε                         noise (relations stream)

with the threat of k to i (Walt 1987, *The Origins of Alliances*: power,
proximity, offensive capability, intentions)

    T[i,k] = (max(0, −A[i,k]) · intent[i,k] + γ · competition[i,k])
             · presence of k in i's interest zone,

the presence as i believes it (:mod:`sim.processes.perception`: beliefs
``B[i,k,p]`` that learn toward the armed presence at rate r
``belief_rate``; with r = 1 the armed presence itself). The threat of the
armed presence alone is reported beside it as the real threat.

This is Heider's structural balance in its dynamic forms (Marvel, Kleinberg,
Kleinberg & Strogatz 2011, *PNAS* 108: dX/dt = X²; Traag, Van Dooren & De
Leenheer 2013, *PLoS ONE* 8: X·Xᵀ for asymmetric ties) weighted by threat,
with costs (friction) and memory (inertia). Parameters: η ``eta``, γ
``gamma``, ρ ``rho``, κ ``kappa``, λ ``lambda``, μ ``mu`` (per pair:
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
so that a status change can be explained by its largest contributions.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from sim.processes.einsum import einsum
from sim.processes.masks import off_diagonal as off_diagonal
from sim.processes.masks import off_diagonal_ones as off_diagonal_ones
from sim.processes.masks import third_party_mask as third_party_mask
from sim.processes.masks import third_party_ones as third_party_ones
from sim.processes.pair_status import status as status
from sim.vocabulary import Status

#: Pair status codes (aliases of :class:`sim.vocabulary.Status`).
ALLY, NEUTRAL, ENEMY = Status.ALLY, Status.NEUTRAL, Status.ENEMY
#: Status code -> word, in the order ally, neutral, enemy.
STATUS_NAMES = {int(s): s.label for s in (ALLY, NEUTRAL, ENEMY)}


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


def fighting_share(inflicted: np.ndarray) -> np.ndarray:
    """``Hz[i, j, k]``: j's share of the fight against k inside i's zone (0..1).

    The share of k's combat losses in i's interest zone inflicted by j, from
    the last steps' fighting.

    Args:
        inflicted: ``[N, N, N]`` recent losses j inflicted on k (smoothed over
            steps) inside i's interest zone, ``[i, j, k]``
            (:meth:`sim.processes.combat.KillMemory.inflicted_in` of the interests).
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


def explain_pair(
    i: int, j: int, cum: Terms, names: list[str], direction: int, top: int = 3
) -> tuple[list[tuple[str, float]], list[tuple[str, float]]]:
    """Why the pair {i, j} changed status: the terms that drove it, and those against.

    ``cum`` holds the terms accumulated since the pair last changed status,
    summed over both directions. ``direction`` is +1 for a warming change
    (toward alliance) and -1 for a cooling one. Returns ``(why, despite)``:
    the largest terms pushing that way, e.g. ``("shared enemy ISIS-K", 0.61)``,
    and the largest pushing the other way.
    """
    items: list[tuple[str, float]] = []
    for k, name in enumerate(names):
        if k in (i, j):
            continue
        s = cum.shared[i, j, k] + cum.shared[j, i, k]
        if s:
            items.append((f"shared enemy {name}", s))
        b = cum.befriend[i, j, k] + cum.befriend[j, i, k]
        if b:
            items.append((f"ties to rival {name}", b))
        f = cum.friends[i, j, k] + cum.friends[j, i, k]
        if f:
            items.append((f"common friend {name}", f))
    for label, arr in (
        ("scenario shock", cum.shock),
        ("aid between them", cum.help),
        ("threat from each other", cum.threat),
        ("ideological friction", cum.friction),
        ("pull toward old stance", cum.inertia),
        ("chance", cum.noise),
        ("the tie's own momentum", cum.momentum),
    ):
        v = arr[i, j] + arr[j, i]
        if v:
            items.append((label, v))
    items.sort(key=lambda t: (-abs(t[1]), t[0]))
    rounded = [(label, round(float(v), 3)) for label, v in items if abs(v) >= 0.005]
    why = [t for t in rounded if t[1] * direction > 0][:top]
    despite = [t for t in rounded if t[1] * direction < 0][:top]
    return why, despite
