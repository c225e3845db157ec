"""A short run of the 2016 scenario, as a Run and as a run directory."""

from __future__ import annotations

import pytest

from sim import cli
from sim.core.model import GreatGame
from sim.results.rundata import as_run
from sim.scenario.loader import load_scenario
from tests.conftest import ROOT

SCENARIO = ROOT / "scenarios" / "2016.yaml"


@pytest.fixture(scope="package")
def run():
    return as_run(GreatGame(load_scenario(SCENARIO, ["steps=12"])).run())


@pytest.fixture(scope="package")
def rundir(tmp_path_factory):
    out = tmp_path_factory.mktemp("run") / "r"
    argv = [str(SCENARIO), "--out", str(out), "--quiet", "--steps", "6"]
    assert cli.main([*argv, "--no-figures"]) == 0
    return out
