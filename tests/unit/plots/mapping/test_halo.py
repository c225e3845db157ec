"""The haloed names' outlines, kept: the same outlines and pixels as matplotlib's."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.textpath import TextToPath

from sim.plots.mapping import halo
from sim.plots.mapping.fills import HALO
from sim.plots.mapping.halo import KeptOutlines, keep_halo_outlines


@pytest.fixture(autouse=True)
def _forget():
    KeptOutlines._outlines.clear()
    yield
    KeptOutlines._outlines.clear()


def test_an_outline_is_matplotlibs_at_any_size():
    kept, stock = KeptOutlines(), TextToPath()
    for size in (8.5, 10.5, 8.5):
        prop = FontProperties(size=size)
        verts, codes = kept.get_text_path(prop, "Sar-e Pol")
        want_verts, want_codes = stock.get_text_path(prop, "Sar-e Pol")
        assert np.array_equal(verts, np.asarray(want_verts, dtype=float))
        assert np.array_equal(codes, np.asarray(want_codes))
    assert len(KeptOutlines._outlines) == 1  # one face, one string


def test_a_kept_outline_is_not_converted_again(monkeypatch):
    kept, prop = KeptOutlines(), FontProperties(size=9)
    kept.get_text_path(prop, "Kabul")
    calls = []
    monkeypatch.setattr(
        TextToPath, "get_text_path", lambda *a, **k: calls.append(a) or ([], [])
    )
    verts, _ = kept.get_text_path(prop, "Kabul")
    kept.get_text_path(FontProperties(size=9, weight="bold"), "Kabul")
    assert len(calls) == 1 and len(verts)  # only the bold face was converted
    verts[:] = 0  # the caller's copy: the kept outline stays as it was
    assert kept.get_text_path(prop, "Kabul")[0].any()


def test_mathtext_is_not_kept():
    KeptOutlines().get_text_path(FontProperties(), r"$\alpha$", ismath=True)
    assert not KeptOutlines._outlines


def _haloed_names(keep: bool) -> np.ndarray:
    fig = Figure(figsize=(3.0, 1.5), dpi=150)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_facecolor("#88CCEE")
    for k, name in enumerate(("Kandahar", "Herat", "Kandahar")):
        ax.annotate(name, (0.1 + 0.25 * k, 0.3 + 0.2 * k), path_effects=HALO)
    FigureCanvasAgg(fig)
    if keep:
        assert keep_halo_outlines(fig.canvas.get_renderer())
    fig.canvas.draw()
    return np.asarray(fig.canvas.buffer_rgba()).copy()


def test_haloed_names_have_the_same_pixels():
    assert np.array_equal(_haloed_names(keep=True), _haloed_names(keep=False))
    assert len(KeptOutlines._outlines) == 2


def test_only_a_renderer_with_matplotlibs_converter_is_changed():
    fig = Figure()
    renderer = FigureCanvasAgg(fig).get_renderer()
    assert keep_halo_outlines(renderer) and keep_halo_outlines(renderer)
    assert isinstance(renderer._text2path, KeptOutlines)
    assert not keep_halo_outlines(object())


def test_the_kept_outlines_stay_few(monkeypatch):
    monkeypatch.setattr(halo, "_KEPT", 3)
    kept, prop = KeptOutlines(), FontProperties()
    for name in ("Ghor", "Khost", "Logar", "Paktia"):
        kept.get_text_path(prop, name)
    assert len(KeptOutlines._outlines) <= 3
