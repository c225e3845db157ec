"""Province colours: the holder's, shaded by SIGAR class, grey when contested."""

from __future__ import annotations

import numpy as np
from matplotlib.colors import to_rgb

from sim.plots.mapping.fills import LIGHTEN, all_colors, faces, lighten


def test_lighten_moves_towards_white():
    rgb = np.array([0.2, 0.4, 0.6])
    assert np.allclose(lighten(rgb, 0.0), rgb)
    assert np.allclose(lighten(rgb, 1.0), 1.0)
    assert np.allclose(lighten(rgb, 0.5), [0.6, 0.7, 0.8])


def test_a_held_province_takes_its_holder_colour(run):
    h = run.history
    t = h.last
    fills, contested = faces(run, t)
    assert fills.shape == (len(h.province_names), 3)
    assert (contested == (h.controller[t] < 0)).all()
    for p in np.flatnonzero(~contested):
        holder = run.color(h.actor_keys[int(h.controller[t, p])])
        shade = LIGHTEN[int(h.sigar[t, p])]
        assert np.allclose(fills[p], lighten(np.array(to_rgb(holder)), shade))


def test_every_fill_is_in_the_gif_palette(run):
    palette = {tuple(np.round(c, 6)) for c in all_colors(run)}
    fills, _ = faces(run, run.history.last)
    for rgb in fills:
        assert tuple(np.round(rgb, 6)) in palette
