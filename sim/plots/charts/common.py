"""What the charts share: the larger text, the run's rows and dates, numbered keys.

Every chart is drawn inside :func:`projected` (the shared style with text a
back row can read) and reads the run through :func:`opened`.
"""

from __future__ import annotations

import datetime as dt
import functools

import matplotlib

from sim.plots.style import collector_paused, styled
from sim.results.rundata import Run, as_run
from sim.vocabulary import Status

# Line colours for actor pairs: colour-blind safe (Okabe & Ito, and Tol's
# muted scheme), with green and vermillion left out so the ally and enemy
# zones stay unambiguous.
PAIR_COLORS = (
    "#0072B2",
    "#CC79A7",
    "#000000",
    "#E69F00",
    "#56B4E9",
    "#882255",
    "#999933",
    "#44AA99",
)
KEY_ROWS_ONE_COLUMN = 9
STATUS_WORD = {
    Status.ALLY: "allies",
    Status.NEUTRAL: "neutral",
    Status.ENEMY: "enemies",
}
BECOME = {
    Status.ALLY: "become allies",
    Status.NEUTRAL: "turn neutral",
    Status.ENEMY: "become enemies",
}
# On top of the shared style: tick labels and legends a back row can read.
PROJECTED = {
    "xtick.labelsize": 12,
    "ytick.labelsize": 12,
    "axes.labelsize": 13,
    "legend.fontsize": 12,
}


def projected(func):
    """Decorator: draw inside the shared style with the larger text above.

    The cycle collector is held back while the chart is built
    (:func:`sim.plots.style.collector_paused`).
    """

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        with collector_paused(), matplotlib.rc_context(PROJECTED):
            return func(*args, **kwargs)

    return styled(wrapper)


def rows(run: Run) -> int:
    """How many rows of the run's history hold data."""
    return run.history.n_rows


def dates(run: Run) -> list[dt.date]:
    """The dates of the rows that hold data."""
    return list(run.history.dates[: rows(run)])


def opened(run) -> tuple[Run, object, int, list[dt.date]]:
    """``(run, history, rows, dates)`` of a model, Run or run directory."""
    run = as_run(run)
    return run, run.history, rows(run), dates(run)


def per_step(run: Run) -> str:
    """What one row is: ``week`` or ``N-day step``."""
    d = dates(run)
    days = (d[1] - d[0]).days if len(d) > 1 else 7
    return "week" if days == 7 else f"{days}-day step"


def pair_name(run: Run, a: str, b: str) -> str:
    """``"A – B"`` with the actors' display names."""
    return f"{run.display(a)} – {run.display(b)}"


def amount(x: float) -> str:
    """Aid units for a title: 6,240 / 1.5 / 0.06."""
    if x >= 100:
        return f"{x:,.0f}"
    return f"{x:.1f}" if x >= 1 else f"{x:.2g}"


def short(text: str, width: int) -> str:
    """``text`` cut at a word to at most ``width`` characters, with "…"."""
    if len(text) <= width:
        return text
    cut = text[: width - 1].rsplit(" ", 1)[0].rstrip(" ,;:—–-")
    return cut + "…"


def draw_key(ax, lines: list[str], more: int, width: int) -> None:
    """A numbered key as text in an axes of its own (one or two columns)."""
    ax.axis("off")
    if more:
        lines = [*lines, f"… and {more} more (see the chronicle)"]
    if len(lines) <= KEY_ROWS_ONE_COLUMN:
        cols = [[short(x, 2 * width) for x in lines]]
    else:
        half = (len(lines) + 1) // 2
        parts = (lines[:half], lines[half:])
        cols = [[short(x, width) for x in part] for part in parts]
    for c, col in enumerate(cols):
        ax.text(
            0.02 + 0.5 * c,
            1.0,
            "\n".join(col),
            transform=ax.transAxes,
            va="top",
            ha="left",
            fontsize=12,
            linespacing=1.4,
        )


def key_height(n_lines: int) -> float:
    """Inches the numbered key needs."""
    if not n_lines:
        return 0.01
    n = n_lines if n_lines <= KEY_ROWS_ONE_COLUMN else (n_lines + 1) // 2
    return 0.27 * n + 0.1


def lighter_layout(ax) -> None:
    """Leave out of the layout passes what cannot move anything, on a plain axes.

    Each pass of the constrained layout measures every axes' decorations,
    and measuring a spine or placing an axis label updates that axis' ticks
    again. Two of those measurements cannot change the result:

    - the left and bottom spines, where their axis shows tick labels: a
      spine's extent is its edge of the axes plus its tick marks, and the
      tick labels lie beyond the marks, so the labels' extent covers it;
    - an empty axis label (a panel whose dates the panel below carries): it
      has no extent, wherever it is put, so it is put once instead of at
      every pass and draw.

    The figure is laid out and drawn as before, pixel for pixel.
    """
    for side, axis, labels in (
        ("left", ax.yaxis, "labelleft"),
        ("bottom", ax.xaxis, "labelbottom"),
    ):
        if axis.get_tick_params().get(labels):
            ax.spines[side].set_in_layout(False)
        if not axis.label.get_text():
            axis.set_label_coords(0.5, 0.0)
