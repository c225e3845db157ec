"""Text on an Agg canvas with each string shaped once and each glyph rendered once.

matplotlib 3.11 draws text glyph by glyph in Python: every string drawn is
shaped again by FreeType, and every glyph gets a transform built with numpy,
a FreeType rendering and a composite onto the canvas. A chart draws the same
few strings many times (the tick labels and axis label of every panel), and
the figures of a run share most of theirs (legend entries, titles, digits),
so most of that work repeats itself. :func:`share_glyphs` gives a renderer
a text drawer that draws from what the process has kept (at most
``_KEPT`` of each, so a long sweep stays small):

- each string's shaping (its glyphs and their offsets), per font, size,
  resolution and hinting;
- each glyph's bitmap, per font, size, resolution, angle and position
  within a pixel (in FreeType's 1/64 pixel steps): moved by whole pixels, a
  glyph's bitmap is the same bitmap moved, so a glyph met again at the same
  sub-pixel position, in this figure or another, is only composited.

The pixels are exactly those of matplotlib's own ``RendererAgg.draw_text``:
the same FreeType calls with the same arguments, made fewer times. They use
private helpers of matplotlib's FreeType wrapper (``FT2Font._layout``,
``_set_transform``, ``_render_glyph``); where a matplotlib release lacks one,
:func:`supported` is false and text is drawn by matplotlib as before.
:func:`forget_glyphs` empties what is kept (for benches that time a fresh
process's cost). A forked process starts with nothing kept: the shapes hold
the parent's font objects, which read their font file through a file
offset that parent and child share, so drawing with them in both at once
reads one another's bytes (FreeType's "invalid outline", or wrong glyphs).
matplotlib drops its own fonts in a forked child for the same reason.
"""

from __future__ import annotations

import functools
import math
import os
import threading
import types

import matplotlib as mpl
import numpy as np
from matplotlib.backends.backend_agg import RendererAgg, get_hinting_flag
from matplotlib.ft2font import FT2Font

try:
    from matplotlib.ft2font import RenderMode
except ImportError:  # an older matplotlib: no glyph-by-glyph drawing to share
    RenderMode = None

_FONT_METHODS = ("_layout", "_set_transform", "_render_glyph", "set_size")
_KEPT = 8192  # shapes, and bitmaps, kept at most per process
# Kept for every renderer of the process. The font objects in them are
# matplotlib's, made per thread and hinting factor: keys hold both.
_SHAPES: dict[tuple, tuple] = {}
_BITMAPS: dict[tuple, tuple] = {}


def forget_glyphs() -> None:
    """Empty the kept shapes and bitmaps, as in a fresh process."""
    _SHAPES.clear()
    _BITMAPS.clear()


# A forked child must not draw with its parent's fonts (module docstring).
if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=forget_glyphs)


def _keep(store: dict, key: tuple, value):
    """``store[key] = value``, emptying ``store`` first when it is full."""
    if len(store) >= _KEPT:
        store.clear()
    store[key] = value
    return value


def supported() -> bool:
    """Whether this matplotlib has the FreeType helpers the shared drawer needs."""
    return (
        RenderMode is not None
        and all(hasattr(FT2Font, name) for name in _FONT_METHODS)
        and hasattr(RendererAgg, "_prepare_font")
        and hasattr(RendererAgg, "_draw_text_glyphs_and_boxes")
    )


def share_glyphs(renderer: RendererAgg) -> bool:
    """Give ``renderer`` the text drawer that shapes and renders each glyph once.

    Applies to that renderer object only (a figure's canvas keeps one per
    size), so other figures, and other backends, draw as matplotlib does;
    what it keeps is kept for every renderer given the drawer. Returns
    whether the shared drawer is in use.
    """
    if not supported() or not isinstance(renderer, RendererAgg):
        return False
    if not isinstance(renderer.__dict__.get("draw_text"), types.MethodType):
        renderer.draw_text = types.MethodType(
            _GlyphDrawer(renderer).draw_text, renderer
        )
    return True


