"""Real province boundaries from a GeoJSON file, with errors a user can act on.

:func:`load_geojson` reads a ``FeatureCollection`` of the 34 provinces (for
example geoBoundaries ADM1, public domain, shipped as
``sim/world/data/provinces.geojson``) with the standard library and matches
each feature to a province by a name property or its ISO 3166-2 code (see
:mod:`sim.plots.geometry.names`). Anything it cannot match is a
:class:`GeometryError` that names the file and the feature.

The file is read by :func:`sim.files.read_bounded`: a regular file (never a
FIFO or a device) of at most :data:`sim.files.GEOJSON_MAX_BYTES`. Errors
quote at most a clipped name or code from it.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np

from sim.files import GEOJSON_MAX_BYTES, FileRefused, read_bounded
from sim.plots.geometry.names import (
    ISO_KEYS,
    NAME_KEYS,
    normalise,
    property_key,
    province_lookup,
    suggest,
)
from sim.plots.geometry.shapes import GeometryError, ProvinceShapes
from sim.text import clip
from sim.world.geography import load_geography

# Plausible longitude/latitude bounds of Afghanistan, to catch projected files.
_LON, _LAT = (55.0, 80.0), (25.0, 42.0)
_SHOWN_PROBLEMS = 8  # problems listed in one error, at most
_SHOWN_MISSING = 12  # missing provinces named in one problem, at most

Polygons = list[list[np.ndarray]]  # [[outer ring, hole, ...], ...]


def _rings(coords, what: str) -> Polygons:
    """Polygon coordinates ``[[ring, hole, ...], ...]`` as float arrays."""
    out = []
    for poly in coords:
        rings = []
        for ring in poly:
            try:
                arr = np.asarray(ring, dtype=float)
            except (TypeError, ValueError, OverflowError):  # text; 1e999 as an int
                arr = np.empty(0)
            if arr.ndim != 2 or arr.shape[1] < 2 or len(arr) < 3:
                raise ValueError(f"{what} has a ring that is not a list of points")
            rings.append(arr[:, :2])
        if rings:
            out.append(rings)
    if not out:
        raise ValueError(f"{what} has no coordinates")
    return out


def _text(path: Path) -> str:
    """The file's text: a bounded read of a regular UTF-8 file."""
    try:
        raw = read_bounded(path, GEOJSON_MAX_BYTES, "a GeoJSON file")
    except FileRefused as err:
        raise GeometryError(
            f"Cannot read the province boundaries '{path}': the path {err.reason}. "
            "Give the path of a GeoJSON file of Afghanistan's 34 provinces, or "
            "leave out the geometry to draw the boundaries shipped with the model."
        ) from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise GeometryError(
            f"The province boundaries '{path}' are not a text file (GeoJSON is "
            "UTF-8 JSON); give a .geojson file of Afghanistan's 34 provinces."
        ) from None


def _read(path: Path) -> dict:
    """The file's JSON, checked to be a FeatureCollection."""
    text = _text(path)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise GeometryError(
            f"The province boundaries '{path}' are not valid JSON (line {err.lineno}, "
            f"column {err.colno}: {err.msg}); a GeoJSON FeatureCollection of "
            "Afghanistan's 34 provinces is expected."
        ) from None
    except (RecursionError, ValueError) as err:  # nested too deep; a huge integer
        why = "nested too deeply" if isinstance(err, RecursionError) else "a number"
        raise GeometryError(
            f"The province boundaries '{path}' cannot be read as JSON ({why} "
            "beyond what a GeoJSON needs); a GeoJSON FeatureCollection of "
            "Afghanistan's 34 provinces is expected."
        ) from None
    kind = data.get("type") if isinstance(data, dict) else type(data).__name__
    if kind != "FeatureCollection" or not isinstance(data.get("features"), list):
        raise GeometryError(
            f"The province boundaries '{path}' are JSON but not a GeoJSON "
            f"FeatureCollection (its type is {_quoted(kind)}); a FeatureCollection "
            "with one Polygon or MultiPolygon feature per province is expected."
        )
    return data


def _quoted(value) -> str:
    """A value from the file as a message quotes it: clipped, never a huge repr."""
    return f"'{clip(value)}'" if isinstance(value, str) else clip(str(value), 40)


