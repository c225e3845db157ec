"""The signed alliance graph at the start and the end (:func:`alliances`)."""

from __future__ import annotations

import networkx as nx
import numpy as np
from matplotlib.collections import LineCollection
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from sim.plots.charts.common import STATUS_WORD, opened, projected
from sim.plots.style import (
    ALLY_COLOR,
    ENEMY_COLOR,
    NEUTRAL_COLOR,
    fmt_date,
    new_figure,
    panel_title,
)
from sim.results.rundata import Run
from sim.vocabulary import Status

MAX_NEW_LABELS = 3  # changed ties labelled "new" on the alliance graph, at most
_NEW_BOX = {"boxstyle": "round,pad=0.2", "fc": "white", "ec": "none", "alpha": 0.9}


def circle_order(run: Run) -> list[int]:
    """Actors around the circle with allies next to each other.

    Actors are ordered by their angle in the plane of the two leading
    eigenvectors of the run's mean (symmetrised) affinity matrix, so camps sit
    on arcs of their own; the first actor of the scenario starts at the top.
    """
    h = run.history
    aff = h.affinity[: h.n_rows].mean(axis=0)
    sym = (aff + aff.T) / 2
    np.fill_diagonal(sym, 0.0)
    _, vecs = np.linalg.eigh(sym)
    lead = vecs[:, -2:].copy()
    for j in range(lead.shape[1]):  # a deterministic sign for each vector
        if lead[np.argmax(np.abs(lead[:, j])), j] < 0:
            lead[:, j] *= -1
    angle = np.round(np.arctan2(lead[:, 0], lead[:, 1]), 6)
    order = list(np.argsort(angle, kind="stable"))
    start = order.index(0)
    return [int(i) for i in order[start:] + order[:start]]


def _size_of(fighters: np.ndarray, top: float) -> np.ndarray:
    """Marker area (pt²): √fighters scaled to the largest, never below a floor."""
    lo, hi = 260.0, 4200.0
    return lo + (hi - lo) * np.sqrt(np.maximum(fighters, 0.0) / max(top, 1.0))


def _sym_status(status: np.ndarray, a: int, b: int) -> int:
    s = {int(status[a, b]), int(status[b, a])}
    if Status.ENEMY in s:
        return Status.ENEMY
    return Status.ALLY if s == {Status.ALLY} else Status.NEUTRAL


def _positions(order: list[int]) -> dict[int, np.ndarray]:
    """Actors on a circle in ``order``, the first on top."""
    graph = nx.Graph()
    graph.add_nodes_from(order)
    raw = nx.circular_layout(graph)
    # networkx starts at 3 o'clock; turn a quarter so the first actor is on top
    return {i: np.array([-y, x]) for i, (x, y) in raw.items()}


def _tie_style(kind: int, strength: float) -> tuple[int, tuple, tuple, float]:
    """(zorder, (line style, cap style), RGBA colour, width) of one tie's line.

    Allies: green, thick with strong feelings, on top; enemies: red, lighter
    and thinner, under them; neutral pairs: thin grey dots.
    """
    if kind == Status.NEUTRAL:
        return 2, (":", "butt"), to_rgba(NEUTRAL_COLOR), 1.0
    if kind == Status.ALLY:
        return 2, ("-", "round"), to_rgba(ALLY_COLOR, 0.95), 1.5 + 10.0 * strength
    return 1, ("-", "round"), to_rgba(ENEMY_COLOR, 0.55), 0.8 + 6.0 * strength


def _ties(ax, h, t: int, pos: dict, label_new: set) -> None:
    """One line per pair at row ``t``: allies green, enemies red, neutral dotted.

    The lines go into a few collections instead of a ``Line2D`` each (the
    same pixels for a fraction of the artists): lines of one zorder are
    drawn in the pairs' order, so each consecutive run of one style is one
    collection and where lines cross, the same one lies on top.
    """
    aff, status = h.affinity[t], h.status[t]
    n_act = len(h.actor_keys)
    runs: dict[int, list] = {}  # zorder → [(styles, segments, colours, widths)]
    for a in range(n_act):
        for b in range(a + 1, n_act):
            kind = _sym_status(status, a, b)
            strength = abs(aff[a, b] + aff[b, a]) / 2
            zorder, styles, color, width = _tie_style(kind, strength)
            group = runs.setdefault(zorder, [])
            if not group or group[-1][0] != styles:
                group.append((styles, [], [], []))
            _, segments, colors, widths = group[-1]
            segments.append([pos[a], pos[b]])
            colors.append(color)
            widths.append(width)
            if t and kind != Status.NEUTRAL and (a, b) in label_new:
                _label_new_tie(ax, kind, pos[a], pos[b])
    for zorder, group in runs.items():
        for (linestyle, capstyle), segments, colors, widths in group:
            lines = LineCollection(
                segments,
                colors=colors,
                linewidths=widths,
                linestyles=linestyle,
                capstyle=capstyle,
                zorder=zorder,
            )
            ax.add_collection(lines, autolim=False)


