"""Figures of a run: the map, control over time, alliances, relations, supply.

Every function takes a finished model, a :class:`sim.results.rundata.Run` or a run
directory, and returns a matplotlib ``Figure``::

    from sim import plots
    plots.map(model)                      # who holds what, supply routes
    plots.relations("runs/afghanistan-2016/seed-2016")

:func:`write_figures` writes them all into a run directory; ``python run.py
plot RUNDIR`` does the same without rerunning. Submodules are imported on
first use, so running a scenario without figures pays nothing for them.

The package follows the figures: :mod:`sim.plots.geometry` (province shapes:
the shipped GeoJSON, another file, or the schematic map),
:mod:`sim.plots.mapping` (the map, its small multiples and the GIF),
:mod:`sim.plots.charts` (one module per chart) and :mod:`sim.plots.style`
(the shared look).
"""

from __future__ import annotations

import importlib
from pathlib import Path

_WHERE = {
    "map": "mapping",
    "map_timeline": "mapping",
    "animate": "mapping",
    "control": "charts",
    "alliances": "charts",
    "relations": "charts",
    "supply": "charts",
    "shapes_for": "geometry",
    "load_geojson": "geometry",
    "schematic": "geometry",
    "GeometryError": "geometry",
    "ProvinceShapes": "geometry",
}
FIGURES = ("map", "map_timeline", "control", "alliances", "relations", "supply")

__all__ = [*_WHERE, "FIGURES", "write_all", "write_figures"]


def __getattr__(name: str):
    if name in _WHERE:
        return getattr(importlib.import_module(f"sim.plots.{_WHERE[name]}"), name)
    raise AttributeError(f"module 'sim.plots' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


# Usual CPU seconds of each figure (2016 scenario), to share them between cores.
_COST = {
    "map": 0.85,
    "map_timeline": 0.8,
    "control": 0.55,
    "alliances": 0.4,
    "relations": 0.45,
    "supply": 0.95,
    "animate": 1.4,
}


def write_figures(
    run,
    out_dir: str | Path,
    geometry: str | Path | None = None,
    animation: bool = True,
    jobs: int | None = None,
) -> list[Path]:
    """Draw every figure of ``run`` into ``out_dir``; returns the files written.

    Args:
        run: a model, a :class:`sim.results.rundata.Run` or a run directory.
        out_dir: where the PNGs (and ``map.gif``) go.
        geometry: GeoJSON of province shapes, or ``"schematic"`` (default: the
            run's, else the boundaries shipped with the model).
        animation: also write ``map.gif`` (the slowest figure).
        jobs: processes that draw (default: two where the machine has two
            cores and the process may fork, else one; the
            ``GREATGAME_FIGURE_JOBS`` environment variable sets it too). The
            files are the same bytes however many draw them.
    """
    from sim.plots.workers import draw_shared
    from sim.results.rundata import as_run

    run = as_run(run)
    out = Path(out_dir)
    names = [*FIGURES, "animate"] if animation else list(FIGURES)
    files = {
        name: out / ("map.gif" if name == "animate" else f"{name}.png")
        for name in names
    }

    def draw(name: str) -> None:
        _draw_one(run, name, files[name], geometry)

    draw_shared(names, draw, _COST.get, jobs)
    return [files[name] for name in names]


def _draw_one(run, name: str, path: Path, geometry) -> None:
    """Draw the figure ``name`` of ``run`` into ``path``."""
    from sim.plots.style import save

    func = __getattr__(name)
    if name == "animate":
        func(run, path, geometry=geometry)
        return
    kwargs = {"geometry": geometry} if name.startswith("map") else {}
    save(func(run, **kwargs), path)


def write_all(
    run,
    out_dir: str | Path,
    geometry: str | Path | None = None,
    animation: bool = True,
    jobs: int | None = None,
) -> list[Path]:
    """Every figure of ``run`` and the ``report.html`` that shows them; the files.

    What a run directory holds beside its tables: the command line, ``plot``
    and ``RunResult.save`` all draw through here, so they give the same files.
    ``jobs`` is as in :func:`write_figures`.
    """
    from sim.results.report import write_report

    files = write_figures(
        run, out_dir, geometry=geometry, animation=animation, jobs=jobs
    )
    report = write_report(run, out_dir, {f.name: f for f in files})
    return [*files, report]
