"""Two runs of the same seed set side by side: the paired differences.

``greatgame compare A.yaml B.yaml`` runs a baseline (A) and a counterfactual
(B) with the same seed, so both draw the same random numbers wherever their
scenarios agree (common random numbers) and what differs is the scenario's
doing, not the dice's. This module pairs the two histories week by week:

* :func:`province_pairs`: each province's holder in A and in B;
* :func:`fighter_pairs`: each actor's fighters in A and in B and B − A;
* :func:`relation_pairs`: each pair's status (ally, neutral, enemy) in both;
* :func:`relation_changes`: the week each relation changed in A and in B.

The two runs must share their map and their dates; their actors may differ
(a counterfactual may remove one): an actor missing from a run has no
fighters there and its relations are ``absent``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from sim.core.history import History
from sim.vocabulary import CONTESTED, Status

__all__ = [
    "ABSENT",
    "NotComparable",
    "check_comparable",
    "fighter_pairs",
    "province_pairs",
    "relation_changes",
    "relation_pairs",
    "union_actors",
]

#: The status of a pair when one of its actors is not in the run.
ABSENT = "absent"


class NotComparable(ValueError):
    """Two runs that cannot be paired week by week (other map or other dates)."""


def check_comparable(a: History, b: History) -> None:
    """Refuse two runs that do not share their provinces and their weeks.

    Raises:
        NotComparable: naming what differs (the first provinces or dates).
    """
    if a.province_names != b.province_names:
        only_a = sorted(set(a.province_names) - set(b.province_names))[:3]
        only_b = sorted(set(b.province_names) - set(a.province_names))[:3]
        raise NotComparable(
            "the two scenarios are played on different maps (provinces only in "
            f"A: {', '.join(only_a) or 'none'}; only in B: "
            f"{', '.join(only_b) or 'none'}); compare scenarios of the same map"
        )
    dates_a, dates_b = a.dates[: a.n_rows], b.dates[: b.n_rows]
    if dates_a != dates_b:
        raise NotComparable(
            f"the two runs cover different weeks (A: {dates_a[0]} to "
            f"{dates_a[-1]}, {len(dates_a) - 1} steps; B: {dates_b[0]} to "
            f"{dates_b[-1]}, {len(dates_b) - 1} steps); give both the same "
            "start, step length and number of steps"
        )


@dataclass(frozen=True)
class Actor:
    """An actor of either run: its key, its name and its index in A and in B."""

    key: str
    name: str
    in_a: int | None
    in_b: int | None


def union_actors(a: History, b: History) -> list[Actor]:
    """The actors of A in A's order, then those only in B."""
    out = []
    for i, key in enumerate(a.actor_keys):
        j = b.actor_keys.index(key) if key in b.actor_keys else None
        out.append(Actor(key, a.actor_names[i], i, j))
    for j, key in enumerate(b.actor_keys):
        if key not in a.actor_keys:
            out.append(Actor(key, b.actor_names[j], None, j))
    return out


def _holder(h: History, t: int, p: int) -> str:
    code = int(h.controller[t, p])
    return CONTESTED if code < 0 else h.actor_keys[code]


def province_pairs(a: History, b: History) -> pd.DataFrame:
    """Each week and province: its holder in A and in B, and whether they differ.

    Columns ``step, date, province, holder_A, holder_B, differs``; the holder
    is an actor key or ``contested``.
    """
    check_comparable(a, b)
    rows = []
    for t in range(a.n_rows):
        for p, name in enumerate(a.province_names):
            ha, hb = _holder(a, t, p), _holder(b, t, p)
            rows.append((t, a.dates[t].isoformat(), name, ha, hb, ha != hb))
    return pd.DataFrame(
        rows, columns=["step", "date", "province", "holder_A", "holder_B", "differs"]
    )


def _fighters(h: History, index: int | None) -> np.ndarray:
    if index is None:
        return np.zeros(h.n_rows)
    return h.strength[: h.n_rows, index].sum(axis=1)


def fighter_pairs(a: History, b: History) -> pd.DataFrame:
    """Each week and actor: fighters in A, in B, and the paired difference B − A.

    Columns ``step, date, actor, fighters_A, fighters_B, difference`` (whole
    fighters, rounded as the run's tables round them).
    """
    check_comparable(a, b)
    frames = []
    for actor in union_actors(a, b):
        fa = np.round(_fighters(a, actor.in_a)).astype(int)
        fb = np.round(_fighters(b, actor.in_b)).astype(int)
        frames.append(
            pd.DataFrame(
                {
                    "step": np.arange(a.n_rows),
                    "date": [d.isoformat() for d in a.dates[: a.n_rows]],
                    "actor": actor.key,
                    "fighters_A": fa,
                    "fighters_B": fb,
                    "difference": fb - fa,
                }
            )
        )
    out = pd.concat(frames, ignore_index=True)
    return out.sort_values(["step"], kind="stable").reset_index(drop=True)


