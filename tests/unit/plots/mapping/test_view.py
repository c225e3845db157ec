"""One map on one Axes: rows, staging areas, recolouring."""

from __future__ import annotations

import pytest

from sim.plots.geometry import shapes_for
from sim.plots.mapping.supply import SUPPLY_WEEKS, Supply
from sim.plots.mapping.view import MapView, row_of
from sim.plots.style import new_figure
from sim.world.geography import load_geography


def test_rows_count_from_the_end_when_negative(run):
    last = run.history.last
    assert row_of(run, -1) == last
    assert row_of(run, 0) == 0
    with pytest.raises(ValueError, match="outside this run"):
        row_of(run, last + 1)
    with pytest.raises(ValueError, match="outside this run"):
        row_of(run, -(last + 2))


def test_update_recolours_and_redraws_the_arrows(run):
    fig = new_figure()
    ax = fig.add_subplot()
    view = MapView(ax, run, shapes_for(run), Supply.of(run, SUPPLY_WEEKS))
    geo = load_geography()
    assert len(view.staging_texts) == len(geo.staging_names)
    assert len(view.paths) == geo.n_provinces
    view.update(run.history.last)
    arrows = list(view.arrows)
    assert arrows and all(a.axes is ax for a in arrows)
    view.update(0)
    assert all(a.axes is None for a in arrows)  # the old arrows are gone


def test_the_map_has_no_axes_to_measure(run):
    fig = new_figure()
    ax = fig.add_subplot()
    MapView(ax, run, shapes_for(run), Supply.of(run, SUPPLY_WEEKS))
    assert not ax.axison
    assert not ax.xaxis.get_visible() and not ax.yaxis.get_visible()
