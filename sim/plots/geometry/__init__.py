"""Province shapes for the map: real boundaries from GeoJSON, or a schematic map.

Two sources give the same :class:`ProvinceShapes` (one or more polygons per
province, in longitude/latitude, and a label point at the capital):

* :func:`load_geojson` (:mod:`.geojson`) reads a GeoJSON ``FeatureCollection``
  of the 34 provinces, matching features by name or ISO 3166-2 code
  (:mod:`.names`); the model ships one (geoBoundaries ADM1, public domain).
* :func:`schematic` (:mod:`.schematic_map`) needs only the capitals: Voronoi
  cells inside a smooth outline of the country.

:func:`shapes_for` (:mod:`.choice`) picks between them for a run and caches
the result: the shipped boundaries for the Afghan map by default, the
schematic cells for a synthetic map.
"""

from __future__ import annotations

from sim.plots.geometry.choice import shapes_for, shipped_geojson
from sim.plots.geometry.geojson import load_geojson
from sim.plots.geometry.names import ALIASES, ISO_KEYS, NAME_KEYS
from sim.plots.geometry.schematic_map import GRID, RADIUS, SOFTNESS, schematic
from sim.plots.geometry.shapes import SCHEMATIC, GeometryError, ProvinceShapes

__all__ = [
    "ALIASES",
    "GRID",
    "ISO_KEYS",
    "NAME_KEYS",
    "RADIUS",
    "SCHEMATIC",
    "SOFTNESS",
    "GeometryError",
    "ProvinceShapes",
    "load_geojson",
    "schematic",
    "shapes_for",
    "shipped_geojson",
]
