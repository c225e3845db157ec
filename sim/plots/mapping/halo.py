"""The outlines of the maps' haloed names, worked out once per string and font.

A name with a halo (:data:`sim.plots.mapping.fills.HALO`) is drawn through
a path effect, which draws the text as its outline: matplotlib converts the
string to an outline glyph by glyph, with FreeType, each time the text is
drawn (a map's 34 names cost about 17 ms). That outline depends on the
string and the font's face only (matplotlib builds it at one fixed size and
scales it to the text's size when it draws), so :class:`KeptOutlines` keeps
it, and the same names on the small multiples, on a second map or on the
animation's figure in the same process are not converted again.

A renderer converts text through its private ``_text2path`` attribute (a
``TextToPath``, asked for by matplotlib's path-effect renderer too);
:func:`keep_halo_outlines` swaps it for a :class:`KeptOutlines` only where
the renderer has one, so a matplotlib release that draws path-effect text
otherwise is left as it is.
"""

from __future__ import annotations

import numpy as np
from matplotlib.textpath import TextToPath

_KEPT = 2048  # outlines kept at most per process, so a long sweep stays small


class KeptOutlines(TextToPath):
    """``TextToPath`` that keeps the outline of each plain string it converted.

    Shared by every renderer of the process; strings with mathtext or TeX,
    whose outline depends on the size, are converted afresh every time.
    """

    _outlines: dict[tuple, tuple[np.ndarray, np.ndarray]] = {}

    def get_text_path(self, prop, s, ismath=False, *, features=None, language=None):
        """(vertices, codes) of ``s`` in ``prop``'s face, as ``TextToPath``'s."""
        if ismath:
            return super().get_text_path(
                prop, s, ismath, features=features, language=language
            )
        key = (*face_of(prop), s, _hashable(features), _hashable(language))
        outline = self._outlines.get(key)
        if outline is None:
            verts, codes = super().get_text_path(
                prop, s, ismath, features=features, language=language
            )
            outline = (np.array(verts, dtype=float), np.array(codes, dtype=np.uint8))
            if len(self._outlines) >= _KEPT:
                self._outlines.clear()
            self._outlines[key] = outline
        return outline[0].copy(), outline[1].copy()


def face_of(prop) -> tuple:
    """Everything of a font but its size: what picks the face an outline is drawn in."""
    return (
        tuple(prop.get_family()),
        prop.get_style(),
        prop.get_variant(),
        prop.get_weight(),
        prop.get_stretch(),
        prop.get_file(),
    )


def _hashable(value):
    """A list of font features as a tuple, so it can be part of a key."""
    return tuple(value) if isinstance(value, list) else value


def keep_halo_outlines(renderer) -> bool:
    """Let ``renderer`` convert text to outlines through :class:`KeptOutlines`.

    Returns whether it does: only a renderer with matplotlib's ``TextToPath``
    in its ``_text2path`` attribute is changed.
    """
    current = getattr(renderer, "_text2path", None)
    if isinstance(current, KeptOutlines):
        return True
    if type(current) is not TextToPath:
        return False
    renderer._text2path = KeptOutlines()
    return True
