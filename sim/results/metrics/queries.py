"""Questions asked of one finished run: when did two actors ally, who stands where.

Each function reads a :class:`sim.core.history.History` only, so it works on a
model just run or on one rebuilt from files. Tests, notebooks and the
benchmark ask these directly; sweeps use the named metrics instead.
"""

from __future__ import annotations

import numpy as np

from sim.core.history import History
from sim.vocabulary import Status


def first_alliance(h: History, a: str, b: str) -> int | None:
    """Step at which ``a`` and ``b`` first became allies, or ``None``."""
    i, j = h.actor_keys.index(a), h.actor_keys.index(b)
    allied = np.flatnonzero(h.status[: h.n_rows, i, j] == Status.ALLY)
    return int(allied[0]) if allied.size else None


def share_allied(h: History, a: str, b: str) -> float:
    """Share of steps (after the start) in which ``a`` and ``b`` were allies."""
    i, j = h.actor_keys.index(a), h.actor_keys.index(b)
    return float((h.status[1 : h.n_rows, i, j] == Status.ALLY).mean())


def alliance_reasons(h: History, a: str, b: str) -> list[list]:
    """The explanation terms of the first time ``a`` and ``b`` became allies."""
    for e in h.events:
        if e["type"] == "alliance" and {e["a"], e["b"]} == {a, b}:
            return e["why"]
    return []


def leading_shared_enemy(h: History, a: str, b: str) -> str | None:
    """Display name of the largest 'shared enemy' term when ``a``–``b`` first allied."""
    shared = [
        (v, label)
        for label, v in alliance_reasons(h, a, b)
        if label.startswith("shared enemy ")
    ]
    if not shared:
        return None
    return max(shared)[1].removeprefix("shared enemy ")


def strength_in(h: History, actor: str, provinces: list[str], step: int = -1) -> float:
    """Fighters of ``actor`` in ``provinces`` at ``step`` (default: the end)."""
    if actor not in h.actor_keys:
        return 0.0
    i = h.actor_keys.index(actor)
    cols = [h.province_names.index(p) for p in provinces]
    t = h.n_rows - 1 if step < 0 else step
    return float(h.strength[t, i, cols].sum())


def provinces_present(
    h: History, actor: str, step: int = -1, least: float = 1.0
) -> int:
    """Provinces where ``actor`` has at least ``least`` fighters at ``step``."""
    if actor not in h.actor_keys:
        return 0
    t = h.n_rows - 1 if step < 0 else step
    return int((h.strength[t, h.actor_keys.index(actor)] >= least).sum())
