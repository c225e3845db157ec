"""The map as pixels: the province index, overlays, and frames that look the same."""

from __future__ import annotations

import numpy as np
from matplotlib.path import Path as MplPath

from sim.plots.mapping import raster
from sim.plots.mapping.animation import Film, laid_out
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
    fig, view, title = laid_out(run, None)
    film = Film(fig, view, title, ["the same title", "a longer title"])
    w, h = fig.canvas.get_width_height()
    got, _ = film.frame(t, "the same title")
    got = got.reshape(h, w, 4)[..., :3].astype(int)
    view.update(t)
    title.set(text="the same title", ha="left", va="baseline")
    title.set_position(fig.transFigure.inverted().transform(film.title.pen))
    fig.canvas.draw()
    want = np.asarray(fig.canvas.buffer_rgba())[..., :3].astype(int)
    off = np.abs(got - want).max(axis=2)
    assert np.abs(got - want).mean() < 1.5
    assert (off > 48).mean() < 0.02  # anti-aliased edges only
    inside = film.raster.flat.reshape(h, w) >= 0
    assert (off[inside] > 48).mean() < 0.02
    above = int(h - max(ax.get_window_extent().y1 for ax in fig.axes))
    assert h - title.get_window_extent().y0 < above  # the title's rows lie above
    assert not off[:above].any()  # the title, pixel for pixel


def _speckled(shape, seed: int) -> Overlay:
    """A layer over a third of the pixels: random colours, some translucent."""
    rng = np.random.default_rng(seed)
    rgba = rng.integers(0, 256, size=(*shape, 4), dtype=np.uint8)
    rgba[..., 3] = np.where(rng.random(shape) < 0.5, 255, rgba[..., 3])
    rgba[rng.random(shape) < 0.66] = 0
    return Overlay.of(rgba)


def test_a_frame_painted_over_the_last_equals_one_painted_afresh():
    """Only changed provinces are repainted; the bytes match a fresh raster."""
    fig, ax, paths = _squares()
    index = province_index(fig, ax, paths)
    layers = (_speckled(index.shape, 1), _speckled(index.shape, 2))
    film = raster.MapRaster(index, "white", *layers, None)
    steps = [
        ([[0.2, 0.4, 0.6], [0.9, 0.1, 0.1]], [False, False]),
        ([[0.2, 0.4, 0.6], [0.9, 0.1, 0.1]], [False, False]),  # nothing changed
        ([[0.2, 0.4, 0.6], [0.1, 0.8, 0.1]], [False, False]),  # one colour
        ([[0.2, 0.4, 0.6], [0.1, 0.8, 0.1]], [True, False]),  # one hatch
        ([[0.5, 0.5, 0.5], [0.3, 0.3, 0.9]], [False, True]),  # both
    ]
    for fills, contested in steps:
        got = film.frame(np.array(fills), np.array(contested))
        fresh = raster.MapRaster(index, "white", *layers, None)
        want = fresh.frame(np.array(fills), np.array(contested))
        assert np.array_equal(got, want)
        got[:] = 7  # the caller may draw on its frame; the next one is unharmed


def test_an_overlay_reads_any_rgba_array_alike():
    rgba = np.zeros((4, 6, 4), dtype=np.uint8)
    rgba[1, 2] = (10, 20, 30, 40)
    rgba[3, 5] = (1, 2, 3, 255)
    rgba[2, 0] = (9, 9, 9, 0)  # colour but no opacity: not part of the layer
    wide = np.zeros((4, 12, 4), dtype=np.uint8)
    wide[:, ::2] = rgba  # the same pixels, not contiguous
    for image in (rgba, wide[:, ::2]):
        layer = Overlay.of(image)
        assert layer.where.tolist() == [1 * 6 + 2, 3 * 6 + 5]
        assert layer.solid_rgb.tolist() == [[1, 2, 3]]
        assert layer.soft_rgb.tolist() == [[10, 20, 30]]


def test_blending_a_layer_at_some_pixels_is_blending_it_there_only():
    """``onto_pixels`` gives the bytes ``onto`` gives with those pixels kept."""
    rng = np.random.default_rng(7)
    shape = (20, 30)
    layer = _speckled(shape, 3)
    below = rng.integers(0, 256, size=(shape[0] * shape[1], 4), dtype=np.uint8)
    positions = rng.choice(below.shape[0], size=150, replace=False)
    want = below.copy()
    picked = np.zeros(below.shape[0], dtype=bool)
    picked[positions] = True
    layer.onto(want, picked[layer.where])
    got = below.copy()
    layer.onto_pixels(got, positions)
    assert np.array_equal(got, want)
    assert not np.array_equal(got, below)  # some of the layer was blended
