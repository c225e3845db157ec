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

import numpy as np

CONTESTED = -1
SIGAR_CLASSES = (
    "insurgent control",
    "insurgent influence",
    "contested",
    "government influence",
    "government control",
)


def fire_shares(
    strength: np.ndarray, hostile: np.ndarray, intensity: np.ndarray
) -> np.ndarray:
    """``f[j, k, p]``: share of j's fire aimed at k in province p.

    Args:
        strength: ``[N, P]``.
        hostile: ``[N, N]`` bool, who fights whom.
        intensity: ``[N, N]`` how much j wants k gone (≥ 0).
    """
    w = (hostile * intensity)[:, :, None] * strength[None, :, :]
    total = w.sum(axis=1, keepdims=True)
    return np.divide(w, total, out=np.zeros_like(w), where=total > 0)


def expected_losses(
    strength: np.ndarray,
    firepower: np.ndarray,
    shares: np.ndarray,
    beta: float,
    alpha: float,
    terrain: np.ndarray,
) -> np.ndarray:
    """``L[j, k, p]``: expected losses j inflicts on k in p this step.

    Args:
        strength: ``[N, P]`` fighters.
        firepower: ``[N, P]`` effectiveness per fighter (E).
        shares: ``[N, N, P]`` fire shares from :func:`fire_shares`.
        beta: attrition rate per step.
        alpha: Lanchester exponent.
        terrain: ``[P]`` attrition multiplier.
    """
    fire = (firepower * strength)[:, None, :] * shares
    exposure = (strength ** (1.0 - alpha))[None, :, :]
    # where nobody fires there are no losses, whatever alpha (0**0 is 1); the
    # power is taken only where fire is (most triples are empty on a big map)
    firing = fire > 0
    attack = np.zeros_like(fire)
    attack[firing] = fire[firing] ** alpha
    return beta * attack * exposure * terrain[None, None, :]


def draw_losses(
    expected: np.ndarray, strength: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    """Poisson losses ``[j, k, p]``, scaled down where k would lose more than it has."""
    kills = np.zeros_like(expected)
    fighting = expected > 0
    kills[fighting] = rng.poisson(expected[fighting])
    total = kills.sum(axis=0)
    scale = np.divide(
        strength, total, out=np.ones_like(strength), where=total > strength
    )
    return kills * scale[None, :, :]


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
) -> np.ndarray:
    """Fighters ``[i, k, p]`` who leave i for rival k in p this step.

    A force with cohesion ``c`` below ``threshold`` loses
    ``rate · (threshold − c)/threshold`` of its strength to the rivals present
    in the province, in proportion to their rivalry (competition) with it.
    """
    if threshold <= 0:
        return np.zeros(strength.shape[:1] + strength.shape)
    share = rate * np.clip((threshold - cohesion) / threshold, 0.0, 1.0)
    w = rivals[:, :, None] * present[None, :, :]
    total = w.sum(axis=1, keepdims=True)
    split = np.divide(w, total, out=np.zeros_like(w), where=total > 0)
    return (strength * share)[:, None, :] * split
