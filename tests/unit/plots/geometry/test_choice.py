"""Which shapes a run is drawn with: argument, run, shipped boundaries, schematic."""

from __future__ import annotations

import copy

import pytest

from sim.core.model import GreatGame
from sim.plots.geometry import shapes_for, shipped_geojson
from sim.results.rundata import as_run
from sim.scenario.loader import load_scenario
from tests.conftest import ROOT
from tests.unit.plots.geometry.helpers import shipped, write_geojson


@pytest.fixture(scope="module")
def run():
    scenario = load_scenario(ROOT / "scenarios" / "2016.yaml", ["steps=2"])
    return as_run(GreatGame(scenario).run())


def test_the_afghan_map_uses_the_shipped_boundaries_by_default(run):
    assert run.geometry is None
    shapes = shapes_for(run)
    assert not shapes.is_schematic
    assert shapes.source == str(shipped_geojson().resolve())
    assert shapes_for(None).source == shapes.source
    assert shapes_for(run) is shapes  # read once


def test_a_synthetic_map_keeps_the_schematic_drawing(run):
    synthetic = copy.copy(run)
    synthetic.scenario = {**run.scenario, "map": {"kind": "grid"}}
    assert shapes_for(synthetic).is_schematic


def test_the_argument_wins_over_the_run(tmp_path, run):
    other = write_geojson(tmp_path / "other.geojson", shipped())
    assert shapes_for(run, other).source == str(other.resolve())
    assert shapes_for(run, other) is shapes_for(None, str(other))  # cached
    assert shapes_for(run, "schematic").is_schematic
    named = copy.copy(run)
    named.geometry = str(other)
    assert shapes_for(named).source == str(other.resolve())
    assert shapes_for(named, "schematic").is_schematic
