"""A finished run as files: tables, the event log, the chronicle and the manifest.

A run directory holds ``manifest.json``, ``actors.csv``, ``provinces.csv``,
``relations.csv``, ``supply.csv``, ``defections.csv``, ``balance.csv``,
``threat.csv``, ``events.jsonl`` and ``chronicle.md`` (and, when the command
line draws them, the figures and ``report.html``).
The same seed and scenario give byte-identical CSV and JSONL files: numbers
are written with fixed rounding, rows in a fixed order, and nothing
time-dependent goes in them (times live in the manifest only, see
:mod:`sim.results.manifest`).

A run directory appears whole or not at all (:mod:`sim.results.rundir`).
"""

from __future__ import annotations

import copy
import hashlib
import json
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from sim.core.history import BALANCE_COLUMNS, History
from sim.processes.balance import camps_text
from sim.results.manifest import manifest
from sim.results.rundir import atomic_directory
from sim.vocabulary import CONTESTED, SigarClass, Status

__all__ = [
    "DECIMALS",
    "actors_table",
    "defections_table",
    "balance_table",
    "events_jsonl",
    "manifest",
    "provinces_table",
    "relations_table",
    "supply_table",
    "table_checksums",
    "threat_table",
    "write_tables",
    "write_run",
]

DECIMALS = 3


ACTOR_COLUMNS = (
    "step",
    "date",
    "actor",
    "strength",
    "provinces_controlled",
    "provinces_present",
    "aid_received",
    "aid_sent",
    "equipment",
    "aid_budget",
    "losses",
    "recruits",
)


def as_tabled(h: History) -> History:
    """``h`` with the values its tables keep where figures read them; the rest shared.

    Why: a run's figures and report are drawn from the values its tables
    keep, so that ``greatgame plot RUNDIR``, which has only the tables,
    redraws the very same files. The figures read three arrays more
    precisely than the tables keep them: the affinities (relations.csv,
    :data:`DECIMALS` places), the fighters per province (provinces.csv, one
    place) and the government's share (provinces.csv, :data:`DECIMALS`
    places); each is rounded here exactly as its table rounds it.
    """
    t_n, n = h.n_rows, len(h.actor_keys)
    a, b = np.nonzero(~np.eye(n, dtype=bool))
    affinity = h.affinity.copy()
    kept = _rounded(h.affinity[:t_n, a, b], DECIMALS)
    affinity[:t_n, a, b] = np.reshape(kept, (t_n, len(a)))
    strength = h.strength.copy()
    strength[:t_n] = np.round(h.strength[:t_n], 1)
    share = h.government_share.copy()
    share[:t_n] = np.round(h.government_share[:t_n], DECIMALS)
    out = copy.copy(h)
    out.affinity, out.strength, out.government_share = affinity, strength, share
    return out


def _rounded(values: np.ndarray, decimals: int) -> list[float]:
    """Python's ``round`` of each value, row by row (not numpy's, which differs).

    ``np.round`` scales, rounds and unscales, so it can land one unit of the
    last decimal away from ``round``; the tables keep ``round``'s digits.
    """
    return [round(v, decimals) for v in values.ravel().tolist()]


def actors_table(h: History) -> pd.DataFrame:
    """One row per step and actor: strength, provinces held, aid and equipment."""
    t_n, n = h.n_rows, len(h.actor_keys)
    total, eq = np.zeros((t_n, n)), np.zeros((t_n, n))
    held, present = np.zeros((t_n, n), int), np.zeros((t_n, n), int)
    for t in range(t_n):
        s = h.strength[t]
        total[t] = s.sum(axis=1)
        present[t] = (s >= 1.0).sum(axis=1)
        np.divide(
            (s * h.equipment[t]).sum(axis=1), total[t], out=eq[t], where=total[t] > 0
        )
        held[t] = np.bincount(h.controller[t][h.controller[t] >= 0], minlength=n)
    columns = (
        np.repeat(np.arange(t_n), n),
        np.repeat([d.isoformat() for d in h.dates[:t_n]], n),
        np.tile(np.array(h.actor_keys), t_n),
        _rounded(total, 1),
        held.ravel(),
        present.ravel(),
        _rounded(h.aid_received[:t_n], DECIMALS),
        _rounded(h.aid_sent[:t_n], DECIMALS),
        _rounded(eq, DECIMALS),
        _rounded(h.aid_budget[:t_n], DECIMALS),
        _rounded(h.losses[:t_n], 1),
        _rounded(h.recruits[:t_n], 1),
    )
    return pd.DataFrame(dict(zip(ACTOR_COLUMNS, columns, strict=True)))


