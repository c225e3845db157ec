"""The PRIM figure: the peeling trajectory, and the chosen box against the priors."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
from matplotlib.figure import Figure

from sim.experiments.discovery.prim import Prim


def plot_prim(
    found: Prim, title: str | None = None, log_scale: Iterable[str] = ()
) -> Figure:
    """Two panels: coverage against density along the peeling, and the box.

    Left: each box of the peeling trajectory as a point (colour: how many
    parameters it restricts), the chosen box ringed. Right: for each
    parameter the chosen box restricts, its range in the box (dark) over the
    whole prior range (light), both scaled to the prior range.

    Args:
        found: a :class:`Prim` (a box chosen with :meth:`Prim.choose`, or the
            last box of the trajectory).
        title: the figure's title.
        log_scale: parameters whose prior is log-uniform: their ranges are
            scaled in logs, so a bar's share is a share of the prior's mass.

    Returns:
        A matplotlib Figure.
    """
    from sim.plots.style import new_figure, styled

    return styled(_draw)(found, title, set(log_scale), new_figure)


def _trajectory(ax, found: Prim, chosen: int) -> None:
    """Coverage vs density per box, coloured by restricted parameters."""
    t = found.trajectory
    peeled = t.iloc[: len(t) - (1 if found.chosen >= 0 else 0)]
    points = ax.scatter(
        peeled["coverage"],
        peeled["density"],
        c=peeled["restricted"],
        cmap="viridis",
        s=22,
        zorder=3,
    )
    ax.figure.colorbar(points, ax=ax, label="parameters restricted")
    box = t.iloc[chosen]
    ax.scatter(
        [box["coverage"]],
        [box["density"]],
        s=160,
        facecolors="none",
        edgecolors="#CC3311",
        linewidths=2,
        zorder=4,
        label="chosen box",
    )
    ax.set_xlabel("coverage (share of the cases in the box)")
    ax.set_ylabel("density (share of the box that are cases)")
    ax.set_xlim(0, 1.02)
    ax.set_ylim(0, 1.02)
    ax.legend(loc="lower left", frameon=False)
    ax.grid(color="#DDDDDD", lw=0.6)


def _shares(table, log_scale: set[str]) -> tuple[np.ndarray, np.ndarray]:
    """The box's bounds as shares of each prior range (in logs where log)."""
    los, his = [], []
    for row in table.itertuples():
        f = np.log if row.parameter in log_scale else (lambda v: v)
        span = f(row.prior_high) - f(row.prior_low)
        los.append((f(row.low) - f(row.prior_low)) / span)
        his.append((f(row.high) - f(row.prior_low)) / span)
    return np.asarray(los, dtype=float), np.asarray(his, dtype=float)


def _ranges(ax, found: Prim, chosen: int, log_scale: set[str]) -> None:
    """The chosen box's range per restricted parameter, over its prior range."""
    table = found.box(chosen)
    y = np.arange(len(table))
    lo, hi = _shares(table, log_scale)
    lo, hi = np.clip(lo, 0, 1), np.clip(hi, 0, 1)
    ax.barh(y, np.ones(len(y)), color="#DDDDDD", label="prior range")
    ax.barh(y, hi - lo, left=lo, color="#4477AA", label="the box")
    for i, row in enumerate(table.itertuples()):
        ax.text(1.02, i, f"{row.low:.3g} – {row.high:.3g}", va="center", fontsize=8)
    ax.set_yticks(y, list(table["parameter"]))
    ax.set_xlim(0, 1.35)
    ax.set_xlabel("share of the prior range (in logs for log-scale priors)")
    ax.legend(loc="upper right", frameon=False, fontsize=8)


def _draw(found: Prim, title: str | None, log_scale: set[str], new_figure) -> Figure:
    """Draw both panels on a new styled figure."""
    chosen = found.chosen if found.chosen >= 0 else len(found.boxes) - 1
    n = max(len(found.restricted(found.boxes[chosen])), 2)
    fig = new_figure(13.0, 2.5 + 0.45 * n)
    left, right = fig.subplots(1, 2, width_ratios=[1, 1.3])
    _trajectory(left, found, chosen)
    _ranges(right, found, chosen, log_scale)
    s = found.stats(found.boxes[chosen])
    right.set_title(
        f"coverage {s['coverage']:.2f}, density {s['density']:.2f}, "
        f"{s['mass']:.0%} of the runs",
        loc="left",
        fontsize=10,
    )
    fig.suptitle(title or "Scenario discovery (PRIM)", x=0.01, ha="left")
    return fig
