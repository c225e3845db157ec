"""The map as a GIF through the whole run (:func:`animate`).

The figure (map, names, legends) is laid out once with matplotlib; then the
province map is rasterised into an index image and the unchanging parts
(borders, hatch, names, legends) into overlays (:mod:`.raster`). Each frame
is a palette lookup of the provinces' colours plus the supply arrows and
the title, each distinct arrow and title word drawn once (:mod:`.sprites`),
and the frames go onto one shared palette, only their moved pixels
quantised again (:mod:`.gif`), so a two-year run takes about a second and
the file stays small.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from sim.plots.geometry import shapes_for
from sim.plots.mapping.figures import note, prepare
from sim.plots.mapping.fills import all_colors, faces
from sim.plots.mapping.gif import Quantizer, film_palette, write_gif
from sim.plots.mapping.labels import place_labels
from sim.plots.mapping.legends import legend_sections, stack_legends
from sim.plots.mapping.raster import (
    MapRaster,
    Overlay,
    province_index,
    render_only,
    render_without,
)
from sim.plots.mapping.sprites import ArrowSprites, FilmTitle
from sim.plots.mapping.supply import SUPPLY_WEEKS, Supply
from sim.plots.mapping.view import MapView, hide_axes
from sim.plots.style import fmt_date, new_figure, styled
from sim.results.rundata import as_run

GIF_DPI = 80  # 960 × 560 pixels


def map_raster(fig, view: MapView, dynamic: list) -> MapRaster:
    """Rasterise the laid-out map of ``fig`` once: index image and overlays.

    Everything but the provinces, the arrows and the ``dynamic`` artists
    (the title) never changes (names, legends, capitals): it becomes the
    top layer, drawn over the arrows.
    """
    for arrow in view.arrows:
        arrow.remove()
    view.arrows = []
    top = Overlay.of(render_without(fig, [view.base, view.overlay, *dynamic]))
    view.base.set_facecolor("none")
    borders = Overlay.of(render_only(fig, [view.base]))
    view.overlay.set_paths(view.paths)
    hatch = Overlay.of(render_only(fig, [view.overlay]))
    index = province_index(fig, view.ax, view.paths)
    return MapRaster(index, fig.get_facecolor(), borders, hatch, top)


def _frames(last: int, every: int) -> list[int]:
    """Every ``every``-th row, and always the last."""
    frames = list(range(0, last + 1, every))
    if frames[-1] != last:
        frames.append(last)
    return frames


@styled
def animate(
    run,
    path: str | os.PathLike[str],
    geometry: str | os.PathLike[str] | None = None,
    every: int = 2,
    fps: int = 5,
) -> Path:
    """Write a GIF of the map through the whole run; returns its path.

    Args:
        run: a model, a :class:`sim.results.rundata.Run` or a run directory.
        path: the ``.gif`` to write (its directory must exist).
        geometry: a GeoJSON of province shapes, or ``"schematic"`` (default:
            the run's, else the boundaries shipped with the model).
        every: draw every ``every``-th step (the last step is always drawn).
        fps: frames per second.
    """
    if every < 1:
        raise ValueError(f"every must be at least 1, got {every}")
    run = as_run(run)
    last = run.history.last
    frames = _frames(last, every)
    dates = run.history.dates
    texts = [f"{run.name}: {fmt_date(dates[t])} (week {t} of {last})" for t in frames]
    fig, view, title = laid_out(run, geometry)
    film = Film(fig, view, title, texts)
    rows = list(zip(frames, texts, strict=True))
    picks = [film.frame(*rows[n])[0].tobytes() for n in (0, len(rows) // 2, -1)]
    size = film.raster.size
    quantizer = Quantizer(film_palette(picks, size, all_colors(run)), size)
    write_gif(Path(path), [quantizer.add(*film.frame(*row)) for row in rows], fps)
    return Path(path)


@styled
def laid_out(run, geometry):
    """The film's figure, laid out: (figure, map view, title).

    Names and legends are placed once; the layout is frozen, so every frame
    puts the provinces on the same pixels. The provinces are coloured, and
    the arrows drawn, frame by frame (:class:`Film`).
    """
    shapes = shapes_for(run, geometry)
    supply = Supply.of(run, SUPPLY_WEEKS)
    fig = new_figure(12.0, 7.0)
    fig.set_dpi(GIF_DPI)
    grid = fig.add_gridspec(1, 2, width_ratios=(2.3, 1.0))
    ax = fig.add_subplot(grid[0, 0])
    legend_ax = fig.add_subplot(grid[0, 1])
    hide_axes(legend_ax)  # before the layout, which would leave room for its ticks
    title = fig.suptitle(" ", fontsize=17, fontweight="bold")
    view = MapView(ax, run, shapes, supply, staging_size=12.0)
    note(ax, shapes, 11)
    renderer = prepare(fig)
    place_labels(view, renderer, 10.5)
    stack_legends(
        legend_ax, legend_sections(run, supply, None, SUPPLY_WEEKS), renderer, 11
    )
    return fig, view, title


class Film:
    """The frames of a laid-out map figure: a raster, arrows and a title drawn once.

    Args:
        fig: the figure from :func:`laid_out`.
        view: its map view.
        title: its title, which every frame replaces by one of ``texts``.
        texts: every title the film will show.
    """

    def __init__(self, fig, view: MapView, title, texts: list[str]):
        self.view = view
        self.raster = map_raster(fig, view, [title])
        renderer = fig.canvas.get_renderer()
        self.arrows = ArrowSprites(view, renderer)
        self.title = FilmTitle(title, texts, renderer)

    def frame(self, t: int, text: str) -> tuple[np.ndarray, np.ndarray | None]:
        """Row ``t`` under the title ``text``: fills, hatch, arrows, title, names.

        Returns the frame (``[H*W, 4]`` uint8 RGBX, valid until the next
        call) and the pixels that may differ from the frame before (``None``:
        any), as :meth:`.raster.MapRaster.finish` does.
        """
        frame = self.raster.frame(*faces(self.view.run, t))
        self.arrows.onto(frame, t)
        self.title.onto(frame, text)
        return self.raster.finish(frame)
