"""The remembered losses: what j inflicted on k in p, smoothed over steps.

Each step blends its expected losses (:func:`sim.processes.combat.engage`)
into the memory, ``K ← m · K + (1 − m) · L`` with ``m`` :data:`KILLS_MEMORY`,
and the relations read it back summed over each actor's provinces of
interest (:meth:`KillMemory.inflicted_in`): who has been hurting whom, and
where. The memory is kept only where it is not zero, as sorted flat indices
of the ``[N, N, P]`` array, like the engagements it grows from
(:mod:`sim.processes.engagements`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

from sim.processes import weighted
from sim.processes.engagements import Engagements
from sim.processes.memo import last_answer
from sim.processes.triples import first_of_runs, merged

#: How much of last step's remembered kills a step keeps (the rest is new).
KILLS_MEMORY = 0.7


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
        at, holds = _placed(self.index, new)
        if holds:  # the usual case: fights where there were before
            value = keep * self.value
            value[at] += (1 - keep) * expected
            out = KillMemory(self.index, value, self.n, self.provinces)
            if "_layout" in self.__dict__:  # same entries: same layout
                out.__dict__["_layout"] = self.__dict__["_layout"]
            return out
        index, old_at, new_at = merged(self.index, new, at)
        value = np.zeros(len(index))
        value[old_at] = keep * self.value
        value[new_at] += (1 - keep) * expected
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
            out[:, pairs] = weighted.run_sums(weights, p, self.value, starts)
        return out.reshape(w, n, n)

    @cached_property
    def _layout(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(pairs held, where each pair's run starts, province of each entry)."""
        pair, p = np.divmod(self.index, self.provinces)
        starts = np.flatnonzero(first_of_runs(pair))
        return pair[starts], starts, p


@last_answer
def _placed(index: np.ndarray, new: np.ndarray) -> tuple[np.ndarray, bool]:
    """``(at, holds)``: where ``new`` falls in ``index``, and whether all are there.

    Both are sorted flat indices (:class:`KillMemory`); as they are, all of
    ``new`` fall inside ``index`` when the last does. Kept while both are the
    same objects: the engagements (:meth:`Engagements.find`) and the
    memory's index last for many steps.
    """
    at = index.searchsorted(new)
    if not len(new):
        return at, True
    if at[-1] >= len(index):
        return at, False
    return at, bool(np.logical_and.reduce(index[at] == new))
