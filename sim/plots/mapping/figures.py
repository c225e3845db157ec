"""The map figures: one date (:func:`map`) and small multiples (:func:`map_timeline`).

Both draw :class:`~sim.plots.mapping.view.MapView` on province shapes from
:func:`sim.plots.geometry.shapes_for` (the shipped boundaries of the Afghan
map unless a GeoJSON is given or named by the scenario), then place the
names and legends once the layout is frozen.
"""

from __future__ import annotations

import os
from pathlib import Path

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from sim.plots.geometry import ProvinceShapes, shapes_for
from sim.plots.glyphs import share_glyphs
from sim.plots.mapping.halo import keep_halo_outlines
from sim.plots.mapping.labels import place_labels
from sim.plots.mapping.legends import legend_sections, stack_legends
from sim.plots.mapping.supply import SUPPLY_WEEKS, Supply
from sim.plots.mapping.view import MapView, hide_axes, row_of
from sim.plots.style import fmt_date, freeze_layout, new_figure, styled
from sim.results.rundata import Run, as_run


def prepare(fig: Figure):
    """Attach an Agg canvas, lay the figure out once and freeze that layout.

    Labels and legends are then placed by measuring text in display
    coordinates, which must not move afterwards. Returns the renderer, which
    draws each string's glyphs from the project's glyph cache
    (:func:`sim.plots.glyphs.share_glyphs`) and the haloed names' outlines
    from :mod:`sim.plots.mapping.halo` (the same pixels, for less), whoever
    draws the figure: a save, or the animation's overlays.
    """
    FigureCanvasAgg(fig)
    freeze_layout(fig)
    for ax in fig.axes:
        ax.apply_aspect()  # the map's equal distances shrink its box, as a draw would
    renderer = fig.canvas.get_renderer()
    share_glyphs(renderer)
    keep_halo_outlines(renderer)
    return renderer


def note(ax, shapes: ProvinceShapes, size: float):
    """The small print under the map: where the province shapes come from."""
    if shapes.is_schematic:
        text = "Schematic map: each province is the area nearest its capital (•)"
    else:
        text = f"Province boundaries: {Path(shapes.source).name}; • capitals"
    return ax.text(
        0.0, 0.0, text, transform=ax.transAxes, fontsize=size, color="#555555",
        ha="left", va="bottom",
    )  # fmt: skip


@styled
def map(run, geometry: str | os.PathLike[str] | None = None, step: int = -1) -> Figure:
    """Who holds each province on one date, and the supply lines of the weeks before.

    Args:
        run: a model, a :class:`sim.results.rundata.Run` or a run directory.
        geometry: a GeoJSON of province shapes, or ``"schematic"`` (default:
            the run's, else the boundaries shipped with the model).
        step: the row to draw (``-1``: the end of the run).

    Returns:
        The figure: the map with the province names, staging areas and
        supply arrows, and on its right the legends (holder, SIGAR class,
        supply).
    """
    run = as_run(run)
    shapes = shapes_for(run, geometry)
    t = row_of(run, step)
    supply = Supply.of(run, SUPPLY_WEEKS)
    fig = new_figure(13.0, 7.6)
    grid = fig.add_gridspec(1, 2, width_ratios=(2.6, 1.0))
    ax = fig.add_subplot(grid[0, 0])
    legend_ax = fig.add_subplot(grid[0, 1])
    hide_axes(legend_ax)
    fig.suptitle(
        f"{run.name}: who holds each province, {fmt_date(run.history.dates[t])}"
        f" (week {t} of {len(run.history.dates) - 1})",
        fontsize=16,
        fontweight="bold",
    )
    view = MapView(ax, run, shapes, supply, staging_size=10.5)
    view.update(t)
    note(ax, shapes, 9)
    renderer = prepare(fig)
    place_labels(view, renderer, 8.5)
    stack_legends(
        legend_ax, legend_sections(run, supply, t, SUPPLY_WEEKS), renderer, 10.5
    )
    return fig


def _default_steps(run: Run) -> list[int]:
    last = run.history.last
    return sorted({0, last // 2, last})


@styled
def map_timeline(
    run,
    geometry: str | os.PathLike[str] | None = None,
    steps: list[int] | None = None,
) -> Figure:
    """Small multiples of the map: the start, the middle and the end by default.

    Args:
        run: a model, a :class:`sim.results.rundata.Run` or a run directory.
        geometry: a GeoJSON of province shapes, or ``"schematic"`` (default:
            the run's, else the boundaries shipped with the model).
        steps: the rows to draw (negative counts from the end).

    Returns:
        The figure: one map per date in a row, and one shared legend.
    """
    run = as_run(run)
    shapes = shapes_for(run, geometry)
    wanted = steps if steps is not None else _default_steps(run)
    rows = [row_of(run, s) for s in wanted]
    if not rows:
        raise ValueError("map_timeline needs at least one step")
    supply = Supply.of(run, SUPPLY_WEEKS, factor=0.6)
    n = len(rows)
    fig = new_figure(5.4 * n, 6.4)
    grid = fig.add_gridspec(2, n, height_ratios=(2.4, 1.0))
    dates = run.history.dates
    fig.suptitle(
        f"{run.name}: who holds each province, "
        f"{fmt_date(dates[rows[0]])} to {fmt_date(dates[rows[-1]])}",
        fontsize=16,
        fontweight="bold",
    )
    for j, t in enumerate(rows):
        ax = fig.add_subplot(grid[0, j])
        view = MapView(ax, run, shapes, supply, staging_size=8.0)
        view.update(t)
        ax.set_title(f"{fmt_date(dates[t])} (week {t})", fontsize=14)
    legend_ax = fig.add_subplot(grid[1, :])
    hide_axes(legend_ax)  # before the layout, which would leave room for its ticks
    renderer = prepare(fig)
    stack_legends(
        legend_ax,
        legend_sections(run, supply, None, SUPPLY_WEEKS),
        renderer,
        10.0,
        horizontal=True,
    )
    return fig
