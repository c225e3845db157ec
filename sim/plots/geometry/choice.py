"""Which shapes a run's map is drawn with, read once per file.

The Afghan map is drawn on the real province boundaries shipped with the
model (``sim/world/data/provinces.geojson``, geoBoundaries ADM1, public
domain) unless the scenario's ``geometry:`` key or the caller names another
file; a run on a synthetic map keeps the schematic drawing.
"""

from __future__ import annotations

import os
from functools import cache
from importlib import resources
from pathlib import Path

from sim.plots.geometry.geojson import load_geojson
from sim.plots.geometry.schematic_map import schematic
from sim.plots.geometry.shapes import SCHEMATIC, ProvinceShapes

AFGHANISTAN = "afghanistan"


def shipped_geojson() -> Path:
    """The province boundaries shipped with the model (geoBoundaries ADM1)."""
    return Path(str(resources.files("sim.world.data").joinpath("provinces.geojson")))


def _map_kind(run) -> str:
    """The kind of map ``run`` was played on (``afghanistan`` when it names none)."""
    scenario = getattr(run, "scenario", None)
    spec = scenario.get("map") if isinstance(scenario, dict) else None
    kind = spec.get("kind") if isinstance(spec, dict) else None
    return kind or AFGHANISTAN


@cache
def _geojson_cached(path: str, mtime: float) -> ProvinceShapes:
    return load_geojson(path)


def shapes_for(
    run=None, geometry: str | os.PathLike[str] | None = None
) -> ProvinceShapes:
    """The shapes to draw ``run`` with.

    ``geometry`` wins, then the run's own ``geometry``; otherwise the Afghan
    map gets the shipped boundaries and a synthetic map the schematic cells.

    Args:
        run: a :class:`sim.results.rundata.Run` (or anything with
            ``geometry`` and ``scenario`` attributes), or None.
        geometry: a GeoJSON path overriding the run's, or ``"schematic"``.

    GeoJSON files are read once per path (again when the file changes).
    """
    chosen = geometry if geometry is not None else getattr(run, "geometry", None)
    if chosen is None:
        chosen = shipped_geojson() if _map_kind(run) == AFGHANISTAN else SCHEMATIC
    if str(chosen) == SCHEMATIC:
        return schematic()
    path = Path(chosen).expanduser().resolve()
    try:
        mtime = path.stat().st_mtime
    except OSError:
        return load_geojson(path)  # raises the readable error
    return _geojson_cached(str(path), mtime)