def _label_new_tie(ax, kind: int, start, end) -> None:
    """The words "new: allies" or "new: enemies" on the middle of a changed tie."""
    ax.annotate(
        f"new: {STATUS_WORD[kind]}",
        xy=((start[0] + end[0]) / 2, (start[1] + end[1]) / 2),
        ha="center",
        va="center",
        fontsize=11,
        fontweight="bold",
        color=ALLY_COLOR if kind == Status.ALLY else ENEMY_COLOR,
        bbox=_NEW_BOX,
        zorder=5,
    )


def _actors(ax, run: Run, pos: dict, fighters: np.ndarray, top: float) -> None:
    """The actors as circles in their colours, named with their fighters."""
    keys = run.history.actor_keys
    sizes = _size_of(fighters, top)
    xy = np.array([pos[i] for i in range(len(keys))])
    ax.scatter(
        xy[:, 0],
        xy[:, 1],
        s=sizes,
        c=[run.color(k) for k in keys],
        edgecolors="white",
        linewidths=2.0,
        zorder=3,
    )
    for i, key in enumerate(keys):
        x, y = pos[i]
        r = np.hypot(x, y) or 1.0
        ux, uy = x / r, y / r
        off = np.sqrt(sizes[i]) / 2 + 7
        f = fighters[i]
        count = f"{f:,.0f} fighters" if f >= 1 else "no fighters"
        ax.annotate(
            f"{run.display(key)}\n{count}",
            xy=(x, y),
            xytext=(ux * off, uy * off),
            textcoords="offset points",
            ha="left" if ux > 0.3 else "right" if ux < -0.3 else "center",
            va="bottom" if uy > 0.3 else "top" if uy < -0.3 else "center",
            fontsize=12,
            linespacing=1.2,
            zorder=4,
        )


def _legend(fig: Figure) -> None:
    """What line colour, width and circle size mean, under both panels."""
    lines = [
        Line2D([], [], color=ALLY_COLOR, lw=5, label=STATUS_WORD[Status.ALLY]),
        Line2D([], [], color=ENEMY_COLOR, lw=5, label=STATUS_WORD[Status.ENEMY]),
        Line2D(
            [], [], color=NEUTRAL_COLOR, lw=1, ls=":", label=STATUS_WORD[Status.NEUTRAL]
        ),
        Line2D([], [], color="#555555", lw=1.5, label="thin: weak feelings"),
        Line2D([], [], color="#555555", lw=9, label="thick: strong feelings"),
        Line2D(
            [],
            [],
            ls="",
            marker="o",
            ms=14,
            color="#777777",
            label="circle area ∝ √fighters",
        ),
    ]
    fig.legend(
        handles=lines,
        loc="outside lower center",
        ncols=len(lines),
        frameon=False,
        fontsize=13,
        handlelength=2.6,
        columnspacing=2.0,
    )


@projected
def alliances(run) -> Figure:
    """The signed alliance graph at the start and the end, side by side.

    Both panels use one circular layout (allies next to each other, see
    :func:`circle_order`). Circles are actors in their colours, with area
    growing with the square root of their fighters (a floor keeps states
    without fighters visible); green lines join allies, red ones enemies,
    thin grey dots neutral pairs; line width grows with the pair's mean
    affinity |(A[i,j] + A[j,i]) / 2|.

    Args:
        run: a model, a :class:`~sim.results.rundata.Run` or a run directory.
    """
    run, h, n, _ = opened(run)
    last = n - 1
    pos = _positions(circle_order(run))
    fighters = h.strength[: last + 1].sum(axis=2)
    top = float(fighters[[0, last]].max())
    n_act = len(h.actor_keys)
    new_ties = [
        (a, b)
        for a in range(n_act)
        for b in range(a + 1, n_act)
        if _sym_status(h.status[0], a, b) != _sym_status(h.status[last], a, b)
    ]
    label_new = set(new_ties) if len(new_ties) <= MAX_NEW_LABELS else set()

    fig = new_figure(15.0, 6.9)
    axes = fig.subplots(1, 2)
    for ax, t, when in ((axes[0], 0, "Start"), (axes[1], last, "End")):
        _ties(ax, h, t, pos, label_new)
        _actors(ax, run, pos, fighters[t], top)
        ax.set_xlim(-1.9, 1.9)
        ax.set_ylim(-1.42, 1.38)
        ax.set_aspect("equal")
        ax.axis("off")
        title = f"{when}: {fmt_date(h.dates[t])}"
        if t and new_ties and not label_new:
            title += f" ({len(new_ties)} ties changed)"
        panel_title(ax, title, fontsize=15)
    fig.suptitle(f"Alliances at the start and the end — {run.name}", fontsize=17)
    _legend(fig)
    return fig
