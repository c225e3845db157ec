"""Theory lenses: which theory of alliances drives an actor's affinity update.

Each actor reasons by one lens (``actors.<id>.alliance_rule``, default
``parameters.alliance_rule``); its row ``A[i, ·]`` of the affinity matrix is
updated by that lens's terms (:mod:`sim.processes.relations` gives the
equations):

* ``balance_of_threat`` (Walt 1987): threat ``T[i,k] = (max(0, −A[i,k]) ·
  intent[i,k] + γ·competition[i,k]) · presence of k in i's zone``, the
  presence as i *believes* it (``B[i,k,p]``, :mod:`sim.processes.perception`,
  learning rate r ``belief_rate``; the armed presence when r = 1), the shared
  fight ``Hz`` from remembered kills and aid, and ``dA`` with η ``eta``, ρ
  ``rho``, κ ``kappa``, λ ``lambda``, μ ``mu``, σ ``sigma``.
* ``balance_of_power`` (Waltz 1979): the strongest other actor is the only
  threat, ``T[i,k] = power[k]`` for the top k, and any hostility toward it
  counts as help.
* ``structural_balance`` (Heider 1946; Marvel, Kleinberg, Kleinberg &
  Strogatz 2011: ``dX/dt = X²``; Traag, Van Dooren & De Leenheer 2013:
  ``X·Xᵀ`` for asymmetric ties): ``dA = η·A·Aᵀ`` plus inertia and noise.
* ``static``: affinities stay as they are (scenario shocks still apply).

:func:`lens_terms` computes a lens's terms for all rows at once (the
arithmetic is vectorised); each actor then takes its own row
(:meth:`sim.core.agents.Actor.decide`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.processes import perception, relations
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
    # [i, k, p] presence beliefs (sim.processes.perception); None: the armed presence
    beliefs: np.ndarray | None = None


@dataclass(frozen=True)
class Verdict:
    """A lens's answer for every row: its terms, their sum and the threat it saw."""

    terms: relations.Terms
    total: np.ndarray  # [N, N] dA
    threat: np.ndarray | None  # [N, N], None for lenses that see no threat


def perceived_threat(
    rule: str, view: Outlook, gamma: float
) -> tuple[np.ndarray, np.ndarray]:
    """``(T[i, k], Hz[i, j, k])`` under a threat lens (balance of threat or power)."""
    n = view.affinity.shape[0]
    if rule == "balance_of_power":
        power = view.armed.sum(axis=1) / max(view.armed.sum(), 1e-12)
        threat = relations.power_threat(power)
        fight = np.broadcast_to(view.hostile.astype(float), (n, n, n))
        return threat, fight
    if view.beliefs is None:
        zone = relations.zone_presence(view.interests, view.presence)
    else:
        zone = perception.zone_presence(view.interests, view.beliefs)
    threat = relations.threat(view.affinity, view.intent, view.competition, zone, gamma)
    return threat, relations.with_aid(view.fighting, view.aid_share)


def lens_terms(rule: str, view: Outlook, p: Parameters, noise: np.ndarray) -> Verdict:
    """The terms of ``dA`` under ``rule`` for all rows; ``noise`` is ``σ·ε``."""
    n = view.affinity.shape[0]
    if rule == "static":
        terms = relations.Terms.zeros(n)
        return Verdict(terms, np.zeros((n, n)), None)
    if rule == "structural_balance":
        terms = relations.structural_balance_terms(
            affinity=view.affinity,
            baseline=view.baseline,
            inertia=view.inertia,
            noise=noise,
            eta=p.eta,
        )
        return Verdict(terms, terms.total(), None)
    threat, fight = perceived_threat(rule, view, p.gamma)
    help_ = relations.help_received(
        view.delivered, view.strength.sum(axis=1), p.help_scale
    )
    befriend = relations.befriending(view.affinity, help_, p.sentiment_weight)
    terms = relations.balance_of_threat_terms(
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
    return Verdict(terms, terms.total(), threat)


def updated_row(
    rule: str, i: int, affinity: np.ndarray, total: np.ndarray
) -> np.ndarray:
    """Row ``A[i, ·]`` after a step under ``rule``: ``clip(A + dA, −1, 1)``, diagonal 1.

    Under ``static`` the row is kept as it is.
    """
    if rule == "static":
        return affinity[i].copy()
    moved = affinity[i] + total[i]
    # what np.clip does, without its overhead (it shows in sweeps)
    row = np.minimum(np.maximum(moved, -1.0), 1.0)
    row[i] = 1.0
    return row
