"""Fighting, control, recruitment and defection in the provinces.

**Combat** is stochastic Lanchester attrition (Lanchester 1916). In each
province every pair of mutually hostile forces fights; the expected losses
that j inflicts on k are

    β · (E_j · S_j · f_jk)^α · S_k^(1−α) · terrain

with ``α`` between 0 (linear law: losses grow with one's own exposure, as in
guerrilla war; Deitchman 1962) and 1 (square law: with the enemy's
firepower). ``E_j`` is effectiveness × equipment × air support from allied
deploying states. With three or more hostile forces each splits its fire
``f`` over its enemies in proportion to their strength and its hostility
toward them (Kress, Lin & MacKay 2018, *Operations Research* 66(4):
950-956, on splitting fire in multilateral war; Kress, Caulkins,
Feichtinger, Grass & Seidl 2018, *European Journal of Operational Research*
264(1): 46-54: in three-way combat a side that cannot win may still decide
who wins). Losses are Poisson draws on the combat stream, never more than the
force has.

**Control** follows SIGAR's district assessment: the government side's share
of armed strength puts a province in one of five classes (insurgent control,
insurgent influence, contested, government influence, government control);
an actor holding ``control_share`` of armed strength controls it.

**Recruitment**: recruits ∝ rate × population × ethnic match × the share of
the province's armed strength the actor holds (Epstein 2002, *PNAS* 99, for
the local-legitimacy intuition). **Defection**: forces below the cohesion
threshold lose a share to present rivals for the same recruits (the article:
ISIS "recruited from Taliban ranks after the group began splintering").
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

CONTESTED = -1
SIGAR_CLASSES = (
    "insurgent control",
    "insurgent influence",
    "contested",
    "government influence",
    "government control",
)


POISSON_MAX = 1e12  # numpy's Poisson sampler refuses means above ~9.2e18


def poisson(rng: np.random.Generator, mean: np.ndarray) -> np.ndarray:
    """Poisson draws for any finite mean, as floats.

    Above :data:`POISSON_MAX` the part of the mean beyond it is added as is
    (rounded; its relative spread would be below one in a million), so a run
    whose forces grow without bound keeps going; below it the draws, and the
    stream they consume, are numpy's own.
    """
    if mean.size == 0 or mean.max() <= POISSON_MAX:
        return rng.poisson(mean).astype(float)
    capped = np.minimum(mean, POISSON_MAX)
    return rng.poisson(capped) + np.rint(mean - capped)


def _firsts(values: np.ndarray) -> np.ndarray:
    """True at the first of each run of equal values (``values`` sorted)."""
    first = np.ones(len(values), dtype=bool)
    first[1:] = values[1:] != values[:-1]
    return first


@dataclass(frozen=True)
class Triples:
    """Values on ``(j, k, p)`` triples of a sparse ``[N, N, P]`` array.

    Combat and defection are defined between every pair of actors in every
    province, but on a large map most actors are absent from most provinces,
    so the arrays are kept only at the triples where they can be non-zero.
    Triples are in C order — j, then k, then p — so that sums and random
    draws over them run in the same order as over the full arrays.
    """

    j: np.ndarray
    k: np.ndarray
    p: np.ndarray
    n: int
    provinces: int

    @classmethod
    def where(cls, pairs: np.ndarray, first: np.ndarray, second: np.ndarray):
        """Triples where ``pairs[j, k]``, ``first[j, p]`` and ``second[k, p]`` hold."""
        n, n_prov = first.shape
        jj, kk = np.nonzero(pairs)
        pair, p = np.nonzero(first[jj] & second[kk])
        return cls(jj[pair], kk[pair], p, n, n_prov)

    @classmethod
    def none(cls, n: int, provinces: int) -> Triples:
        """No triple at all."""
        empty = np.zeros(0, dtype=np.int64)
        return cls(empty, empty, empty, n, provinces)

    @cached_property
    def from_cell(self) -> np.ndarray:
        """Flat ``j·P + p`` index of each triple into an ``[N, P]`` array."""
        return self.j * self.provinces + self.p

    @cached_property
    def to_cell(self) -> np.ndarray:
        """Flat ``k·P + p`` index of each triple into an ``[N, P]`` array."""
        return self.k * self.provinces + self.p

    @cached_property
    def flat(self) -> np.ndarray:
        """Flat index of each triple into an ``[N, N, P]`` array (sorted)."""
        return (self.j * self.n + self.k) * self.provinces + self.p

    def total(self, cells: np.ndarray, values: np.ndarray) -> np.ndarray:
        """``[N, P]`` sums of per-triple ``values`` by from- or to-cell."""
        size = self.n * self.provinces
        return np.bincount(cells, weights=values, minlength=size).reshape(
            self.n, self.provinces
        )

    def by_pair(self, values: np.ndarray) -> np.ndarray:
        """``[N, N]`` sums of per-triple ``values`` over provinces."""
        pair = self.j * self.n + self.k
        out = np.bincount(pair, weights=values, minlength=self.n * self.n)
        return out.reshape(self.n, self.n)

    def dense(self, values: np.ndarray) -> np.ndarray:
        """Per-triple values as the full ``[N, N, P]`` array (zeros elsewhere)."""
        out = np.zeros((self.n, self.n, self.provinces))
        out[self.j, self.k, self.p] = values
        return out


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
        index = both[_firsts(both)]
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
        starts = np.flatnonzero(_firsts(pair))
        return pair[starts], starts, p


def government_share(
    armed: np.ndarray, government: int | None, allied: np.ndarray, hostile: np.ndarray
) -> np.ndarray:
    """``[P]`` the government side's share of the two sides' armed strength.

    The government side is the government and its allies; the other side is
    everyone hostile to the government. Provinces with neither count as 0.5.
    """
    if government is None:
        return np.full(armed.shape[1], 0.5)
    side = allied[government].copy()
    side[government] = True
    gov = armed[side].sum(axis=0)
    ins = armed[hostile[government] & ~side].sum(axis=0)
    both = gov + ins
    return np.divide(gov, both, out=np.full_like(gov, 0.5), where=both > 0)


def sigar_class(gov_share: np.ndarray, bands: tuple[float, ...]) -> np.ndarray:
    """Index into :data:`SIGAR_CLASSES` for each province's government share."""
    return np.searchsorted(np.asarray(bands), gov_share, side="right")


def controller(armed: np.ndarray, control_share: float) -> np.ndarray:
    """``[P]`` actor index holding ≥ ``control_share`` of armed strength, else -1."""
    total = armed.sum(axis=0)
    top = armed.argmax(axis=0)
    share = np.divide(
        armed[top, np.arange(armed.shape[1])],
        total,
        out=np.zeros_like(total),
        where=total > 0,
    )
    return np.where(share >= control_share, top, CONTESTED)


def recruitment(
    rate: np.ndarray,
    population: np.ndarray,
    ethnic_match: np.ndarray,
    armed: np.ndarray,
) -> np.ndarray:
    """Expected recruits ``[N, P]`` this step.

    Args:
        rate: ``[N]`` recruits per 100,000 matching people where the actor
            holds all armed strength.
        population: ``[P]``.
        ethnic_match: ``[N, P]`` share of the population the actor recruits from.
        armed: ``[N, P]`` armed strength (the actor's share of it is its hold).
    """
    total = armed.sum(axis=0)
    hold = np.divide(armed, total, out=np.zeros_like(armed), where=total > 0)
    return rate[:, None] * population[None, :] / 1e5 * ethnic_match * hold


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
