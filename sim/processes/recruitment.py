"""Recruitment: new fighters drawn from the population an actor holds.

Expected recruits of actor i in province p each step are

    R[i, p] = rate_i · pop_p / 10⁵ · match[i, p] · hold[i, p]

with ``rate`` ``actors.<id>.recruitment_rate``, ``match`` the share of the
population of the ethnic groups in ``actors.<id>.recruits``, and ``hold`` the
share of the province's armed strength the actor holds (Epstein 2002,
*PNAS* 99, for the local-legitimacy intuition). Collateral damage from air
strikes adds recruits to insurgents (``parameters.collateral``). The draw is
Poisson on the recruitment stream. Recruits and aid-paid fighters bring the
actor's baseline kit, so equipment becomes the strength-weighted mean
(:func:`add_recruits`).
"""

from __future__ import annotations

import numpy as np

from sim.processes.memo import last_answer

POISSON_MAX = 1e12  # numpy's Poisson sampler refuses means above ~9.2e18


def poisson(rng: np.random.Generator, mean: np.ndarray) -> np.ndarray:
    """Poisson draws for any finite mean, as floats.

    Above :data:`POISSON_MAX` the part of the mean beyond it is added as is
    (rounded; its relative spread would be below one in a million), so a run
    whose forces grow without bound keeps going; below it the draws, and the
    stream they consume, are numpy's own.
    """
    if mean.size == 0 or np.maximum.reduce(mean, axis=None) <= POISSON_MAX:
        return rng.poisson(mean).astype(float)
    capped = np.minimum(mean, POISSON_MAX)
    return rng.poisson(capped) + np.rint(mean - capped)


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
    total = np.add.reduce(armed, axis=0)  # armed.sum(axis=0), one call fewer
    hold = np.divide(armed, total, out=np.zeros(armed.shape), where=total > 0)
    return recruiting_pool(rate, population, ethnic_match) * hold


@last_answer
def recruiting_pool(
    rate: np.ndarray, population: np.ndarray, ethnic_match: np.ndarray
) -> np.ndarray:
    """``[N, P]`` recruits a step where the actor holds all armed strength.

    ``rate · pop / 10⁵ · match``, the part of :func:`recruitment` fixed for
    a scenario: computed once per run (:mod:`sim.processes.memo`).
    """
    return rate[:, None] * population[None, :] / 1e5 * ethnic_match


def add_recruits(
    strength: np.ndarray,
    equipment: np.ndarray,
    recruits: np.ndarray,
    base_equipment: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """``(strength, equipment)`` after ``recruits`` join with the actor's baseline kit.

    Equipment per fighter becomes the strength-weighted mean of the force's
    kit and the newcomers' (``base_equipment``, ``[N]``); where no fighter is
    left it stays as it was. The inputs are not changed.
    """
    new = strength + recruits
    base = base_equipment[:, None]
    kit = np.divide(
        strength * equipment + recruits * base,
        new,
        out=equipment.copy(),
        where=new > 0,
    )
    return new, kit


def collateral(rate: float, air_kills: np.ndarray, insurgent: np.ndarray) -> np.ndarray:
    """``[N, P]`` recruits insurgents gain next step from losses caused from the air.

    Args:
        rate: ``parameters.collateral``, recruits per air-caused loss.
        air_kills: ``[N, P]`` the part of each force's losses due to air cover.
        insurgent: ``[N]`` bool, which actors recruit from the grievance.
    """
    return rate * air_kills * insurgent[:, None]
