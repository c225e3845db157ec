"""Who holds a province: SIGAR's five classes and a single controller.

Control follows SIGAR's district assessment: the government side's share of
armed strength ``g_p`` (the government and its allies against everyone
hostile to the government) puts a province in one of five classes,
``SigarClass`` in :mod:`sim.vocabulary`, cut at ``parameters.sigar_bands``.
An actor holding ``parameters.control_share`` of a province's armed strength
controls it; otherwise it is contested.
"""

from __future__ import annotations

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
    side = allied[government].copy()
    side[government] = True
    gov = armed[side].sum(axis=0)
    ins = armed[hostile[government] & ~side].sum(axis=0)
    both = gov + ins
    return np.divide(gov, both, out=np.full_like(gov, 0.5), where=both > 0)


def sigar_class(gov_share: np.ndarray, bands: tuple[float, ...]) -> np.ndarray:
    """The SIGAR class code (:class:`~sim.vocabulary.SigarClass`) of each share."""
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
