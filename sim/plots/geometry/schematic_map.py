"""A schematic map from the capitals alone, for maps without boundary files.

Synthetic maps have no real boundaries, and the Afghan map can be drawn
without them too: the country's outline is a smooth union of disks around
the capitals ("metaballs": a soft minimum of ``d_i − r_i`` whose radius
``r_i`` grows with the distance to the neighbouring capitals, so edge
provinces reach out to the border), and each province is its capital's
Voronoi cell inside that outline. Both are zero sets of fields sampled on a
grid in locally equidistant coordinates (longitude scaled by cos latitude)
and traced with contourpy, matplotlib's own contouring library, so
neighbouring cells share their edges exactly. The Wakhan corridor is left
out; the rest reads as Afghanistan.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np

from sim.plots.geometry.shapes import SCHEMATIC, ProvinceShapes
from sim.world.geography import load_geography

# Outline: radius = RADIUS × mean distance to the neighbouring capitals,
# softened over SOFTNESS (units: degrees of latitude). Chosen by overlap with
# the geoBoundaries outline (intersection over union 0.81 without the Wakhan).
RADIUS = 0.7
SOFTNESS = 0.2
GRID = 0.03  # grid step, degrees (0.02 looks the same and takes twice as long)


def _filled(x: np.ndarray, y: np.ndarray, z: np.ndarray) -> list[list[np.ndarray]]:
    """Polygons ``[[outer, hole, ...], ...]`` where ``z <= 0``."""
    import contourpy

    gen = contourpy.contour_generator(x, y, z, fill_type=contourpy.FillType.OuterOffset)
    points, offsets = gen.filled(-np.inf, 0.0)
    return [
        [pts[a:b] for a, b in zip(offs[:-1], offs[1:], strict=True)]
        for pts, offs in zip(points, offsets, strict=True)
    ]


def _fill_holes(mask: np.ndarray) -> np.ndarray:
    """``mask`` with every region not connected to the grid's edge filled in."""
    from scipy import ndimage

    return ndimage.binary_fill_holes(mask)


def _area(ring: np.ndarray) -> float:
    x, y = ring[:, 0], ring[:, 1]
    return 0.5 * abs(np.dot(x, np.roll(y, -1)) - np.dot(np.roll(x, -1), y))


@dataclass
class _Fields:
    """The sampled grid and the fields the outline and the cells are cut from.

    ``x``/``y`` are longitude/latitude, ``k`` the longitude scale; ``d1``/``d2``
    the distances to the nearest and second-nearest capital, ``who`` the
    nearest capital's id, ``outline`` the soft outline (``<= 0`` inside, lakes
    filled) and ``inside`` where it was ``<= 0`` before the lakes were filled.
    """

    x: np.ndarray
    y: np.ndarray
    k: float
    cx: np.ndarray
    cy: np.ndarray
    d1: np.ndarray
    d2: np.ndarray
    who: np.ndarray
    outline: np.ndarray
    inside: np.ndarray


def _radii(cx: np.ndarray, cy: np.ndarray, geo) -> np.ndarray:
    """Each capital's disk radius: RADIUS × mean distance to its neighbours."""
    near = np.array(
        [
            np.mean([np.hypot(cx[i] - cx[j], cy[i] - cy[j]) for j in geo.neighbours(i)])
            if geo.neighbours(i)
            else 1.0
            for i in range(geo.n_provinces)
        ]
    )
    return RADIUS * near


def _fields(geo) -> _Fields:
    """Sample the outline and nearest-capital fields on the grid."""
    n = geo.n_provinces
    k = float(np.cos(np.radians(geo.lat.mean())))
    cx, cy = geo.lon * k, geo.lat
    radius = _radii(cx, cy, geo)
    pad = radius.max() + 0.5
    lon = np.arange(geo.lon.min() - pad / k, geo.lon.max() + pad / k + GRID, GRID)
    lat = np.arange(geo.lat.min() - pad, geo.lat.max() + pad + GRID, GRID)
    x, y = np.meshgrid(lon, lat)
    # One capital at a time keeps memory to a few grids: the soft minimum of
    # d_i - r_i (outline) and the nearest and second-nearest capital (cells).
    d1 = np.full(x.shape, np.inf)
    d2 = np.full(x.shape, np.inf)
    who = np.zeros(x.shape, dtype=np.int16)
    low = np.full(x.shape, np.inf)
    for i in range(n):
        d = np.hypot(x * k - cx[i], y - cy[i])
        low = np.minimum(low, d - radius[i])
        second = d < d2
        d2[second] = d[second]
        first = d < d1
        d2[first] = d1[first]
        d1[first] = d[first]
        who[first] = i
    acc = np.zeros(x.shape)
    for i in range(n):
        d = np.hypot(x * k - cx[i], y - cy[i])
        acc += np.exp(-(d - radius[i] - low) / SOFTNESS)
    outline = low - SOFTNESS * np.log(acc)
    inside = outline <= 0
    outline[_fill_holes(inside) & ~inside] = -GRID  # no lakes in the outline
    return _Fields(x, y, k, cx, cy, d1, d2, who, outline, inside)


def _cell(f: _Fields, i: int, name: str) -> list[list[np.ndarray]]:
    """Capital ``i``'s Voronoi cell inside the outline, largest piece first."""
    # Voronoi margin of cell i: d_i minus the distance to the nearest other
    # capital (negative inside the cell, linear across each shared edge),
    # on the window around the cell only.
    rows, cols = np.nonzero((f.who == i) & f.inside)
    if not len(rows):
        raise RuntimeError(f"the schematic cell of {name} is empty")
    win = (
        slice(max(rows.min() - 2, 0), rows.max() + 3),
        slice(max(cols.min() - 2, 0), cols.max() + 3),
    )
    d = np.hypot(f.x[win] * f.k - f.cx[i], f.y[win] - f.cy[i])
    other = np.where(f.who[win] == i, f.d2[win], f.d1[win])
    field = np.maximum(d - other, f.outline[win])
    pieces = _filled(f.x[win], f.y[win], field)
    pieces.sort(key=lambda p: -_area(p[0]))
    return pieces


@cache
def schematic() -> ProvinceShapes:
    """A schematic map from the shipped capitals: Voronoi cells in a smooth outline.

    No data beyond ``sim/world/data`` is needed. Each province is the set of
    points nearer its capital than any other (distances with longitude scaled
    by cos latitude), inside an outline of the country built from disks
    around the capitals. Cached: the result is shared, treat it as read-only.
    """
    geo = load_geography()
    f = _fields(geo)
    polygons, holes = [], []
    for i in range(geo.n_provinces):
        pieces = _cell(f, i, geo.names[i])
        polygons.append(tuple(p[0] for p in pieces))
        holes.append(tuple(h for p in pieces for h in p[1:]))
    return ProvinceShapes(
        names=geo.names,
        polygons=tuple(polygons),
        holes=tuple(holes),
        labels=np.column_stack([geo.lon, geo.lat]),
        source=SCHEMATIC,
    )
