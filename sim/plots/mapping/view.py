"""One map on one Axes: provinces, capitals, staging areas and supply arrows.

The provinces are drawn once; :meth:`MapView.update` recolours them and
redraws the arrows for another row, which is what makes the small multiples
and the animation cheap.
"""

from __future__ import annotations

import math

import matplotlib
import numpy as np
from matplotlib.collections import PathCollection
from matplotlib.patches import FancyArrowPatch

from sim.plots.geometry import ProvinceShapes
from sim.plots.mapping.fills import (
    BORDER_COLOR,
    HALO,
    HATCH,
    HATCH_COLOR,
    STAGING_COLOR,
    TEXT_COLOR,
    faces,
)
from sim.plots.mapping.supply import SUPPLY_WEEKS, Supply, draw_arrows
from sim.plots.style import CONTESTED_COLOR
from sim.results.rundata import Run
from sim.world.geography import load_geography


def hide_axes(ax) -> None:
    """No frame, ticks or axis labels on ``ax``, and none measured either.

    ``set_axis_off`` alone stops drawing them, but a titled Axes still makes
    and measures a set of ticks on every layout pass to place its title
    above them; hidden axes are skipped there. Nothing drawn changes.
    """
    ax.set_axis_off()
    ax.xaxis.set_visible(False)
    ax.yaxis.set_visible(False)


def row_of(run: Run, step: int) -> int:
    """The history row of ``step`` (negative counts from the end), checked."""
    rows = run.history.last + 1
    t = step + rows if step < 0 else step
    if not 0 <= t < rows:
        raise ValueError(
            f"step {step} is outside this run, which has rows 0..{rows - 1} "
            "(use -1 for the last)"
        )
    return t


class MapView:
    """A map drawn once on ``ax``; :meth:`update` recolours it for another row."""

    def __init__(
        self,
        ax,
        run: Run,
        shapes: ProvinceShapes,
        supply: Supply,
        weeks: int = SUPPLY_WEEKS,
        staging_size: float = 10.0,
    ):
        self.ax, self.run, self.shapes = ax, run, shapes
        self.supply, self.weeks = supply, weeks
        self.geo = load_geography()
        self.paths = shapes.paths()
        self.base = PathCollection(
            self.paths,
            facecolors=CONTESTED_COLOR,
            edgecolors=BORDER_COLOR,
            linewidths=0.7,
            zorder=1,
        )
        with matplotlib.rc_context(
            {"hatch.color": HATCH_COLOR, "hatch.linewidth": 0.9}
        ):
            self.overlay = PathCollection(
                [],
                facecolors="none",
                edgecolors=HATCH_COLOR,
                linewidths=0.0,
                hatch=HATCH,
                zorder=2,
            )
        ax.add_collection(self.base)
        ax.add_collection(self.overlay)
        dots = ax.scatter(
            *shapes.labels.T, s=7, color=TEXT_COLOR, zorder=6, linewidths=0
        )
        self.static: list = [dots]  # artists that never change between dates
        self.coords = self._coords()
        self.staging_texts = self._staging(staging_size)
        self._frame()
        self.arrows: list[FancyArrowPatch] = []

    def _coords(self) -> dict[str, tuple[float, float]]:
        """Route node name → (lon, lat): capitals for provinces, staging points."""
        layout = self.geo.layout()
        out = {self.geo.graph.nodes[n]["name"]: layout[n] for n in self.geo.staging_ids}
        for i, name in enumerate(self.geo.names):
            out[name] = tuple(self.shapes.labels[i])
        return out

    def _staging(self, size: float) -> list:
        """Staging areas as squares with their names, pointing away from the map."""
        cx, cy = self.shapes.labels.mean(axis=0)
        texts = []
        for key, name in zip(
            self.geo.staging_keys, self.geo.staging_names, strict=True
        ):
            x, y = self.coords[name]
            (marker,) = self.ax.plot(
                x,
                y,
                marker="^" if key == "air" else "s",
                markersize=size * 0.85,
                color=STAGING_COLOR,
                markeredgecolor="white",
                zorder=8,
            )
            self.static.append(marker)
            texts.append(self._staging_name(name, x - cx, y - cy, size))
        self.static.extend(texts)
        return texts

    def _staging_name(self, name: str, dx: float, dy: float, size: float):
        """The staging area's name, offset along (dx, dy) away from the map."""
        norm = math.hypot(dx, dy) or 1.0
        ox, oy = dx / norm, dy / norm
        return self.ax.annotate(
            name,
            self.coords[name],
            xytext=(ox * (size * 0.9), oy * (size * 0.9)),
            textcoords="offset points",
            ha="left" if ox > 0.35 else "right" if ox < -0.35 else "center",
            va="bottom" if oy > 0.35 else "top" if oy < -0.35 else "center",
            fontsize=size,
            fontweight="bold",
            color=STAGING_COLOR,
            path_effects=HALO,
            zorder=9,
            annotation_clip=False,
        )

    def _frame(self) -> None:
        """Limits around provinces and staging areas; equal distances both ways."""
        x0, x1, y0, y1 = self.shapes.bounds
        pts = np.array([self.coords[n] for n in self.geo.staging_names])
        x0, x1 = min(x0, pts[:, 0].min()) - 0.9, max(x1, pts[:, 0].max()) + 0.9
        y0, y1 = min(y0, pts[:, 1].min()) - 0.5, max(y1, pts[:, 1].max()) + 0.5
        self.ax.set_xlim(x0, x1)
        self.ax.set_ylim(y0, y1)
        self.ax.set_aspect(1.0 / math.cos(math.radians((y0 + y1) / 2)))
        hide_axes(self.ax)

    def update(self, t: int) -> None:
        """Colour the provinces and draw the supply arrows of row ``t``."""
        fills, contested = faces(self.run, t)
        self.base.set_facecolor(fills)
        self.overlay.set_paths(
            [p for p, c in zip(self.paths, contested, strict=True) if c]
        )
        for arrow in self.arrows:
            arrow.remove()
        self.arrows = draw_arrows(
            self.ax, self.run, self.supply, self.coords, t, self.weeks
        )
