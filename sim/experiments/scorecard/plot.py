"""The scorecard as a figure: every fact on one axis, scaled to its accepted range.

Facts of very different sizes (fighters, shares, differences) share one
axis because each is drawn relative to its own range: 0 is the low bound,
1 the high bound. matplotlib is imported only when a figure is drawn, so
importing the scorecard stays cheap for workers and the command line.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from .score import score_headline
from .table import group_of, model_text, ordered

_LEFT, _RIGHT = -1.0, 2.0


def _draw_not_measured(ax: Any, y: int) -> None:
    from sim.plots.style import NEUTRAL_COLOR

    ax.text(
        0.5,
        y,
        "not measured",
        ha="center",
        va="center",
        color=NEUTRAL_COLOR,
        fontsize=11,
        style="italic",
    )


def _draw_measured(ax: Any, row: pd.Series, y: int) -> None:
    """The model's 10–90% bar and its dot, scaled to the fact's accepted range."""
    from sim.plots.style import ALLY_COLOR, ENEMY_COLOR

    lo, hi = float(row["lo"]), float(row["hi"])
    span = hi - lo if hi > lo else (abs(lo) or 1.0)
    base = lo if hi > lo else lo - span / 2

    def scale(x, base=base, span=span):
        return (float(x) - base) / span

    colour = ALLY_COLOR if row["status"] == "pass" else ENEMY_COLOR
    alpha = 0.45 if row["class"] == "input" else 1.0
    a, b = sorted((scale(row["p10"]), scale(row["p90"])))
    ax.plot(
        [max(a, _LEFT), min(b, _RIGHT)],
        [y, y],
        color=colour,
        lw=7,
        alpha=0.55 * alpha,
        solid_capstyle="butt",
        zorder=2,
    )
    m = scale(row["model"])
    marker = "<" if m < _LEFT else ">" if m > _RIGHT else "o"
    ax.plot(
        [min(max(m, _LEFT), _RIGHT)],
        [y],
        marker=marker,
        ms=11,
        color=colour,
        mec="white",
        alpha=alpha,
        zorder=3,
    )


def _draw_facts(ax: Any, rows: pd.DataFrame) -> tuple[list[str], list[str]]:
    """Draw every fact's row; its labels (left) and notes (right), top down."""
    n = len(rows)
    labels, notes = [], []
    for i, row in rows.iterrows():
        y = n - 1 - i
        tag = {"input": " (input)", "calibration": " (calibration)"}.get(
            row["class"], ""
        )
        labels.append(f"{row['id']}{tag}")
        if row["status"] == "n/a":
            notes.append("n/a")
            _draw_not_measured(ax, y)
            continue
        _draw_measured(ax, row, y)
        notes.append(f"{model_text(row, spread=False)} · {row['accepted']}")
    return labels, notes


def _draw_group_rules(ax: Any, rows: pd.DataFrame) -> None:
    """A dotted line between groups (validation, calibration, inputs, n/a)."""
    n = len(rows)
    groups = [
        group_of(k, st) for k, st in zip(rows["class"], rows["status"], strict=True)
    ]
    for i in range(1, n):
        if groups[i] != groups[i - 1]:
            ax.axhline(n - i - 0.5, color="#888888", lw=0.8, ls=":")


def _label_axes(ax: Any, labels: list[str], notes: list[str]) -> None:
    """Fact ids on the left, model values and accepted ranges on the right."""
    n = len(labels)
    ax.set_yticks(range(n - 1, -1, -1), labels)
    ax.set_ylim(-0.7, n - 0.3)
    ax.set_xlim(_LEFT, _RIGHT)
    ax.set_xticks([-1, 0, 0.5, 1, 2], ["", "low bound", "", "high bound", ""])
    ax.set_xlabel("position in the accepted range (each fact scaled to its own)")
    twin = ax.twinx()
    twin.set_ylim(ax.get_ylim())
    twin.set_yticks(range(n - 1, -1, -1), notes)
    twin.tick_params(length=0)
    for spine in ("top", "right"):
        twin.spines[spine].set_visible(False)


def _legend_handles() -> list:
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    from sim.plots.style import ALLY_COLOR, ENEMY_COLOR

    def bar(colour: str, label: str) -> Line2D:
        return Line2D([], [], color=colour, lw=7, alpha=0.55, label=label)

    return [
        Patch(color="#DDDDDD", label="accepted range"),
        bar(ALLY_COLOR, "model 10–90% (pass)"),
        bar(ENEMY_COLOR, "model 10–90% (fail)"),
        Line2D(
            [], [], marker="o", ls="", color="#555555", ms=10, label="median / share"
        ),
    ]


def plot_scorecard(df: pd.DataFrame, title: str | None = None):
    """One row per fact on one axis, each scaled to its own accepted range.

    The grey band is the accepted range (0 = its low bound, 1 = its high
    bound); the bar is the model's 10–90% range over seeds (for a share of
    seeds, its 80% Wilson interval; for a counterfactual, the spread of the
    paired differences); the dot is the median (or share, or mean
    difference). Green passes, red fails; inputs are drawn lighter, n/a
    facts are listed without marks. Values beyond the axis are clipped to
    its edge, with an arrow.
    """
    from sim.plots.style import new_figure, styled

    rows = ordered(df).reset_index(drop=True)
    n = len(rows)

    @styled
    def draw():
        fig = new_figure(12.0, 1.6 + 0.42 * max(n, 1))
        ax = fig.add_subplot()
        ax.axvspan(0, 1, color="#DDDDDD", zorder=0)
        for x in (0, 1):
            ax.axvline(x, color="#888888", lw=1, zorder=1)
        labels, notes = _draw_facts(ax, rows)
        _draw_group_rules(ax, rows)
        _label_axes(ax, labels, notes)
        ax.set_title(title or f"Scorecard: {score_headline(rows)} pass", loc="left")
        fig.legend(
            handles=_legend_handles(),
            loc="outside lower center",
            ncol=4,
            frameon=False,
        )
        return fig

    return draw()
