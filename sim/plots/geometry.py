"""Province shapes for the map: real boundaries from GeoJSON, or a schematic map.

Two sources give the same :class:`ProvinceShapes` (one or more polygons per
province, in longitude/latitude, and a label point at the capital):

* :func:`load_geojson` reads a GeoJSON ``FeatureCollection`` of the 34
  provinces (for example geoBoundaries ADM1, public domain) with the standard
  library and matches each feature to a province by a name property or its
  ISO 3166-2 code, tolerant to the usual transliterations ("Sari Pul",
  "Nimroz", "Paktya", …). Anything it cannot match is a :class:`GeometryError`
  that names the file and the feature.
* :func:`schematic` needs no data beyond the capitals shipped in
  ``sim/world/data/provinces.csv``: the country's outline is a smooth union of
  disks around the capitals ("metaballs": a soft minimum of ``d_i − r_i``
  whose radius ``r_i`` grows with the distance to the neighbouring capitals,
  so edge provinces reach out to the border), and each province is its
  capital's Voronoi cell inside that outline. Both are zero sets of fields
  sampled on a grid in locally equidistant coordinates (longitude scaled by
  cos latitude) and traced with contourpy, matplotlib's own contouring
  library, so neighbouring cells share their edges exactly. The Wakhan
  corridor is left out; the rest reads as Afghanistan.

:func:`shapes_for` picks between them for a run and caches the result.
"""

from __future__ import annotations

import difflib
import json
import os
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
from matplotlib.path import Path as MplPath

from sim.world.geography import load_geography

SCHEMATIC = "schematic"

# Transliterations seen in common boundary files (GADM, OCHA, geoBoundaries,
# AGCHO, Wikipedia), beside the names in sim/world/data/provinces.csv.
ALIASES: dict[str, tuple[str, ...]] = {
    "Badakhshan": ("Badakshan", "Badakhshon", "Badachschan"),
    "Badghis": ("Badghes", "Badgis", "Badghiz"),
    "Baghlan": ("Baghlaan", "Baglan"),
    "Balkh": ("Balk",),
    "Bamyan": ("Bamiyan", "Bamian", "Bamyaan"),
    "Daykundi": ("Daikundi", "Dai Kundi", "Day Kundi", "Daykondi", "Daikondi"),
    "Farah": ("Farrah",),
    "Faryab": ("Fariab", "Faryaab"),
    "Ghazni": ("Ghanzi", "Ghazny", "Ghaznin"),
    "Ghor": ("Ghowr", "Ghur", "Ghore"),
    "Helmand": ("Hilmand", "Helmend"),
    "Herat": ("Hirat", "Harat"),
    "Jowzjan": ("Jawzjan", "Jozjan", "Juzjan", "Jowzjon", "Jauzjan"),
    "Kabul": ("Kabol", "Kaboul"),
    "Kandahar": ("Qandahar", "Kandehar", "Qandehar"),
    "Kapisa": ("Kapissa", "Kapesa"),
    "Khost": ("Khowst", "Khost (Paktya)", "Khust"),
    "Kunar": ("Kunarha", "Konar", "Konarha", "Kunarh"),
    "Kunduz": ("Kondoz", "Qunduz", "Kundoz", "Konduz"),
    "Laghman": ("Lagman", "Laghmaan"),
    "Logar": ("Lowgar", "Loghar"),
    "Nangarhar": ("Ningarhar", "Nangrahar", "Nangahar"),
    "Nimruz": ("Nimroz", "Nimrooz", "Nimrouz"),
    "Nuristan": ("Nooristan", "Nurestan", "Nuristaan"),
    "Paktia": ("Paktya", "Paktiya"),
    "Paktika": ("Paktyka", "Paktica"),
    "Panjshir": ("Panjsher", "Panjsheer", "Panjshayr", "Panj Shir", "Panjshir Valley"),
    "Parwan": ("Parvan", "Parwaan"),
    "Samangan": ("Samangaan",),
    "Sar-e Pol": (
        "Sari Pul",
        "Sar-e-Pul",
        "Sar-e Pul",
        "Sar-i-Pul",
        "Sar-i Pul",
        "Sar-i-Pol",
        "Saripul",
        "Sar e Pol",
        "Sar-e-Pol",
        "Sare Pol",
    ),
    "Takhar": ("Takhaar", "Takar"),
    "Uruzgan": ("Urozgan", "Oruzgan", "Orozgan", "Uruzgaan"),
    "Wardak": ("Maidan Wardak", "Maydan Wardak", "Vardak", "Wardag"),
    "Zabul": ("Zabol", "Zaboul"),
}
# Property keys tried, in order, after lower-casing and dropping "_", "-", " ".
NAME_KEYS = (
    "name",
    "shapename",
    "name1",
    "adm1name",
    "adm1en",
    "admin1name",
    "admin1",
    "province",
    "provincename",
    "provname",
    "prvname",
    "nameen",
    "nameeng",
    "namelatin",
    "nom",
)
ISO_KEYS = ("iso31662", "shapeiso", "iso", "isocode", "iso2", "code")
_WORDS = ("province", "wilayat", "velayat", "welayat")
# Plausible longitude/latitude bounds of Afghanistan, to catch projected files.
_LON, _LAT = (55.0, 80.0), (25.0, 42.0)


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


