"""A six-week run of the 2016 scenario to draw maps of."""

from __future__ import annotations

import pytest

from sim.core.model import GreatGame
from sim.results.rundata import as_run
from sim.scenario.loader import load_scenario
from tests.conftest import ROOT


@pytest.fixture(scope="package")
def model():
    scenario = load_scenario(ROOT / "scenarios" / "2016.yaml", ["steps=6"])
    return GreatGame(scenario).run()


@pytest.fixture(scope="package")
def run(model):
    return as_run(model)
