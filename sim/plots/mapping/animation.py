"""The map as a GIF through the whole run (:func:`animate`).

Provinces, names and legends are drawn once; each frame recolours the
provinces and redraws the supply arrows, and the frames share one palette,
so a two-year run takes a few seconds and the file stays small.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
from matplotlib.figure import Figure

from sim.plots.geometry import shapes_for
from sim.plots.mapping.figures import note, prepare
from sim.plots.mapping.fills import all_colors
from sim.plots.mapping.labels import place_labels
from sim.plots.mapping.legends import legend_sections, stack_legends
from sim.plots.mapping.supply import SUPPLY_WEEKS, Supply
from sim.plots.mapping.view import MapView
from sim.plots.style import fmt_date, new_figure, styled
from sim.results.rundata import as_run

GIF_DPI = 80  # 960 × 560 pixels


class GifWriter:
    """Pillow GIF frames on one shared palette, without dithering.

    matplotlib's ``PillowWriter`` lets Pillow pick a palette per frame, which
    dithers flat fills and changes pixels between frames; one palette for the
    whole film keeps unchanged areas byte-identical, so the GIF stays small.
    The palette holds every fill colour the map can use exactly, and the rest
    (anti-aliased edges, text) adapted to a few frames.
    """

    def __init__(self, fps: int, exact: list[tuple[float, float, float]]):
        from matplotlib.animation import PillowWriter

        self.writer = PillowWriter(fps=fps)
        self.exact = sorted({tuple(int(round(255 * v)) for v in c) for c in exact})

    def _palette(self, frames):
        from PIL import Image

        picks = [frames[0], frames[len(frames) // 2], frames[-1]]
        w, h = picks[0].size
        strip = Image.new("RGB", (w * len(picks), h))
        for n, f in enumerate(picks):
            strip.paste(f, (n * w, 0))
        spare = max(16, 256 - len(self.exact))
        adaptive = strip.quantize(spare, method=Image.Quantize.MEDIANCUT).getpalette()
        rgb = [v for c in self.exact for v in c] + adaptive[: 3 * spare]
        rgb = rgb[: 3 * 256]
        palette = Image.new("P", (1, 1))
        palette.putpalette(rgb + [0] * (3 * 256 - len(rgb)))
        return palette

    def saving(self, fig: Figure, path: Path, dpi: float):
        """Context manager writing the grabbed frames to ``path`` on exit."""
        writer = self.writer

        def finish() -> None:
            from PIL import Image

            frames = [f.convert("RGB") for f in writer._frames]
            palette = self._palette(frames)
            flat = [
                f.quantize(palette=palette, dither=Image.Dither.NONE) for f in frames
            ]
            flat[0].save(
                writer.outfile,
                save_all=True,
                append_images=flat[1:],
                duration=int(1000 / writer.fps),
                loop=0,
            )

        writer.finish = finish
        return writer.saving(fig, str(path), dpi)


def static_layer(fig: Figure, static: list, dynamic: list) -> None:
    """Render the artists that never change once, as one image over the figure.

    Text with a halo is slow to draw; an animation would redraw every label
    and legend in every frame. Instead they are drawn once, on a transparent
    background, and pasted on top of each frame as a figure image.
    """
    backgrounds = [fig.patch, *(ax.patch for ax in fig.axes)]
    for a in [*dynamic, *backgrounds]:
        a.set_visible(False)
    fig.canvas.draw()
    layer = np.asarray(fig.canvas.buffer_rgba()).copy()
    for a in [*dynamic, *backgrounds]:
        a.set_visible(True)
    for a in static:
        a.set_visible(False)
    fig.figimage(layer, xo=0, yo=0, origin="upper", zorder=10, resize=False)


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
    path = Path(path)
    shapes = shapes_for(run, geometry)
    last = run.history.last
    frames = _frames(last, every)
    supply = Supply.of(run, SUPPLY_WEEKS)
    fig = new_figure(12.0, 7.0)
    fig.set_dpi(GIF_DPI)
    grid = fig.add_gridspec(1, 2, width_ratios=(2.3, 1.0))
    ax = fig.add_subplot(grid[0, 0])
    legend_ax = fig.add_subplot(grid[0, 1])
    title = fig.suptitle(" ", fontsize=17, fontweight="bold")
    view = MapView(ax, run, shapes, supply, staging_size=12.0)
    view.update(frames[0])
    small_print = note(ax, shapes, 11)
    renderer = prepare(fig)
    labels = place_labels(view, renderer, 10.5)
    stack_legends(
        legend_ax, legend_sections(run, supply, None, SUPPLY_WEEKS), renderer, 11
    )
    static_layer(
        fig,
        static=[*view.static, *labels, small_print, legend_ax],
        dynamic=[view.base, view.overlay, *view.arrows, title],
    )
    writer = GifWriter(fps=fps, exact=all_colors(run))
    with writer.saving(fig, path, GIF_DPI):
        for t in frames:
            view.update(t)
            title.set_text(
                f"{run.name}: {fmt_date(run.history.dates[t])} (week {t} of {last})"
            )
            writer.writer.grab_frame()
    return path
