"""Sparse arrays over (actor j, actor k, province p): where two forces can meet.

Combat and defection are defined between every pair of actors in every
province, but on a large map most actors are absent from most provinces.
:class:`Triples` keeps values only where they can be non-zero, in the same
C order as the full ``[N, N, P]`` array, so that sums and random draws over
them run exactly as they would over the full array.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

#: Maps of at least this many provinces find triples actor by actor.
BY_ACTOR_PROVINCES = 1000


def _where_by_actor(
    pairs: np.ndarray, first: np.ndarray, second: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(j, k, p)`` of :meth:`Triples.where`, found one actor j at a time.

    For each j, only the provinces where ``first[j]`` holds are read, for
    each of its partners k: j, then k, then p ascending, as the full array's
    C order.
    """
    js, ks, ps = [], [], []
    for j in np.flatnonzero(np.logical_or.reduce(pairs, 1)).tolist():
        cols = np.flatnonzero(first[j])
        partners = np.flatnonzero(pairs[j])
        met, at = second[partners][:, cols].nonzero()
        js.append(np.full(len(at), j, dtype=partners.dtype))
        ks.append(partners[met])
        ps.append(cols[at])
    if not js:
        empty = np.zeros(0, dtype=np.intp)
        return empty, empty, empty
    return np.concatenate(js), np.concatenate(ks), np.concatenate(ps)


def first_of_runs(values: np.ndarray) -> np.ndarray:
    """True at the first of each run of equal values (``values`` sorted)."""
    first = np.ones(len(values), dtype=bool)
    first[1:] = values[1:] != values[:-1]
    return first


def merged(
    old: np.ndarray, new: np.ndarray, at: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(union, old_at, new_at)``: two sorted index arrays merged, and where each went.

    ``old`` and ``new`` are sorted and each without repeats; ``at`` is
    ``old.searchsorted(new)``, which the caller has already. ``union`` is
    their sorted union, ``union[old_at]`` is ``old`` and ``union[new_at]`` is
    ``new``. Counting, not sorting or searching: a value of ``new`` missing
    from ``old`` moves up every value of ``old`` from its place ``at``.
    """
    m = len(old)
    inside = at < m
    seen = np.zeros(len(new), dtype=bool)
    seen[inside] = old[at[inside]] == new[inside]
    fresh = ~seen
    new_at = at + (np.cumsum(fresh) - fresh)  # fresh values before each
    moved = np.cumsum(np.bincount(at[fresh], minlength=m + 1))[:m]
    old_at = np.arange(m) + moved
    union = np.empty(m + len(new) - int(np.count_nonzero(seen)), dtype=old.dtype)
    union[old_at] = old
    union[new_at[fresh]] = new[fresh]
    return union, old_at, new_at


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
        """Triples where ``pairs[j, k]``, ``first[j, p]`` and ``second[k, p]`` hold.

        On a large map (:data:`BY_ACTOR_PROVINCES` provinces or more) each
        actor j is matched only in the provinces where ``first`` holds for
        it, instead of every pair in every province: the same triples in the
        same order, for a cost that grows with where the actors are rather
        than with pairs × provinces.
        """
        n, n_prov = first.shape
        if n_prov >= BY_ACTOR_PROVINCES:
            return cls(*_where_by_actor(pairs, first, second), n, n_prov)
        jj, kk = pairs.nonzero()
        pair, p = (first[jj] & second[kk]).nonzero()
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
    def pair(self) -> np.ndarray:
        """Flat ``j·N + k`` index of each triple into an ``[N, N]`` array."""
        return self.j * self.n + self.k

    @cached_property
    def flat(self) -> np.ndarray:
        """Flat index of each triple into an ``[N, N, P]`` array (sorted)."""
        return self.pair * self.provinces + self.p

    def total(self, cells: np.ndarray, values: np.ndarray) -> np.ndarray:
        """``[N, P]`` sums of per-triple ``values`` by from- or to-cell."""
        size = self.n * self.provinces
        return np.bincount(cells, weights=values, minlength=size).reshape(
            self.n, self.provinces
        )

    def by_pair(self, values: np.ndarray) -> np.ndarray:
        """``[N, N]`` sums of per-triple ``values`` over provinces."""
        out = np.bincount(self.pair, weights=values, minlength=self.n * self.n)
        return out.reshape(self.n, self.n)

    def dense(self, values: np.ndarray) -> np.ndarray:
        """Per-triple values as the full ``[N, N, P]`` array (zeros elsewhere)."""
        out = np.zeros((self.n, self.n, self.provinces))
        out[self.j, self.k, self.p] = values
        return out
