"""Fixtures of the sweep tests: a short scenario, and a guard that nothing runs.

Runs use the 2016 scenario cut to a few steps, so each takes milliseconds;
the process-pool and Dask tests pay mostly for starting their workers.
"""

from __future__ import annotations

import pytest

from sim.experiments.sweep import runner
from sim.scenario.loader import load_scenario
from tests.unit.experiments.sweep.common import S2016


@pytest.fixture(scope="module")
def short():
    """The 2016 scenario, 4 steps long."""
    return load_scenario(S2016, {"steps": 4})


@pytest.fixture
def no_runs(monkeypatch):
    """Make any attempt to run a model fail the test."""

    def fail(*args, **kwargs):
        raise AssertionError("a run started although the sweep was invalid")

    monkeypatch.setattr(runner, "execute", fail)
