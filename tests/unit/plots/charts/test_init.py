"""Every chart: a Figure with a title, not blank, from a Run or a directory."""

from __future__ import annotations

import sys

import pytest
from matplotlib.figure import Figure

from sim import plots
from sim.plots import charts
from tests.unit.plots.charts.helpers import not_blank

CHARTS = ("control", "alliances", "relations", "supply")


@pytest.mark.parametrize("name", CHARTS)
def test_each_chart_draws_a_png_that_is_not_blank(run, name, tmp_path):
    fig = getattr(charts, name)(run)
    assert isinstance(fig, Figure)
    assert fig.get_suptitle()
    assert not_blank(fig, tmp_path / f"{name}.png")


def test_charts_work_from_a_run_directory(rundir, tmp_path):
    for name in CHARTS:
        fig = getattr(charts, name)(str(rundir))
        assert not_blank(fig, tmp_path / f"{name}.png"), name


def test_charts_use_no_pyplot_figures(run):
    for name in CHARTS:
        getattr(charts, name)(run)
    if "matplotlib.pyplot" in sys.modules:
        assert sys.modules["matplotlib.pyplot"].get_fignums() == []


def test_the_charts_are_reached_from_sim_plots():
    for name in CHARTS:
        assert getattr(plots, name) is getattr(charts, name)
        assert callable(getattr(plots, name))
