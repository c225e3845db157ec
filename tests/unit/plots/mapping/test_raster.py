"""The map as pixels: the province index, overlays, and frames that look the same."""

from __future__ import annotations

import numpy as np
from matplotlib.path import Path as MplPath

from sim.plots.mapping import raster
from sim.plots.mapping.animation import _frame, laid_out, map_raster
from sim.plots.mapping.raster import Overlay, province_index
from sim.plots.style import new_figure


def _squares():
    """A figure with two unit squares side by side on an Axes filling it."""
    fig = new_figure(4.0, 2.0)
    fig.set_layout_engine("none")
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, 2)
    ax.set_ylim(0, 1)
    ax.set_axis_off()
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(fig)
    left = MplPath([(0, 0), (1, 0), (1, 1), (0, 1), (0, 0)], closed=True)
    right = MplPath([(1, 0), (1.6, 0), (1.6, 1), (1, 1), (1, 0)], closed=True)
    return fig, ax, [left, right]


def test_each_pixel_knows_its_province():
    fig, ax, paths = _squares()
    index = province_index(fig, ax, paths)
    h, w = index.shape
    assert (w, h) == fig.canvas.get_width_height()
    row = index[h // 2]  # image rows run top to bottom; the middle is inside both
    assert row[int(0.25 * w)] == 0
    assert row[int(0.65 * w)] == 1
    assert row[int(0.95 * w)] == -1  # right of both squares
    assert set(np.unique(index)) == {-1, 0, 1}
    # the left square is half the width, the right 0.3 of it
    assert abs((index == 0).mean() - 0.5) < 0.01
    assert abs((index == 1).mean() - 0.3) < 0.01


def test_the_index_is_cached_per_shapes_and_size():
    fig, ax, paths = _squares()
    first = province_index(fig, ax, paths)
    assert province_index(fig, ax, paths) is first
    moved = [MplPath(p.vertices + [0.1, 0.0], closed=True) for p in paths]
    assert province_index(fig, ax, moved) is not first
    assert len(raster._INDEX_CACHE) <= raster._CACHE_SIZE


def test_an_overlay_blends_only_the_pixels_it_touches():
    rgba = np.zeros((1, 3, 4), dtype=np.uint8)
    rgba[0, 1] = (255, 0, 0, 255)  # opaque red
    rgba[0, 2] = (0, 0, 255, 128)  # half-transparent blue
    layer = Overlay.of(rgba)
    assert layer.where.tolist() == [1, 2]
    frame = np.full((3, 4), 200, dtype=np.uint8)
    layer.onto(frame)
    assert frame[0, :3].tolist() == [200, 200, 200]
    assert frame[1, :3].tolist() == [255, 0, 0]
    assert frame[2, :3].tolist() == [100, 100, 228]
    frame = np.full((3, 4), 200, dtype=np.uint8)
    layer.onto(frame, np.array([False, True]))  # only the second pixel
    assert frame[1, :3].tolist() == [200, 200, 200]


def test_a_frame_looks_like_the_map_matplotlib_draws(run):
    """The raster frame against the same figure drawn vector by vector."""
    t = run.history.last
    fig, view, title = laid_out(run, None, 0)
    film = map_raster(fig, view, [title])
    title.set_text("the same title")
    renderer = fig.canvas.get_renderer()
    w, h = fig.canvas.get_width_height()
    got = np.frombuffer(_frame(film, view, renderer, title, t), np.uint8)
    got = got.reshape(h, w, 4)[..., :3].astype(int)
    view.update(t)
    fig.canvas.draw()
    want = np.asarray(fig.canvas.buffer_rgba())[..., :3].astype(int)
    off = np.abs(got - want).max(axis=2)
    assert np.abs(got - want).mean() < 1.5
    assert (off > 48).mean() < 0.02  # anti-aliased edges only
    inside = film.flat.reshape(h, w) >= 0
    assert (off[inside] > 48).mean() < 0.02
