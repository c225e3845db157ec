"""The bar chart of a Morris or Sobol' table, largest effect on top."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure


def plot(table: pd.DataFrame, title: str | None = None) -> Figure:
    """A bar chart of a Morris or Sobol' table, largest on top.

    Morris: ``mu_star`` with its 95% interval, and ``sigma`` as a diamond
    (a ``sigma`` near or above ``mu_star`` flags a non-linear effect or one
    that depends on other parameters). Sobol': ``ST`` with ``S1`` beside it,
    each with its 95% interval; a gap between them is the share that comes
    through interactions.

    Args:
        table: the DataFrame :func:`sim.experiments.sensitivity.morris` or
            :func:`sim.experiments.sensitivity.sobol` returned.
        title: the figure title (default: the method and the metric).

    Returns:
        A matplotlib Figure.
    """
    from sim.plots.style import new_figure, styled

    return styled(_draw)(table, title, new_figure)


def _method(table: pd.DataFrame) -> str:
    """``morris`` or ``sobol``, from the table's columns; ValueError for others."""
    if {"mu_star", "mu_star_conf"} <= set(table.columns):
        return "morris"
    if {"ST", "ST_conf", "S1", "S1_conf"} <= set(table.columns):
        return "sobol"
    raise ValueError(
        "plot() takes the table of sensitivity.morris() or sensitivity.sobol()"
    )


def _bars(ax: Axes, y: np.ndarray, rows: pd.DataFrame, column: str, **style) -> None:
    """Horizontal bars of ``column`` with its 95% interval (``column_conf``)."""
    ax.barh(y, rows[column], xerr=rows[f"{column}_conf"], ecolor="#222222", **style)


def _morris_bars(ax: Axes, rows: pd.DataFrame, y: np.ndarray) -> None:
    """``mu_star`` bars with their intervals, ``sigma`` as diamonds."""
    label = "μ* (mean |effect|), 95% interval"
    _bars(ax, y, rows, "mu_star", color="#4477AA", capsize=4, label=label)
    ax.scatter(
        rows["sigma"],
        y,
        marker="D",
        color="#EE7733",
        zorder=3,
        label="σ (spread of effects)",
    )
    ax.set_xlabel("change in the metric as the parameter crosses its range")


def _sobol_bars(ax: Axes, rows: pd.DataFrame, y: np.ndarray) -> None:
    """``ST`` and ``S1`` bars side by side, each with its interval."""
    h = 0.38
    total = "ST (total, with interactions)"
    _bars(ax, y + h / 2, rows, "ST", height=h, color="#4477AA", capsize=3, label=total)
    alone = "S1 (alone)"
    _bars(ax, y - h / 2, rows, "S1", height=h, color="#88CCEE", capsize=3, label=alone)
    ax.axvline(0, color="#222222", lw=0.8)
    ax.set_xlabel("share of the metric's variance over the ranges")


def _draw(table: pd.DataFrame, title: str | None, new_figure) -> Figure:
    """Draw the chart on a new styled figure."""
    method = _method(table)
    key = "mu_star" if method == "morris" else "ST"
    rows = table.sort_values(key, ascending=True, kind="stable")
    n = len(rows)
    fig = new_figure(10.0, 1.6 + 0.55 * max(n, 2))
    ax = fig.add_subplot()
    y = np.arange(n)
    labels = list(rows["parameter"])
    metric = table.attrs.get("metric", "the metric")
    runs = table.attrs.get("runs")
    note = f" ({runs:,} runs)" if runs else ""
    if method == "morris":
        _morris_bars(ax, rows, y)
        default = f"Morris screening{note}: what moves\n{metric}"
    else:
        _sobol_bars(ax, rows, y)
        default = f"Sobol' indices{note}: what moves\n{metric}"
    ax.set_yticks(y, labels)
    ax.set_title(title or default, loc="left")
    ax.legend(loc="lower right", frameon=False)
    ax.grid(axis="x", color="#DDDDDD", lw=0.6)
    ax.set_axisbelow(True)
    return fig
