"""The map: schematic and GeoJSON shapes, clear errors, PNGs that show something."""

from __future__ import annotations

import json
from pathlib import Path

import matplotlib.image as mpimg
import pytest

from sim.core.model import GreatGame
from sim.plots import mapping
from sim.plots.geometry import (
    GeometryError,
    ProvinceShapes,
    load_geojson,
    schematic,
    shapes_for,
)
from sim.plots.style import save
from sim.results import tables as outputs
from sim.results.chronicle import chronicle
from sim.results.rundata import as_run
from sim.scenario.loader import load_scenario
from sim.world.geography import load_geography

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def model():
    scenario = load_scenario(ROOT / "scenarios" / "2016.yaml", ["steps=6"])
    return GreatGame(scenario).run()


@pytest.fixture
def geojson(shared_data) -> dict:
    return json.loads((shared_data / "provinces.geojson").read_text(encoding="utf-8"))


def write_geojson(path: Path, data: dict) -> Path:
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def not_blank(png: Path, floor: float = 0.01) -> None:
    pixels = mpimg.imread(png)[..., :3]
    assert pixels.std() > floor, f"{png.name} looks blank"


# --- shapes ------------------------------------------------------------------


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


def test_geojson_matches_the_34_provinces(shared_data):
    shapes = load_geojson(shared_data / "provinces.geojson")
    check_shapes(shapes)
    assert not shapes.is_schematic
    kunduz = shapes.names.index("Kunduz")
    assert shapes.contains(kunduz, *shapes.labels[kunduz])


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


def test_two_features_for_one_province(tmp_path, geojson):
    geojson["features"].append(geojson["features"][0])
    path = write_geojson(tmp_path / "twice.geojson", geojson)
    with pytest.raises(GeometryError, match="are both Badakhshan"):
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


def test_shapes_for_prefers_the_argument_then_the_run(shared_data, model):
    path = shared_data / "provinces.geojson"
    run = as_run(model)
    assert shapes_for(run).is_schematic
    assert not shapes_for(run, path).is_schematic
    assert shapes_for(run, path) is shapes_for(None, str(path))  # cached
    run.geometry = str(path)
    assert not shapes_for(run).is_schematic
    assert shapes_for(run, "schematic").is_schematic


# --- figures -------------------------------------------------------------------


def test_map_and_timeline_are_drawn(tmp_path, model):
    fig = mapping.map(model)
    save(fig, tmp_path / "map.png")
    not_blank(tmp_path / "map.png")
    texts = {t.get_text() for ax in fig.axes for t in ax.texts}
    assert {"Kunduz", "Tajikistan", "Air bridge"} <= texts
    fig = mapping.map_timeline(model)
    assert len([ax for ax in fig.axes if ax.collections]) == 3
    save(fig, tmp_path / "map_timeline.png")
    not_blank(tmp_path / "map_timeline.png")


def test_map_with_real_boundaries(tmp_path, model, shared_data):
    fig = mapping.map(model, geometry=shared_data / "provinces.geojson", step=3)
    save(fig, tmp_path / "map.png")
    not_blank(tmp_path / "map.png")


def test_a_step_outside_the_run_is_refused(model):
    with pytest.raises(ValueError, match="outside this run"):
        mapping.map(model, step=99)


def test_map_of_a_run_directory(tmp_path, model):
    h = model.history
    meta = {
        "seed": model.seed_value,
        "resolved_scenario": model.config.model_dump(mode="json", by_alias=True),
    }
    text = chronicle(h, model.config.name, "", model.seed_value)
    rundir = outputs.write_run(tmp_path / "run", h, meta, text)
    save(mapping.map(rundir), tmp_path / "map.png")
    not_blank(tmp_path / "map.png")


def test_animation_is_a_gif_with_frames(tmp_path, model):
    from PIL import Image

    path = mapping.animate(model, tmp_path / "map.gif", every=2, fps=5)
    assert path == tmp_path / "map.gif"
    with Image.open(path) as gif:
        assert gif.format == "GIF"
        assert gif.n_frames == 4  # rows 0, 2, 4 and the last, 6
    assert path.stat().st_size < 2_000_000
