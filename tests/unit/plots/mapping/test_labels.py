"""Province names: one beside each capital, none on top of another."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.transforms import Bbox

from sim.plots.geometry import shapes_for
from sim.plots.mapping.figures import prepare
from sim.plots.mapping.labels import _FAR, _NEAR, candidate_boxes, place_labels
from sim.plots.mapping.supply import SUPPLY_WEEKS, Supply
from sim.plots.mapping.view import MapView
from sim.plots.style import new_figure


def test_every_province_is_named_once_without_collisions(run):
    fig = new_figure(13.0, 7.6)
    ax = fig.add_subplot()
    shapes = shapes_for(run)
    view = MapView(ax, run, shapes, Supply.of(run, SUPPLY_WEEKS))
    renderer = prepare(fig)
    texts = place_labels(view, renderer, 8.5)
    assert sorted(t.get_text() for t in texts) == sorted(shapes.names)
    boxes = [t.get_window_extent(renderer) for t in texts]
    overlaps = sum(a.overlaps(b) for i, a in enumerate(boxes) for b in boxes[i + 1 :])
    assert overlaps == 0


def test_candidate_boxes_are_where_an_annotation_there_would_be(run):
    fig = new_figure(13.0, 7.6)
    ax = fig.add_subplot()
    shapes = shapes_for(run)
    MapView(ax, run, shapes, Supply.of(run, SUPPLY_WEEKS))
    renderer = prepare(fig)
    scale = fig.dpi / 72.0
    for i in (0, 7, 20):
        xy = tuple(shapes.labels[i])
        probe = ax.annotate(shapes.names[i], xy, fontsize=8.5)
        extent = probe.get_window_extent(renderer)
        probe.remove()
        anchor = ax.transData.transform(xy)
        boxes = candidate_boxes(anchor, (extent.width, extent.height), scale)
        for box, (dx, dy, ha, va) in zip(boxes, _NEAR + _FAR, strict=True):
            text = ax.annotate(
                shapes.names[i], xy, xytext=(dx, dy), textcoords="offset points",
                ha=ha, va=va, fontsize=8.5,
            )  # fmt: skip
            measured = text.get_window_extent(renderer).padded(1.5 * scale)
            text.remove()
            assert box == pytest.approx(measured.extents, abs=1e-6)


def _measured_spots(view, renderer, size):
    """Reference: every name tried at every spot as a real annotation, measured."""
    ax, shapes = view.ax, view.shapes
    scale = ax.figure.dpi / 72.0
    disp = ax.transData.transform(shapes.labels)
    r = 3 * scale
    dots = [Bbox.from_extents(x - r, y - r, x + r, y + r) for x, y in disp]
    placed = [t.get_window_extent(renderer).padded(2) for t in view.staging_texts]
    frame = ax.get_window_extent(renderer)

    def area(a, b):
        w = min(a.x1, b.x1) - max(a.x0, b.x0)
        h = min(a.y1, b.y1) - max(a.y0, b.y0)
        return w * h if w > 0 and h > 0 else 0.0

    gaps = np.hypot(*(disp[:, None, :] - disp[None, :, :]).transpose(2, 0, 1))
    chosen = {}
    for i in np.argsort(-(gaps < 60 * scale).sum(axis=1), kind="stable"):
        costs = []
        for k, (dx, dy, ha, va) in enumerate(_NEAR + _FAR):
            text = ax.annotate(
                shapes.names[i], tuple(shapes.labels[i]), xytext=(dx, dy),
                textcoords="offset points", ha=ha, va=va, fontsize=size,
            )  # fmt: skip
            box = text.get_window_extent(renderer).padded(1.5 * scale)
            text.remove()
            cost = sum(area(box, b) for b in placed)
            cost += sum(area(box, d) for j, d in enumerate(dots) if j != i)
            cost += 4 * (box.width * box.height - area(box, frame))
            costs.append((cost + (0.5 if k >= len(_NEAR) else 0.0), k, box))
        near = min(costs[: len(_NEAR)], key=lambda c: (c[0], c[1]))
        best = near if near[0] < 1 else min(costs, key=lambda c: (c[0], c[1]))
        placed.append(best[2])
        dx, dy, ha, va = (_NEAR + _FAR)[best[1]]
        chosen[shapes.names[i]] = (round(dx, 6), round(dy, 6), ha, va)
    return chosen


@pytest.mark.parametrize(
    ("width", "size", "geometry"),
    [(13.0, 8.5, None), (13.0, 10.5, "schematic"), (8.0, 8.5, None)],
)
def test_names_go_where_measuring_every_spot_puts_them(run, width, size, geometry):
    """Crowded enough (the narrow map) that some names need a leader line."""
    fig = new_figure(width, 0.58 * width)
    ax = fig.add_subplot()
    view = MapView(ax, run, shapes_for(run, geometry), Supply.of(run, SUPPLY_WEEKS))
    renderer = prepare(fig)
    expected = _measured_spots(view, renderer, size)
    texts = place_labels(view, renderer, size)
    got = {
        t.get_text(): (*(round(v, 6) for v in t.xyann), t.get_ha(), t.get_va())
        for t in texts
    }
    assert got == expected
