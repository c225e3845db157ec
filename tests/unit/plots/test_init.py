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
