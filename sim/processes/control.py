"""Who holds a province: SIGAR's five classes and a single controller.

Control follows SIGAR's district assessment: the government side's share of
armed strength ``g_p`` (the government and its allies against everyone
hostile to the government) puts a province in one of five classes,
``SigarClass`` in :mod:`sim.vocabulary`, cut at ``parameters.sigar_bands``.
An actor holding ``parameters.control_share`` of a province's armed strength
controls it; otherwise it is contested.

Ground changes hands through what happens in the province, and
:class:`Front` keeps that record so that each capture is logged with the
fighting (or the leaving) that caused it: the weeks of fighting, the losses
of the old holder and of the taker there, and how many the holder moved out.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from sim.vocabulary import SigarClass

#: The controller code of a province no actor controls.
CONTESTED = -1
#: The SIGAR class labels, by code (``SigarClass(code).label``).
SIGAR_CLASSES = tuple(c.label for c in SigarClass)


def government_share(
    armed: np.ndarray, government: int | None, allied: np.ndarray, hostile: np.ndarray
) -> np.ndarray:
    """``[P]`` the government side's share of the two sides' armed strength.

    The government side is the government and its allies; the other side is
    everyone hostile to the government. Provinces with neither count as 0.5.
    """
    if government is None:
        return np.full(armed.shape[1], 0.5)
    side = allied[government] | _one_hot(allied.shape[0], government)
    gov = np.add.reduce(armed[side], axis=0)
    ins = np.add.reduce(armed[hostile[government] & ~side], axis=0)
    both = gov + ins
    return np.divide(gov, both, out=_halves(armed.shape[1]).copy(), where=both > 0)


@functools.lru_cache(maxsize=64)
def _one_hot(n: int, i: int) -> np.ndarray:
    """``[n]`` bool, True at ``i`` alone (read-only, made once per actor)."""
    hot = np.zeros(n, dtype=bool)
    hot[i] = True
    hot.flags.writeable = False
    return hot


@functools.lru_cache(maxsize=8)
def _halves(size: int) -> np.ndarray:
    """``[size]`` of 0.5, the share of a province neither side holds (read-only)."""
    half = np.full(size, 0.5)
    half.flags.writeable = False
    return half


def sigar_class(gov_share: np.ndarray, bands: tuple[float, ...]) -> np.ndarray:
    """The SIGAR class code (:class:`~sim.vocabulary.SigarClass`) of each share."""
    return _band_array(tuple(bands)).searchsorted(gov_share, side="right")


@functools.lru_cache(maxsize=16)
def _band_array(bands: tuple[float, ...]) -> np.ndarray:
    """``bands`` as an array, made once per scenario's bands (read-only)."""
    edges = np.asarray(bands)
    edges.flags.writeable = False
    return edges


def controller(armed: np.ndarray, control_share: float) -> np.ndarray:
    """``[P]`` actor index holding ≥ ``control_share`` of armed strength, else -1."""
    total = np.add.reduce(armed, axis=0)
    top = armed.argmax(axis=0)
    # the largest value is the one at ``top``: the same number, one call
    most = np.maximum.reduce(armed, axis=0)
    share = np.divide(most, total, out=np.zeros(total.shape), where=total > 0)
    top[~(share >= control_share)] = CONTESTED  # argmax gave a new array
    return top


#: Weeks of fighting and movement a capture looks back on.
FRONT_WINDOW = 4


@dataclass(frozen=True)
class Front:
    """What happened in each province lately: the fighting and the leaving.

    A capture is told with the fighting that caused it: ``weeks`` counts the
    consecutive steps up to now with combat losses in each province,
    ``battle`` the losses ``[N, P]`` of each actor there over those steps,
    ``lost`` and ``left`` each actor's combat losses and net departures
    (moved out less moved in) over the last :data:`FRONT_WINDOW` steps, and
    ``holder`` the last actor that controlled each province (-1 never).
    """

    weeks: np.ndarray
    battle: np.ndarray
    lost: np.ndarray
    left: np.ndarray
    holder: np.ndarray

    @classmethod
    def start(cls, controller: np.ndarray, n: int) -> Front:
        """No fighting yet; each province's holder is its controller."""
        p = len(controller)
        ring = np.zeros((FRONT_WINDOW, n, p))
        return cls(np.zeros(p, dtype=int), np.zeros((n, p)), ring, ring.copy(),
                   controller.copy())  # fmt: skip

    def update(self, losses: np.ndarray, departed: np.ndarray) -> Front:
        """The front after a step with ``losses`` and net ``departed`` ``[N, P]``."""
        calm = ~(np.add.reduce(losses, axis=0) > 0)
        weeks = self.weeks + 1
        weeks[calm] = 0  # a week without fighting ends the count
        battle = self.battle + losses
        battle[:, calm] = 0.0
        lost = np.concatenate([self.lost[1:], losses[None]])
        left = np.concatenate([self.left[1:], departed[None]])
        return Front(weeks, battle, lost, left, self.holder)

    def held(self, controller: np.ndarray) -> Front:
        """The same front with ``controller`` remembered where someone holds."""
        holder = np.where(controller >= 0, controller, self.holder)
        return Front(self.weeks, self.battle, self.lost, self.left, holder)

    def account(self, q: int, loser: int, winner: int | None) -> dict:
        """The fighting behind ``winner`` taking province ``q`` from ``loser``.

        ``cause`` is ``fighting`` when the loser's combat losses there over
        the window are at least its net departures and not zero,
        ``withdrawal`` when it mostly left, ``buildup`` otherwise (the balance
        changed by recruits, defections or the winner's arrivals).
        """
        lost = float(self.lost[:, loser, q].sum())
        left = float(max(0.0, self.left[:, loser, q].sum()))
        if lost > 0 and lost >= left:
            cause = "fighting"
        elif left > lost:
            cause = "withdrawal"
        else:
            cause = "buildup"
        return {
            "weeks": int(self.weeks[q]),
            "battle_losses": round(float(self.battle[loser, q])),
            "losses": round(lost),
            "attacker_losses": None
            if winner is None
            else round(float(self.lost[:, winner, q].sum())),
            "left": round(left),
            "cause": cause,
        }
