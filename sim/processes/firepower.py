"""Air cover and firepower: what deploying states add to their own and allies' fire.

A deploying state ``d`` gives air cover in proportion to how much of its
starting force is still there (its manning, ``troops present / initial``,
at most 1):

    cover[d] = air_support[d] · deploys[d] · min(1, S_d / S_d(0))

An actor's fire multiplier is ``air[j] = 1 + Σ_{d allied to j} cover[d] +
cover[j]``, and its firepower per fighter in province p is the ``E_j`` of
Lanchester's law (see :mod:`sim.processes.combat`):

    E[j, p] = effectiveness[j] · equipment[j, p] · air[j]

A client that leaned on its patrons (``patron_reliance``) keeps the part of
its cohesion that rests on them only as long as the allied cover it started
with remains (:func:`patron_support`): the 2021 collapse of Kabul's forces
after the US withdrawal is the pattern.

Scenario parameters: ``actors.<id>.air_support``, ``.deploys``,
``.effectiveness``, ``.equipment``, ``.patron_reliance``.
"""

from __future__ import annotations

import functools

import numpy as np

from sim.processes.memo import last_answer


def cover(
    strength: np.ndarray,
    initial_totals: np.ndarray,
    air_support: np.ndarray,
    deploys: np.ndarray,
) -> np.ndarray:
    """``[N]`` air cover each deploying state gives now: air support × manning.

    Args:
        strength: ``[N, P]`` fighters now.
        initial_totals: ``[N]`` each actor's fighters at the start.
        air_support: ``[N]`` the scenario's air support.
        deploys: ``[N]`` bool, the actor fields forces in the country.
    """
    air, start = _cover_constants(air_support, deploys, initial_totals)
    # fighters (never negative) over an infinite start are 0, as for the
    # actors that started with none
    manning = np.add.reduce(strength, axis=1) / start
    return air * np.minimum(manning, 1.0)


@last_answer
def _cover_constants(
    air_support: np.ndarray, deploys: np.ndarray, initial_totals: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """``(air support × deploys, the start's fighters, inf for none)``, once a run."""
    return air_support * deploys, np.where(initial_totals > 0, initial_totals, np.inf)


def allied_cover(allied: np.ndarray, cover_: np.ndarray) -> np.ndarray:
    """``[N]`` the cover an actor's allies give it (not counting its own)."""
    return allied.astype(float) @ cover_


def patron_support(
    allied: np.ndarray, cover_: np.ndarray, cover_at_start: np.ndarray
) -> np.ndarray:
    """``[N]`` share of the allied cover an actor had at the start, left now (0..1).

    An actor that had no allied cover at the start keeps 1: nothing it relied
    on can leave.
    """
    now = allied.astype(float) @ cover_  # allied_cover(allied, cover_)
    return np.divide(
        np.minimum(now, cover_at_start), cover_at_start,
        out=_ones(now.shape[0]).copy(), where=cover_at_start > 0,
    )  # fmt: skip


@functools.lru_cache(maxsize=8)
def _ones(n: int) -> np.ndarray:
    """``[n]`` ones, made once per number of actors (read-only; copy to fill)."""
    ones = np.ones(n)
    ones.flags.writeable = False
    return ones


def firepower(
    effectiveness: np.ndarray,
    equipment: np.ndarray,
    allied: np.ndarray,
    cover_: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """``(E, air)``: firepower per fighter ``[N, P]`` and fire multiplier ``[N]``."""
    air = 1.0 + allied.astype(float).T @ cover_ + cover_
    return effectiveness[:, None] * equipment * air[:, None], air
