"""Fighting in the provinces: stochastic Lanchester attrition.

In each province every pair of mutually hostile forces fights (Lanchester
1916); the expected losses that j inflicts on k are

    L[j, k, p] = β · (E_j · S_j · f_jk)^α · S_k^(1−α) · terrain_p

with ``β`` ``parameters.beta``, ``α`` ``parameters.alpha`` between 0 (linear
law: losses grow with one's own exposure, as in guerrilla war; Deitchman
1962) and 1 (square law: with the enemy's firepower), ``terrain`` from
``parameters.terrain``. ``E_j`` is effectiveness × equipment × air support
from allied deploying states (:mod:`sim.processes.firepower`). With three or
more hostile forces each splits its fire ``f`` over its enemies in
proportion to their strength and its hostility toward them, ``max(0, −A) +
γ·competition + 0.05`` (Kress, Lin & MacKay 2018, *Operations Research*
66(4): 950-956, on splitting fire in multilateral war; Kress, Caulkins,
Feichtinger, Grass & Seidl 2018, *European Journal of Operational Research*
264(1): 46-54: in three-way combat a side that cannot win may still decide
who wins). Losses are Poisson draws on the combat stream, never more than the
force has.

Control, recruitment and defection have their own modules
(:mod:`sim.processes.control`, :mod:`sim.processes.recruitment`,
:mod:`sim.processes.defection`); their names are re-exported here.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

from sim.processes.control import (
    CONTESTED,
    SIGAR_CLASSES,
    controller,
    government_share,
    sigar_class,
)
from sim.processes.defection import defection
from sim.processes.recruitment import POISSON_MAX, poisson, recruitment
from sim.processes.triples import Triples, first_of_runs
from sim.scenario.schema import Parameters

__all__ = [
    "CONTESTED",
    "POISSON_MAX",
    "SIGAR_CLASSES",
    "Engagements",
    "KillMemory",
    "Triples",
    "controller",
    "defection",
    "draw_losses",
    "engage",
    "expected_losses",
    "fire_intensity",
    "fire_shares",
    "government_share",
    "poisson",
    "recruitment",
    "sigar_class",
]

#: How much of last step's remembered kills a step keeps (the rest is new).
KILLS_MEMORY = 0.7


class Engagements(Triples):
    """Every (attacker j, target k, province p) where hostile forces meet."""

    @classmethod
    def find(cls, strength: np.ndarray, hostile: np.ndarray) -> Engagements:
        """Pairs with ``hostile[j, k]`` both present (strength > 0) in p."""
        present = strength > 0
        return cls.where(hostile, present, present)


def fire_shares(
    eng: Engagements,
    strength: np.ndarray,
    hostile: np.ndarray,
    intensity: np.ndarray,
) -> np.ndarray:
    """``f[j, k, p]`` at each engagement: share of j's fire aimed at k in p.

    Args:
        eng: the engagements of ``strength`` and ``hostile``.
        strength: ``[N, P]``.
        hostile: ``[N, N]`` bool, who fights whom.
        intensity: ``[N, N]`` how much j wants k gone (≥ 0).
    """
    w = (hostile * intensity)[eng.j, eng.k] * strength[eng.k, eng.p]
    cells = eng.from_cell
    total = eng.total(cells, w).ravel()[cells]
    return np.divide(w, total, out=np.zeros_like(w), where=total > 0)


def expected_losses(
    eng: Engagements,
    strength: np.ndarray,
    firepower: np.ndarray,
    shares: np.ndarray,
    beta: float,
    alpha: float,
    terrain: np.ndarray,
) -> np.ndarray:
    """``L[j, k, p]`` at each engagement: expected losses j inflicts on k in p.

    Args:
        eng: the engagements.
        strength: ``[N, P]`` fighters.
        firepower: ``[N, P]`` effectiveness per fighter (E).
        shares: per-engagement fire shares from :func:`fire_shares`.
        beta: attrition rate per step.
        alpha: Lanchester exponent.
        terrain: ``[P]`` attrition multiplier.
    """
    fire = (firepower * strength)[eng.j, eng.p] * shares
    exposure = (strength ** (1.0 - alpha))[eng.k, eng.p]
    # where nobody fires there are no losses, whatever alpha (0**0 is 1)
    firing = fire > 0
    attack = np.zeros_like(fire)
    attack[firing] = fire[firing] ** alpha
    return beta * attack * exposure * np.asarray(terrain)[eng.p]


def draw_losses(
    eng: Engagements,
    expected: np.ndarray,
    strength: np.ndarray,
    rng: np.random.Generator,
) -> np.ndarray:
    """Poisson losses per engagement (j on k in p).

    Never more than a force has: k's draws in p are scaled to its strength.
    """
    kills = np.zeros_like(expected)
    fighting = expected > 0
    kills[fighting] = poisson(rng, expected[fighting])
    total = eng.total(eng.to_cell, kills)
    scale = np.divide(
        strength, total, out=np.ones_like(strength), where=total > strength
    )
    return kills * scale.ravel()[eng.to_cell]


@dataclass(frozen=True)
class KillMemory:
    """Smoothed losses j inflicted on k in p, kept where they are not zero.

    ``index`` holds sorted flat ``[N, N, P]`` indices (as
    :attr:`Engagements.flat`), ``value`` the remembered losses there.
    """

    index: np.ndarray
    value: np.ndarray
    n: int
    provinces: int

    @classmethod
    def start(cls, eng: Engagements, expected: np.ndarray) -> KillMemory:
        """The memory of one step of fighting."""
        return cls(eng.flat, expected.copy(), eng.n, eng.provinces)

    def blend(self, eng: Engagements, expected: np.ndarray, keep: float) -> KillMemory:
        """``keep`` × this memory + (1 − keep) × this step's expected losses."""
        new = eng.flat
        at = np.searchsorted(self.index, new)
        known = at < len(self.index)
        known[known] = self.index[at[known]] == new[known]
        if known.all():  # the usual case: fights where there were fights before
            value = keep * self.value
            value[at] += (1 - keep) * expected
            out = KillMemory(self.index, value, self.n, self.provinces)
            if "_layout" in self.__dict__:  # same entries: same layout
                out.__dict__["_layout"] = self.__dict__["_layout"]
            return out
        both = np.sort(np.concatenate([self.index, new]), kind="stable")  # 2 runs
        index = both[first_of_runs(both)]
        value = np.zeros(len(index))
        value[np.searchsorted(index, self.index)] = keep * self.value
        value[np.searchsorted(index, new)] += (1 - keep) * expected
        return KillMemory(index, value, self.n, self.provinces)

    def inflicted_in(self, weights: np.ndarray) -> np.ndarray:
        """``[W, N, N]``: remembered losses j inflicted on k, weighted by province.

        ``weights`` is ``[W, P]`` (e.g. each actor's interest in each
        province); the result sums ``weights[w, p] · K[j, k, p]`` over p.
        """
        w, n = weights.shape[0], self.n
        out = np.zeros((w, n * n))
        if len(self.index):
            pairs, starts, p = self._layout
            out[:, pairs] = np.add.reduceat(weights[:, p] * self.value, starts, axis=1)
        return out.reshape(w, n, n)

    @cached_property
    def _layout(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(pairs held, where each pair's run starts, province of each entry)."""
        pair, p = np.divmod(self.index, self.provinces)
        starts = np.flatnonzero(first_of_runs(pair))
        return pair[starts], starts, p


def engage(
    strength: np.ndarray,
    hostile: np.ndarray,
    firepower: np.ndarray,
    intensity: np.ndarray,
    p: Parameters,
    terrain: np.ndarray,
) -> tuple[Engagements, np.ndarray]:
    """Where hostile forces meet, and the losses ``L[j, k, p]`` expected there.

    Args:
        strength: ``[N, P]`` fighters.
        hostile: ``[N, N]`` who fights whom.
        firepower: ``[N, P]`` E per fighter.
        intensity: ``[N, N]`` from :func:`fire_intensity`.
        p: the scenario's parameters (``beta``, ``alpha``).
        terrain: ``[P]`` attrition multiplier.
    """
    eng = Engagements.find(strength, hostile)
    shares = fire_shares(eng, strength, hostile, intensity)
    expected = expected_losses(
        eng, strength, firepower, shares, p.beta, p.alpha, terrain
    )
    return eng, expected


def fire_intensity(
    affinity: np.ndarray, competition: np.ndarray, gamma: float
) -> np.ndarray:
    """``[N, N]`` how much j wants k gone: ``max(0, −A) + γ·competition + 0.05``."""
    return np.maximum(0.0, -affinity) + gamma * competition + 0.05