def provinces_table(h: History) -> pd.DataFrame:
    """One row per step and province: controller, SIGAR class, strength by actor."""
    t_n, p_n = h.n_rows, len(h.province_names)
    keys = np.array(h.actor_keys + [CONTESTED])
    ctrl = h.controller[:t_n]
    frame = pd.DataFrame(
        {
            "step": np.repeat(np.arange(t_n), p_n),
            "date": np.repeat([d.isoformat() for d in h.dates[:t_n]], p_n),
            "province": np.tile(h.province_names, t_n),
            "controller": keys[np.where(ctrl >= 0, ctrl, len(h.actor_keys))].ravel(),
            "sigar_class": np.array([c.label for c in SigarClass])[
                h.sigar[:t_n]
            ].ravel(),
            "government_share": np.round(h.government_share[:t_n], DECIMALS).ravel(),
        }
    )
    for i, key in enumerate(h.actor_keys):
        frame[key] = np.round(h.strength[:t_n, i, :], 1).ravel()
    return frame


def relations_table(h: History) -> pd.DataFrame:
    """One row per step and ordered pair: a's affinity toward b, and the status."""
    t_n, n = h.n_rows, len(h.actor_keys)
    a, b = np.nonzero(~np.eye(n, dtype=bool))  # every ordered pair, a then b
    label = {int(s): s.label for s in Status}
    keys = np.array(h.actor_keys)
    return pd.DataFrame(
        {
            "step": np.repeat(np.arange(t_n), len(a)),
            "date": np.repeat([d.isoformat() for d in h.dates[:t_n]], len(a)),
            "actor_a": np.tile(keys[a], t_n),
            "actor_b": np.tile(keys[b], t_n),
            "affinity": _rounded(h.affinity[:t_n, a, b], DECIMALS),
            "status": [label[int(v)] for v in h.status[:t_n, a, b].ravel().tolist()],
        }
    )


def supply_table(h: History) -> pd.DataFrame:
    """One row per aid flow: sent = delivered + interdicted exactly (6 decimals)."""
    rows = [
        (
            f.step,
            h.dates[f.step].isoformat(),
            f.patron,
            f.client,
            f.route,
            f"{f.sent / 1e6:.6f}",
            f"{f.delivered / 1e6:.6f}",
            f"{f.interdicted / 1e6:.6f}",
        )
        for f in h.flows
    ]
    return pd.DataFrame(
        rows,
        columns=[
            "step",
            "date",
            "patron",
            "client",
            "route",
            "sent",
            "delivered",
            "interdicted",
        ],
    )


def defections_table(h: History) -> pd.DataFrame:
    """One row per step and flow of deserters: from an actor to a rival, or home.

    ``to`` is the actor joined (rounded whole fighters, commanders' men
    included), or ``home`` for those who left the war.
    """
    rows = []
    keys = h.actor_keys
    for t in range(1, h.n_rows):
        date = h.dates[t].isoformat()
        for i, j in np.argwhere(h.defections_by_pair[t] > 0):
            rows.append((t, date, keys[i], keys[j], h.defections_by_pair[t, i, j]))
        for i in np.flatnonzero(h.went_home[t] > 0):
            rows.append((t, date, keys[i], "home", h.went_home[t, i]))
    frame = pd.DataFrame(rows, columns=["step", "date", "from", "to", "fighters"])
    frame["fighters"] = frame["fighters"].astype(float).round(1)
    return frame


def balance_table(h: History) -> pd.DataFrame:
    """One row per step: the structural balance of the alliance network.

    Signed edges (allied or hostile pairs), fully signed triads, balanced
    triads and their share, the frustration index (ties to flip for two
    clean camps) and the optimal split, ``"a b | c d"``
    (:mod:`sim.processes.balance`).
    """
    t_n = h.n_rows
    counts = h.balance_counts[:t_n]
    frame = pd.DataFrame(counts, columns=list(BALANCE_COLUMNS))
    frame.insert(0, "date", [d.isoformat() for d in h.dates[:t_n]])
    frame.insert(0, "step", np.arange(t_n))
    share = np.divide(
        frame["balanced_triads"].to_numpy(float),
        frame["triads"].to_numpy(float),
        out=np.ones(t_n),
        where=frame["triads"].to_numpy() > 0,
    )
    frame.insert(5, "balanced_share", np.round(share, DECIMALS))
    frame["camps"] = [camps_text(c, h.actor_keys) for c in h.camps[:t_n]]
    return frame


THREAT_COLUMNS = (
    "perceived_presence",
    "armed_presence",
    "perceived_threat",
    "real_threat",
)


