"""Fighting in the provinces: a named attrition law, stochastic losses.

In each province every pair of mutually hostile forces fights. With ``F_j =
E_j · S_j`` the firepower of j's fighters there (``E_j`` effectiveness ×
equipment × air support from allied deploying states,
:mod:`sim.processes.firepower`), ``f_jk`` the share of j's fire aimed at k
(:mod:`sim.processes.engagements`) and ``τ_p`` the terrain multiplier
(``parameters.terrain``), the expected losses that j inflicts on k in a
step follow ``parameters.combat_law``:

* ``square`` — Lanchester's (1916) square law of aimed fire: each fighter
  who fires hits a target at a constant rate, ``L_jk = β · F_j · f_jk · τ``
  (``dS_k/dt = −β Σ_j E_j S_j f_jk``; ``E_a S_a² − E_b S_b²`` is conserved
  in a two-sided fight).
* ``linear`` — Lanchester's linear law of area (unaimed) fire: hits grow with
  the density of the targets, ``L_jk = β · F_j · f_jk · S_k / N₀ · τ``
  (``dS_k/dt = −β/N₀ · S_k Σ_j E_j S_j f_jk``; ``E_a S_a − E_b S_b`` is
  conserved), with ``N₀`` ``parameters.area_fire_scale``, the target
  strength at which area fire hits as aimed fire does.
* ``deitchman`` — Deitchman's (1962) guerrilla model, ``Operations Research``
  10(6): 818-827: insurgents hidden among the population are hit by the
  government's and states' forces only by area fire (linear law), and they
  hit those exposed forces by aimed fire (square law). Insurgents fighting
  insurgents (Taliban against ISIS-K) know the villages and the men and fire
  aimed (square law): the law is set by the intelligence the shooter has on
  the target (Kress & Szechtman 2009, *Operations Research* 57(3): 578-585).
  A pair takes the linear law when the shooter is not an insurgent and the
  target is one (``kind: insurgent``); every other pair the square law.
* ``per_capita`` — the model's old formula, kept for comparison,
  ``L_jk = β · (F_j f_jk)^α · S_k^(1−α) · τ``: at α = 0 a per-capita rate
  independent of the attacker, and with α < 1 splitting fire *raises* an
  attacker's total kills. No named law; not the default of any scenario.

With three or more hostile forces each splits its fire over its enemies
(:func:`sim.processes.engagements.fire_shares`). Under the three named laws
a split never raises an attacker's total kills above what it would inflict
on the one enemy it hurts most. No force inflicts more than
``parameters.kill_cap`` expected kills per fighter per step. Losses are
Poisson draws on the combat stream, never more than the force has.
"""

from __future__ import annotations

import numpy as np

from sim.processes.engagements import Engagements, fire_shares
from sim.processes.memo import last_answer
from sim.processes.recruitment import poisson
from sim.scenario.schema import Parameters

__all__ = [
    "area_fire",
    "cap_kills",
    "draw",
    "draw_losses",
    "engage",
    "expected_losses",
    "law_losses",
]