# --- GeoJSON ---------------------------------------------------------------


def _norm(text: str) -> str:
    """Lower case, no accents, no "province", letters and digits only."""
    t = unicodedata.normalize("NFKD", text)
    t = "".join(c for c in t if not unicodedata.combining(c)).lower()
    for word in _WORDS:
        t = t.replace(word, " ")
    return "".join(c for c in t if c.isalnum())


def _key(key: str) -> str:
    return "".join(c for c in key.lower() if c.isalnum())


@cache
def _lookup() -> dict[str, int]:
    """Normalised names, aliases and ISO codes → province id."""
    geo = load_geography()
    out: dict[str, int] = {}
    for i, name in enumerate(geo.names):
        for variant in (name, *ALIASES.get(name, ())):
            out.setdefault(_norm(variant), i)
        out[_norm(geo.iso[i])] = i  # "AF-KDZ" → "afkdz"
    return out


def _suggest(text: str) -> str | None:
    """The province whose name or alias is closest to ``text``, if any is close."""
    geo = load_geography()
    variants = {
        _norm(v): name for name in geo.names for v in (name, *ALIASES.get(name, ()))
    }
    close = difflib.get_close_matches(_norm(text), list(variants), n=1, cutoff=0.6)
    return variants[close[0]] if close else None


def _rings(coords, what: str) -> list[list[np.ndarray]]:
    """Polygon coordinates ``[[ring, hole, ...], ...]`` as float arrays."""
    out = []
    for poly in coords:
        rings = []
        for ring in poly:
            arr = np.asarray(ring, dtype=float)
            if arr.ndim != 2 or arr.shape[1] < 2 or len(arr) < 3:
                raise ValueError(f"{what} has a ring that is not a list of points")
            rings.append(arr[:, :2])
        if rings:
            out.append(rings)
    if not out:
        raise ValueError(f"{what} has no coordinates")
    return out


