"""sim.plots.text_layout: text layouts kept for a save, exactly matplotlib's."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.text import Text

from sim.plots import text_layout
from sim.plots.style import freeze_layout, new_figure

pytestmark = pytest.mark.skipif(
    not text_layout.supported(), reason="this matplotlib lays text out its own way"
)
MATPLOTLIB_LAYOUT = Text._get_layout


def _many_texts_figure():
    """Texts that share strings but differ in font, alignment, rotation or spacing."""
    fig = new_figure(6.0, 4.0)
    axes = fig.subplots(2, 2)
    for k, ax in enumerate(axes.ravel()):
        ax.plot([0, 1, 2], [0, 10**k, 3])
        ax.set_title("units / week", loc="left", fontsize=11 + k)
        ax.set_ylabel("units / week")
        ax.text(0.5, 0.5, "Apr\n2016", rotation=30 * k, ha="right", va="top",
                linespacing=1.0 + 0.3 * k, multialignment="center")  # fmt: skip
        ax.annotate("units / week", (1, 1), fontweight="bold", rotation_mode="anchor")
        ax.text(0.2, 0.8, r"$\sqrt{x}$ and $5", parse_math=k % 2 == 0)
    fig.suptitle("Ünïcödé — 6,240 → 42%", fontsize=17)
    return fig


def _pixels(keep: bool) -> np.ndarray:
    fig = _many_texts_figure()
    FigureCanvasAgg(fig)
    if keep:
        with text_layout.kept_text_layouts():
            freeze_layout(fig)
            fig.canvas.draw()
    else:
        freeze_layout(fig)
        fig.canvas.draw()
    return np.asarray(fig.canvas.buffer_rgba()).copy()


def test_kept_layouts_lay_out_and_draw_exactly_as_matplotlib():
    assert np.array_equal(_pixels(keep=False), _pixels(keep=True))


@pytest.mark.parametrize(
    "change",
    [
        lambda t: t.set_fontsize(20),
        lambda t: t.set_text("units / month"),
        lambda t: t.set_rotation(45),
        lambda t: t.set_ha("right"),
        lambda t: t.set_va("bottom"),
        lambda t: t.set_linespacing(2.0),
        lambda t: t.set_fontweight("bold"),
        lambda t: t.set_fontfamily("monospace"),
        lambda t: t.set_multialignment("right"),
        lambda t: t.set_rotation_mode("anchor"),
    ],
)
def test_a_text_that_changes_is_laid_out_anew(change):
    fig = new_figure(3.0, 2.0)
    text = fig.text(0.5, 0.5, "units / week\nApr 2016", rotation=10)
    renderer = FigureCanvasAgg(fig).get_renderer()
    with text_layout.kept_text_layouts():
        text.get_window_extent(renderer)
        change(text)
        kept = text.get_window_extent(renderer)
    assert np.array_equal(
        kept.get_points(), text.get_window_extent(renderer).get_points()
    )


def test_matplotlib_lays_out_again_after_the_block_and_blocks_nest():
    with text_layout.kept_text_layouts():
        with text_layout.kept_text_layouts():
            assert Text._get_layout is not MATPLOTLIB_LAYOUT
        assert Text._get_layout is not MATPLOTLIB_LAYOUT
    assert Text._get_layout is MATPLOTLIB_LAYOUT


def test_without_the_private_layout_nothing_is_kept(monkeypatch):
    monkeypatch.setattr(text_layout, "supported", lambda: False)
    with text_layout.kept_text_layouts():
        assert Text._get_layout is MATPLOTLIB_LAYOUT
