"""The bands as a figure a referee can read: one row per fact, band against range.

Each fact is scaled to its own accepted range (0 = low bound, 1 = high
bound), as in the scorecard's figure, so fighters, shares and differences
share one axis. The bar is the 10–90 % band over parameter samples and
seeds, the dot the median; the colour says how much of the band is in range.
Rows are grouped by class: validation, calibration, input.
"""

from __future__ import annotations

import textwrap
from typing import Any

import pandas as pd

from sim.experiments.scorecard.plot import _LEFT, _RIGHT, _draw_group_rules, _label_axes
from sim.experiments.scorecard.table import ordered

#: Colours by the share of the band in range: mostly, partly, hardly.
_SHADES = ((0.8, "#009E73"), (0.2, "#E69F00"), (0.0, "#D55E00"))


def _colour(share: float) -> str:
    return next(c for cut, c in _SHADES if share >= cut)


def _draw_band(ax: Any, row: pd.Series, y: int) -> None:
    """The 10–90 % band and its median, scaled to the fact's accepted range."""
    lo, hi = float(row["lo"]), float(row["hi"])
    span = hi - lo if hi > lo else (abs(lo) or 1.0)
    base = lo if hi > lo else lo - span / 2

    def scale(x: float) -> float:
        return min(max((float(x) - base) / span, _LEFT), _RIGHT)

    colour = _colour(float(row["share_in_range"]))
    alpha = 0.45 if row["class"] == "input" else 1.0
    ax.plot(
        [scale(row["p10"]), scale(row["p90"])],
        [y, y],
        color=colour,
        lw=7,
        alpha=0.6 * alpha,
        solid_capstyle="butt",
        zorder=2,
    )
    ax.plot([scale(row["p50"])], [y], "o", ms=10, color=colour, mec="white", zorder=3)


def _legend(fig: Any) -> None:
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    handles = [Patch(color="#DDDDDD", label="accepted range")]
    for (_cut, colour), text in zip(
        _SHADES, ("≥ 80 % in range", "20–80 % in range", "< 20 % in range"), strict=True
    ):
        handles.append(
            Line2D([], [], color=colour, lw=7, alpha=0.6, label=f"10–90 % band, {text}")
        )
    handles.append(
        Line2D([], [], marker="o", ls="", color="#555555", ms=9, label="median")
    )
    fig.legend(handles=handles, loc="outside lower center", ncol=3, frameon=False)


def _note(row: pd.Series) -> str:
    if pd.isna(row["share_in_range"]):
        return "n/a"
    return f"{row['share_in_range']:.0%} in range · {row['accepted']}"


def plot_bands(table: pd.DataFrame, title: str | None = None):
    """One row per fact: its band over samples and seeds against its accepted range.

    Args:
        table: the band table (:func:`~.bands.band_table`).
        title: the figure's title (default: the samples and runs behind it).

    Returns:
        The matplotlib Figure.
    """
    from sim.plots.style import new_figure, styled

    rows = ordered(
        table.assign(status=["n/a" if pd.isna(x) else "ok" for x in table["p50"]])
    )
    rows = rows.reset_index(drop=True)
    n = len(rows)

    @styled
    def draw():
        fig = new_figure(12.0, 1.9 + 0.42 * max(n, 1))
        ax = fig.add_subplot()
        ax.axvspan(0, 1, color="#DDDDDD", zorder=0)
        for x in (0, 1):
            ax.axvline(x, color="#888888", lw=1, zorder=1)
        labels, notes = [], []
        for i, row in rows.iterrows():
            tag = {"input": " (input)", "calibration": " (calibration)"}.get(
                row["class"], ""
            )
            labels.append(f"{row['id']}{tag}")
            notes.append(_note(row))
            if row["status"] != "n/a":
                _draw_band(ax, row, n - 1 - i)
        _draw_group_rules(ax, rows)
        _label_axes(ax, labels, notes)
        attrs = table.attrs
        default = (
            f"Bands over {attrs.get('samples', '?')} parameter samples × "
            f"{attrs.get('seeds_per_sample', '?')} seeds "
            f"({attrs.get('priors', '?')} priors)"
        )
        # a long title (scenario name first) wraps rather than runs off the page
        ax.set_title(textwrap.fill(title or default, 50), loc="left")
        _legend(fig)
        return fig

    return draw()
