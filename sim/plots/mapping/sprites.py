"""Pieces of a film drawn once and pasted into every frame that shows them.

Drawing text costs matplotlib a FreeType render per glyph, and a supply
arrow two stroked paths (the arrow and its white halo). From one frame of
the GIF to the next most of these repeat: the title changes by a date and a
week number, and most arrows keep their width (the thinnest width is a
floor). So each distinct word of the title and each distinct arrow is
drawn once, with matplotlib, and kept as an :class:`~.raster.Overlay` of
the pixels it touched; a frame blends the ones it shows.
"""

from __future__ import annotations

import math
import re

import numpy as np
from matplotlib.backends.backend_agg import RendererAgg
from matplotlib.colors import to_rgba
from matplotlib.text import Text
from matplotlib.transforms import IdentityTransform

from sim.plots.glyphs import share_glyphs
from sim.plots.mapping.raster import Overlay
from sim.plots.mapping.supply import ArrowSpec, arrow_patch, arrow_specs, reach

_DIGITS = re.compile(r"\d|\D+")  # a digit alone, or a run of anything else


class FilmTitle:
    """A title that changes every frame, pasted together from words drawn once.

    The title is left-aligned at a fixed place (the widest of ``texts``
    centred where the figure's title is centred), so the words that do not
    change stay still instead of sliding as the date's width changes. Words
    sit where matplotlib would put them in the whole line: their advances
    are whole pixels when text is hinted (matplotlib's default), so a word
    drawn once and moved by whole pixels has the pixels it would have had.

    Args:
        title: the figure's title (font, colour and height of the line).
        texts: every title the film will show.
        renderer: the figure's renderer, to measure words.
    """

    def __init__(self, title: Text, texts: list[str], renderer):
        self._fig = title.get_figure(root=True)
        self._prop = title.get_fontproperties()
        self._color = title.get_color()
        self._renderer = renderer
        self._size = self._fig.canvas.get_width_height()
        self._advances: dict[str, float] = {}
        self._drawn: dict[tuple[str, float], tuple] = {}
        self._pen = Text(0.0, 0.0, "", fontproperties=self._prop, color=self._color)
        self._pen.set(ha="left", va="baseline", transform=IdentityTransform())
        self._pen.set_figure(self._fig)
        self.prefix = _common_words(texts)
        self.left = 0
        widest = max(self.layout(text)[1] for text in texts)
        centre = title.get_transform().transform(title.get_position())[0]
        self.left = round(centre - widest / 2)
        self.baseline = _baseline(title, texts[0], renderer)

    @property
    def font(self):
        """The title's font properties."""
        return self._prop

    @property
    def color(self):
        """The title's colour."""
        return self._color

    @property
    def pen(self) -> tuple[float, float]:
        """Where every title starts: display (x, y) of the pen on the baseline."""
        return float(self.left), self.baseline

    def layout(self, text: str) -> tuple[list[tuple[str, float]], float]:
        """The pieces ``text`` is drawn in, each with the column of its pen; the width.

        The words every title starts with are one piece; then each word is
        one, but numbers go digit by digit, so ten digits draw every date
        and week number.
        """
        words = text.split(" ")
        placed, x = [], float(self.left)
        if self.prefix and text.startswith(self.prefix + " "):
            placed.append((self.prefix, float(self.left)))
            x += self._advance(self.prefix) + self._advance(" ")
            words = text[len(self.prefix) + 1 :].split(" ")
        for word in words:
            for part in _DIGITS.findall(word):
                placed.append((part, x))
                x += self._advance(part)
            x += self._advance(" ")
        return placed, x - self._advance(" ") - self.left

    def onto(self, frame: np.ndarray, text: str) -> None:
        """Blend ``text`` onto ``frame`` (``[H*W, 4]`` uint8), piece by piece."""
        for piece, x in self.layout(text)[0]:
            self._at(piece, x).onto(frame)

    def _advance(self, word: str) -> float:
        """How far ``word`` moves the pen, in pixels (cached).

        A word with a ``$`` may be mathtext: the title's own text layout
        measures it.
        """
        if word not in self._advances:
            if "$" in word:
                self._pen.set(text=word)
                width = self._pen.get_window_extent(self._renderer).width
            else:
                measure = self._renderer.get_text_width_height_descent
                width = measure(word, self._prop, False)[0] if word else 0.0
            self._advances[word] = width
        return self._advances[word]

    def _at(self, word: str, x: float) -> Overlay:
        """The pixels of ``word`` with its pen at column ``x``.

        Glyphs are placed to 1/64 of a pixel; a word is drawn once per
        fraction of a pixel it starts at and moved by whole pixels.
        """
        column = math.floor(x)
        phase = round((x - column) * 64) / 64
        if (word, phase) not in self._drawn:
            self._drawn[word, phase] = self._draw(word, phase)
        rows, cols, rgba, layer = self._drawn[word, phase]
        width, height = self._size
        if len(cols) and cols.min() + column >= 0 and cols.max() + column < width:
            return layer.shifted(column)
        cols = cols + column  # partly off the frame: keep the pixels on it
        inside = (cols >= 0) & (cols < width) & (rows >= 0) & (rows < height)
        return Overlay(rows[inside] * width + cols[inside], rgba[inside])

    def _draw(self, word: str, phase: float) -> tuple:
        """``word`` on the title's baseline, pen at column ``phase``.

        Returns its pixels' rows, columns and RGBA, and the layer of them
        with the pen at column 0. Drawn on a small canvas around the word;
        the pen and the baseline keep their fractions of a pixel, so the
        glyphs land as they would on the figure.
        """
        em = self._prop.get_size_in_points() * self._fig.dpi / 72.0
        pad = math.ceil(em)
        bottom = math.floor(self.baseline) - pad  # the canvas's lowest display row
        canvas = (math.ceil(self._advance(word)) + 2 * pad + 1, 3 * pad)
        renderer = RendererAgg(*canvas, self._fig.dpi)
        share_glyphs(renderer)  # the title's glyphs, rendered once for every word
        self._write(renderer, word, pad + phase, self.baseline - bottom)
        image = np.asarray(renderer.buffer_rgba())
        rows, cols = np.nonzero(image[..., 3])
        rgba = image[rows, cols]
        rows = rows + self._size[1] - (bottom + canvas[1])  # the frame's rows
        cols = cols - pad
        on_frame = (rows >= 0) & (rows < self._size[1])
        layer = Overlay((rows * self._size[0] + cols)[on_frame], rgba[on_frame])
        return rows, cols, rgba, layer

    def _write(self, renderer, word: str, x: float, y: float) -> None:
        """Draw ``word`` with its pen at display ``(x, y)``, as the title draws text.

        Straight through the renderer's ``draw_text`` with the colour and
        antialiasing the title's ``Text.draw`` would set: the same glyphs,
        without the line layout that costs more than drawing a short word.
        A word with a ``$`` (maybe mathtext) goes through ``Text.draw``.
        """
        if "$" in word:
            self._pen.set(text=word, x=x, y=y)
            self._pen.draw(renderer)
            return
        gc = renderer.new_gc()
        gc.set_foreground(to_rgba(self._pen.get_color()), isRGBA=True)
        gc.set_antialiased(self._pen.get_antialiased())
        height = renderer.get_canvas_width_height()[1]
        renderer.draw_text(gc, x, height - y, word, self._prop, 0.0, mtext=self._pen)
        gc.restore()


