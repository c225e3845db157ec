"""Theory lenses: which theory of alliances drives an actor's affinity update.

Each actor reasons by one lens (``actors.<id>.alliance_rule``, default
``parameters.alliance_rule``); its row ``A[i, ·]`` of the affinity matrix is
updated by that lens's terms (:mod:`sim.processes.threats` and
:mod:`sim.processes.affinity_terms` give the equations):

* ``balance_of_threat`` (Walt 1987): threat ``T[i,k] = (max(0, −A[i,k]) ·
  intent[i,k] + γ·competition[i,k]) · presence of k in i's zone``, the
  presence as i *believes* it (``B[i,k,p]``, :mod:`sim.processes.perception`,
  learning rate r ``belief_rate``; the armed presence when r = 1), the shared
  fight ``Hz`` from remembered kills and aid, and ``dA`` with η ``eta``, ρ
  ``rho``, κ ``kappa``, λ ``lambda``, μ ``mu``, σ ``sigma``.
* ``balance_of_power`` (Waltz 1979): the strongest other actor is the only
  threat, ``T[i,k] = power[k]`` for the top k, and any hostility toward it
  counts as help.
* ``structural_balance`` (Heider 1946; Traag, Van Dooren & De Leenheer
  2013: ``X·Xᵀ`` for asymmetric ties): ``dA[i,j] = η·Σ_{k≠i,j}
  A[i,k]·A[j,k]`` (third parties only) plus inertia ``μ`` and noise ``σ``,
  then ``clip(A + dA, −1, 1)``: ties saturate at ±1.
* ``marvel`` (Marvel, Kleinberg, Kleinberg & Strogatz 2011, *PNAS* 108:
  "Continuous-time model of structural balance"): ``dX/dt = X²`` on an
  unclipped matrix X that starts at the initial affinities, the diagonal
  included, integrated over time η ``eta`` per step in
  :data:`MARVEL_SUBSTEPS` explicit Euler steps; no inertia, no noise. For
  a generic symmetric X(0) the solution blows up in finite time
  ``t* = 1/λ₁`` as ``λ₁/(1 − λ₁t)·u₁u₁ᵀ``: two camps given by the signs of
  the leading eigenvector ``u₁`` of X(0). The blow-up is part of the model;
  once some ``|X|`` reaches :data:`BLOWUP` X is frozen (the signs are
  settled). X is capped to [−1, 1] only for what the rest of the model
  reads: the affinity, hence status, aid and combat.
* ``static``: affinities stay as they are (scenario shocks still apply).

:func:`lens_terms` computes a lens's terms for all rows at once (the
arithmetic is vectorised); each actor then takes its own row
(:meth:`sim.core.agents.Actor.decide`).
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

from sim.processes import affinity_terms, perception, threats
from sim.processes.masks import third_party_ones
from sim.scenario.schema import Parameters

#: Lenses under which an actor perceives threats (and so values its clients).
THREAT_LENSES = ("balance_of_threat", "balance_of_power")


@dataclass(frozen=True)
class Outlook:
    """What the actors see this step, as the lenses read it.

    ``fighting`` is ``Hz[i, j, k]`` from remembered kills (before aid);
    the others are the model's state and setup arrays of the same names.
    """

    affinity: np.ndarray
    baseline: np.ndarray
    inertia: np.ndarray
    ideology_distance: np.ndarray
    armed: np.ndarray
    strength: np.ndarray
    hostile: np.ndarray
    interests: np.ndarray
    presence: np.ndarray
    intent: np.ndarray
    competition: np.ndarray
    fighting: np.ndarray
    aid_share: np.ndarray
    delivered: np.ndarray
    unbounded: np.ndarray | None = None  # [N, N] the Marvel lens's X (None: A)
    # [i, k, p] presence beliefs (sim.processes.perception); None: the armed presence
    beliefs: np.ndarray | None = None
    # [i, k] the balance-of-threat threat of the presence above (believed,
    # or armed) when already computed this step; None: computed from them
    threat: np.ndarray | None = None

    @classmethod
    def of(cls, **given: np.ndarray | None) -> Outlook:
        """The outlook of ``given``, every field named, built at the cost of a dict.

        The frozen dataclass's own ``__init__`` sets each field through
        ``object.__setattr__``, which shows when every step builds one; the
        outlook is as frozen either way.

        Raises:
            TypeError: a field is missing or unknown.
        """
        if given.keys() != _OUTLOOK_FIELDS:
            raise TypeError(
                f"Outlook.of needs every field: missing "
                f"{sorted(_OUTLOOK_FIELDS - given.keys())}, unknown "
                f"{sorted(given.keys() - _OUTLOOK_FIELDS)}"
            )
        view = object.__new__(cls)
        view.__dict__.update(given)
        return view


_OUTLOOK_FIELDS = frozenset(f.name for f in fields(Outlook))


@dataclass(frozen=True)
class Verdict:
    """A lens's answer for every row: its terms, their sum and the threat it saw.

    ``unbounded`` is the Marvel lens's new unclipped matrix X (None for the
    other lenses, which move the clipped affinities themselves).
    ``zero_terms`` names the terms the lens leaves at +0.0, which add nothing
    to the terms accumulated for explanations.
    """

    terms: affinity_terms.Terms
    total: np.ndarray  # [N, N] dA
    threat: np.ndarray | None  # [N, N], None for lenses that see no threat
    unbounded: np.ndarray | None = None
    zero_terms: tuple[str, ...] = ()


#: Terms a threat lens leaves at +0.0 (:func:`threat_total`).
THREAT_ZERO_TERMS = ("friends", "shock", "momentum")


def perceived_threat(
    rule: str, view: Outlook, gamma: float
) -> tuple[np.ndarray, np.ndarray]:
    """``(T[i, k], Hz[i, j, k])`` under a threat lens (balance of threat or power)."""
    n = view.affinity.shape[0]
    if rule == "balance_of_power":
        power = view.armed.sum(axis=1) / max(view.armed.sum(), 1e-12)
        threat = threats.power_threat(power)
        fight = np.broadcast_to(view.hostile.astype(float), (n, n, n))
        return threat, fight
    threat = view.threat
    if threat is None:
        if view.beliefs is None:
            zone = threats.zone_presence(view.interests, view.presence)
        else:
            zone = perception.zone_presence(view.interests, view.beliefs)
        threat = threats.threat(
            view.affinity, view.intent, view.competition, zone, gamma
        )
    return threat, threats.with_aid(view.fighting, view.aid_share)


def lens_terms(rule: str, view: Outlook, p: Parameters, noise: np.ndarray) -> Verdict:
    """The terms of ``dA`` under ``rule`` for all rows; ``noise`` is ``σ·ε``."""
    n = view.affinity.shape[0]
    if rule == "static":
        terms = affinity_terms.Terms.zeros(n)
        return Verdict(terms, np.zeros((n, n)), None)
    if rule == "marvel":
        return marvel_verdict(marvel_matrix(view), p.eta)
    if rule == "structural_balance":
        terms = affinity_terms.structural_balance_terms(
            affinity=view.affinity,
            baseline=view.baseline,
            inertia=view.inertia,
            noise=noise,
            eta=p.eta,
        )
        return Verdict(terms, terms.total(), None)
    threat, fight = perceived_threat(rule, view, p.gamma)
    help_ = threats.help_received(
        view.delivered, np.add.reduce(view.strength, 1), p.help_scale
    )
    befriend = threats.befriending(view.affinity, help_, p.sentiment_weight)
    terms, total = affinity_terms.balance_of_threat(
        affinity=view.affinity,
        baseline=view.baseline,
        inertia=view.inertia,
        threat_=threat,
        fight=fight,
        befriend=befriend,
        help_=help_,
        ideology_distance=view.ideology_distance,
        noise=noise,
        eta=p.eta,
        rho=p.rho,
        kappa=p.kappa,
        lam=p.lam,
    )
    return Verdict(terms, total, threat, zero_terms=THREAT_ZERO_TERMS)


def threat_total(terms: affinity_terms.Terms) -> np.ndarray:
    """:meth:`affinity_terms.Terms.total` of a threat lens's terms, in fewer operations.

    A threat lens has no common friends, no shock and no momentum: those
    terms are +0.0. Adding +0.0 leaves every float but −0.0 as it is, and no
    partial sum here is −0.0 (the shared-enemy sum, where it starts, is a sum
    of products of non-negative numbers), so leaving them out gives the same
    bits.
    """
    return (
        np.add.reduce(terms.shared, 2)  # what .sum(axis=2) does, without its wrapper
        + np.add.reduce(terms.befriend, 2)
        + terms.help
        + terms.threat
        + terms.friction
        + terms.inertia
        + terms.noise
    )


def updated_row(
    rule: str,
    i: int,
    affinity: np.ndarray,
    total: np.ndarray,
    unbounded: np.ndarray | None = None,
) -> np.ndarray:
    """Row ``A[i, ·]`` after a step under ``rule``: ``clip(A + dA, −1, 1)``, diagonal 1.

    Under ``static`` the row is kept as it is. Under ``marvel`` it is the
    new unclipped row ``X[i, ·]`` (``unbounded``) capped to [−1, 1]: the cap
    is for what the rest of the model reads (status, aid, combat), X itself
    grows without bound.
    """
    if rule == "static":
        return affinity[i].copy()
    moved = unbounded[i] if rule == "marvel" else affinity[i] + total[i]
    # what np.clip does, without its overhead (it shows in sweeps)
    row = np.minimum(np.maximum(moved, -1.0), 1.0)
    row[i] = 1.0
    return row


#: Explicit Euler steps per model step of the Marvel lens (step ``η/10``).
MARVEL_SUBSTEPS = 10
#: ``|X|`` at which the Marvel lens's matrix has blown up: it is then frozen.
BLOWUP = 1e6


def marvel_matrix(view: Outlook) -> np.ndarray:
    """The Marvel lens's X: its own unclipped values where they still stand.

    Where the capped X no longer equals the affinity (another lens moved
    that row, or a scenario shock or ``set`` event changed it), the
    affinity is taken instead.
    """
    a = view.affinity
    if view.unbounded is None:
        return a.copy()
    u = view.unbounded
    same = np.abs(np.minimum(np.maximum(u, -1.0), 1.0) - a) <= 1e-12
    return np.where(same, u, a)


def marvel_flow(
    x: np.ndarray,
    duration: float,
    substeps: int = MARVEL_SUBSTEPS,
    blowup: float = BLOWUP,
) -> np.ndarray:
    """Integrate ``dX/dt = X²`` for ``duration`` by explicit Euler steps.

    ``X ← X + (duration/substeps)·X·X``, the diagonal included (Marvel et
    al. 2011). The exact flow reaches infinity at ``t* = 1/λ₁`` (the largest
    eigenvalue of X(0)); the Euler steps follow it until some ``|X|``
    reaches ``blowup`` and then stop: X is frozen, its signs settled.
    """
    x = np.array(x, dtype=float)
    dt = duration / substeps
    for _ in range(substeps):
        if np.abs(x).max() >= blowup:
            break
        x = x + dt * (x @ x)
    return x


def marvel_verdict(x: np.ndarray, eta: float) -> Verdict:
    """The Marvel lens's step: X flows for time η; terms named by third party.

    The first-order part of ``ΔX[i,j]`` through a third party k is
    ``η·X[i,k]·X[k,j]`` (both negative: shared enemy k; both positive:
    common friend k; opposite: ties to rival k). The rest, the tie feeding
    itself (``η·(X[i,i] + X[j,j])·X[i,j]``) and the compounding within the
    step, is ``momentum``. A blown-up X no longer changes.
    """
    n = x.shape[0]
    new = marvel_flow(x, eta)
    total = new - x
    terms = affinity_terms.Terms.zeros(n)
    if not total.any():
        return Verdict(terms, total, None, new)
    x_ik, x_kj = x[:, None, :], x.T[None, :, :]  # [i, j, k]: X[i,k], X[k,j]
    prod = eta * x_ik * x_kj * third_party_ones(n)
    terms.shared = np.where((x_ik < 0) & (x_kj < 0), prod, 0.0)
    terms.friends = np.where((x_ik > 0) & (x_kj > 0), prod, 0.0)
    terms.befriend = np.minimum(prod, 0.0)
    terms.momentum = total - prod.sum(axis=2)
    return Verdict(terms, total, None, new)
