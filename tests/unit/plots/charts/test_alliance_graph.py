"""The alliance graph: one deterministic layout, the run's colours."""

from __future__ import annotations

import numpy as np
from matplotlib.colors import to_rgba

from sim.plots.charts import alliances
from sim.plots.charts.alliance_graph import circle_order
from tests.unit.plots.charts.helpers import frozen, texts


def _nodes(ax):
    """The panel's actors: its one scatter (the ties are line collections)."""
    from matplotlib.collections import PathCollection

    (scatter,) = [c for c in ax.collections if isinstance(c, PathCollection)]
    return scatter


def test_alliance_panels_share_one_deterministic_layout(run):
    fig = alliances(run)
    start, end = (_nodes(ax).get_offsets() for ax in fig.axes[:2])
    assert np.allclose(start, end)
    again = _nodes(alliances(run).axes[0]).get_offsets()
    assert np.allclose(start, again)
    order = circle_order(run)
    assert sorted(order) == list(range(len(run.history.actor_keys)))
    assert order[0] == 0  # the scenario's first actor on top


def test_alliance_nodes_take_the_run_colours_and_states_still_show(run):
    fig = alliances(run)
    nodes = _nodes(fig.axes[0])
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


def _ties_one_line_each(ax, h, t, pos):
    """The ties as they were drawn before collections: one Line2D per pair."""
    from sim.plots.charts.alliance_graph import _sym_status, _tie_style

    n = len(h.actor_keys)
    for a in range(n):
        for b in range(a + 1, n):
            kind = _sym_status(h.status[t], a, b)
            strength = abs(h.affinity[t, a, b] + h.affinity[t, b, a]) / 2
            zorder, (ls, cap), color, width = _tie_style(kind, strength)
            (xa, ya), (xb, yb) = pos[a], pos[b]
            line = ax.plot([xa, xb], [ya, yb], color=color, lw=width, ls=ls)[0]
            line.set_zorder(zorder)
            line.set_solid_capstyle(cap)
            line.set_dash_capstyle(cap)


def test_tie_collections_draw_the_pixels_of_one_line_per_pair(run, tmp_path):
    from matplotlib.collections import LineCollection
    from PIL import Image

    from sim.plots.charts.alliance_graph import _positions, _ties
    from sim.plots.style import new_figure, save

    r = frozen(run)
    h = r.history
    n = len(h.actor_keys)
    # allies, enemies and neutral pairs mixed, crossing each other
    for a in range(n):
        for b in range(a + 1, n):
            h.status[0, a, b] = h.status[0, b, a] = (a + 2 * b) % 3 - 1
    pos = _positions(list(range(n)))
    pixels = []
    for draw in (_ties, _ties_one_line_each):
        fig = new_figure(4, 4)
        ax = fig.subplots()
        ax.set_xlim(-1.2, 1.2)
        ax.set_ylim(-1.2, 1.2)
        ax.axis("off")
        if draw is _ties:
            draw(ax, h, 0, pos, set())
            drawn = [c for c in ax.collections if isinstance(c, LineCollection)]
            assert sum(len(c.get_segments()) for c in drawn) == n * (n - 1) // 2
            assert len(drawn) < n * (n - 1) // 2
        else:
            draw(ax, h, 0, pos)
        save(fig, tmp_path / "ties.png")
        pixels.append(np.asarray(Image.open(tmp_path / "ties.png")))
    assert (pixels[0] == pixels[1]).all()
