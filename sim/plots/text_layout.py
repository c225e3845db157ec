"""Each text's layout worked out once per figure saved, not at every measure.

To lay a figure out and draw it, matplotlib asks each text for its layout
(the size and place of each line and the box around them) many times: a
tick label is measured about three times in each of the constrained
layout's two passes and again when drawn, and every answer is worked out
afresh from the font's metrics. Inside :func:`kept_text_layouts`, an answer
is kept per everything it depends on (the renderer and its resolution, the
string, the font, line spacing, alignment and rotation), so the tick labels
of a dozen panels, asked again and again, are worked out once; a text that
changes any of these is worked out anew.

The layout is matplotlib's private ``Text._get_layout``; where a release
lacks it (see :func:`supported`), nothing is kept and matplotlib works as
before. Texts set in TeX or wrapped to the figure are always worked out
anew.
"""

from __future__ import annotations

import contextlib
import threading

from matplotlib.text import Text
from matplotlib.transforms import Bbox

_LOCK = threading.Lock()
_ACTIVE: list[dict] = []  # the kept layouts of the saves in progress


def supported() -> bool:
    """Whether this matplotlib lays text out as this module expects.

    That is in ``Text._get_layout(renderer)``, with the alignment of lines
    in ``Text._get_multialignment()``.
    """
    return all(
        callable(getattr(Text, name, None))
        for name in ("_get_layout", "_get_multialignment")
    )


@contextlib.contextmanager
def kept_text_layouts():
    """Keep each text layout matplotlib works out while the block runs.

    Blocks may nest (a block inside another keeps to the outer one's
    layouts) and run in several threads; matplotlib's own layout is back
    once the last block ends.
    """
    if not supported():
        yield
        return
    with _LOCK:
        if not _ACTIVE:
            Text._get_layout = _kept_layout
        _ACTIVE.append(_ACTIVE[-1] if _ACTIVE else {})  # a block inside shares
    try:
        yield
    finally:
        with _LOCK:
            _ACTIVE.pop()
            if not _ACTIVE:
                Text._get_layout = _MATPLOTLIB_LAYOUT


def layout_key(text: Text, renderer) -> tuple | None:
    """Everything ``text``'s layout depends on, or None if it is not to be kept."""
    if text.get_wrap() or text.get_usetex():
        return None
    font = text.get_fontproperties()
    return (
        id(renderer),
        type(renderer),
        text.get_figure(root=True).dpi,
        text.get_text(),
        text.get_parse_math(),
        tuple(font.get_family()),
        font.get_style(),
        font.get_variant(),
        font.get_weight(),
        font.get_stretch(),
        font.get_size_in_points(),
        font.get_file(),
        font.get_math_fontfamily(),
        text.get_linespacing(),
        text._get_multialignment(),
        text.get_rotation(),
        text.get_horizontalalignment(),
        text.get_verticalalignment(),
        text.get_rotation_mode(),
    )


_MATPLOTLIB_LAYOUT = getattr(Text, "_get_layout", None)


def _kept_layout(self, renderer):
    """``Text._get_layout``, from the kept answer where there is one."""
    kept = _ACTIVE[-1] if _ACTIVE else None
    key = layout_key(self, renderer) if kept is not None else None
    if key is None:
        return _MATPLOTLIB_LAYOUT(self, renderer)
    found = kept.get(key)
    if found is None:
        found = kept[key] = _MATPLOTLIB_LAYOUT(self, renderer)
    bbox, lines, box = found
    return Bbox(bbox.get_points().copy()), list(lines), box
