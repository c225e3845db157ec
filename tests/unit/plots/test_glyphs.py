"""sim.plots.glyphs: text from kept shapes and bitmaps, as matplotlib draws it."""

from __future__ import annotations

import os

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg

from sim.plots import glyphs
from sim.plots.style import new_figure


@pytest.fixture(autouse=True)
def _fresh_process_glyphs():
    glyphs.forget_glyphs()
    yield
    glyphs.forget_glyphs()


@pytest.fixture
def rendered(monkeypatch) -> list:
    """The arguments of every glyph the kept-glyph drawer renders (it still renders)."""
    calls = []
    render = glyphs._GlyphDrawer._render
    monkeypatch.setattr(
        glyphs._GlyphDrawer,
        "_render",
        lambda self, *args: calls.append(args) or render(self, *args),
    )
    return calls


def _texts_figure():
    """A figure of texts that repeat at many sub-pixel positions, sizes and angles."""
    fig = new_figure(5.0, 4.0)
    fig.set_layout_engine(None)
    ax = fig.add_axes((0.12, 0.15, 0.8, 0.7))
    ax.plot([0, 1], [0, 1])
    for k in range(12):  # the same strings, nudged by fractions of a pixel
        x, y = 0.03 + 0.0713 * k, 0.07 * k + 0.0031 * k * k
        ax.text(x, y, "Apr\n2016", fontsize=9 + k % 3)
        ax.text(x, 0.9 - y, "US/NATO → Afghan gvt", fontweight="bold", rotation=15 * k)
    ax.text(0.5, 0.5, "aliased", antialiased=False, fontsize=14)
    ax.set_ylabel("units / week")
    ax.set_title("Russia → Taliban (main): 512 sent, 42% lost", loc="left")
    fig.suptitle("Ünïcödé — ‘quotes’ … 6,240", fontsize=17)
    return fig


def _pixels(fig, share: bool) -> np.ndarray:
    canvas = FigureCanvasAgg(fig)
    if share:
        assert glyphs.share_glyphs(canvas.get_renderer())
    canvas.draw()
    return np.asarray(canvas.buffer_rgba()).copy()


@pytest.mark.skipif(not glyphs.supported(), reason="this matplotlib draws its own way")
def test_shared_glyphs_draw_exactly_what_matplotlib_draws():
    theirs = _pixels(_texts_figure(), share=False)
    ours = _pixels(_texts_figure(), share=True)
    assert theirs.shape == ours.shape
    assert np.array_equal(theirs, ours)


@pytest.mark.skipif(not glyphs.supported(), reason="this matplotlib draws its own way")
def test_a_glyph_met_again_at_the_same_sub_pixel_position_is_rendered_once(
    rendered,
):
    fig = new_figure(3.0, 2.0)
    fig.set_layout_engine(None)
    for y in (0.2, 0.4, 0.6):  # whole pixels apart at 150 dpi: 2 inches x 0.2
        fig.text(0.1, y + 0.5 / 300, "aaaa", fontsize=10)
    canvas = FigureCanvasAgg(fig)
    glyphs.share_glyphs(canvas.get_renderer())
    canvas.draw()
    assert 0 < len(rendered) <= 4  # of 12 glyphs drawn


def test_without_the_freetype_helpers_text_is_drawn_by_matplotlib(monkeypatch):
    monkeypatch.setattr(glyphs, "supported", lambda: False)
    fig = _texts_figure()
    renderer = FigureCanvasAgg(fig).get_renderer()
    assert not glyphs.share_glyphs(renderer)
    assert "draw_text" not in vars(renderer)
    fig.canvas.draw()


def test_only_the_given_renderer_draws_from_kept_glyphs():
    if not glyphs.supported():
        pytest.skip("this matplotlib draws its own way")
    one, other = RendererAgg(50, 50, 150), RendererAgg(50, 50, 150)
    assert glyphs.share_glyphs(one)
    assert glyphs.share_glyphs(one)  # a second call keeps the first drawer
    assert "draw_text" in vars(one)
    assert "draw_text" not in vars(other)


@pytest.mark.skipif(not glyphs.supported(), reason="this matplotlib draws its own way")
def test_a_text_whose_font_changes_between_draws_is_shaped_anew():
    def drawn(share: bool) -> np.ndarray:
        fig = new_figure(3.0, 2.0)
        fig.set_layout_engine(None)
        text = fig.text(0.1, 0.4, "units / week", fontsize=10)
        canvas = FigureCanvasAgg(fig)
        if share:
            glyphs.share_glyphs(canvas.get_renderer())
        canvas.draw()
        text.set_fontsize(16)  # changes the text's font properties in place
        text.set_fontweight("bold")
        canvas.draw()
        return np.asarray(canvas.buffer_rgba()).copy()

    assert np.array_equal(drawn(share=False), drawn(share=True))


def _aaaa_pixels(dpi: float, share: bool) -> np.ndarray:
    fig = new_figure(3.0, 2.0)
    fig.set_layout_engine(None)
    fig.set_dpi(dpi)
    fig.text(0.1, 0.4, "aaaa 2016", fontsize=10)
    return _pixels(fig, share)


@pytest.mark.skipif(not glyphs.supported(), reason="this matplotlib draws its own way")
def test_kept_glyphs_serve_other_figures_at_their_own_resolution(rendered):
    for dpi in (150, 80, 150):  # the second figure at 150 dpi renders nothing new
        before = len(rendered)
        assert np.array_equal(_aaaa_pixels(dpi, True), _aaaa_pixels(dpi, False))
        if dpi == 80:
            assert len(rendered) > before  # not the 150 dpi bitmaps


@pytest.mark.skipif(not glyphs.supported(), reason="this matplotlib draws its own way")
def test_a_second_figure_renders_no_glyph_the_first_rendered(monkeypatch):
    _pixels(_texts_figure(), share=True)
    shapes = dict(glyphs._SHAPES)
    rendered = []
    monkeypatch.setattr(
        glyphs._GlyphDrawer, "_render", lambda self, *args: rendered.append(args)
    )
    _pixels(_texts_figure(), share=True)
    assert not rendered and glyphs._SHAPES == shapes  # nothing shaped again


@pytest.mark.skipif(not glyphs.supported(), reason="this matplotlib draws its own way")
def test_what_is_kept_stays_bounded_and_can_be_forgotten(monkeypatch):
    monkeypatch.setattr(glyphs, "_KEPT", 5)
    _pixels(_texts_figure(), share=True)
    assert 0 < len(glyphs._BITMAPS) <= 5 and 0 < len(glyphs._SHAPES) <= 5
    glyphs.forget_glyphs()
    assert not glyphs._BITMAPS and not glyphs._SHAPES


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
# the child only reads two dicts and leaves: the test runner's threads are no risk
@pytest.mark.filterwarnings("ignore:This process .* is multi-threaded")
def test_a_forked_child_keeps_none_of_its_parents_fonts():
    # The kept shapes hold font objects whose file offset parent and child
    # would share: a child drawing with them while the parent draws reads
    # the other's bytes (FreeType's "invalid outline", or wrong glyphs).
    _pixels(_texts_figure(), share=True)
    assert glyphs._SHAPES and glyphs._BITMAPS
    pid = os.fork()
    if pid == 0:  # the child: exit code 0 only if nothing was kept
        os._exit(min(len(glyphs._SHAPES) + len(glyphs._BITMAPS), 100))
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert glyphs._SHAPES  # the parent keeps its own