def _read(path: Path) -> dict:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as err:
        reason = err.strerror or type(err).__name__
        raise GeometryError(
            f"Cannot read the province boundaries '{path}': {reason}. Give the path "
            "of a GeoJSON file of Afghanistan's 34 provinces, or leave out the "
            "geometry to draw the schematic map."
        ) from None
    except UnicodeDecodeError:
        raise GeometryError(
            f"The province boundaries '{path}' are not a text file (GeoJSON is "
            "UTF-8 JSON); give a .geojson file of Afghanistan's 34 provinces."
        ) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise GeometryError(
            f"The province boundaries '{path}' are not valid JSON (line {err.lineno}, "
            f"column {err.colno}: {err.msg}); a GeoJSON FeatureCollection of "
            "Afghanistan's 34 provinces is expected."
        ) from None
    kind = data.get("type") if isinstance(data, dict) else type(data).__name__
    if kind != "FeatureCollection" or not isinstance(data.get("features"), list):
        raise GeometryError(
            f"The province boundaries '{path}' are JSON but not a GeoJSON "
            f"FeatureCollection (its type is {kind!r}); a FeatureCollection with "
            "one Polygon or MultiPolygon feature per province is expected."
        )
    return data


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
    geo = load_geography()
    lookup = _lookup()
    found: dict[int, list[tuple[int, str]]] = {}
    shapes: dict[int, list[list[np.ndarray]]] = {}
    problems: list[str] = []
    for k, feat in enumerate(data["features"]):
        props = feat.get("properties") if isinstance(feat, dict) else None
        props = props if isinstance(props, dict) else {}
        keyed = {_key(key): v for key, v in props.items() if isinstance(v, str)}
        names = [keyed[key] for key in NAME_KEYS if keyed.get(key, "").strip()]
        codes = [keyed[key] for key in ISO_KEYS if keyed.get(key, "").strip()]
        shown = f"feature {k + 1}" + (f" ('{names[0]}')" if names else "")
        hits = [lookup[_norm(v)] for v in (*names, *codes) if _norm(v) in lookup]
        if not hits:
            if names or codes:
                hint = _suggest(names[0]) if names else None
                problems.append(
                    f"{shown} matches no province"
                    + (f" (did you mean '{hint}'?)" if hint else "")
                    + ("" if names else f" (code '{codes[0]}')")
                )
            else:
                problems.append(
                    f"{shown} has no name or ISO 3166-2 property (properties: "
                    f"{', '.join(props) or 'none'})"
                )
            continue
        i = hits[0]
        found.setdefault(i, []).append((k, shown))
        geom = feat.get("geometry") or {}
        kind = geom.get("type") if isinstance(geom, dict) else None
        try:
            if kind == "Polygon":
                polys = _rings([geom.get("coordinates") or []], shown)
            elif kind == "MultiPolygon":
                polys = _rings(geom.get("coordinates") or [], shown)
            else:
                raise ValueError(
                    f"{shown} has geometry {kind!r}, not a Polygon or MultiPolygon"
                )
        except (TypeError, ValueError) as err:
            problems.append(str(err))
            continue
        pts = np.vstack([r for rings in polys for r in rings])
        if not (
            np.isfinite(pts).all()
            and _LON[0] <= pts[:, 0].min() <= pts[:, 0].max() <= _LON[1]
            and _LAT[0] <= pts[:, 1].min() <= pts[:, 1].max() <= _LAT[1]
        ):
            problems.append(
                f"{shown} lies outside Afghanistan's longitudes and latitudes "
                "(projected coordinates? GeoJSON must be WGS 84 lon/lat)"
            )
            continue
        shapes[i] = polys
    for i, hits in sorted(found.items()):
        if len(hits) > 1:
            which = " and ".join(shown for _, shown in hits)
            problems.append(f"{which} are both {geo.names[i]}")
    missing = [geo.names[i] for i in range(geo.n_provinces) if i not in found]
    if missing:
        many = len(missing) > 1
        problems.append(
            f"no feature for {'provinces' if many else 'province'} "
            + ", ".join(missing[:12])
            + (f" and {len(missing) - 12} more" if len(missing) > 12 else "")
        )
    if problems:
        shown_problems = problems[:8] + (
            [f"{len(problems) - 8} more problems"] if len(problems) > 8 else []
        )
        raise GeometryError(
            f"The province boundaries '{path}' do not match Afghanistan's 34 "
            f"provinces: {'; '.join(shown_problems)}. Each feature must name one "
            "province in a property such as 'name', 'shapeName' or 'NAME_1', or give "
            "its ISO 3166-2 code (e.g. 'AF-KDZ'); leave out the geometry to draw "
            "the schematic map instead."
        )
    order = range(geo.n_provinces)
    return ProvinceShapes(
        names=geo.names,
        polygons=tuple(tuple(p[0] for p in shapes[i]) for i in order),
        holes=tuple(tuple(h for p in shapes[i] for h in p[1:]) for i in order),
        labels=np.column_stack([geo.lon, geo.lat]),
        source=str(path),
    )