#: The attrition laws of ``parameters.combat_law``.
LAWS = ("per_capita", "square", "linear", "deitchman")


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
        shares: per-engagement fire shares from
            :func:`sim.processes.engagements.fire_shares`.
        beta: attrition rate per step.
        alpha: Lanchester exponent.
        terrain: ``[P]`` attrition multiplier.
    """
    fire = (firepower * strength).take(eng.from_cell) * shares
    exposure = (strength ** (1.0 - alpha)).take(eng.to_cell)
    # where nobody fires there are no losses, whatever alpha (0**0 is 1)
    firing = fire > 0
    attack = np.zeros(fire.shape)
    attack[firing] = fire[firing] ** alpha
    return beta * attack * exposure * np.asarray(terrain)[eng.p]


def law_losses(
    eng: Engagements,
    strength: np.ndarray,
    firepower: np.ndarray,
    shares: np.ndarray,
    beta: float,
    terrain: np.ndarray,
    area: np.ndarray,
    scale: float,
) -> np.ndarray:
    """``L[j, k, p]`` under Lanchester's square or linear law, by pair.

    Aimed fire (square law) gives ``β · E_j S_j f_jk · τ_p``; where
    ``area[j, k]`` j hits k by area fire (linear law), which multiplies that
    by ``S_k / scale``. All-False ``area`` is the square law, all-True the
    linear law, :func:`area_fire` of the insurgents Deitchman's model.

    Args:
        eng: the engagements.
        strength: ``[N, P]`` fighters.
        firepower: ``[N, P]`` effectiveness per fighter (E).
        shares: per-engagement fire shares from
            :func:`sim.processes.engagements.fire_shares`.
        beta: attrition rate per step (β).
        terrain: ``[P]`` attrition multiplier (τ).
        area: ``[N, N]`` bool, j hits k by area fire.
        scale: ``N₀``, target strength at which area fire equals aimed fire.
    """
    fire = (firepower * strength).take(eng.from_cell) * shares
    aimed, tau = _law_constants(eng.pair, eng.p, area, terrain)
    density = strength.take(eng.to_cell) / scale
    density[aimed] = 1.0  # aimed fire: the square law
    return beta * fire * density * tau


@last_answer
def _law_constants(
    pair: np.ndarray, p: np.ndarray, area: np.ndarray, terrain: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """``(aimed, τ)`` of each engagement: not area fire, and its terrain.

    Kept while the engagements are
    (:meth:`sim.processes.engagements.Engagements.find`) and the
    scenario's arrays the same objects (:mod:`sim.processes.memo`).
    """
    return ~area.take(pair), np.asarray(terrain)[p]


def area_fire(law: str, n: int, hidden: np.ndarray | None = None) -> np.ndarray:
    """``[N, N]`` bool: j hits k by area fire (linear law) under ``law``.

    None under the square law, every pair under the linear law; under
    Deitchman's, the pairs of a shooter that is not ``hidden`` (an insurgent)
    and a target that is.
    """
    if law == "linear":
        return np.ones((n, n), dtype=bool)
    if law == "deitchman" and hidden is not None:
        hidden = np.asarray(hidden, dtype=bool)
        return ~hidden[:, None] & hidden[None, :]
    return np.zeros((n, n), dtype=bool)


#: :func:`area_fire` for the scenario a run steps with, made once (read-only).
_area_fire_of = last_answer(area_fire)


def cap_kills(
    eng: Engagements, expected: np.ndarray, strength: np.ndarray, cap: float | None
) -> np.ndarray:
    """Expected losses scaled so no force inflicts more than ``cap`` per fighter.

    ``cap`` bounds the sum over targets of what j's fighters in p inflict,
    per fighter and step; None leaves the losses as they are.
    """
    if cap is None:
        return expected
    cells = eng.from_cell
    size = eng.n * eng.provinces
    inflicted = np.bincount(cells, weights=expected, minlength=size)[cells]
    most = cap * strength.take(cells)
    over = inflicted > most
    if not np.logical_or.reduce(over):  # the usual step: no force near the cap
        return expected
    out = expected.copy()
    out[over] *= most[over] / inflicted[over]
    return out


def draw_losses(
    eng: Engagements,
    expected: np.ndarray,
    strength: np.ndarray,
    rng: np.random.Generator,
) -> np.ndarray:
    """Poisson losses per engagement (j on k in p).

    Never more than a force has: k's draws in p are scaled to its strength.
    """
    return draw(eng, expected, strength, rng)[0]


def draw(
    eng: Engagements,
    expected: np.ndarray,
    strength: np.ndarray,
    rng: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray]:
    """``(kills, losses)``: :func:`draw_losses` and each force's ``[N, P]`` total.

    The model needs both; the total is summed once, and the draws are
    scaled only where some force would lose more than it has (rarely).
    """
    fighting = expected > 0
    if np.logical_and.reduce(fighting):  # the usual step: all expect losses
        kills = poisson(rng, expected)
    else:
        kills = np.zeros(expected.shape)
        kills[fighting] = poisson(rng, expected[fighting])
    total = eng.total(eng.to_cell, kills)
    over = total > strength
    if not np.logical_or.reduce(over, axis=None):  # nobody loses more than it has
        return kills, total
    scale = np.divide(strength, total, out=np.ones_like(strength), where=over)
    kills = kills * scale.ravel()[eng.to_cell]
    return kills, eng.total(eng.to_cell, kills)


def engage(
    strength: np.ndarray,
    hostile: np.ndarray,
    firepower: np.ndarray,
    intensity: np.ndarray,
    p: Parameters,
    terrain: np.ndarray,
    hidden: np.ndarray | None = None,
) -> tuple[Engagements, np.ndarray]:
    """Where hostile forces meet, and the losses ``L[j, k, p]`` expected there.

    Args:
        strength: ``[N, P]`` fighters.
        hostile: ``[N, N]`` who fights whom.
        firepower: ``[N, P]`` E per fighter.
        intensity: ``[N, N]`` from
            :func:`sim.processes.engagements.fire_intensity`.
        p: the scenario's parameters (``combat_law``, ``beta``, ``alpha``,
            ``fire_focus``, ``area_fire_scale``, ``kill_cap``).
        terrain: ``[P]`` attrition multiplier.
        hidden: ``[N]`` bool, insurgents hidden among the population (the
            targets of area fire under Deitchman's law); default none.
    """
    eng = Engagements.find(strength, hostile)
    shares = fire_shares(eng, strength, hostile, intensity, p.fire_focus)
    if p.combat_law == "per_capita":
        expected = expected_losses(
            eng, strength, firepower, shares, p.beta, p.alpha, terrain
        )
    else:
        area = _area_fire_of(p.combat_law, strength.shape[0], hidden)
        expected = law_losses(
            eng, strength, firepower, shares, p.beta, terrain, area,
            p.area_fire_scale,
        )  # fmt: skip
    return eng, cap_kills(eng, expected, strength, p.kill_cap)
