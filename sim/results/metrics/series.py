"""Per-step series of a run, one function per kind of named metric.

Each reads a :class:`sim.core.history.History` (rows ``0 .. n_rows-1`` only,
so a run stopped early or rebuilt from files reads the same) and returns one
value per step, or for whole-run quantities one number. An actor the run does
not have reads as zeros (or NaN where zero would be a claim).
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from sim.core.history import History
from sim.vocabulary import SigarClass, Status
from sim.world.geography import load_geography

#: SIGAR's two government classes ("government influence" and "control").
GOVERNMENT_CLASSES = (SigarClass.GOVERNMENT_INFLUENCE, SigarClass.GOVERNMENT_CONTROL)


def _actor_row(h: History, actor: str) -> int | None:
    return h.actor_keys.index(actor) if actor in h.actor_keys else None


def _province_columns(h: History, spec: str) -> list[int]:
    """Province ids named by ``A+B+region+all`` (provinces or regions)."""
    regions = h.regions or load_geography().regions
    cols: set[int] = set()
    for name in spec.split("+"):
        if name == "all":
            cols.update(range(len(h.province_names)))
        elif name in h.province_names:
            cols.add(h.province_names.index(name))
        else:
            cols.update(q for q, r in enumerate(regions) if r == name)
    return sorted(cols)


def _per_actor(h: History, actor: str, fn: Callable) -> np.ndarray:
    i = _actor_row(h, actor)
    return np.zeros(h.n_rows) if i is None else fn(i).astype(float)


def provinces_series(h: History, actor: str) -> np.ndarray:
    """Provinces the actor controls, per step."""
    return _per_actor(h, actor, lambda i: (h.controller[: h.n_rows] == i).sum(axis=1))


def strength_series(h: History, actor: str) -> np.ndarray:
    """The actor's fighters, per step."""
    return _per_actor(h, actor, lambda i: h.strength[: h.n_rows, i].sum(axis=1))


def presence_series(h: History, actor: str) -> np.ndarray:
    """Provinces holding at least one of the actor's fighters, per step."""
    return _per_actor(h, actor, lambda i: (h.strength[: h.n_rows, i] >= 1.0).sum(1))


def strength_in_series(h: History, actor: str, where: str) -> np.ndarray:
    """The actor's fighters in the provinces or regions named, per step."""
    cols = _province_columns(h, where)
    return _per_actor(h, actor, lambda i: h.strength[: h.n_rows, i][:, cols].sum(1))


def contested_series(h: History) -> np.ndarray:
    """Provinces no actor controls, per step."""
    return (h.controller[: h.n_rows] < 0).sum(axis=1).astype(float)


def government_side_series(h: History) -> np.ndarray:
    """Share of provinces in SIGAR's government classes, per step."""
    sigar = h.sigar[: h.n_rows]
    return np.isin(sigar, GOVERNMENT_CLASSES).mean(axis=1)


def _pair_status(h: History, a: str, b: str) -> np.ndarray | None:
    i, j = _actor_row(h, a), _actor_row(h, b)
    return None if i is None or j is None else h.status[: h.n_rows, i, j]


def allied_series(h: History, a: str, b: str) -> np.ndarray:
    """1 while the pair are allies, else 0."""
    st = _pair_status(h, a, b)
    return np.zeros(h.n_rows) if st is None else (st == Status.ALLY).astype(float)


def affinity_series(h: History, a: str, b: str) -> np.ndarray:
    """How the first actor regards the second, per step (NaN if absent)."""
    i, j = _actor_row(h, a), _actor_row(h, b)
    if i is None or j is None:
        return np.full(h.n_rows, np.nan)
    return h.affinity[: h.n_rows, i, j].astype(float)


def aid_series(h: History, actor: str, what: str) -> np.ndarray:
    """Aid the patron sent, delivered or lost (``what``) at each step."""
    out = np.zeros(h.n_rows)
    for f in h.flows:
        if f.patron == actor and f.step < h.n_rows:
            out[f.step] += getattr(f, what)
    return out / 1e6  # flows are kept in exact micro-units


def aid_received_series(h: History, actor: str) -> np.ndarray:
    """Aid delivered to the actor at each step."""
    return _per_actor(h, actor, lambda i: h.aid_received[: h.n_rows, i])


def losses_series(h: History, actor: str) -> np.ndarray:
    """Fighters the actor lost in combat at each step."""
    return _per_actor(h, actor, lambda i: h.losses[: h.n_rows, i])


def recruits_series(h: History, actor: str) -> np.ndarray:
    """Fighters the actor recruited at each step."""
    return _per_actor(h, actor, lambda i: h.recruits[: h.n_rows, i])


def enemies_series(h: History, a: str, b: str) -> np.ndarray:
    """1 while the pair are enemies, else 0."""
    st = _pair_status(h, a, b)
    return np.zeros(h.n_rows) if st is None else (st == Status.ENEMY).astype(float)


def aid_to_series(h: History, patron: str, client: str) -> np.ndarray:
    """Aid the patron got through to this client at each step."""
    out = np.zeros(h.n_rows)
    for f in h.flows:
        if f.patron == patron and f.client == client and f.step < h.n_rows:
            out[f.step] += f.delivered
    return out / 1e6  # flows are kept in exact micro-units


def government_side_in_series(h: History, where: str) -> np.ndarray:
    """Share of the provinces named in SIGAR's government classes."""
    cols = _province_columns(h, where)
    sigar = h.sigar[: h.n_rows][:, cols]
    return np.isin(sigar, GOVERNMENT_CLASSES).mean(axis=1)


def presence_in_series(h: History, actor: str, where: str) -> np.ndarray:
    """How many of the provinces named hold the actor's fighters."""
    cols = _province_columns(h, where)
    return _per_actor(
        h, actor, lambda i: (h.strength[: h.n_rows, i][:, cols] >= 1.0).sum(1)
    )


def share_in_series(h: History, actor: str, where: str) -> np.ndarray:
    """Share of the actor's fighters in the provinces named (NaN if none)."""
    i = _actor_row(h, actor)
    if i is None:
        return np.full(h.n_rows, np.nan)
    cols = _province_columns(h, where)
    total = h.strength[: h.n_rows, i].sum(axis=1)
    part = h.strength[: h.n_rows, i][:, cols].sum(axis=1)
    return np.divide(part, total, out=np.full(h.n_rows, np.nan), where=total > 0)


def alliance_week(h: History, a: str, b: str) -> float:
    """First step at which the pair are allies (NaN if never)."""
    st = _pair_status(h, a, b)
    allied = np.flatnonzero(st == Status.ALLY) if st is not None else np.array([])
    return float(allied[0]) if allied.size else math.nan


def share_allied(h: History, a: str, b: str) -> float:
    """Share of steps after the start in which the pair are allies."""
    st = _pair_status(h, a, b)
    return 0.0 if st is None or len(st) < 2 else float((st[1:] == Status.ALLY).mean())


def ever_allied(h: History, a: str, b: str) -> float:
    """1 if the pair are allies at any step, else 0."""
    st = _pair_status(h, a, b)
    return float(st is not None and bool((st == Status.ALLY).any()))