def _identify(k: int, feat) -> tuple[str, int | None, str | None]:
    """(how to show feature ``k``, its province id or None, the problem if none)."""
    props = feat.get("properties") if isinstance(feat, dict) else None
    props = props if isinstance(props, dict) else {}
    keyed = {property_key(key): v for key, v in props.items() if isinstance(v, str)}
    names = [keyed[key] for key in NAME_KEYS if keyed.get(key, "").strip()]
    codes = [keyed[key] for key in ISO_KEYS if keyed.get(key, "").strip()]
    shown = f"feature {k + 1}" + (f" ('{clip(names[0])}')" if names else "")
    lookup = province_lookup()
    hits = [lookup[normalise(v)] for v in (*names, *codes) if normalise(v) in lookup]
    if hits:
        return shown, hits[0], None
    if names or codes:
        hint = suggest(names[0]) if names else None
        problem = (
            f"{shown} matches no province"
            + (f" (did you mean '{hint}'?)" if hint else "")
            + ("" if names else f" (code '{clip(codes[0])}')")
        )
    else:
        problem = (
            f"{shown} has no name or ISO 3166-2 property (properties: "
            f"{clip(', '.join(props), 200) or 'none'})"
        )
    return shown, None, problem


def _polygons(feat: dict, shown: str) -> Polygons:
    """The feature's polygons in lon/lat; ValueError says what is wrong."""
    geom = feat.get("geometry") or {}
    kind = geom.get("type") if isinstance(geom, dict) else None
    if kind == "Polygon":
        polys = _rings([geom.get("coordinates") or []], shown)
    elif kind == "MultiPolygon":
        polys = _rings(geom.get("coordinates") or [], shown)
    else:
        raise ValueError(
            f"{shown} has geometry {_quoted(kind)}, not a Polygon or MultiPolygon"
        )
    pts = np.vstack([r for rings in polys for r in rings])
    if not (
        np.isfinite(pts).all()
        and _LON[0] <= pts[:, 0].min() <= pts[:, 0].max() <= _LON[1]
        and _LAT[0] <= pts[:, 1].min() <= pts[:, 1].max() <= _LAT[1]
    ):
        raise ValueError(
            f"{shown} lies outside Afghanistan's longitudes and latitudes "
            "(projected coordinates? GeoJSON must be WGS 84 lon/lat)"
        )
    return polys


def _coverage_problems(found: dict[int, list[str]]) -> list[str]:
    """Provinces matched by two features, and provinces no feature matched."""
    geo = load_geography()
    problems = []
    for i, hits in sorted(found.items()):
        if len(hits) > 1:
            problems.append(f"{' and '.join(hits)} are both {geo.names[i]}")
    missing = [geo.names[i] for i in range(geo.n_provinces) if i not in found]
    if missing:
        many = len(missing) > 1
        more = len(missing) - _SHOWN_MISSING
        problems.append(
            f"no feature for {'provinces' if many else 'province'} "
            + ", ".join(missing[:_SHOWN_MISSING])
            + (f" and {more} more" if more > 0 else "")
        )
    return problems


def _mismatch(path: Path, problems: list[str]) -> GeometryError:
    """One error listing the first problems of the file."""
    more = len(problems) - _SHOWN_PROBLEMS
    shown = problems[:_SHOWN_PROBLEMS] + ([f"{more} more problems"] if more > 0 else [])
    return GeometryError(
        f"The province boundaries '{path}' do not match Afghanistan's 34 "
        f"provinces: {'; '.join(shown)}. Each feature must name one "
        "province in a property such as 'name', 'shapeName' or 'NAME_1', or give "
        "its ISO 3166-2 code (e.g. 'AF-KDZ'); leave out the geometry to draw "
        "the boundaries shipped with the model instead."
    )


def load_geojson(path: str | os.PathLike[str]) -> ProvinceShapes:
    """Read province boundaries from a GeoJSON ``FeatureCollection``.

    Each feature (a ``Polygon`` or ``MultiPolygon`` in longitude/latitude) is
    matched to one of the 34 provinces by a name property (``name``,
    ``shapeName``, ``NAME_1``, ``province``, … in that order; case, spaces,
    hyphens and accents ignored, common transliterations accepted) or by an
    ISO 3166-2 code (``AF-KDZ``) in ``iso_3166_2``, ``shapeISO`` or ``ISO``.

    Raises:
        GeometryError: the file cannot be read or is not a FeatureCollection;
            a feature matches no province (with the closest name); a
            province has no feature, or two.
    """
    path = Path(path)
    data = _read(path)
    found: dict[int, list[str]] = {}
    shapes: dict[int, Polygons] = {}
    problems: list[str] = []
    for k, feat in enumerate(data["features"]):
        shown, i, problem = _identify(k, feat)
        if i is None:
            problems.append(problem)
            continue
        found.setdefault(i, []).append(shown)
        try:
            shapes[i] = _polygons(feat, shown)
        except (TypeError, ValueError) as err:
            problems.append(str(err))
    problems += _coverage_problems(found)
    if problems:
        raise _mismatch(path, problems)
    geo = load_geography()
    order = range(geo.n_provinces)
    return ProvinceShapes(
        names=geo.names,
        polygons=tuple(tuple(p[0] for p in shapes[i]) for i in order),
        holes=tuple(tuple(h for p in shapes[i] for h in p[1:]) for i in order),
        labels=np.column_stack([geo.lon, geo.lat]),
        source=str(path),
    )