def _status_series(h: History, i: int | None, j: int | None) -> list[str]:
    """The pair's status each week (as the chronicle reads it: i's row, i < j)."""
    if i is None or j is None:
        return [ABSENT] * h.n_rows
    lo, hi = min(i, j), max(i, j)
    return [Status(int(s)).label for s in h.status[: h.n_rows, lo, hi]]


def _pairs_of(actors: list[Actor]) -> list[tuple[Actor, Actor]]:
    return [(x, y) for k, x in enumerate(actors) for y in actors[k + 1 :]]


def relation_pairs(a: History, b: History) -> pd.DataFrame:
    """Each week and pair of actors: their status in A and in B.

    Columns ``step, date, actor_a, actor_b, status_A, status_B, differs``;
    a status is ``ally``, ``neutral``, ``enemy`` or ``absent``.
    """
    check_comparable(a, b)
    dates = [d.isoformat() for d in a.dates[: a.n_rows]]
    frames = []
    for x, y in _pairs_of(union_actors(a, b)):
        sa = _status_series(a, x.in_a, y.in_a)
        sb = _status_series(b, x.in_b, y.in_b)
        frames.append(
            pd.DataFrame(
                {
                    "step": np.arange(a.n_rows),
                    "date": dates,
                    "actor_a": x.key,
                    "actor_b": y.key,
                    "status_A": sa,
                    "status_B": sb,
                    "differs": [u != v for u, v in zip(sa, sb, strict=True)],
                }
            )
        )
    out = pd.concat(frames, ignore_index=True)
    return out.sort_values(["step"], kind="stable").reset_index(drop=True)


def _changes(series: list[str]) -> list[tuple[int, str, str]]:
    """(step, old, new) for every week the status differs from the week before."""
    return [
        (t, series[t - 1], series[t])
        for t in range(1, len(series))
        if series[t] != series[t - 1]
    ]


def _matched(
    in_a: list[tuple[int, str, str]], in_b: list[tuple[int, str, str]]
) -> list[tuple[str, str, int | None, int | None]]:
    """The changes of A and B paired: the k-th ``old → new`` of A with B's k-th."""
    kinds: list[tuple[str, str]] = []
    for _, old, new in in_a + in_b:
        if (old, new) not in kinds:
            kinds.append((old, new))
    out = []
    for old, new in kinds:
        steps_a = [t for t, o, n in in_a if (o, n) == (old, new)]
        steps_b = [t for t, o, n in in_b if (o, n) == (old, new)]
        for k in range(max(len(steps_a), len(steps_b))):
            ta = steps_a[k] if k < len(steps_a) else None
            tb = steps_b[k] if k < len(steps_b) else None
            out.append((old, new, ta, tb))
    return sorted(out, key=lambda c: min(t for t in c[2:] if t is not None))


def relation_changes(a: History, b: History) -> pd.DataFrame:
    """The week each relation changed in A and in B, matched change for change.

    One row per change (``old → new``) of a pair in either run: the k-th such
    change in A sits beside the k-th in B, so "Russia and Iran fell out in
    week 28 in A, week 41 in B" reads on one line, and a change that happens
    in one run only has no week in the other. Columns ``actor_a, actor_b,
    old, new, step_A, date_A, step_B, date_B, weeks_later_in_B``.
    """
    check_comparable(a, b)
    rows = []
    for x, y in _pairs_of(union_actors(a, b)):
        ca = _changes(_status_series(a, x.in_a, y.in_a))
        cb = _changes(_status_series(b, x.in_b, y.in_b))
        for old, new, ta, tb in _matched(ca, cb):
            rows.append(
                {
                    "actor_a": x.key,
                    "actor_b": y.key,
                    "old": old,
                    "new": new,
                    "step_A": ta,
                    "date_A": None if ta is None else a.dates[ta].isoformat(),
                    "step_B": tb,
                    "date_B": None if tb is None else b.dates[tb].isoformat(),
                    "weeks_later_in_B": None if None in (ta, tb) else tb - ta,
                }
            )
    columns = [
        "actor_a", "actor_b", "old", "new", "step_A", "date_A", "step_B",
        "date_B", "weeks_later_in_B",
    ]  # fmt: skip
    out = pd.DataFrame(rows, columns=columns)
    for col in ("step_A", "step_B", "weeks_later_in_B"):
        out[col] = out[col].astype("Int64")
    first = out[["step_A", "step_B"]].min(axis=1)
    return (
        out.assign(_first=first)
        .sort_values("_first", kind="stable")
        .drop(columns="_first")
        .reset_index(drop=True)
    )
