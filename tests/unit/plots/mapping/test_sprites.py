"""Title words and supply arrows drawn once: the pixels matplotlib draws."""

from __future__ import annotations

import matplotlib
import numpy as np
import pytest
from matplotlib.backends.backend_agg import RendererAgg
from matplotlib.text import Text
from matplotlib.transforms import IdentityTransform

from sim.plots.mapping.animation import Film, laid_out
from sim.plots.mapping.raster import Overlay
from sim.plots.mapping.sprites import ArrowSprites, FilmTitle
from sim.plots.mapping.supply import arrow_patch, arrow_specs
from sim.plots.style import RC, fmt_date


def _blank(fig) -> np.ndarray:
    w, h = fig.canvas.get_width_height()
    return np.full((w * h, 4), 255, dtype=np.uint8)


def _whole_line(fig, title: FilmTitle, text: str) -> np.ndarray:
    """``text`` drawn by matplotlib in one piece where the film's title starts."""
    w, h = fig.canvas.get_width_height()
    renderer = RendererAgg(w, h, fig.dpi)
    x, y = title.pen
    line = Text(x, y, text, fontproperties=title.font, color=title.color)
    line.set(ha="left", va="baseline", transform=IdentityTransform())
    line.set_figure(fig)
    line.draw(renderer)
    frame = _blank(fig)
    Overlay.of(np.asarray(renderer.buffer_rgba())).onto(frame)
    return frame


@pytest.fixture
def laid(run):
    """The film's figure, laid out, and the titles of a film of the run."""
    with matplotlib.rc_context(RC):  # the film draws in the project's style
        fig, view, title = laid_out(run, None)
        last = run.history.last
        dates = run.history.dates
        texts = [
            f"{run.name}: {fmt_date(dates[t])} (week {t} of {last})"
            for t in range(last + 1)
        ]
        yield fig, view, title, texts


def test_a_title_pasted_from_words_is_the_line_matplotlib_draws(laid):
    fig, view, title, texts = laid
    texts = [*texts, "February Fe AV 1,234 (week 7) $5 aid", "x"]
    film_title = FilmTitle(title, texts, fig.canvas.get_renderer())
    for text in texts:
        got = _blank(fig)
        film_title.onto(got, text)
        assert np.array_equal(got, _whole_line(fig, film_title, text)), text


def test_the_title_stays_put_and_the_widest_is_centred(laid):
    fig, view, title, texts = laid
    film_title = FilmTitle(title, texts, fig.canvas.get_renderer())
    w, _ = fig.canvas.get_width_height()
    starts = {film_title.layout(text)[0][0] for text in texts}
    assert len(starts) == 1  # every title starts with the same piece, in place
    assert starts.pop()[0] == film_title.prefix == f"{texts[0].split(':')[0]}:"
    widest = max(film_title.layout(text)[1] for text in texts)
    assert abs(film_title.left + widest / 2 - w / 2) <= 0.5


def test_a_title_wider_than_the_figure_is_cut_at_its_edges(laid):
    fig, view, title, _ = laid
    texts = ["W" * 120 + " 1", "W" * 120 + " 2"]
    film_title = FilmTitle(title, texts, fig.canvas.get_renderer())
    assert film_title.left < 0
    got = _blank(fig)
    film_title.onto(got, texts[0])
    assert np.array_equal(got, _whole_line(fig, film_title, texts[0]))


def test_an_arrow_drawn_once_has_every_pixel_it_has_on_the_whole_canvas(laid, run):
    fig, view, title, _ = laid
    renderer = fig.canvas.get_renderer()
    sprites = ArrowSprites(view, renderer)
    specs = arrow_specs(view.ax, view.supply, view.coords, run.history.last, 8)
    assert specs
    for spec in specs:
        layer = sprites._draw(spec)
        renderer.clear()
        arrow_patch(view.ax, run, view.supply, spec).draw(renderer)
        whole = Overlay.of(np.asarray(renderer.buffer_rgba()))
        assert np.array_equal(layer.where, whole.where)
        assert np.array_equal(layer.solid_rgb, whole.solid_rgb)
        assert np.array_equal(layer.soft_alpha, whole.soft_alpha)


def test_arrows_pasted_one_by_one_look_like_arrows_drawn_together(laid, run):
    fig, view, title, _ = laid
    renderer = fig.canvas.get_renderer()
    t = run.history.last
    got = _blank(fig)
    ArrowSprites(view, renderer).onto(got, t)
    renderer.clear()
    specs = arrow_specs(view.ax, view.supply, view.coords, t, 8)
    for n, spec in enumerate(specs):
        arrow_patch(view.ax, run, view.supply, spec, 5 + 0.001 * n).draw(renderer)
    want = _blank(fig)
    Overlay.of(np.asarray(renderer.buffer_rgba())).onto(want)
    off = np.abs(got.astype(int) - want).max(axis=1)
    assert off.max() <= 8  # only where two arrows overlap, by rounding
    assert (off > 0).mean() < 0.002


def test_repeated_arrows_are_drawn_once(laid, run):
    fig, view, title, _ = laid
    sprites = ArrowSprites(view, fig.canvas.get_renderer())
    frame = _blank(fig)
    for t in range(run.history.last + 1):
        sprites.onto(frame, t)
    drawn = len(sprites._drawn)
    shown = sum(
        len(arrow_specs(view.ax, view.supply, view.coords, t, 8))
        for t in range(run.history.last + 1)
    )
    assert drawn < shown


def test_a_film_frame_is_the_same_bytes_whatever_was_drawn_before(run):
    fig, view, title = laid_out(run, None)
    texts = ["one title 1", "one title 2", "one title 3"]
    film = Film(fig, view, title, texts)
    last = run.history.last
    seen = []
    for t, text in zip((0, last, 0), texts, strict=True):
        frame, moved = film.frame(t, text)
        seen.append(frame.tobytes())
        if len(seen) > 1:  # every pixel that changed is among the moved
            before = np.frombuffer(seen[-2], np.uint32)
            changed = np.flatnonzero(before != frame.reshape(-1).view(np.uint32))
            assert np.isin(changed, moved).all()
    fig, view, title = laid_out(run, None)
    fresh = Film(fig, view, title, texts)
    assert fresh.frame(0, texts[2])[0].tobytes() == seen[2]


def test_a_title_with_mathtext_leaves_room_for_it(laid):
    fig, view, title, _ = laid
    texts = [r"Run $\alpha + \beta$: 1 Jan", r"Run $\alpha + \beta$: 2 Jan"]
    film_title = FilmTitle(title, texts, fig.canvas.get_renderer())
    assert film_title.prefix == r"Run $\alpha + \beta$:"
    probe = Text(0, 0, film_title.prefix, fontproperties=film_title.font)
    probe.set_figure(fig)
    width = probe.get_window_extent(fig.canvas.get_renderer()).width
    pieces = dict(film_title.layout(texts[0])[0])
    space = film_title.layout("a b")[1] - film_title.layout("ab")[1]
    assert pieces["1"] == pytest.approx(film_title.left + width + space)
    frame = _blank(fig)
    film_title.onto(frame, texts[0])  # drawn, with the math as matplotlib sets it
    assert (frame != 255).any()
