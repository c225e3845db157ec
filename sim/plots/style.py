"""Shared look of every figure: readable when projected, consistent between figures.

Figures are drawn on explicit ``Figure`` objects (never pyplot's global
state), with the Agg backend, so plotting works headless, in threads and in
notebooks alike.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import gc
from pathlib import Path

import matplotlib
import matplotlib.dates as mdates
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from sim.plots.glyphs import share_glyphs
from sim.plots.text_layout import kept_text_layouts

CONTESTED_COLOR = "#BBBBBB"
# Paul Tol's green and red: told apart with the common colour-vision deficiencies
ALLY_COLOR = "#117733"
ENEMY_COLOR = "#CC3311"
NEUTRAL_COLOR = "#999999"
DPI = 150

RC = {
    "font.size": 12,
    "axes.titlesize": 15,
    "axes.titleweight": "bold",
    "axes.labelsize": 13,
    "legend.fontsize": 12,
    "xtick.labelsize": 12,
    "ytick.labelsize": 12,
    "axes.spines.top": False,
    "axes.spines.right": False,
}


def new_figure(width: float = 11.0, height: float = 6.5) -> Figure:
    """A blank figure with the project's style (no pyplot state touched)."""
    with matplotlib.rc_context(RC):
        fig = Figure(figsize=(width, height), dpi=DPI, layout="constrained")
    return fig


def styled(func):
    """Decorator: draw inside the project's rc settings."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        with matplotlib.rc_context(RC):
            return func(*args, **kwargs)

    return wrapper


_REMEMBERED = 1024  # spans or labels kept at most, so a long sweep stays small


class QuarterLocator(mdates.MonthLocator):
    """Ticks on the first of January, April, July and October, found once per span.

    A figure of many panels on one time span (the supply figure has a dozen)
    asks for the same ticks on every panel at every layout pass and draw;
    they are the same dates each time, so they are kept per view interval
    (shared by every locator in the process) instead of walked again.
    """

    _found: dict[tuple, list] = {}

    def __init__(self) -> None:
        super().__init__(bymonth=(1, 4, 7, 10))

    def __call__(self):
        """The tick positions for the axis' current view, as ``MonthLocator``'s."""
        vmin, vmax = self.axis.get_view_interval()
        key = (float(vmin), float(vmax), self.tz)
        ticks = self._found.get(key)
        if ticks is None:
            if len(self._found) >= _REMEMBERED:
                self._found.clear()
            ticks = self._found[key] = list(super().__call__())
        return list(ticks)


class MonthYearFormatter(mdates.DateFormatter):
    """'Jan' over '2016' under each tick, each distinct tick written once.

    The same tick dates are labelled on every panel of a figure; their
    labels are kept by position instead of formatted again each time.
    """

    _written: dict[tuple, str] = {}

    def __init__(self) -> None:
        super().__init__("%b\n%Y")

    def __call__(self, x, pos=0):
        """The label of the date number ``x``, as ``DateFormatter``'s."""
        key = (float(x), self.fmt, self.tz, self._usetex)
        label = self._written.get(key)
        if label is None:
            if len(self._written) >= _REMEMBERED:
                self._written.clear()
            label = self._written[key] = super().__call__(x, pos)
        return label


def date_axis(ax, dates: list[dt.date]) -> None:
    """Month ticks and year labels on a time axis."""
    ax.set_xlim(dates[0], dates[-1])
    ax.xaxis.set_major_locator(QuarterLocator())
    ax.xaxis.set_major_formatter(MonthYearFormatter())
    ax.set_xlabel("date")


def panel_title(ax, text: str, **kwargs):
    """Title ``ax`` at its top edge, placed once instead of at every layout pass.

    Matplotlib places an axes' title again at each layout pass and each
    draw, measuring every y tick label each time in case an offset text
    ("1e6") under the title would push it up. With plain y tick labels (no
    offset text, which :func:`panel_title` sets) and the x ticks at the
    bottom, nothing can push it: the title sits where matplotlib would put
    it, the top of the axes, without the measuring. ``kwargs`` go to
    ``Axes.set_title``.
    """
    if ax.name == "rectilinear":
        ax.ticklabel_format(axis="y", style="plain", useOffset=False)
    return ax.set_title(text, y=1.0, **kwargs)


@contextlib.contextmanager
def collector_paused():
    """Hold Python's cycle collector back while a figure is built or drawn.

    A figure makes tens of thousands of short-lived objects (artists,
    transforms, paths); each time enough pile up, the collector walks them
    and, every few times, every long-lived object of the process as well
    (the run's history, fonts, modules) while finding almost nothing to
    free. Held back, it runs once the figure is done, and finds the same
    garbage.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def fmt_date(d: dt.date) -> str:
    """'12 Feb 2016'."""
    return f"{d.day} {d:%b %Y}"


def freeze_layout(fig: Figure) -> None:
    """Lay ``fig`` out once with its layout engine, then keep that layout.

    Saving a figure that has a layout engine draws it twice: once, without
    rendering, to lay it out and measure every label, then for real. Laid
    out here and left without an engine, it is drawn once, in the same
    place. Each text's layout is worked out once for all the engine's
    passes (:mod:`sim.plots.text_layout`).
    """
    engine = fig.get_layout_engine()
    if engine is None:
        return
    if not isinstance(fig.canvas, FigureCanvasAgg):
        FigureCanvasAgg(fig)
    with kept_text_layouts():
        engine.execute(fig)
    fig.set_layout_engine(None)


def save(fig: Figure, path) -> None:
    """Write a PNG at the project's resolution, laid out once.

    A figure drawn at that resolution is rendered once and its pixels
    written by :func:`sim.plots.png.write_png` (the same pixels, encoded in
    half the time), its text drawn with each string shaped and each glyph
    rendered once (:func:`sim.plots.glyphs.share_glyphs`, the same pixels);
    any other goes through ``savefig``. Texts are laid out once for the
    layout and the drawing together (:mod:`sim.plots.text_layout`), with
    the cycle collector held back (:func:`collector_paused`).
    """
    with collector_paused(), kept_text_layouts():
        _save_laid_out(fig, path)


def _save_laid_out(fig: Figure, path) -> None:
    """:func:`save` once text layouts are kept: lay out, render, write."""
    freeze_layout(fig)
    if fig.dpi != DPI or Path(path).suffix.lower() != ".png":
        fig.savefig(path, dpi=DPI, pil_kwargs={"compress_level": 1})
        return
    from sim.plots.png import write_png

    if not isinstance(fig.canvas, FigureCanvasAgg):
        FigureCanvasAgg(fig)
    share_glyphs(fig.canvas.get_renderer())
    fig.canvas.draw()
    software = f"Matplotlib version{matplotlib.__version__}, https://matplotlib.org/"
    write_png(path, np.asarray(fig.canvas.buffer_rgba()), DPI, {"Software": software})
