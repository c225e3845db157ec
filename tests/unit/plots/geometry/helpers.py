"""What every set of province shapes must satisfy, and GeoJSON to spoil."""

from __future__ import annotations

import json
from pathlib import Path

from sim.plots.geometry import ProvinceShapes, shipped_geojson
from sim.world.geography import load_geography


def shipped() -> dict:
    """The shipped boundaries as JSON, to edit in a test."""
    return json.loads(shipped_geojson().read_text(encoding="utf-8"))


def write_geojson(path: Path, data: dict) -> Path:
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def check_shapes(shapes: ProvinceShapes) -> None:
    geo = load_geography()
    assert len(shapes) == geo.n_provinces == 34
    assert shapes.names == geo.names
    for i in range(34):
        assert shapes.polygons[i], shapes.names[i]
        assert all(len(ring) >= 3 for ring in shapes.polygons[i])
        path = shapes.path(i)
        extent = path.get_extents()
        assert extent.width > 0 and extent.height > 0