def threat_table(h: History) -> pd.DataFrame:
    """One row per step and ordered pair: what the observer believes and what is.

    ``perceived_presence`` is the observer's believed presence of the actor in
    its interest zone, ``armed_presence`` the presence of the actor's armed
    forces there; ``perceived_threat`` the threat the observer acted on, and
    ``real_threat`` the threat the armed presence alone would pose
    (:mod:`sim.processes.perception`).
    """
    t_n, n = h.n_rows, len(h.actor_keys)
    a, b = np.nonzero(~np.eye(n, dtype=bool))
    frame = pd.DataFrame(
        {
            "step": np.repeat(np.arange(t_n), len(a)),
            "date": np.repeat([d.isoformat() for d in h.dates[:t_n]], len(a)),
            "observer": np.tile(np.array(h.actor_keys)[a], t_n),
            "actor": np.tile(np.array(h.actor_keys)[b], t_n),
        }
    )
    arrays = (h.perceived_presence, h.armed_presence, h.threat, h.real_threat)
    for col, arr in zip(THREAT_COLUMNS, arrays, strict=True):
        frame[col] = np.round(arr[:t_n, a, b], DECIMALS).ravel() + 0.0
    return frame


def events_jsonl(h: History) -> str:
    """The event log, one JSON object per line, keys in a stable order."""
    return "".join(json.dumps(e, sort_keys=True, default=str) + "\n" for e in h.events)


def write_run(
    out_dir: Path,
    h: History,
    manifest_data: dict,
    chronicle: str,
    force: bool = False,
    extras: Callable[[Path], object] | None = None,
) -> Path:
    """Write every file of a run into ``out_dir`` atomically; returns the path.

    The directory appears only once complete (see
    :func:`sim.results.rundir.atomic_directory`): an existing empty directory
    is taken; a non-empty one is replaced only with ``force``, and a file
    never (the CLI checks both earlier, with a clear message).

    ``extras``, if given, is called with the unfinished directory before the
    tables are written (the CLI draws the figures and the report there), so
    they too appear only with a complete run. It may return work still
    running (an object with ``finish()`` and ``cancel()``, as
    :func:`sim.plots.start_all` does): ``finish()`` is called once the
    tables are written, ``cancel()`` if writing them fails, so a helper
    process draws while this one writes.
    """
    out_dir = Path(out_dir)
    with atomic_directory(out_dir, force=force) as tmp:
        started = extras(tmp) if extras is not None else None
        pending = started if hasattr(started, "finish") else None
        try:
            write_tables(tmp, h)
            (tmp / "chronicle.md").write_text(chronicle, encoding="utf-8")
            checksums = table_checksums(tmp)
        except BaseException:
            if pending is not None:
                pending.cancel()
            raise
        if pending is not None:
            pending.finish()
        meta = {
            **manifest_data,
            "provinces": list(h.province_names),
            "checksums": checksums,
            "files": sorted(["manifest.json", *(p.name for p in tmp.iterdir())]),
        }
        (tmp / "manifest.json").write_text(
            json.dumps(meta, indent=2, default=str) + "\n", encoding="utf-8"
        )
    return out_dir


#: The tables whose sha256 the manifest records (and ``plot`` checks).
TABLE_FILES = (
    "actors.csv",
    "provinces.csv",
    "relations.csv",
    "supply.csv",
    "defections.csv",
    "balance.csv",
    "threat.csv",
    "events.jsonl",
)


def file_sha256(path: Path) -> str:
    """The sha256 of a file's bytes, read in blocks (hex digest)."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def table_checksums(directory: Path) -> dict[str, str]:
    """The sha256 of each table of a run directory, by file name.

    Recorded in the manifest at write time, so a table edited afterwards
    (sorted, truncated, tampered with) is noticed before it is drawn.
    """
    return {
        name: file_sha256(directory / name)
        for name in TABLE_FILES
        if (directory / name).is_file()
    }


def write_tables(directory: Path, h: History) -> None:
    """Write the five CSV tables and ``events.jsonl`` of ``h`` into ``directory``."""
    for name, table in (
        ("actors.csv", actors_table),
        ("provinces.csv", provinces_table),
        ("relations.csv", relations_table),
        ("supply.csv", supply_table),
        ("defections.csv", defections_table),
        ("balance.csv", balance_table),
        ("threat.csv", threat_table),
    ):
        table(h).to_csv(directory / name, index=False, lineterminator="\n")
    (directory / "events.jsonl").write_text(events_jsonl(h), encoding="utf-8")
