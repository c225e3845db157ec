"""The province map as SVG: shapes projected once, colours per step.

:func:`map_geometry` turns the province polygons the figures use
(:func:`sim.plots.geometry.shapes_for`: the shipped boundaries, or the
schematic cells of a synthetic map) into one SVG path per province, once per
process. Each step then changes only the fills, outlines and labels
(:func:`province_styles`), so the browser keeps the paths and redraws colours:
no picture is rendered on the server.
"""

from __future__ import annotations

import html
import json
import math
from dataclasses import dataclass
from functools import cache

import numpy as np

#: Width of the map's SVG coordinate system (its height follows the shape).
WIDTH = 1000.0
#: Fill of a contested province (no controller).
CONTESTED_FILL = "#d9d9d9"
#: Outline of a province whose controller differs between two compared runs.
DIFFERENCE_STROKE = "#d40000"


@dataclass(frozen=True)
class MapGeometry:
    """Province outlines in SVG coordinates.

    Attributes:
        names: province names, in province order.
        paths: one SVG path ``d`` per province (all its rings).
        label_points: ``(x, y)`` per province, where its name is written.
        width: the viewBox width.
        height: the viewBox height.
    """

    names: tuple[str, ...]
    paths: tuple[str, ...]
    label_points: tuple[tuple[float, float], ...]
    width: float
    height: float

    @property
    def view_box(self) -> str:
        """The SVG ``viewBox`` attribute."""
        return f"0 0 {self.width:.0f} {self.height:.0f}"


def _projector(bounds: tuple[float, float, float, float]):
    """A lon/lat → SVG function: equirectangular, scaled at the mean latitude."""
    lon0, lon1, lat0, lat1 = bounds
    squeeze = math.cos(math.radians((lat0 + lat1) / 2))
    scale = WIDTH / ((lon1 - lon0) * squeeze)

    def project(points: np.ndarray) -> np.ndarray:
        x = (points[:, 0] - lon0) * squeeze * scale
        y = (lat1 - points[:, 1]) * scale
        return np.column_stack([x, y])

    return project, (lat1 - lat0) * scale


def _ring_path(ring: np.ndarray) -> str:
    """One closed ring as ``M x y L ... Z`` with one decimal."""
    coords = " ".join(f"{x:.1f} {y:.1f}" for x, y in ring)
    return f"M{coords}Z"


def geometry_from_shapes(shapes) -> MapGeometry:
    """The SVG geometry of a :class:`~sim.plots.geometry.ProvinceShapes`."""
    project, height = _projector(shapes.bounds)
    paths = []
    for rings, holes in zip(shapes.polygons, shapes.holes, strict=True):
        parts = [_ring_path(project(np.asarray(r))) for r in (*rings, *holes)]
        paths.append(" ".join(parts))
    labels = project(np.asarray(shapes.labels, dtype=float))
    return MapGeometry(
        names=tuple(shapes.names),
        paths=tuple(paths),
        label_points=tuple((round(x, 1), round(y, 1)) for x, y in labels),
        width=WIDTH,
        height=round(height, 1),
    )


@dataclass(frozen=True)
class _MapOf:
    """What :func:`sim.plots.geometry.shapes_for` reads of a run."""

    geometry: str | None
    scenario: dict


@cache
def map_geometry(geometry: str | None = None, kind: str = "afghanistan") -> MapGeometry:
    """The SVG geometry of a scenario's map, cached: built once per process.

    Args:
        geometry: the scenario's ``geometry`` file (None: the shipped map).
        kind: the scenario's map kind (a synthetic map gets schematic cells).
    """
    from sim.plots.geometry import shapes_for

    run = _MapOf(geometry=geometry, scenario={"map": {"kind": kind}})
    return geometry_from_shapes(shapes_for(run))


@cache
def shape_json(geometry: MapGeometry) -> str:
    """The outlines as the JSON the page's map template reads, built once."""
    return json.dumps(
        {
            "paths": list(geometry.paths),
            "names": list(geometry.names),
            "label_points": [list(p) for p in geometry.label_points],
            "view_box": geometry.view_box,
        }
    )


@dataclass(frozen=True)
class ProvinceStyle:
    """How one province is drawn this step."""

    fill: str
    stroke: str
    stroke_width: float
    title: str


def province_styles(
    controller: np.ndarray,
    colors: list[str],
    names: tuple[str, ...],
    holders: list[str],
    differs: np.ndarray | None = None,
) -> list[ProvinceStyle]:
    """Each province's fill (its controller's colour) and outline.

    Args:
        controller: ``[P]`` actor index per province, -1 when contested.
        colors: colour per actor index.
        names: province names.
        holders: display name per actor index.
        differs: ``[P]`` booleans, outlined in red (compare view), or None.
    """
    styles = []
    for p, who in enumerate(controller):
        who = int(who)
        fill = colors[who] if who >= 0 else CONTESTED_FILL
        held = holders[who] if who >= 0 else "contested"
        odd = differs is not None and bool(differs[p])
        styles.append(
            ProvinceStyle(
                fill=fill,
                stroke=DIFFERENCE_STROKE if odd else "#ffffff",
                stroke_width=5.0 if odd else 1.2,
                title=f"{names[p]}: {held}" + (" (differs)" if odd else ""),
            )
        )
    return styles


def map_svg(
    geometry: MapGeometry, styles: list[ProvinceStyle], labels: bool = True
) -> str:
    """A whole SVG document of the map (for tests and the exported page)."""
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{geometry.view_box}" '
        'class="greatgame-map" role="img" aria-label="province map">'
    ]
    for i, (d, st) in enumerate(zip(geometry.paths, styles, strict=True)):
        out.append(
            f'<path data-province="{i}" d="{d}" fill="{st.fill}" '
            f'stroke="{st.stroke}" stroke-width="{st.stroke_width}" '
            f'fill-rule="evenodd"><title>{html.escape(st.title)}</title></path>'
        )
    if labels:
        for name, (x, y) in zip(geometry.names, geometry.label_points, strict=True):
            out.append(
                f'<text x="{x}" y="{y}" class="greatgame-label">'
                f"{html.escape(name)}</text>"
            )
    out.append("</svg>")
    return "".join(out)
