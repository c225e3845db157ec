"""Two runs' relations week by week, one panel above the other.

Used by ``greatgame compare``: every pair of actors whose relation moves,
differs between the runs or is an alliance is a row, each week a cell
coloured by the pair's status (allied, neutral, hostile, or blank where an
actor is missing), A's panel above B's on the same rows and dates, and the
rows that differ at some week marked.
"""

from __future__ import annotations

import matplotlib.dates as mdates
import numpy as np
from matplotlib.colors import ListedColormap
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from sim.plots.style import (
    ALLY_COLOR,
    ENEMY_COLOR,
    NEUTRAL_COLOR,
    date_axis,
    new_figure,
    styled,
)
from sim.results.compare import ABSENT, relation_pairs
from sim.results.rundata import as_run

#: Status word → cell code and colour (``absent``: an actor is not in the run).
CODES = {"enemy": 0, "neutral": 1, "ally": 2, ABSENT: 3}
COLORS = ListedColormap([ENEMY_COLOR, "#DDDDDD", ALLY_COLOR, "#FFFFFF"])
MARK = "◆ "


def _grid(pairs, column: str, rows: list[tuple[str, str]], steps: int) -> np.ndarray:
    """``[rows, steps]`` status codes of ``column`` (``status_A`` or ``status_B``)."""
    cells = np.full((len(rows), steps), CODES[ABSENT])
    index = {pair: k for k, pair in enumerate(rows)}
    for r in pairs.itertuples():
        k = index.get((r.actor_a, r.actor_b))
        if k is not None:
            cells[k, r.step] = CODES[getattr(r, column)]
    return cells


def _rows(pairs) -> tuple[list[tuple[str, str]], set[tuple[str, str]], int]:
    """The pairs worth a row, those differing, and how many constant ones are left out.

    A pair gets a row when its status changes in either run, differs between
    them, or is allied at some week; pairs hostile (or neutral) throughout in
    both runs are only counted, so the rows that tell something stand out.
    """
    rows, differ, constant = [], set(), 0
    for pair, weeks in pairs.groupby(["actor_a", "actor_b"], sort=False):
        a, b = weeks.status_A, weeks.status_B
        moved = a.nunique() > 1 or b.nunique() > 1 or weeks.differs.any()
        if moved or (a == "ally").any() or (b == "ally").any():
            rows.append(pair)
        elif not ((a == ABSENT) & (b == ABSENT)).all():
            constant += 1
        if weeks.differs.any():
            differ.add(pair)
    return rows, differ, constant


def _panel(ax, cells: np.ndarray, dates, labels: list[str], title: str) -> None:
    """One run's grid of statuses: a row a pair, a column a week."""
    x = mdates.date2num(dates)
    edges = np.append(x, x[-1] + (x[-1] - x[-2] if len(x) > 1 else 7))
    if len(labels):
        ax.pcolormesh(
            edges, np.arange(len(labels) + 1), cells, cmap=COLORS, vmin=0, vmax=3
        )
        ax.set_yticks(np.arange(len(labels)) + 0.5, labels)
        ax.invert_yaxis()
    else:
        ax.set_yticks([])
        ax.text(0.5, 0.5, "no pair changes or is allied", ha="center",
                va="center", transform=ax.transAxes)  # fmt: skip
    ax.set_title(title, loc="left", fontsize=13)
    date_axis(ax, dates)


def _legend(fig: Figure) -> None:
    fig.legend(
        handles=[
            Patch(color=ALLY_COLOR, label="allied"),
            Patch(color="#DDDDDD", label="neutral"),
            Patch(color=ENEMY_COLOR, label="hostile"),
            Patch(facecolor="white", edgecolor=NEUTRAL_COLOR, label="actor absent"),
        ],
        loc="outside lower center",
        ncols=4,
        frameon=False,
    )


@styled
def compare_relations(run_a, run_b) -> Figure:
    """Relations week by week in A (top) and B (bottom), differing rows marked.

    Args:
        run_a: the baseline (a model, a run or a run directory).
        run_b: the counterfactual, on the same map and dates.

    Returns:
        The figure: two panels sharing rows and dates, a legend below.
    """
    run_a, run_b = as_run(run_a), as_run(run_b)
    ha, hb = run_a.history, run_b.history
    pairs = relation_pairs(ha, hb)
    rows, differ, constant = _rows(pairs)
    names = dict(zip(ha.actor_keys, ha.actor_names, strict=True))
    names.update(zip(hb.actor_keys, hb.actor_names, strict=True))
    labels = [
        f"{MARK if pair in differ else ''}{names[pair[0]]} – {names[pair[1]]}"
        for pair in rows
    ]
    dates = ha.dates[: ha.n_rows]
    height = 1.2 + 0.4 * max(len(rows), 1)
    fig = new_figure(12.0, 2 * height + 1.2)
    axes = fig.subplots(2, 1, sharex=True)
    for ax, column, run, tag in (
        (axes[0], "status_A", run_a, "A"),
        (axes[1], "status_B", run_b, "B"),
    ):
        cells = _grid(pairs, column, rows, ha.n_rows)
        _panel(ax, cells, dates, labels, f"{tag}: {run.name}")
    axes[0].set_xlabel("")
    if constant:
        axes[1].set_xlabel(
            f"date ({constant} pairs that stay as they are in both runs, "
            "and are not allied, are left out)"
        )
    _legend(fig)
    return fig
