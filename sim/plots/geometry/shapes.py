"""The shapes every map is drawn with, whatever their source.

:class:`ProvinceShapes` holds one or more polygons per province in
longitude/latitude and a label point at the capital; the GeoJSON reader and
the schematic map both produce it, so the map code never asks where the
shapes came from.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from matplotlib.path import Path as MplPath

SCHEMATIC = "schematic"


class GeometryError(ValueError):
    """A GeoJSON file that cannot be used as the provinces' shapes."""


@dataclass(frozen=True, eq=False)
class ProvinceShapes:
    """Shapes of the 34 provinces in longitude/latitude, ready for matplotlib.

    Attributes:
        names: province names, index = province id (as in ``sim.world.geography``).
        polygons: per province, the outer rings of its polygons: ``[n, 2]``
            arrays of (lon, lat), closed or not.
        holes: per province, the rings cut out of it (usually none).
        labels: ``[P, 2]`` where to label each province (its capital).
        source: ``"schematic"`` or the GeoJSON file it was read from.
    """

    names: tuple[str, ...]
    polygons: tuple[tuple[np.ndarray, ...], ...]
    holes: tuple[tuple[np.ndarray, ...], ...]
    labels: np.ndarray
    source: str

    def __len__(self) -> int:
        return len(self.names)

    @property
    def is_schematic(self) -> bool:
        """Whether these are the schematic cells rather than real boundaries."""
        return self.source == SCHEMATIC

    def path(self, i: int) -> MplPath:
        """Province ``i`` as one compound matplotlib path (holes cut out)."""
        rings = [_oriented(r, ccw=True) for r in self.polygons[i]]
        rings += [_oriented(r, ccw=False) for r in self.holes[i]]
        return MplPath.make_compound_path(
            *(MplPath(r, closed=True) for r in rings if len(r) >= 3)
        )

    def paths(self) -> list[MplPath]:
        """Every province's compound path, in province order."""
        return [self.path(i) for i in range(len(self))]

    def contains(self, i: int, lon: float, lat: float) -> bool:
        """Whether the point lies in province ``i``."""
        return bool(self.path(i).contains_point((lon, lat)))

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        """``(lon_min, lon_max, lat_min, lat_max)`` of all polygons."""
        pts = np.vstack([r for rings in self.polygons for r in rings])
        return (
            float(pts[:, 0].min()),
            float(pts[:, 0].max()),
            float(pts[:, 1].min()),
            float(pts[:, 1].max()),
        )


def _oriented(ring: np.ndarray, ccw: bool) -> np.ndarray:
    """The ring closed and turning the requested way (shoelace sign)."""
    r = np.asarray(ring, dtype=float)
    if len(r) and not np.array_equal(r[0], r[-1]):
        r = np.vstack([r, r[:1]])
    x, y = r[:, 0], r[:, 1]
    area2 = np.dot(x[:-1], y[1:]) - np.dot(x[1:], y[:-1])
    return r if (area2 > 0) == ccw else r[::-1]
