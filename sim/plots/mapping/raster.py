"""The map as pixels: a province index image and layers rendered once.

A map frame is the province fills, their hatch where contested, the white
borders, the supply arrows and the static text on top. Only the fills, the
hatch mask and the arrows change from one date to the next, so
:class:`MapRaster` renders everything else once, at the output resolution:

* an *index image* (pixel → province number, ``-1`` outside every
  province), rasterised from the polygons with the figure's own transform,
  so a frame's fills are one palette lookup (numpy fancy indexing);
* the hatch, the borders and the static layer as sparse overlays (only the
  pixels they touch, with their opacity).

Index images are cached per geometry, figure size and map extent, so
redrawing the same map size again costs nothing.
"""

from __future__ import annotations

import hashlib

import numpy as np
from matplotlib.collections import PathCollection
from matplotlib.colors import to_rgb

_INDEX_CACHE: dict[tuple, np.ndarray] = {}
_CACHE_SIZE = 8
# An RGBA pixel read as one little-endian integer: alpha is the top byte, so
# "alpha above zero" is one comparison instead of a strided scan.
_PIXEL = np.dtype("<u4")
_OPAQUE_BIT = 1 << 24


class Overlay:
    """The pixels a constant layer touches: flat positions, colours, opacities.

    Opaque pixels are copied; only the translucent ones (anti-aliased edges)
    are blended, which is most of the cost saved on text and legends.
    """

    def __init__(self, where: np.ndarray, rgba: np.ndarray):
        self.where = where  # [N] flat pixel positions
        self.solid = rgba[:, 3] == 255
        self.soft = ~self.solid
        self.solid_where, self.soft_where = where[self.solid], where[self.soft]
        self.solid_rgb = rgba[self.solid, :3]
        self.soft_rgb = rgba[self.soft, :3].astype(np.float32)
        self.soft_alpha = rgba[self.soft, 3:].astype(np.float32) / 255.0
        self._lookup: np.ndarray | None = None  # frame pixel → layer pixel, or -1

    @classmethod
    def of(cls, rgba: np.ndarray, origin=(0, 0), width: int | None = None) -> Overlay:
        """The non-transparent pixels of an ``[H, W, 4]`` uint8 straight-alpha image.

        A crop of a larger frame gives its ``origin`` (row, column) in that
        frame and the frame's ``width``, so positions are the frame's.
        """
        if rgba.dtype != np.uint8 or not rgba.flags.c_contiguous:
            rgba = np.ascontiguousarray(rgba, dtype=np.uint8)
        words = rgba.reshape(-1).view(_PIXEL)  # one integer a pixel, alpha on top
        where = np.flatnonzero(words >= _OPAQUE_BIT)
        colours = words[where].view(np.uint8).reshape(-1, 4)
        if width is not None:
            rows, cols = np.divmod(where, rgba.shape[1])
            where = (rows + origin[0]) * width + cols + origin[1]
        return cls(where, colours)

    def onto_pixels(self, frame: np.ndarray, positions: np.ndarray) -> None:
        """Blend the layer over ``frame`` only at the flat ``positions`` (unique).

        The same arithmetic as :meth:`onto`, at a cost that grows with
        ``positions`` rather than with the layer: for a large constant layer
        over a frame of which a few pixels changed.
        """
        if self._lookup is None or len(self._lookup) != len(frame):
            self._lookup = np.full(len(frame), -1, dtype=np.intp)
            self._lookup[self.where] = np.arange(len(self.where))
            order = np.empty(len(self.where), dtype=np.intp)
            order[self.solid], order[self.soft] = (
                np.arange(self.solid.sum()),
                np.arange(self.soft.sum()),
            )
            self._order = order  # pixel → its row in the solid or soft arrays
        hit = self._lookup[positions]
        hit = hit[hit >= 0]
        solid, soft = hit[self.solid[hit]], hit[self.soft[hit]]
        frame[self.where[solid], :3] = self.solid_rgb[self._order[solid]]
        rows = self._order[soft]
        at = self.where[soft]
        rgb, alpha = self.soft_rgb[rows], self.soft_alpha[rows]
        below = frame[at, :3].astype(np.float32)
        frame[at, :3] = (below + (rgb - below) * alpha + 0.5).astype(np.uint8)

    def shifted(self, by: int) -> Overlay:
        """The same layer ``by`` positions further on (whole pixels along a row)."""
        moved = object.__new__(Overlay)
        moved.__dict__.update(self.__dict__)
        moved.where = self.where + by
        moved.solid_where = self.solid_where + by
        moved.soft_where = self.soft_where + by
        moved._lookup = None
        return moved

    def onto(self, frame: np.ndarray, keep: np.ndarray | None = None) -> None:
        """Blend the layer over ``frame`` (``[H*W, 4]`` uint8); ``keep`` picks pixels.

        ``keep`` (``[N]`` bool, one per pixel of the layer) leaves the others out.
        """
        solid, soft = self.solid_where, self.soft_where
        solid_rgb, rgb, alpha = self.solid_rgb, self.soft_rgb, self.soft_alpha
        if keep is not None:
            on, off = keep[self.solid], keep[self.soft]
            solid, solid_rgb = solid[on], solid_rgb[on]
            soft, rgb, alpha = soft[off], rgb[off], alpha[off]
        frame[solid, :3] = solid_rgb
        below = frame[soft, :3].astype(np.float32)
        frame[soft, :3] = (below + (rgb - below) * alpha + 0.5).astype(np.uint8)


