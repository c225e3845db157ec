"""Province names beside their capitals, placed so they do not collide.

Greedy: the most crowded capitals choose first among eight positions around
the dot, then among eight farther ones with a leader line; a name takes the
position overlapping least with names, dots and staging labels already
placed. Text is measured in display coordinates, so the figure's layout must
be frozen first (:func:`sim.plots.mapping.figures.prepare`).
"""

from __future__ import annotations

import numpy as np
from matplotlib.text import Text

from sim.plots.mapping.fills import HALO, TEXT_COLOR

_NEAR = ((6, 0, "left", "center"), (-6, 0, "right", "center"))
_NEAR += ((0, 5, "center", "bottom"), (0, -5, "center", "top"))
_NEAR += ((5, 4, "left", "bottom"), (-5, 4, "right", "bottom"))
_NEAR += ((5, -4, "left", "top"), (-5, -4, "right", "top"))
_FAR = tuple((dx * 3.2, dy * 3.2, ha, va) for dx, dy, ha, va in _NEAR)


# Where the box of a name lies from its anchor, by alignment (share of width/height)
_ALIGN_X = {"left": 0.0, "center": 0.5, "right": 1.0}
_ALIGN_Y = {"bottom": 0.0, "center": 0.5, "top": 1.0}


def _overlaps(box: np.ndarray, boxes: np.ndarray) -> np.ndarray:
    """``[S]`` summed overlap areas of ``[S, 4]`` boxes with ``[K, 4]`` others.

    Boxes are (x0, y0, x1, y1) in display pixels.
    """
    if not len(boxes):
        return np.zeros(len(box))
    w = np.minimum(box[:, None, 2], boxes[None, :, 2]) - np.maximum(
        box[:, None, 0], boxes[None, :, 0]
    )
    h = np.minimum(box[:, None, 3], boxes[None, :, 3]) - np.maximum(
        box[:, None, 1], boxes[None, :, 1]
    )
    return np.where((w > 0) & (h > 0), w * h, 0.0).sum(axis=1)


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


def _extent(probe: Text, renderer, name: str) -> tuple[float, float]:
    """(width, height) in pixels of ``name`` in ``probe``'s font, measured once.

    One bare Text measures every name: cheaper than an annotation per name,
    and a name's box is the same wherever it is anchored.
    """
    probe.set_text(name)
    box = probe.get_window_extent(renderer)
    return box.width, box.height


def candidate_boxes(anchor, extent, fig_scale: float) -> np.ndarray:
    """``[16, 4]`` display boxes (x0, y0, x1, y1) of a name at each spot, padded.

    ``anchor`` is the capital in display pixels and ``extent`` the name's
    (width, height); a name at a spot is that box moved, so one measurement
    gives all sixteen (the eight near spots, then the eight far ones).
    """
    width, height = extent
    pad = 1.5 * fig_scale
    boxes = np.empty((len(_NEAR) + len(_FAR), 4))
    for k, (dx, dy, ha, va) in enumerate(_NEAR + _FAR):
        x0 = anchor[0] + dx * fig_scale - _ALIGN_X[ha] * width
        y0 = anchor[1] + dy * fig_scale - _ALIGN_Y[va] * height
        boxes[k] = (x0 - pad, y0 - pad, x0 + width + pad, y0 + height + pad)
    return boxes


def _costs(boxes: np.ndarray, i: int, crowd: dict) -> np.ndarray:
    """How bad each candidate box of label ``i`` is: overlaps, and 4x what sticks out.

    ``crowd`` holds what is already there: ``placed`` boxes, capital
    ``dots`` and the axes ``frame`` (all as ``[K, 4]`` arrays).
    """
    others = np.delete(crowd["dots"], i, axis=0)
    areas = (boxes[:, 2] - boxes[:, 0]) * (boxes[:, 3] - boxes[:, 1])
    inside = _overlaps(boxes, crowd["frame"])
    cost = _overlaps(boxes, crowd["placed"]) + _overlaps(boxes, others)
    cost += 4 * (areas - inside)
    cost[len(_NEAR) :] += 0.5  # a far spot needs a leader line
    return cost


def _best_spot(boxes: np.ndarray, i: int, crowd: dict) -> int:
    """Index of the spot for label ``i`` among its candidate ``boxes``.

    The least crowded near spot if it is nearly free (cost under 1), else
    the least crowded of all sixteen; ties go to the earlier spot.
    """
    cost = _costs(boxes, i, crowd)
    near = len(_NEAR)
    best = int(np.argmin(cost[:near]))
    if cost[best] < 1:
        return best
    return int(np.argmin(cost))


def _as_array(boxes) -> np.ndarray:
    """``[K, 4]`` (x0, y0, x1, y1) of matplotlib Bboxes."""
    return np.array([b.extents for b in boxes], dtype=float).reshape(-1, 4)


def place_labels(view, renderer, size: float) -> list:
    """Label every province of ``view`` (a MapView) beside its capital.

    Each name is measured once; its sixteen candidate boxes follow from that
    measurement (:func:`candidate_boxes`), so only the chosen spot becomes
    an artist.
    """
    ax, shapes = view.ax, view.shapes
    fig_scale = ax.figure.dpi / 72.0
    disp = ax.transData.transform(shapes.labels)
    r = 3.0 * fig_scale
    crowd = {
        "dots": np.column_stack([disp - r, disp + r]),
        "placed": _as_array(
            t.get_window_extent(renderer).padded(2) for t in view.staging_texts
        ),
        "frame": _as_array([ax.get_window_extent(renderer)]),
    }
    gaps = np.hypot(*(disp[:, None, :] - disp[None, :, :]).transpose(2, 0, 1))
    density = (gaps < 60 * fig_scale).sum(axis=1)
    probe = Text(0.0, 0.0, "", fontsize=size)
    probe.set_figure(ax.figure)
    texts = []
    for i in np.argsort(-density, kind="stable"):
        extent = _extent(probe, renderer, shapes.names[i])
        boxes = candidate_boxes(disp[i], extent, fig_scale)
        k = _best_spot(boxes, i, crowd)
        crowd["placed"] = np.vstack([crowd["placed"], boxes[k]])
        texts.append(
            _label(ax, shapes, i, (_NEAR + _FAR)[k], size, far=k >= len(_NEAR))
        )
    return texts


def _label(ax, shapes, i: int, spot, size: float, far: bool):
    """The name of province ``i`` at ``spot``, haloed, with a leader line if far."""
    leader = {"arrowstyle": "-", "lw": 0.7, "color": TEXT_COLOR, "shrinkB": 2}
    return _name(
        ax,
        shapes.names[i],
        tuple(shapes.labels[i]),
        spot,
        size,
        color=TEXT_COLOR,
        path_effects=HALO,
        zorder=7,
        annotation_clip=False,
        arrowprops=leader if far else None,
    )
