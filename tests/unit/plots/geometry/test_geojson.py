"""Reading province boundaries from GeoJSON, and errors a user can act on."""

from __future__ import annotations

import os

import pytest

from sim.plots.geometry import GeometryError, load_geojson, shipped_geojson
from tests.unit.plots.geometry.helpers import check_shapes, shipped, write_geojson


@pytest.fixture
def geojson() -> dict:
    return shipped()


def test_the_shipped_geojson_matches_the_34_provinces():
    shapes = load_geojson(shipped_geojson())
    check_shapes(shapes)
    assert not shapes.is_schematic
    kunduz = shapes.names.index("Kunduz")
    assert shapes.contains(kunduz, *shapes.labels[kunduz])
    lon0, lon1, lat0, lat1 = shapes.bounds
    assert 60 < lon0 < 61 and 74.5 < lon1 < 75.5  # the Wakhan reaches China
    assert 29 < lat0 < 30 and 38 < lat1 < 39


def test_geojson_names_are_matched_loosely(tmp_path, geojson):
    spelled = {"Sar-e Pol": "SARI PUL", "Nimruz": "Nimroz", "Ghazni": "Ghanzi"}
    for feat in geojson["features"]:
        name = feat["properties"]["name"]
        feat["properties"] = {"NAME_1": spelled.get(name, name.lower())}
    feat = geojson["features"][0]
    feat["properties"] = {"shapeISO": "AF-BDS"}  # Badakhshan by ISO 3166-2 alone
    feat["geometry"] = {
        "type": "MultiPolygon",
        "coordinates": [feat["geometry"]["coordinates"]],
    }
    check_shapes(load_geojson(write_geojson(tmp_path / "loose.geojson", geojson)))


def test_a_missing_province_is_named(tmp_path, geojson):
    geojson["features"] = [
        f for f in geojson["features"] if f["properties"]["name"] != "Kunduz"
    ]
    path = write_geojson(tmp_path / "no-kunduz.geojson", geojson)
    with pytest.raises(GeometryError, match="no feature for province Kunduz") as err:
        load_geojson(path)
    assert "no-kunduz.geojson" in str(err.value)


def test_many_missing_provinces_are_counted(tmp_path, geojson):
    geojson["features"] = geojson["features"][:4]
    path = write_geojson(tmp_path / "four.geojson", geojson)
    with pytest.raises(GeometryError, match="no feature for provinces .* and 18 more"):
        load_geojson(path)


def test_an_unknown_name_gets_a_suggestion(tmp_path, geojson):
    for feat in geojson["features"]:
        if feat["properties"]["name"] == "Helmand":
            feat["properties"] = {"name": "Helmund"}
    path = write_geojson(tmp_path / "typo.geojson", geojson)
    with pytest.raises(GeometryError) as err:
        load_geojson(path)
    text = str(err.value)
    assert "feature 11 ('Helmund') matches no province" in text
    assert "did you mean 'Helmand'?" in text
    assert "no feature for province Helmand" in text
    assert "typo.geojson" in text


def test_a_feature_without_names_lists_its_properties(tmp_path, geojson):
    geojson["features"][0]["properties"] = {"area": 3}
    path = write_geojson(tmp_path / "nameless.geojson", geojson)
    with pytest.raises(GeometryError, match=r"feature 1 has no name .*area\)"):
        load_geojson(path)


def test_two_features_for_one_province(tmp_path, geojson):
    geojson["features"].append(geojson["features"][0])
    path = write_geojson(tmp_path / "twice.geojson", geojson)
    with pytest.raises(GeometryError, match="are both Badakhshan"):
        load_geojson(path)


def test_projected_coordinates_are_refused(tmp_path, geojson):
    feat = geojson["features"][0]
    feat["geometry"] = {
        "type": "Polygon",
        "coordinates": [[[5e5, 4e6], [6e5, 4e6], [6e5, 4.1e6], [5e5, 4e6]]],
    }
    path = write_geojson(tmp_path / "utm.geojson", geojson)
    with pytest.raises(GeometryError, match="outside Afghanistan's longitudes"):
        load_geojson(path)


def test_a_point_is_not_a_province(tmp_path, geojson):
    geojson["features"][0]["geometry"] = {"type": "Point", "coordinates": [70, 35]}
    path = write_geojson(tmp_path / "point.geojson", geojson)
    with pytest.raises(GeometryError, match="'Point', not a Polygon"):
        load_geojson(path)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("not json at all", "not valid JSON"),
        ('{"type": "Feature"}', "not a GeoJSON FeatureCollection"),
        ("[1, 2]", "not a GeoJSON FeatureCollection"),
    ],
)
def test_a_file_that_is_not_geojson(tmp_path, text, message):
    path = tmp_path / "bad.geojson"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(GeometryError, match=message) as err:
        load_geojson(path)
    assert "bad.geojson" in str(err.value)


def test_a_missing_file_is_a_geometry_error(tmp_path):
    with pytest.raises(GeometryError, match="Cannot read"):
        load_geojson(tmp_path / "nowhere.geojson")
    assert isinstance(GeometryError("x"), ValueError)


# --- bounded reading: only regular files, never too large, nothing quoted at length


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_a_device_is_refused_without_reading_it(device):
    with pytest.raises(GeometryError, match="is a character device, not a regular"):
        load_geojson(device)


def test_a_fifo_is_refused_without_opening_it(tmp_path):
    fifo = tmp_path / "shapes.geojson"
    os.mkfifo(fifo)
    with pytest.raises(GeometryError, match=r"is a FIFO \(named pipe\)") as err:
        load_geojson(fifo)
    assert "shapes.geojson" in str(err.value)


def test_a_sparse_2gb_file_fails_on_its_size(tmp_path):
    path = tmp_path / "huge.geojson"
    with open(path, "wb") as f:
        f.truncate(2 * 1024**3)
    with pytest.raises(GeometryError, match="is 2.1 GB; a GeoJSON file may be at most"):
        load_geojson(path)


def test_a_directory_is_refused(tmp_path):
    with pytest.raises(GeometryError, match="is a directory, not a regular file"):
        load_geojson(tmp_path)


@pytest.mark.parametrize(
    "text, message",
    [
        ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
        ('{"type": ' + "9" * 5000 + "}", "cannot be read as JSON"),
    ],
)
def test_json_python_cannot_hold_is_a_geometry_error(tmp_path, text, message):
    path = tmp_path / "odd.geojson"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(GeometryError, match=message):
        load_geojson(path)


def test_a_coordinate_too_large_for_a_float_is_a_bad_ring(tmp_path, geojson):
    geojson["features"][0]["geometry"]["coordinates"] = [[[10**400, 1]] * 4]
    path = write_geojson(tmp_path / "big.geojson", geojson)
    with pytest.raises(GeometryError, match="has a ring that is not a list of points"):
        load_geojson(path)


def test_long_values_from_the_file_are_clipped(tmp_path, geojson):
    geojson["type"] = "T" * 100_000
    path = write_geojson(tmp_path / "long.geojson", geojson)
    with pytest.raises(GeometryError) as err:
        load_geojson(path)
    assert len(str(err.value)) < 600
    geojson["type"] = "FeatureCollection"
    geojson["features"][0]["properties"] = {"name": "N" * 100_000}
    geojson["features"][1]["geometry"]["type"] = "G" * 100_000
    geojson["features"][2]["properties"] = {f"p{i}": i for i in range(10_000)}
    path = write_geojson(tmp_path / "long.geojson", geojson)
    with pytest.raises(GeometryError) as err:
        load_geojson(path)
    assert len(str(err.value)) < 2000, str(err.value)[:2100]