def render_without(fig, hidden: list) -> np.ndarray:
    """``fig`` rendered without ``hidden`` artists: ``[H, W, 4]`` uint8 RGBA.

    The figure's and the Axes' backgrounds are left out too, so the image is
    transparent wherever nothing is drawn; visibility is restored afterwards.
    """
    hidden = [*hidden, fig.patch, *(ax.patch for ax in fig.axes)]
    shown = [a.get_visible() for a in hidden]
    for a in hidden:
        a.set_visible(False)
    try:
        fig.canvas.draw()
        return np.asarray(fig.canvas.buffer_rgba()).copy()
    finally:
        for a, visible in zip(hidden, shown, strict=True):
            a.set_visible(visible)


def render_only(fig, artists: list) -> np.ndarray:
    """``fig`` rendered with only ``artists`` (of its Axes) visible, transparent."""
    keep = {id(a) for a in artists}
    others = [a for a in fig.get_children() if a not in fig.axes]
    for ax in fig.axes:
        others += ax.get_children()
    return render_without(fig, [a for a in others if id(a) not in keep])


def province_index(fig, ax, paths: list) -> np.ndarray:
    """``[H, W]`` int32: the province under each pixel of ``fig``, ``-1`` for none.

    Each province is filled, without anti-aliasing, in a colour that encodes
    its number. The index is cached under the shapes' coordinates, the
    figure's pixel size and the map's position and limits.
    """
    w, h = fig.canvas.get_width_height()
    shapes = hashlib.sha1()
    for path in paths:
        shapes.update(np.ascontiguousarray(path.vertices, dtype=float).tobytes())
        shapes.update(b"|")
    place = (tuple(ax.get_position().bounds), ax.get_xlim(), ax.get_ylim())
    full = (shapes.hexdigest(), w, h, place)
    if full in _INDEX_CACHE:
        return _INDEX_CACHE[full]
    codes = np.arange(1, len(paths) + 1)
    colours = np.stack(
        [codes % 256, codes // 256, np.zeros_like(codes)], axis=1
    ).astype(float)
    stamp = PathCollection(
        paths,
        facecolors=colours / 255.0,
        edgecolors="none",
        linewidths=0.0,
        antialiaseds=False,
    )
    ax.add_collection(stamp, autolim=False)
    try:
        rgba = render_only(fig, [stamp])
    finally:
        stamp.remove()
    index = rgba[..., 0].astype(np.int32) + 256 * rgba[..., 1].astype(np.int32) - 1
    index[rgba[..., 3] == 0] = -1
    if len(_INDEX_CACHE) >= _CACHE_SIZE:
        _INDEX_CACHE.pop(next(iter(_INDEX_CACHE)))
    _INDEX_CACHE[full] = index
    return index


class MapRaster:
    """A map frame as a palette lookup plus constant overlays.

    Args:
        index: ``[H, W]`` province number per pixel (:func:`province_index`).
        background: the colour outside every province.
        borders: the province borders, drawn over the fills.
        hatch: the contested hatch drawn over every province (shown per
            frame where the province is contested).
        top: the constant layer over everything else (names, legends).
    """

    def __init__(
        self, index: np.ndarray, background, borders: Overlay, hatch: Overlay, top
    ):
        self.shape = index.shape
        self.flat = index.reshape(-1).astype(np.intp)
        self.background = np.asarray(to_rgb(background), dtype=float)
        self.borders, self.hatch, self.top = borders, hatch, top
        self.hatch_owner = self.flat[hatch.where]  # province under each hatch pixel
        self._last = None  # (palette, hatched, frame) of the latest frame
        self._topped = None  # (finished frame, its pixels below the top layer)

    def frame(self, fills: np.ndarray, contested: np.ndarray) -> np.ndarray:
        """``[H*W, 4]`` uint8 frame: the ``[P, 3]`` fills, contested ones hatched.

        The colours are packed four bytes a pixel, so the lookup moves one
        integer per pixel. A pixel depends only on its own province's colour
        and hatch, and from one date to the next few provinces change: so
        the previous frame's pixels are kept and only the changed provinces'
        pixels are painted again (the same arithmetic, so the same bytes).
        """
        rgb = np.vstack([np.asarray(fills, dtype=float), self.background[None, :]])
        palette = np.zeros((len(rgb), 4), dtype=np.uint8)
        palette[:, :3] = np.clip(np.rint(rgb * 255.0), 0, 255)
        hatched = np.append(np.asarray(contested, dtype=bool), False)
        last = self._last
        if last is None or last[0].shape != palette.shape:
            changed = None
        else:
            changed = (last[0] != palette).any(axis=1) | (last[1] != hatched)
            if not changed.any():
                return last[2].copy()
        base = self._paint(palette, hatched, changed)
        self._last = (palette, hatched, base)
        return base.copy()

    def _paint(self, palette, hatched, changed) -> np.ndarray:
        """The fills, borders and hatch; only ``changed`` provinces' pixels if given."""
        packed = palette.view(np.uint32).reshape(-1)
        if changed is None:
            frame = packed[self.flat].view(np.uint8).reshape(-1, 4)  # -1: background
            self.borders.onto(frame)
            self.hatch.onto(frame, hatched[self.hatch_owner])
            return frame
        frame = self._last[2]  # the last base: painted over in place
        redo = changed[self.flat]
        pixels = np.flatnonzero(redo)
        frame.reshape(-1).view(np.uint32)[pixels] = packed[self.flat[pixels]]
        self.borders.onto(frame, redo[self.borders.where])
        self.hatch.onto(frame, redo[self.hatch.where] & hatched[self.hatch_owner])
        return frame

    def finish(
        self, frame: np.ndarray, dynamic: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray | None]:
        """Blend ``dynamic`` (``[H, W, 4]`` RGBA) and the top layer over ``frame``.

        Returns the finished frame (``[H*W, 4]`` uint8, RGB and a pad byte;
        it is this raster's, valid until the next call) and the flat
        positions of the pixels that may differ from the last one finished
        (``None`` for the first: any). The top layer's pixels over what did
        not change are the same as then, so only the pixels that moved are
        blended again (the same arithmetic, so the same bytes). ``frame`` is
        kept: the caller must not change it afterwards.
        """
        if dynamic is not None:
            Overlay.of(dynamic).onto(frame)
        below = frame.reshape(-1).view(np.uint32)
        if self._topped is None:
            out, moved = frame.copy(), None
            self.top.onto(out)
        else:
            out, before = self._topped
            moved = np.flatnonzero(below != before)
            out.reshape(-1).view(np.uint32)[moved] = below[moved]
            self.top.onto_pixels(out, moved)
        self._topped = (out, below)
        return out, moved

    @property
    def size(self) -> tuple[int, int]:
        """(width, height) in pixels."""
        return self.shape[1], self.shape[0]