def _common_words(texts: list[str]) -> str:
    """The words (whole, up to a space) that every one of ``texts`` starts with."""
    first = texts[0].split(" ")
    n = 0
    while n < len(first) - 1 and all(
        t.split(" ")[: n + 1] == first[: n + 1] for t in texts
    ):
        n += 1
    return " ".join(first[:n])


def _baseline(title: Text, text: str, renderer) -> float:
    """The display height of the baseline on which ``title`` sets ``text``.

    The title is top-aligned; the same line set on its baseline at 0 has
    the same box, moved: the difference of the two boxes' bottoms.
    """
    title.set_text(text)
    placed = title.get_window_extent(renderer)
    probe = Text(0.0, 0.0, text, fontproperties=title.get_fontproperties())
    probe.set(ha="left", va="baseline", transform=IdentityTransform())
    probe.set_figure(title.get_figure(root=True))
    return placed.y0 - probe.get_window_extent(renderer).y0


class ArrowSprites:
    """The supply arrows of a map view, each distinct arrow drawn once.

    An arrow's pixels depend on its route and its width alone (colour and
    line style follow from the route), so drawn arrows are kept under
    ``(route, width)``; most arrows of a film are at the thinnest width and
    repeat from frame to frame.

    Args:
        view: the :class:`~.view.MapView` whose arrows to draw.
        renderer: a renderer of the view's figure, free to be cleared.
    """

    def __init__(self, view, renderer):
        self.view, self.renderer = view, renderer
        self._drawn: dict[tuple[int, float], Overlay] = {}

    def onto(self, frame: np.ndarray, t: int) -> None:
        """Blend the arrows of row ``t`` onto ``frame`` (``[H*W, 4]``), widest first."""
        v = self.view
        for spec in arrow_specs(v.ax, v.supply, v.coords, t, v.weeks):
            key = (spec.key, spec.width)
            if key not in self._drawn:
                self._drawn[key] = self._draw(spec)
            self._drawn[key].onto(frame)

    def _draw(self, spec: ArrowSpec) -> Overlay:
        """The pixels of one arrow, drawn alone, read from around its route only."""
        v = self.view
        self.renderer.clear()
        arrow_patch(v.ax, v.run, v.supply, spec).draw(self.renderer)
        rgba = np.asarray(self.renderer.buffer_rgba())
        height, width = rgba.shape[:2]
        x, y = v.ax.transData.transform(spec.xy).T
        pad = self.renderer.points_to_pixels(reach(spec.width)) + 2
        left = max(0, math.floor(x.min() - pad))
        right = min(width, math.ceil(x.max() + pad))
        top = max(0, math.floor(height - y.max() - pad))
        bottom = min(height, math.ceil(height - y.min() + pad))
        crop = rgba[top:bottom, left:right]
        return Overlay.of(crop, origin=(top, left), width=width)
