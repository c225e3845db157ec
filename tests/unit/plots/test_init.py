"""sim.plots: every figure by name, and all of them written into a directory."""

from __future__ import annotations

import pytest
from PIL import Image

from sim import plots
from sim.core.model import GreatGame
from sim.scenario.loader import load_scenario
from tests.conftest import ROOT


def test_an_unknown_figure_is_an_attribute_error():
    with pytest.raises(AttributeError, match="has no attribute 'mapp'"):
        plots.mapp  # noqa: B018


def test_every_public_name_is_listed_and_reachable():
    for name in plots.__all__:
        assert name in dir(plots)
        assert getattr(plots, name) is not None


def test_write_figures_writes_every_png(tmp_path):
    model = GreatGame(load_scenario(ROOT / "scenarios" / "2016.yaml", ["steps=3"]))
    written = plots.write_figures(model.run(), tmp_path, animation=False)
    assert [p.name for p in written] == [f"{n}.png" for n in plots.FIGURES]
    for path in written:
        with Image.open(path) as png:
            assert png.format == "PNG" and png.size[0] > 500


def test_the_warm_up_reads_the_map_it_will_draw(tmp_path, monkeypatch):
    import shutil

    from sim.plots.geometry import choice

    read = []
    real = choice.load_geojson

    def load_geojson(path):
        read.append(str(path))
        return real(path)

    monkeypatch.setattr(choice, "load_geojson", load_geojson)
    copy = tmp_path / "provinces.geojson"
    shutil.copy(choice.shipped_geojson(), copy)
    plots._warm_up(copy)
    assert read == [str(copy.resolve())]
    plots._warm_up(copy)  # read once per file
    assert read == [str(copy.resolve())]


def test_a_warm_up_that_cannot_read_the_map_leaves_the_error_to_the_drawing(
    tmp_path,
):
    bad = tmp_path / "bad.geojson"
    bad.write_text("{not json")
    plots._warm_up(bad)  # no error here: drawing the map raises it, named
    with pytest.raises(plots.GeometryError):
        plots.shapes_for(None, bad)
