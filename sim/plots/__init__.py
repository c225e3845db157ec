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

import contextlib
import dataclasses
import functools
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

__all__ = [*_WHERE, "FIGURES", "prepare", "start_all", "write_all", "write_figures"]


def __getattr__(name: str):
    if name in _WHERE:
        return getattr(importlib.import_module(f"sim.plots.{_WHERE[name]}"), name)
    raise AttributeError(f"module 'sim.plots' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


# Usual CPU seconds of each figure (2016 scenario). They only order the drawing
# (the costliest first, to the forked helper; see sim.plots.workers), so they
# need not be exact; re-measure them with ``python bench/figures_bench.py
# --costs`` when a figure gets much cheaper or dearer.
_COST = {
    "map": 0.33,
    "map_timeline": 0.35,
    "control": 0.35,
    "alliances": 0.24,
    "relations": 0.33,
    "supply": 0.52,
    "animate": 0.78,
}


class FiguresInProgress:
    """Figures and report of a run being drawn; :meth:`finish` completes them.

    Made by :func:`start_all`: a forked helper may be drawing already, while
    this process does other work (the command line writes the tables).
    """

    def __init__(self, run, out: Path, files: dict[str, Path], drawing) -> None:
        self._run, self._out, self._files, self._drawing = run, out, files, drawing

    def finish(self) -> list[Path]:
        """Draw what is left, wait for the helper, write report.html; the files.

        What the report needs is imported before the wait, while the
        helpers draw, so it is not left for the end.
        """
        with self._drawing:
            _import_report()
            self._drawing.finish()
        from sim.results.report import write_report

        files = list(self._files.values())
        report = write_report(self._run, self._out, {f.name: f for f in files})
        return [*files, report]

    def cancel(self) -> None:
        """Stop the helper, if any (the caller removes what was drawn)."""
        self._drawing.cancel()


def _names(animation: bool) -> list[str]:
    """The figures drawn, in the order of the files listed."""
    return [*FIGURES, "animate"] if animation else list(FIGURES)


def _start(run, out_dir, geometry, animation: bool, jobs: int | None, helper=None):
    """(the run, the files by figure name, the drawing started)."""
    from sim.plots.workers import start_shared
    from sim.results.rundata import as_run

    run = _as_tabled(as_run(run))
    out = Path(out_dir)
    names = _names(animation)
    files = {
        name: out / ("map.gif" if name == "animate" else f"{name}.png")
        for name in names
    }
    draw = _drawer((run, files, geometry))
    if helper is None:
        return run, files, start_shared(names, draw, _COST.get, jobs)
    if helper.tasks != names:
        raise ValueError(f"the helper was prepared for {helper.tasks}, not {names}")
    light = dataclasses.replace(run, model=None)  # what it draws from, not the model
    return run, files, helper.start((light, files, geometry), draw)


def _as_tabled(run):
    """``run`` with the values its tables keep, as a redraw from them would see it."""
    from sim.results.tables import as_tabled

    return dataclasses.replace(run, history=as_tabled(run.history))


def _drawer(payload):
    """The function that draws a figure by name from (run, files, geometry)."""
    run, files, geometry = payload

    def draw(name: str) -> None:
        _draw_one(run, name, files[name], geometry)

    return draw


def _import_report() -> None:
    """Import the report's writer and the colour parsing it uses.

    Why: a process that drew nothing itself (the figures went to forked
    helpers) has not imported matplotlib; done while the helpers draw, the
    import is not left on the way to the last file.
    """
    importlib.import_module("sim.results.report")
    importlib.import_module("matplotlib.colors")


#: Text sizes (points) the figures use, each loaded once by :func:`_load_fonts`.
_TEXT_SIZES = (10.5, 11, 12, 13, 14, 15, 16, 17)


def _warm_up(geometry: str | Path | None = None) -> None:
    """Do what any first drawing pays, whatever the run: the helper's wait.

    It imports the drawing code and the report's, reads the map's shapes
    (``geometry`` as in :func:`write_figures`) and loads the fonts, all of
    which a forked helper keeps for the figures it draws later.
    """
    for module in ("style", "geometry", "mapping", "charts"):
        importlib.import_module(f"sim.plots.{module}")
    _import_report()
    try:
        __getattr__("shapes_for")(None, geometry)
        _load_fonts()
    except Exception:  # noqa: BLE001 - only a head start: drawing raises it itself
        pass


def _load_fonts() -> None:
    """Find and open the fonts of every text size and weight the figures use.

    Why: matplotlib looks a font up once per size and weight, and opens its
    file once per process; a helper that does this while it waits for the
    run does not do it while drawing, nor does the drawer forked from it.
    """
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from sim.plots.style import RC

    with matplotlib.rc_context(RC):
        fig = Figure(figsize=(2, 1), dpi=100)
        for size in _TEXT_SIZES:
            for weight in ("normal", "bold"):
                fig.text(0.0, 0.5, "Kabul 2016", fontsize=size, fontweight=weight)
        FigureCanvasAgg(fig).draw()


def prepare(
    animation: bool = True,
    jobs: int | None = None,
    geometry: str | Path | None = None,
):
    """Fork the drawing helper now, before the run exists; None if drawing is serial.

    Why: the helper spends most of a second importing matplotlib and the
    figure code; forked before the model runs (after what both processes
    need is imported), it does that while this process runs the model and
    writes the tables. Pass the result to
    :func:`start_all` (as ``helper``), or ``cancel()`` it; used as a context
    manager it is stopped unless it was started. ``geometry`` (as in
    :func:`write_figures`) is the map it reads while it waits. See
    :mod:`sim.plots.helper`.
    """
    from sim.plots.helper import fork_helper

    warm_up = functools.partial(_warm_up, geometry)
    return fork_helper(_names(animation), _COST.get, warm_up, _drawer, jobs)


@contextlib.contextmanager
def prepared(
    animation: bool = True,
    wanted: bool = True,
    geometry: str | Path | None = None,
):
    """:func:`prepare` as a context manager: the helper (or None), stopped on leaving.

    A helper not handed its work inside the block (the command failed, or
    drew nothing) is stopped and reaped on leaving; ``wanted=False`` (no
    figures will be drawn) forks nothing.
    """
    helper = prepare(animation, geometry=geometry) if wanted else None
    if helper is None:
        yield None
        return
    with helper:
        yield helper


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
    _, files, drawing = _start(run, out_dir, geometry, animation, jobs)
    with drawing:
        drawing.finish()
    return list(files.values())


def _draw_one(run, name: str, path: Path, geometry) -> None:
    """Draw the figure ``name`` of ``run`` into ``path``."""
    from sim.plots.style import save

    func = __getattr__(name)
    if name == "animate":
        func(run, path, geometry=geometry)
        return
    kwargs = {"geometry": geometry} if name.startswith("map") else {}
    save(func(run, **kwargs), path)


def start_all(
    run,
    out_dir: str | Path,
    geometry: str | Path | None = None,
    animation: bool = True,
    jobs: int | None = None,
    helper=None,
) -> FiguresInProgress:
    """Start drawing what :func:`write_all` writes; finish it when this process is free.

    Why: on two cores a forked helper starts on the animation at once, so
    the caller's own work (writing the tables) overlaps the drawing. Call
    ``finish()`` on the result (it returns the files), or ``cancel()`` if
    the caller fails first. ``helper`` is one forked earlier by
    :func:`prepare` (for the same ``animation``), to draw instead of a new
    fork.
    """
    run, files, drawing = _start(run, out_dir, geometry, animation, jobs, helper)
    return FiguresInProgress(run, Path(out_dir), files, drawing)


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
    return start_all(run, out_dir, geometry, animation, jobs).finish()
