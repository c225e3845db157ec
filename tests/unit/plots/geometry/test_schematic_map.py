"""The schematic map: one cell round each capital, shaped like Afghanistan."""

from __future__ import annotations

from sim.plots.geometry import schematic
from tests.unit.plots.geometry.helpers import check_shapes


def test_schematic_has_a_cell_round_each_capital():
    shapes = schematic()
    check_shapes(shapes)
    assert shapes.is_schematic
    for i, name in enumerate(shapes.names):
        assert shapes.contains(i, *shapes.labels[i]), f"{name}'s capital is outside"
        others = [j for j in range(34) if j != i]
        assert not any(shapes.contains(j, *shapes.labels[i]) for j in others)
    lon0, lon1, lat0, lat1 = shapes.bounds
    assert 59.5 < lon0 < 62 and 70.5 < lon1 < 75.5  # Afghanistan, Wakhan aside
    assert 29 < lat0 < 31 and 37 < lat1 < 39


def test_schematic_is_computed_once():
    assert schematic() is schematic()
