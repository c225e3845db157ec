"""sim.plots.png: the rendered pixels, exactly, in a PNG any decoder reads."""

from __future__ import annotations

import numpy as np
from PIL import Image

from sim.plots.png import png_bytes, write_png
from sim.plots.style import DPI, new_figure, save


def _image(rng, opaque: bool) -> np.ndarray:
    rgba = rng.integers(0, 256, size=(37, 53, 4), dtype=np.uint8)
    if opaque:
        rgba[..., 3] = 255
    return rgba


def test_an_opaque_image_reads_back_exactly_as_rgb(tmp_path):
    rgba = _image(np.random.default_rng(1), opaque=True)
    write_png(tmp_path / "a.png", rgba, 150, {"Software": "greatgame test"})
    with Image.open(tmp_path / "a.png") as png:
        assert png.mode == "RGB"
        assert np.array_equal(np.asarray(png), rgba[..., :3])
        assert png.info["Software"] == "greatgame test"
        assert [round(v) for v in png.info["dpi"]] == [150, 150]


def test_a_translucent_image_keeps_its_alpha(tmp_path):
    rgba = _image(np.random.default_rng(2), opaque=False)
    (tmp_path / "b.png").write_bytes(png_bytes(rgba, 72, {}))
    with Image.open(tmp_path / "b.png") as png:
        assert png.mode == "RGBA"
        assert np.array_equal(np.asarray(png), rgba)


def test_save_writes_the_pixels_savefig_writes(tmp_path):
    fig = new_figure(4.0, 3.0)
    ax = fig.add_subplot()
    ax.plot([0, 1, 2], [2, 0, 1], lw=3)
    ax.set_title("a title to anti-alias")
    save(fig, tmp_path / "ours.png")
    fig.savefig(tmp_path / "theirs.png", dpi=DPI)
    with (
        Image.open(tmp_path / "ours.png") as a,
        Image.open(tmp_path / "theirs.png") as b,
    ):
        assert a.size == b.size
        assert np.array_equal(
            np.asarray(a.convert("RGB")), np.asarray(b.convert("RGB"))
        )
        assert a.info["Software"] == b.info["Software"]
