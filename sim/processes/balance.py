"""Structural balance measured: balanced triads and the frustration index.

Heider (1946) called a triad of actors *balanced* when the product of its
three ties is positive ("the friend of my friend is my friend", "the enemy
of my enemy is my friend"); Cartwright & Harary (1956) proved that a signed
network all of whose cycles are balanced splits into two camps, friendly
inside and hostile across. Two measures say how far the alliance network of
a step is from that:

* **Balanced share** (Cartwright & Harary 1956; Heider 1946): among the
  triads whose three edges are all signed, the share whose sign product is
  positive. With ``S`` the signed adjacency matrix (zero diagonal),
  ``6·total = tr(|S|³)`` and ``6·(balanced − unbalanced) = tr(S³)``.
* **Frustration index** (Harary 1959, "On the measurement of structural
  balance", *Behavioral Science* 4; Aref, Mason & Wilson 2020, *Networks*
  75): the least number of edges whose sign must flip (equivalently: that
  must be removed) to make the network balanced. For a two-camp split
  ``s ∈ {+1, −1}ⁿ`` an edge is *frustrated* when ``S[i,j]·s_i·s_j < 0``
  (an ally across camps or an enemy inside one); the index is the minimum
  over all splits, ``min_s (E − ½ sᵀS s) / 2`` with ``E`` the signed edges.

**The signs** are the pair *status* the model acts on (ally +1, enemy −1,
neutral: no edge; :func:`sim.processes.pair_status.status`), not the raw
affinities: the status is symmetric, has the hysteresis that keeps noise
from flickering, and is what aid, combat and the chronicle's "allied pairs"
read.

**Exact up to 16 actors.** The minimum is found by enumerating all
``2^(n−1)`` splits (actor 0 fixed in the first camp) for ``n ≤``
:data:`EXACT_LIMIT` actors (the scenarios have 7 or 8). Beyond that the
split starts from the signs of the leading eigenvector of ``S`` and moves
one actor at a time while that lowers the count (a greedy local search):
the result is an *upper bound* on the index and is flagged ``exact=False``.
Among equally good splits the first in enumeration order is kept, so the
reported camps are deterministic.

Pure functions, no randomness.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.vocabulary import Status

#: Largest number of actors for which the frustration index is exact.
EXACT_LIMIT = 16


@dataclass(frozen=True)
class Balance:
    """The balance of one signed network.

    ``camps[i]`` is +1 or −1 for the optimal two-camp split (the camp of the
    first actor with a signed edge is +1) and 0 for an actor without any
    signed edge (it fits either camp). ``frustrated`` lists the edges
    ``(i, j)``, ``i < j``, that disagree with that split: flip these and the
    network is two clean camps.
    """

    signed_edges: int
    triads: int
    balanced_triads: int
    frustration: int
    camps: tuple[int, ...]
    frustrated: tuple[tuple[int, int], ...]
    exact: bool = True

    @property
    def balanced_share(self) -> float:
        """Share of fully signed triads that are balanced (1.0 when there are none)."""
        return self.balanced_triads / self.triads if self.triads else 1.0


def signs(status: np.ndarray) -> np.ndarray:
    """``S[i, j]``: +1 allies, −1 enemies, 0 neutral (no edge); zero diagonal.

    Symmetrised defensively: an edge is signed only where both directions
    agree (the model's status is symmetric already).
    """
    st = np.asarray(status, dtype=np.int64)
    s = np.where(st == Status.ALLY, 1, np.where(st == Status.ENEMY, -1, 0))
    s = np.where(s == s.T, s, 0)
    np.fill_diagonal(s, 0)
    return s


def triad_counts(s: np.ndarray) -> tuple[int, int]:
    """``(triads, balanced)``: fully signed triads and those with a positive product."""
    a = np.abs(s)
    total = int(np.trace(a @ a @ a)) // 6
    net = int(np.trace(s @ s @ s)) // 6  # balanced − unbalanced
    return total, (total + net) // 2


def frustrated_count(s: np.ndarray, split: np.ndarray) -> np.ndarray:
    """Frustrated edges of each split (rows of ``split``, entries ±1)."""
    edges = int(np.abs(s).sum()) // 2
    agree = np.einsum("pi,ij,pj->p", split, s, split) // 2
    return (edges - agree) // 2


def all_splits(n: int) -> np.ndarray:
    """``[2^(n−1), n]``: every two-camp split of ``n`` actors, actor 0 in camp +1."""
    codes = np.arange(2 ** max(n - 1, 0), dtype=np.int64)
    bits = (codes[:, None] >> np.arange(max(n - 1, 0))) & 1
    return np.hstack([np.ones((len(codes), 1), dtype=np.int64), 1 - 2 * bits])


def exact_split(s: np.ndarray) -> np.ndarray:
    """The first split of least frustration, by enumerating them all."""
    splits = all_splits(s.shape[0])
    return splits[int(np.argmin(frustrated_count(s, splits)))]


def greedy_split(s: np.ndarray) -> np.ndarray:
    """A split of locally least frustration (an upper bound on the index).

    Starts from the signs of the leading eigenvector of ``S`` and flips the
    actor whose move lowers the count most, until no single move does.
    """
    _, vecs = np.linalg.eigh(s.astype(float))
    split = np.where(vecs[:, -1] >= 0, 1, -1).astype(np.int64)
    while True:
        # flipping i changes the frustrated count by s_i · Σ_j S[i,j]·s_j
        gain = -split * (s @ split)
        i = int(np.argmax(gain))
        if gain[i] <= 0:
            return split
        split[i] = -split[i]


def measure(status: np.ndarray) -> Balance:
    """Balanced triads, frustration index and the best two-camp split of ``status``."""
    s = signs(status)
    n = s.shape[0]
    triads, balanced = triad_counts(s)
    exact = n <= EXACT_LIMIT
    split = exact_split(s) if exact else greedy_split(s)
    attached = np.abs(s).sum(axis=1) > 0
    if attached.any() and split[int(np.argmax(attached))] < 0:
        split = -split
    camps = np.where(attached, split, 0)
    rows, cols = np.nonzero(np.triu(s * np.outer(split, split)) < 0)
    frustrated = tuple((int(i), int(j)) for i, j in zip(rows, cols, strict=True))
    return Balance(
        signed_edges=int(np.abs(s).sum()) // 2,
        triads=triads,
        balanced_triads=balanced,
        frustration=len(frustrated),
        camps=tuple(int(c) for c in camps),
        frustrated=frustrated,
        exact=exact,
    )


def camps_text(camps, keys: list[str]) -> str:
    """The split as text: ``"a b | c d"``; actors without a signed edge left out."""
    first = [k for k, c in zip(keys, camps, strict=True) if c > 0]
    second = [k for k, c in zip(keys, camps, strict=True) if c < 0]
    return f"{' '.join(first)} | {' '.join(second)}"


def camps_words(b: Balance, names: list[str]) -> str:
    """The best split in words: "Best split: A, B against C, D."."""
    first = [nm for nm, c in zip(names, b.camps, strict=True) if c > 0]
    second = [nm for nm, c in zip(names, b.camps, strict=True) if c < 0]
    if not first or not second:
        return "No two camps: no pair is both signed and split."
    return f"Best split: {', '.join(first)} against {', '.join(second)}."


def _count(n: int, one: str, many: str) -> str:
    words = ["no", "one", "two", "three", "four", "five", "six"]
    return f"{words[n] if n < len(words) else n} {one if n == 1 else many}"


def describe(b: Balance, names: list[str]) -> str:
    """The balance in words a class understands.

    E.g. "3 of 4 triads balanced; one tie would have to flip for two clean
    camps: Russia–US/NATO."
    """
    if b.triads:
        head = f"{b.balanced_triads} of {b.triads} triads balanced"
    else:
        head = "no three actors are all tied to each other (no triad)"
    if not b.frustration:
        return f"{head}; the network splits into two clean camps."
    bound = "" if b.exact else "at most "
    ties = ", ".join(f"{names[i]}–{names[j]}" for i, j in b.frustrated)
    return (
        f"{head}; {bound}{_count(b.frustration, 'tie', 'ties')} would have to "
        f"flip for two clean camps: {ties}."
    )
