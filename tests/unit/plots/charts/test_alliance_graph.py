"""The alliance graph: one deterministic layout, the run's colours."""

from __future__ import annotations

import numpy as np
from matplotlib.colors import to_rgba

from sim.plots.charts import alliances
from sim.plots.charts.alliance_graph import circle_order
from tests.unit.plots.charts.helpers import frozen, texts


def test_alliance_panels_share_one_deterministic_layout(run):
    fig = alliances(run)
    start, end = (ax.collections[0].get_offsets() for ax in fig.axes[:2])
    assert np.allclose(start, end)
    again = alliances(run).axes[0].collections[0].get_offsets()
    assert np.allclose(start, again)
    order = circle_order(run)
    assert sorted(order) == list(range(len(run.history.actor_keys)))
    assert order[0] == 0  # the scenario's first actor on top


def test_alliance_nodes_take_the_run_colours_and_states_still_show(run):
    fig = alliances(run)
    nodes = fig.axes[0].collections[0]
    expected = [to_rgba(run.color(k)) for k in run.history.actor_keys]
    assert np.allclose(nodes.get_facecolors(), expected)
    assert nodes.get_sizes().min() > 100  # no fighters: still a visible circle


def test_a_new_alliance_is_labelled_on_the_end_panel(run):
    r = frozen(run)
    h = r.history
    h.status[5:, 0, 1] = h.status[5:, 1, 0] = 1
    fig = alliances(r)
    start, end = (texts(fig.axes[k]) for k in (0, 1))
    assert "new: allies" in end
    assert "new: allies" not in start
