"""The map as a GIF: the frames asked for, in a small file."""

from __future__ import annotations

import pytest
from PIL import Image

from sim.plots import mapping
from sim.plots.mapping.animation import _frames


def test_animation_is_a_gif_with_frames(tmp_path, model):
    path = mapping.animate(model, tmp_path / "map.gif", every=2, fps=5)
    assert path == tmp_path / "map.gif"
    with Image.open(path) as gif:
        assert gif.format == "GIF"
        assert gif.n_frames == 4  # rows 0, 2, 4 and the last, 6
    assert path.stat().st_size < 2_000_000


def test_the_last_row_is_always_a_frame():
    assert _frames(6, 2) == [0, 2, 4, 6]
    assert _frames(7, 3) == [0, 3, 6, 7]
    assert _frames(0, 5) == [0]


def test_every_must_be_positive(tmp_path, model):
    with pytest.raises(ValueError, match="every must be at least 1"):
        mapping.animate(model, tmp_path / "map.gif", every=0)


def test_a_film_on_one_palette_matches_pillow_frame_by_frame():
    """Quantising only the pixels that moved gives Pillow's own frames."""
    import numpy as np

    from sim.plots.mapping.gif import Quantizer

    rng = np.random.default_rng(5)
    size = (40, 30)
    frame = rng.integers(0, 256, size=(size[1] * size[0], 4), dtype=np.uint8)
    frame[:, 3] = 0
    first = Image.frombytes("RGB", size, frame.tobytes(), "raw", "RGBX")
    palette = first.quantize(16)
    quantizer = Quantizer(palette, size)
    films = [(frame, quantizer.add(frame, None))]
    for moved, extra in ((0, 0), (1, 0), (50, 7), (800, 30), (3, 0)):
        frame = frame.copy()
        where = rng.choice(len(frame), size=moved + extra, replace=False)
        frame[where[:moved], :3] = rng.integers(0, 256, size=(moved, 3), dtype=np.uint8)
        told = None if moved == 3 else np.sort(where)  # None: any pixel may move
        films.append((frame, quantizer.add(frame, told)))
    for frame, got in films:
        image = Image.frombytes("RGB", size, frame.tobytes(), "raw", "RGBX")
        want = image.quantize(palette=palette, dither=Image.Dither.NONE)
        assert got.mode == want.mode == "P"
        assert got.getpalette() == want.getpalette()
        assert got.tobytes() == want.tobytes()


def test_the_gif_has_the_bytes_of_frames_drawn_afresh(tmp_path, model, monkeypatch):
    """Repainting only what changed writes the file that full repaints write.

    Afresh, every frame paints every province, blends the whole top layer
    and goes whole through Pillow's quantiser (its moved pixels unknown).
    """
    from sim.plots.mapping import raster

    quick = mapping.animate(model, tmp_path / "quick.gif", every=1)
    whole_frame = raster.MapRaster.frame
    whole_finish = raster.MapRaster.finish

    def afresh(self, fills, contested):
        self._last = None  # forget the previous frame: paint every pixel
        return whole_frame(self, fills, contested)

    def top_afresh(self, frame, dynamic=None):
        self._topped = None  # blend the whole top layer again, moved unknown
        return whole_finish(self, frame, dynamic)

    monkeypatch.setattr(raster.MapRaster, "frame", afresh)
    monkeypatch.setattr(raster.MapRaster, "finish", top_afresh)
    slow = mapping.animate(model, tmp_path / "slow.gif", every=1)
    assert quick.read_bytes() == slow.read_bytes()


def test_the_films_legend_axes_take_no_room_for_ticks(model):
    from sim.plots.mapping.animation import laid_out
    from sim.results.rundata import as_run

    fig, view, _ = laid_out(as_run(model), None)
    legend_ax = next(ax for ax in fig.axes if ax is not view.ax)
    assert not legend_ax.xaxis.get_visible() and not legend_ax.yaxis.get_visible()