# --- schematic map ------------------------------------------------------------

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


@cache
def schematic() -> ProvinceShapes:
    """A schematic map from the shipped capitals: Voronoi cells in a smooth outline.

    No data beyond ``sim/data`` is needed. Each province is the set of points
    nearer its capital than any other (distances with longitude scaled by
    cos latitude), inside an outline of the country built from disks around
    the capitals. Cached: the result is shared, treat it as read-only.
    """
    geo = load_geography()
    n = geo.n_provinces
    k = float(np.cos(np.radians(geo.lat.mean())))
    cx, cy = geo.lon * k, geo.lat
    near = np.array(
        [
            np.mean([np.hypot(cx[i] - cx[j], cy[i] - cy[j]) for j in geo.neighbours(i)])
            if geo.neighbours(i)
            else 1.0
            for i in range(n)
        ]
    )
    radius = RADIUS * near
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

    polygons, holes = [], []
    for i in range(n):
        # Voronoi margin of cell i: d_i minus the distance to the nearest other
        # capital (negative inside the cell, linear across each shared edge),
        # on the window around the cell only.
        rows, cols = np.nonzero((who == i) & inside)
        if not len(rows):
            raise RuntimeError(f"the schematic cell of {geo.names[i]} is empty")
        win = (
            slice(max(rows.min() - 2, 0), rows.max() + 3),
            slice(max(cols.min() - 2, 0), cols.max() + 3),
        )
        d = np.hypot(x[win] * k - cx[i], y[win] - cy[i])
        other = np.where(who[win] == i, d2[win], d1[win])
        field = np.maximum(d - other, outline[win])
        pieces = _filled(x[win], y[win], field)
        pieces.sort(key=lambda p: -_area(p[0]))
        polygons.append(tuple(p[0] for p in pieces))
        holes.append(tuple(h for p in pieces for h in p[1:]))
    return ProvinceShapes(
        names=geo.names,
        polygons=tuple(polygons),
        holes=tuple(holes),
        labels=np.column_stack([geo.lon, geo.lat]),
        source=SCHEMATIC,
    )


def _area(ring: np.ndarray) -> float:
    x, y = ring[:, 0], ring[:, 1]
    return 0.5 * abs(np.dot(x, np.roll(y, -1)) - np.dot(np.roll(x, -1), y))


# --- choosing ---------------------------------------------------------------------


@cache
def _geojson_cached(path: str, mtime: float) -> ProvinceShapes:
    return load_geojson(path)


def shapes_for(
    run=None, geometry: str | os.PathLike[str] | None = None
) -> ProvinceShapes:
    """The shapes to draw ``run`` with: ``geometry``, else the run's, else schematic.

    Args:
        run: a :class:`sim.results.rundata.Run` (or anything with a ``geometry``
            attribute), or None.
        geometry: a GeoJSON path overriding the run's, or ``"schematic"``.

    GeoJSON files are read once per path (again when the file changes).
    """
    chosen = geometry if geometry is not None else getattr(run, "geometry", None)
    if chosen is None or str(chosen) == SCHEMATIC:
        return schematic()
    path = Path(chosen).expanduser().resolve()
    try:
        mtime = path.stat().st_mtime
    except OSError:
        return load_geojson(path)  # raises the readable error
    return _geojson_cached(str(path), mtime)
