"""Province names: one beside each capital, none on top of another."""

from __future__ import annotations

from sim.plots.geometry import shapes_for
from sim.plots.mapping.figures import prepare
from sim.plots.mapping.labels import place_labels
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
