"""Two runs' maps side by side, the provinces whose holder differs outlined.

Used by ``greatgame compare``: a baseline (A) and a counterfactual (B) run
with the same seed, drawn at the same week on the same shapes, so the eye
goes to the provinces outlined in black.
"""

from __future__ import annotations

import os

import numpy as np
from matplotlib.collections import PathCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from sim.plots.geometry import shapes_for
from sim.plots.mapping.figures import prepare
from sim.plots.mapping.legends import holders_legend, stack_legends
from sim.plots.mapping.supply import SUPPLY_WEEKS, Supply
from sim.plots.mapping.view import MapView, row_of
from sim.plots.style import fmt_date, new_figure, styled
from sim.results.rundata import Run, as_run

#: The outline of a province whose holder differs between the two runs.
DIFFERS_COLOR = "#000000"
DIFFERS_WIDTH = 2.6


def holders_differ(run_a: Run, run_b: Run, t: int) -> np.ndarray:
    """``[P]`` whether a province's holder at row ``t`` differs between the runs.

    Holders are compared by actor key, so two runs with different actor
    lists (a counterfactual that removes one) still pair up.
    """
    ha, hb = run_a.history, run_b.history

    def keys(h):
        """Each province's holder at row ``t`` as an actor key ('' contested)."""
        return np.array(
            ["" if c < 0 else h.actor_keys[c] for c in h.controller[t].astype(int)]
        )

    return keys(ha) != keys(hb)


def _outline(ax, view: MapView, differs: np.ndarray) -> None:
    ax.add_collection(
        PathCollection(
            [p for p, d in zip(view.paths, differs, strict=True) if d],
            facecolors="none",
            edgecolors=DIFFERS_COLOR,
            linewidths=DIFFERS_WIDTH,
            zorder=5,
        )
    )


def _legend(run_a: Run, run_b: Run):
    """One "held by" legend for both runs, and the outline's meaning."""
    title, held_a, _ = holders_legend(run_a)
    _, held_b, _ = holders_legend(run_b)
    seen = {h.get_label() for h in held_a}
    handles = held_a[:-1] + [h for h in held_b[:-1] if h.get_label() not in seen]
    handles += [
        held_a[-1],  # the contested hatch
        Line2D(
            [], [], color=DIFFERS_COLOR, linewidth=DIFFERS_WIDTH, label="holder differs"
        ),
    ]
    return title, handles, [h.get_label() for h in handles]


@styled
def compare_map(
    run_a, run_b, geometry: str | os.PathLike[str] | None = None, step: int = -1
) -> Figure:
    """The maps of A and B at one week, the provinces held differently outlined.

    Args:
        run_a: the baseline (a model, a run or a run directory).
        run_b: the counterfactual, on the same map and dates.
        geometry: a GeoJSON of province shapes (default: A's, else the shipped).
        step: the row to draw in both (``-1``: the end).

    Returns:
        The figure: A on the left, B on the right, one legend below.
    """
    run_a, run_b = as_run(run_a), as_run(run_b)
    shapes = shapes_for(run_a, geometry)
    t = row_of(run_a, step)
    differs = holders_differ(run_a, run_b, t)
    fig = new_figure(13.0, 6.6)
    grid = fig.add_gridspec(2, 2, height_ratios=(4.0, 1.0))
    date = run_a.history.dates[t]
    fig.suptitle(
        f"Who holds each province, {fmt_date(date)} (week {t}): "
        f"{int(differs.sum())} differ{'s' if differs.sum() == 1 else ''}",
        fontsize=16,
        fontweight="bold",
    )
    for j, (run, tag) in enumerate(((run_a, "A"), (run_b, "B"))):
        ax = fig.add_subplot(grid[0, j])
        view = MapView(ax, run, shapes, Supply.of(run, SUPPLY_WEEKS, factor=0.6), 8)
        view.update(t)
        _outline(ax, view, differs)
        ax.set_title(f"{tag}: {run.name}", fontsize=13, wrap=True)
    legend_ax = fig.add_subplot(grid[1, :])
    renderer = prepare(fig)
    sections = [_legend(run_a, run_b)]
    stack_legends(legend_ax, sections, renderer, 10.5, horizontal=True)
    return fig
