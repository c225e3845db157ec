"""Province names beside their capitals, placed so they do not collide.

Greedy: the most crowded capitals choose first among eight positions around
the dot, then among eight farther ones with a leader line; a name takes the
position overlapping least with names, dots and staging labels already
placed. Text is measured in display coordinates, so the figure's layout must
be frozen first (:func:`sim.plots.mapping.figures.prepare`).
"""

from __future__ import annotations

import math

import numpy as np
from matplotlib.transforms import Bbox

from sim.plots.mapping.fills import HALO, TEXT_COLOR

_NEAR = ((6, 0, "left", "center"), (-6, 0, "right", "center"))
_NEAR += ((0, 5, "center", "bottom"), (0, -5, "center", "top"))
_NEAR += ((5, 4, "left", "bottom"), (-5, 4, "right", "bottom"))
_NEAR += ((5, -4, "left", "top"), (-5, -4, "right", "top"))
_FAR = tuple((dx * 3.2, dy * 3.2, ha, va) for dx, dy, ha, va in _NEAR)


def _overlap(a: Bbox, b: Bbox) -> float:
    w = min(a.x1, b.x1) - max(a.x0, b.x0)
    h = min(a.y1, b.y1) - max(a.y0, b.y0)
    return w * h if w > 0 and h > 0 else 0.0


def _name(ax, name: str, xy, spot, size: float, **style):
    """Annotate ``name`` at ``xy`` offset by ``spot`` = (dx, dy, ha, va)."""
    dx, dy, ha, va = spot
    return ax.annotate(
        name,
        xy,
        xytext=(dx, dy),
        textcoords="offset points",
        ha=ha,
        va=va,
        fontsize=size,
        **style,
    )


def _best_spot(ax, renderer, i: int, size: float, crowd: dict) -> tuple:
    """(dx, dy, ha, va, far, box) of the least-overlapping spot for label ``i``.

    ``crowd`` holds what is already there: ``placed`` boxes, capital
    ``dots`` and the axes ``frame``; ``names``/``labels`` are the shapes'.
    """
    fig_scale = ax.figure.dpi / 72.0
    best, best_cost = None, math.inf
    for far, options in ((False, _NEAR), (True, _FAR)):
        for spot in options:
            text = _name(ax, crowd["names"][i], crowd["xy"][i], spot, size)
            box = text.get_window_extent(renderer).padded(1.5 * fig_scale)
            text.remove()
            cost = sum(_overlap(box, b) for b in crowd["placed"])
            cost += sum(_overlap(box, d) for j, d in enumerate(crowd["dots"]) if j != i)
            outside = box.width * box.height - _overlap(box, crowd["frame"])
            cost += 4 * outside + (0.5 if far else 0.0)
            if cost < best_cost:
                best, best_cost = (*spot, far, box), cost
            if cost == 0:
                break
        if best_cost < 1:
            break
    return best


def place_labels(view, renderer, size: float) -> list:
    """Label every province of ``view`` (a MapView) beside its capital."""
    ax, shapes = view.ax, view.shapes
    fig_scale = ax.figure.dpi / 72.0
    disp = ax.transData.transform(shapes.labels)
    r = 3.0 * fig_scale
    crowd = {
        "names": shapes.names,
        "xy": [tuple(p) for p in shapes.labels],
        "dots": [Bbox.from_extents(x - r, y - r, x + r, y + r) for x, y in disp],
        "placed": [t.get_window_extent(renderer).padded(2) for t in view.staging_texts],
        "frame": ax.get_window_extent(renderer),
    }
    gaps = np.hypot(*(disp[:, None, :] - disp[None, :, :]).transpose(2, 0, 1))
    density = (gaps < 60 * fig_scale).sum(axis=1)
    texts = []
    for i in np.argsort(-density, kind="stable"):
        dx, dy, ha, va, far, box = _best_spot(ax, renderer, i, size, crowd)
        crowd["placed"].append(box)
        leader = {"arrowstyle": "-", "lw": 0.7, "color": TEXT_COLOR, "shrinkB": 2}
        texts.append(
            _name(
                ax,
                shapes.names[i],
                crowd["xy"][i],
                (dx, dy, ha, va),
                size,
                color=TEXT_COLOR,
                path_effects=HALO,
                zorder=7,
                annotation_clip=False,
                arrowprops=leader if far else None,
            )
        )
    return texts