class _GlyphDrawer:
    """One renderer's text, drawn from the process's kept shapes and bitmaps."""

    def __init__(self, renderer: RendererAgg) -> None:
        self.renderer = renderer

    def draw_text(self, _renderer, gc, x, y, s, prop, angle, ismath=False, mtext=None):
        """Draw ``s`` as ``RendererAgg.draw_text`` does, from what is kept."""
        if ismath:
            return RendererAgg.draw_text(
                self.renderer, gc, x, y, s, prop, angle, ismath, mtext
            )
        flags = get_hinting_flag()
        glyphs, size = self._shape(s, prop, flags, mtext)
        cos, sin, matrix = _rotation(angle)
        height, dpi = self.renderer.height, self.renderer.dpi
        mode = RenderMode.NORMAL if gc.get_antialiased() else RenderMode.MONO
        draw_image = self.renderer._renderer.draw_text_image
        for font, glyph_index, dx, dy in glyphs:  # dy is upwards
            # FreeType's y is upwards; positions in 1/64 pixel, as matplotlib's
            px = round(0x40 * (x + dx * cos - dy * sin))
            py = round(0x40 * (height - y + dx * sin + dy * cos))
            key = (font, size, dpi, glyph_index, flags, mode, matrix, px & 63, py & 63)
            kept = _BITMAPS.get(key)
            if kept is None:
                kept = _keep(
                    _BITMAPS,
                    key,
                    self._render(font, size, glyph_index, flags, mode, matrix, px, py),
                )
            buffer, left, top = kept
            left += px >> 6
            top += py >> 6
            # draw_text_image's y is downwards and the bitmap's bottom side
            draw_image(buffer, left, int(height) - top + buffer.shape[0], 0, gc)
        return None

    def _shape(self, s, prop, flags, mtext) -> tuple[tuple, float]:
        """``((font, glyph, dx, dy), ...)`` of ``s`` and the size in points."""
        features = mtext.get_fontfeatures() if mtext is not None else None
        language = mtext.get_language() if mtext is not None else None
        dpi, thread = self.renderer.dpi, threading.get_ident()
        hinting = mpl.rcParams["text.hinting_factor"]
        key = (s, prop, dpi, thread, hinting, flags, _hashable(features))
        key += (_hashable(language),)
        shape = _SHAPES.get(key)
        if shape is None:
            font = self.renderer._prepare_font(prop)
            items = font._layout(s, flags=flags, features=features, language=language)
            glyphs = tuple((i.ft_object, i.glyph_index, i.x, i.y) for i in items)
            shape = (glyphs, prop.get_size_in_points())
            # kept under a copy: a font that changes later is a different key
            _keep(_SHAPES, (s, prop.copy(), *key[2:]), shape)
        return shape

    def _render(self, font, size, glyph_index, flags, mode, matrix, px, py):
        """A glyph's bitmap and its corner relative to the whole-pixel origin."""
        font.set_size(size, self.renderer.dpi)
        font._set_transform(np.array(matrix).reshape(2, 2), [px, py])
        bitmap = font._render_glyph(glyph_index, flags, mode)
        buffer = bitmap.buffer
        if mode == RenderMode.MONO:
            buffer *= 0xFF
        return buffer, bitmap.left - (px >> 6), bitmap.top - (py >> 6)


@functools.lru_cache(maxsize=64)
def _rotation(angle: float) -> tuple[float, float, tuple[int, ...]]:
    """Cosine, sine and FreeType's 16.16 matrix of ``angle`` degrees.

    Worked out as matplotlib does, once per angle instead of once per glyph.
    """
    cos = math.cos(math.radians(angle))
    sin = math.sin(math.radians(angle))
    rotation = 0x10000 * np.array([[cos, -sin], [sin, cos]]) @ [[1, 0], [0, 1]]
    return cos, sin, tuple(int(v) for v in rotation.round().astype(int).ravel())


def _hashable(value):
    """A list of font features as a tuple, so it can be part of a key."""
    return tuple(value) if isinstance(value, list) else value
