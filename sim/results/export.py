"""What a finished run offers beyond its arrays: its run directory and a summary.

:func:`save_run` writes the directory the command line writes (tables,
event log, chronicle, manifest, and on the Afghan map the figures and
``report.html``), through the same :func:`sim.results.tables.write_run`
and the same figure drawing, so ``sim.run(...).save(d)`` and
``python run.py SCENARIO --out d`` give the same files. :func:`summary_html`
is the short table a notebook shows for a run.
"""

from __future__ import annotations

import datetime as dt
import html
from pathlib import Path
from typing import TYPE_CHECKING

from sim.text import compact_number
from sim.vocabulary import Status

if TYPE_CHECKING:
    from sim.results.rundata import RunResult


def _map_kind(result: RunResult) -> str:
    return (result.scenario.get("map") or {}).get("kind", "afghanistan")


def save_run(
    result: RunResult,
    directory: str | Path,
    force: bool = False,
    figures: bool = True,
    animation: bool = True,
    geometry: str | Path | None = None,
) -> Path:
    """Write ``result``'s run directory as the CLI does; returns its path.

    Args:
        result: the run.
        directory: where to write; an existing non-empty directory is
            replaced only with ``force``.
        force: replace an existing run directory (only one that holds a run:
            a folder of other files is never deleted).
        figures: draw the figures and ``report.html`` (Afghan map only).
        animation: with the figures, also ``map.gif`` (the slowest one).
        geometry: GeoJSON of province shapes (default: the scenario's).

    Raises:
        FileExistsError: ``directory`` holds files and ``force`` is False.
        NotOurDirectory: ``directory`` is a symbolic link, or holds files that
            are not a run's, and ``force`` was asked to replace it.
    """
    from sim.plots import start_all
    from sim.results import tables
    from sim.results.chronicle import chronicle

    h = result.history
    now = dt.datetime.now(dt.UTC)
    meta = tables.manifest(
        result.initial_scenario or result.scenario,
        result.seed,
        h.last,
        result.started or now,
        result.finished or now,
        list(result.overrides),
    )
    text = chronicle(
        h,
        result.name,
        result.description,
        result.seed,
        scenario=result.scenario,
        start=result.initial_scenario,
    )
    extras = None
    if figures and _map_kind(result) == "afghanistan":
        shapes = geometry or result.geometry
        shapes = str(Path(shapes).resolve()) if shapes else None

        def extras(tmp: Path):
            return start_all(result, tmp, geometry=shapes, animation=animation)

    return tables.write_run(Path(directory), h, meta, text, force=force, extras=extras)


def _alliances_formed(result: RunResult) -> int:
    ally = Status.ALLY.label
    return sum(
        1
        for e in result.history.events
        if e["type"] in ("alliance", "relation") and e.get("new") == ally
    )


def summary_html(result: RunResult) -> str:
    """A short HTML table: the run's identity, then each actor at start and end."""
    h = result.history
    last = h.last
    head = (
        f"<p><b>{html.escape(result.name)}</b> — seed {result.seed}, "
        f"{last} steps ({h.dates[0]} to {h.dates[last]}), "
        f"alliances formed: {_alliances_formed(result)}</p>"
    )
    rows = [
        "<tr><th>actor</th><th>fighters at start</th><th>fighters at end</th>"
        "<th>provinces at start</th><th>provinces at end</th></tr>"
    ]
    for i, name in enumerate(h.actor_names):
        s0, s1 = h.strength[0, i].sum(), h.strength[last, i].sum()
        c0 = int((h.controller[0] == i).sum())
        c1 = int((h.controller[last] == i).sum())
        rows.append(
            f"<tr><td>{html.escape(name)}</td><td>{compact_number(s0)}</td>"
            f"<td>{compact_number(s1)}</td><td>{c0}</td><td>{c1}</td></tr>"
        )
    return f"{head}<table>{''.join(rows)}</table>"
