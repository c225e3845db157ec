"""Charts of a run over time: control, alliances, relations and supply.

Each function takes a finished model, a :class:`sim.results.rundata.Run` or a run
directory and returns a matplotlib ``Figure`` drawn on explicit axes (no
pyplot state), in the project's style (:mod:`sim.plots.style`):

- :func:`control`: provinces and population under each controller, stacked,
  with the scenario's events and alliance changes marked and numbered;
- :func:`alliances`: the signed alliance graph at the start and the end,
  on one layout so the two panels compare;
- :func:`relations`: affinity over time of the pairs that changed status,
  the ally and enemy zones shaded and each change labelled with its
  leading explanation;
- :func:`supply`: aid sent per patron–client pair and week, split into
  delivered and interdicted, plus any budget left unspent.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import defaultdict

import matplotlib
import networkx as nx
import numpy as np
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from sim.plots.style import (
    ALLY_COLOR,
    CONTESTED_COLOR,
    ENEMY_COLOR,
    NEUTRAL_COLOR,
    date_axis,
    fmt_date,
    new_figure,
    styled,
)
from sim.processes.relations import ALLY, ENEMY, NEUTRAL
from sim.results.rundata import Run, as_run
from sim.world.geography import load_geography

__all__ = ["alliances", "control", "relations", "supply"]

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
INTERDICTED_COLOR = "#3A3A3A"
MAX_EVENTS = 12  # numbered events in a key, at most
MAX_PAIRS = 6  # relations drawn, at most
MAX_NEW_LABELS = 3  # changed ties labelled "new" on the alliance graph, at most
DIRECT_NOTES = 4  # status changes labelled beside the line; more get a key
KEY_ROWS_ONE_COLUMN = 9
MAX_NOTES = 8  # numbered status changes in the relations key, at most
_STATUS_WORD = {ALLY: "allies", NEUTRAL: "neutral", ENEMY: "enemies"}
_BECOME = {ALLY: "become allies", NEUTRAL: "turn neutral", ENEMY: "become enemies"}
# On top of the shared style: tick labels and legends a back row can read.
PROJECTED = {
    "xtick.labelsize": 12,
    "ytick.labelsize": 12,
    "axes.labelsize": 13,
    "legend.fontsize": 12,
}


def _projected(func):
    """Decorator: draw inside the shared style with the larger text above."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        with matplotlib.rc_context(PROJECTED):
            return func(*args, **kwargs)

    return styled(wrapper)


def _rows(run: Run) -> int:
    return run.history.n_rows


def _dates(run: Run) -> list[dt.date]:
    return list(run.history.dates[: _rows(run)])


def _per_step(run: Run) -> str:
    d = _dates(run)
    days = (d[1] - d[0]).days if len(d) > 1 else 7
    return "week" if days == 7 else f"{days}-day step"


def _pair_name(run: Run, a: str, b: str) -> str:
    return f"{run.display(a)} – {run.display(b)}"


def _amount(x: float) -> str:
    """Aid units for a title: 6,240 / 1.5 / 0.06."""
    if x >= 100:
        return f"{x:,.0f}"
    return f"{x:.1f}" if x >= 1 else f"{x:.2g}"


def _short(text: str, width: int) -> str:
    """``text`` cut at a word to at most ``width`` characters, with "…"."""
    if len(text) <= width:
        return text
    cut = text[: width - 1].rsplit(" ", 1)[0].rstrip(" ,;:—–-")
    return cut + "…"


# --------------------------------------------------------------------- control
def _unlabelled(run: Run, e: dict) -> str:
    """A short label for a scenario event that has none."""
    kind = e["type"]
    if kind == "set":
        return f"{e.get('path')} set to {e.get('value')}"
    who = run.display(e["actor"]) if e.get("actor") in run.colors else "an actor"
    return {"shock": f"shock to {who}", "splinter": f"{who} splits"}.get(
        kind, f"{who} sends aid"
    )


def _turning_points(run: Run) -> list[tuple[dt.date, str]]:
    """Scenario events and alliance changes, as (date, short label), by date."""
    out = []
    for e in run.history.events:
        kind = e["type"]
        date = dt.date.fromisoformat(e["date"])
        if kind in ("set", "shock", "splinter", "aid"):
            label = e.get("label") or _unlabelled(run, e)
        elif kind == "alliance":
            label = f"{_pair_name(run, e['a'], e['b'])} become allies"
        elif kind == "relation" and e.get("old") == "ally":
            label = f"{_pair_name(run, e['a'], e['b'])} alliance ends ({e['new']})"
        else:
            continue
        out.append((date, label))
    return sorted(out, key=lambda x: x[0])


def _stack_order(run: Run, ever: list[int]) -> tuple[list[int], list[int]]:
    """Controllers below and above the contested band.

    The largest holder at the start and its allies go below, everyone else
    above, so the grey band in between reads as a front line.
    """
    h = run.history
    held0 = np.bincount(h.controller[0][h.controller[0] >= 0], minlength=len(ever))
    big = int(np.argmax(held0)) if held0.any() else ever[0]
    below = [i for i in ever if i == big or h.status[0, big, i] == ALLY]
    above = [i for i in ever if i not in below]
    return below, above


@_projected
def control(run) -> Figure:
    """Provinces and population under each controller over time.

    Two stacked-area panels share the time axis: provinces held (of the
    map's provinces) and people living under each controller (millions, CSO
    2015–16 estimates). Contested ground is grey, between the side that held
    most at the start (with its allies) and everyone else. Scenario events
    and alliance changes are dashed lines numbered at the top, with a key
    below.

    Args:
        run: a model, a :class:`~sim.results.rundata.Run` or a run directory.
    """
    run = as_run(run)
    h = run.history
    n = _rows(run)
    dates = _dates(run)
    ctrl = h.controller[:n]
    n_prov = ctrl.shape[1]
    geo = load_geography()
    pop = np.array([geo.population[geo.index[p]] for p in h.province_names]) / 1e6

    ever = [i for i in range(len(h.actor_keys)) if (ctrl == i).any()]
    below, above = _stack_order(run, ever) if ever else ([], [])
    layers = [*below, -1, *above]
    counts = [(ctrl == i).sum(axis=1) for i in layers]
    people = [((ctrl == i) * pop).sum(axis=1) for i in layers]
    colors = [CONTESTED_COLOR if i < 0 else run.color(h.actor_keys[i]) for i in layers]
    names = ["contested" if i < 0 else run.display(h.actor_keys[i]) for i in layers]

    events = _turning_points(run)
    more = max(0, len(events) - MAX_EVENTS)
    events = events[:MAX_EVENTS]
    key_h = _key_height(len(events) + (more > 0))

    fig = new_figure(12.0, 8.0 + key_h)
    top = fig
    if events:  # the key is a subfigure of its own: full width, under the legend
        top, bottom = fig.subfigures(2, 1, height_ratios=[8.0, key_h])
    ax_p, ax_q = top.subplots(2, 1, sharex=True)
    for ax, data, total, label in (
        (ax_p, counts, n_prov, f"provinces (of {n_prov})"),
        (ax_q, people, pop.sum(), "people (millions)"),
    ):
        ax.stackplot(
            dates,
            *data,
            colors=colors,
            labels=names,
            step="post",
            edgecolor="white",
            linewidth=0.6,
        )
        ax.set_ylim(0, total)
        ax.set_ylabel(label)
        ax.margins(x=0)
        date_axis(ax, dates)
    ax_p.set_title("Provinces held", loc="left", fontsize=13)
    ax_q.set_title(
        "People living under each controller (CSO 2015–16 population)",
        loc="left",
        fontsize=13,
    )
    ax_p.tick_params(labelbottom=False)
    ax_p.set_xlabel("")
    fig.suptitle(f"Who controls Afghanistan — {run.name}", fontsize=17)

    span = (dates[-1] - dates[0]).days or 1
    last_x, level = None, 0
    for k, (date, _) in enumerate(events, start=1):
        for ax in (ax_p, ax_q):
            ax.axvline(date, color="#222222", lw=1.2, ls="--", alpha=0.7)
        close = last_x is not None and (date - last_x).days < 0.035 * span
        level = level + 1 if close else 0
        last_x = date
        ax_p.annotate(
            str(k),
            xy=(date, 1.0),
            xycoords=("data", "axes fraction"),
            xytext=(0, -13 - 22 * level),
            textcoords="offset points",
            ha="center",
            va="center",
            fontsize=11,
            fontweight="bold",
            bbox={"boxstyle": "circle,pad=0.25", "fc": "white", "ec": "#222222"},
        )

    if events:
        lines = [f"{k}.  {fmt_date(d)}: {t}" for k, (d, t) in enumerate(events, 1)]
        _draw_key(bottom.subplots(), lines, more, width=62)
    handles = [Patch(fc=c, ec="white") for c in colors][::-1]
    top.legend(
        handles,
        names[::-1],
        loc="outside right upper",
        title="held by",
        frameon=False,
        fontsize=12,
        title_fontsize=12,
    )
    return fig


# ------------------------------------------------------------------- alliances
def _circle_order(run: Run) -> list[int]:
    """Actors around the circle with allies next to each other.

    Actors are ordered by their angle in the plane of the two leading
    eigenvectors of the run's mean (symmetrised) affinity matrix, so camps sit
    on arcs of their own; the first actor of the scenario starts at the top.
    """
    h = run.history
    aff = h.affinity[: _rows(run)].mean(axis=0)
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
    if ENEMY in s:
        return ENEMY
    return ALLY if s == {ALLY} else NEUTRAL


@_projected
def alliances(run) -> Figure:
    """The signed alliance graph at the start and the end, side by side.

    Both panels use one circular layout (allies next to each other, see
    :func:`_circle_order`). Circles are actors in their colours, with area
    growing with the square root of their fighters (a floor keeps states
    without fighters visible); green lines join allies, red ones enemies,
    thin grey dots neutral pairs; line width grows with the pair's mean
    affinity |(A[i,j] + A[j,i]) / 2|.

    Args:
        run: a model, a :class:`~sim.results.rundata.Run` or a run directory.
    """
    run = as_run(run)
    h = run.history
    last = _rows(run) - 1
    keys = h.actor_keys
    order = _circle_order(run)
    graph = nx.Graph()
    graph.add_nodes_from(order)
    raw = nx.circular_layout(graph)
    # networkx starts at 3 o'clock; turn a quarter so the first actor is on top
    pos = {i: np.array([-y, x]) for i, (x, y) in raw.items()}
    fighters = h.strength[: last + 1].sum(axis=2)
    top = float(fighters[[0, last]].max())

    n_act = len(keys)
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
        aff = h.affinity[t]
        status = h.status[t]
        for a in range(len(keys)):
            for b in range(a + 1, len(keys)):
                kind = _sym_status(status, a, b)
                strength = abs(aff[a, b] + aff[b, a]) / 2
                (xa, ya), (xb, yb) = pos[a], pos[b]
                if kind == NEUTRAL:
                    ax.plot([xa, xb], [ya, yb], color=NEUTRAL_COLOR, lw=1.0, ls=":")
                    continue
                ally = kind == ALLY
                ax.plot(
                    [xa, xb],
                    [ya, yb],
                    color=ALLY_COLOR if ally else ENEMY_COLOR,
                    lw=(1.5 + 10.0 * strength) if ally else (0.8 + 6.0 * strength),
                    alpha=0.95 if ally else 0.55,
                    solid_capstyle="round",
                    zorder=2 if ally else 1,
                )
                if t and (a, b) in label_new:
                    ax.annotate(
                        f"new: {_STATUS_WORD[kind]}",
                        xy=((xa + xb) / 2, (ya + yb) / 2),
                        ha="center",
                        va="center",
                        fontsize=11,
                        fontweight="bold",
                        color=ALLY_COLOR if ally else ENEMY_COLOR,
                        bbox={
                            "boxstyle": "round,pad=0.2",
                            "fc": "white",
                            "ec": "none",
                            "alpha": 0.9,
                        },
                        zorder=5,
                    )
        sizes = _size_of(fighters[t], top)
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
            f = fighters[t, i]
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
        ax.set_xlim(-1.9, 1.9)
        ax.set_ylim(-1.42, 1.38)
        ax.set_aspect("equal")
        ax.axis("off")
        title = f"{when}: {fmt_date(h.dates[t])}"
        if t and new_ties and not label_new:
            title += f" ({len(new_ties)} ties changed)"
        ax.set_title(title, fontsize=15)
    fig.suptitle(f"Alliances at the start and the end — {run.name}", fontsize=17)

    lines = [
        Line2D([], [], color=ALLY_COLOR, lw=5, label="allies"),
        Line2D([], [], color=ENEMY_COLOR, lw=5, label="enemies"),
        Line2D([], [], color=NEUTRAL_COLOR, lw=1, ls=":", label="neutral"),
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
    return fig


# ------------------------------------------------------------------- relations
def _changed_pairs(run: Run) -> list[tuple[int, int]]:
    h = run.history
    s = h.status[: _rows(run)]
    n = s.shape[1]
    moved = (s[1:] != s[:-1]).any(axis=0) if len(s) > 1 else np.zeros((n, n), bool)
    return [(a, b) for a in range(n) for b in range(a + 1, n) if moved[a, b]]


def _mean_span(run: Run) -> np.ndarray:
    """How far each pair's mean affinity ranged over the run, ``[N, N]``."""
    aff = run.history.affinity[: _rows(run)]
    mean = (aff + aff.transpose(0, 2, 1)) / 2
    return mean.max(axis=0) - mean.min(axis=0)


def _key_pairs(run: Run, pairs: list[tuple[int, int]], k: int) -> list:
    """At most ``k`` pairs: those ever allied first, then the most moved."""
    if len(pairs) <= k:
        return pairs
    s = run.history.status[: _rows(run)]
    span = _mean_span(run)
    ranked = sorted(pairs, key=lambda p: (not (s[:, *p] == ALLY).any(), -span[p], p))
    return sorted(ranked[:k])


def _status_changes(run: Run, a: int, b: int) -> list[tuple[int, int, str]]:
    """(step, new status, leading explanation) of each change of the pair."""
    h = run.history
    s = h.status[: _rows(run), a, b]
    ka, kb = h.actor_keys[a], h.actor_keys[b]
    why = {}
    for e in h.events:
        if e["type"] in ("alliance", "relation") and {e["a"], e["b"]} == {ka, kb}:
            terms = e.get("why") or []
            why[int(e["step"])] = terms[0][0] if terms else ""
    out = []
    for t in np.flatnonzero(s[1:] != s[:-1]) + 1:
        out.append((int(t), int(s[t]), why.get(int(t), "")))
    return out


def _draw_key(ax, lines: list[str], more: int, width: int) -> None:
    """A numbered key as text in an axes of its own (one or two columns)."""
    ax.axis("off")
    if more:
        lines = [*lines, f"… and {more} more (see the chronicle)"]
    if len(lines) <= KEY_ROWS_ONE_COLUMN:
        cols = [[_short(x, 2 * width) for x in lines]]
    else:
        half = (len(lines) + 1) // 2
        cols = [
            [_short(x, width) for x in part] for part in (lines[:half], lines[half:])
        ]
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


def _key_height(n_lines: int) -> float:
    """Inches the numbered key needs."""
    if not n_lines:
        return 0.01
    rows = n_lines if n_lines <= KEY_ROWS_ONE_COLUMN else (n_lines + 1) // 2
    return 0.27 * rows + 0.1


@_projected
def relations(run) -> Figure:
    """Affinity over time for the pairs that changed status.

    Each pair is one line, the mean of the two sides' affinities, inside a
    band spanning the two sides' views; the pair is allied while the whole
    band is in the green zone (both above the ally threshold) and hostile
    while any of it is in the red zone (either below the enemy threshold).
    Each status change is marked with its leading explanation: written
    beside the point when there are few, numbered with a key below when
    there are many. At most six pairs are drawn (those ever allied first,
    then those that moved most). If no pair changed status, the pairs whose
    affinity moved most are shown and the title says so.

    Args:
        run: a model, a :class:`~sim.results.rundata.Run` or a run directory.
    """
    run = as_run(run)
    h = run.history
    n = _rows(run)
    dates = _dates(run)
    changed = _changed_pairs(run)
    if changed:
        pairs = _key_pairs(run, changed, MAX_PAIRS)
        title = "Relations that changed status"
        if len(pairs) < len(changed):
            title = (
                f"{len(pairs)} of the {len(changed)} relations that changed status "
                "(alliances first, then those that moved most)"
            )
    else:
        span = _mean_span(run)
        everyone = [(a, b) for a in range(len(span)) for b in range(a + 1, len(span))]
        everyone.sort(key=lambda p: (-span[p], p))
        pairs = sorted(everyone[:3])
        title = (
            f"No pair changed status; the {len(pairs)} that moved most"
            if span.max() > 1e-9
            else "No relation moved at all in this run; three pairs for reference"
        )

    notes = []  # (step, mean affinity, colour, date, pair, new status, why)
    for k, (a, b) in enumerate(pairs):
        mean = (h.affinity[:n, a, b] + h.affinity[:n, b, a]) / 2
        name = _pair_name(run, h.actor_keys[a], h.actor_keys[b])
        for t, new, why in _status_changes(run, a, b):
            notes.append((t, float(mean[t]), PAIR_COLORS[k % 8], name, new, why))
    notes.sort(key=lambda x: (x[0], x[3]))
    direct = len(notes) <= DIRECT_NOTES
    shown = notes if direct else notes[:MAX_NOTES]
    key_h = 0.0 if direct else _key_height(len(shown) + (len(notes) > len(shown)))
    legend_h = 0.3 * -(-(len(pairs) + 1) // 3) + 0.1

    fig = new_figure(13.0, 7.4 + legend_h + key_h)
    if direct:
        ax, ax_leg = fig.subplots(2, 1, height_ratios=[6.0, legend_h])
    else:
        ax, ax_leg, ax_key = fig.subplots(3, 1, height_ratios=[6.0, legend_h, key_h])
    hi, lo = run.ally_threshold, run.enemy_threshold
    ax.axhspan(hi, 1.05, color=ALLY_COLOR, alpha=0.13, lw=0)
    ax.axhspan(-1.05, lo, color=ENEMY_COLOR, alpha=0.13, lw=0)
    ax.axhline(hi, color=ALLY_COLOR, lw=1.2)
    ax.axhline(lo, color=ENEMY_COLOR, lw=1.2)
    ax.axhline(0, color="#888888", lw=0.8)
    for y, text, color in (
        ((hi + 1.05) / 2, f"ally zone (both above {hi:+.2f})", ALLY_COLOR),
        ((lo - 1.05) / 2, f"enemy zone (either below {lo:+.2f})", ENEMY_COLOR),
    ):
        ax.text(
            0.005,
            y,
            text,
            transform=ax.get_yaxis_transform(),
            color=color,
            fontsize=12,
            fontweight="bold",
            va="center",
            bbox={"fc": "white", "ec": "none", "alpha": 0.6, "pad": 1.5},
            zorder=4,
        )

    for k, (a, b) in enumerate(pairs):
        color = PAIR_COLORS[k % len(PAIR_COLORS)]
        ab = h.affinity[:n, a, b]
        ba = h.affinity[:n, b, a]
        mean = (ab + ba) / 2
        ax.fill_between(
            dates, np.minimum(ab, ba), np.maximum(ab, ba), color=color, alpha=0.22, lw=0
        )
        ax.plot(
            dates,
            mean,
            color=color,
            lw=2.6,
            label=_pair_name(run, h.actor_keys[a], h.actor_keys[b]),
        )
    for t, y, color, *_ in notes:
        ax.plot(dates[t], y, "o", ms=9, mfc="white", mec=color, mew=2.5, zorder=5)

    if direct:
        _place_notes(
            ax,
            dates,
            [
                (t, y, _note_text(dates[t], new, why), color)
                for t, y, color, _, new, why in notes
            ],
        )
    else:
        for k, (t, y, color, *_) in enumerate(shown, start=1):
            ax.annotate(
                str(k),
                xy=(dates[t], y),
                xytext=(0, 14 if k % 2 else -14),
                textcoords="offset points",
                ha="center",
                va="center",
                fontsize=11,
                fontweight="bold",
                color=color,
                bbox={"boxstyle": "circle,pad=0.2", "fc": "white", "ec": color},
                zorder=6,
            )
        lines = [
            f"{k}.  {fmt_date(dates[t])}: {name} {_BECOME[new]}"
            + (f" — {why}" if why else "")
            for k, (t, _, _, name, new, why) in enumerate(shown, start=1)
        ]
        _draw_key(ax_key, lines, len(notes) - len(shown), width=60)

    ax.set_ylim(-1.05, 1.05)
    ax.set_ylabel("affinity (−1 hostile … +1 friendly)")
    date_axis(ax, dates)
    ax.set_title(title, loc="left", fontsize=14, fontweight="normal")
    fig.suptitle(f"How the key relations moved — {run.name}", fontsize=17)
    band = Patch(fc="#777777", alpha=0.3, label="band: each side's own view")
    handles, _ = ax.get_legend_handles_labels()
    ax_leg.axis("off")
    ax_leg.legend(
        handles=[*handles, band],
        loc="center",
        ncols=3,
        frameon=False,
        fontsize=12,
    )
    return fig


def _note_text(date: dt.date, new: int, why: str) -> str:
    text = f"{fmt_date(date)} {_STATUS_WORD[new]}"
    return f"{text}:\n{_short(why, 40)}" if why else text


def _place_notes(ax, dates, notes) -> None:
    """Label each status change, alternating above and below, never off the axes."""
    span = (dates[-1] - dates[0]).days or 1
    notes = sorted(notes, key=lambda x: x[0])
    for k, (t, y, text, color) in enumerate(notes):
        frac = (dates[t] - dates[0]).days / span
        up = y < 0.45 if k % 2 == 0 else y < -0.45
        dy = 58 if up else -58
        dx = -30 if frac > 0.7 else 30
        ax.annotate(
            text,
            xy=(dates[t], y),
            xytext=(dx, dy),
            textcoords="offset points",
            ha="right" if dx < 0 else "left",
            va="bottom" if up else "top",
            fontsize=12,
            color="#111111",
            bbox={"boxstyle": "round,pad=0.3", "fc": "white", "ec": color, "lw": 1.5},
            arrowprops={"arrowstyle": "-", "color": color, "lw": 1.5},
            zorder=6,
        )


# ---------------------------------------------------------------------- supply
def _flow_series(run: Run) -> dict[tuple[str, str], tuple[np.ndarray, np.ndarray]]:
    """(patron, client) → (sent, delivered) per row in aid units, biggest first."""
    n = _rows(run)
    acc: dict[tuple[str, str], list[np.ndarray]] = defaultdict(
        lambda: [np.zeros(n), np.zeros(n)]
    )
    for f in run.history.flows:
        if f.step < n:
            sent, got = acc[(f.patron, f.client)]
            sent[f.step] += f.sent / 1e6
            got[f.step] += f.delivered / 1e6
    items = sorted(acc.items(), key=lambda kv: (-kv[1][0].sum(), kv[0]))
    return {k: (v[0], v[1]) for k, v in items}


@_projected
def supply(run) -> Figure:
    """Aid per patron–client pair over time: delivered and interdicted.

    One small panel per pair, largest first, each with its own scale: the
    stack's height is what the patron sent in the step, its coloured part
    (the patron's colour) what arrived and its dark part what was lost on
    the way. A last panel shows budgets left unspent, if any.

    Args:
        run: a model, a :class:`~sim.results.rundata.Run` or a run directory.
    """
    run = as_run(run)
    h = run.history
    n = _rows(run)
    dates = _dates(run)
    per = _per_step(run)
    series = _flow_series(run)
    more = max(0, len(series) - 11)
    shown = list(series.items())[:11]
    unspent = np.maximum(h.aid_budget[:n] - h.aid_sent[:n], 0.0)
    spenders = [
        i
        for i in range(len(h.actor_keys))
        if h.aid_budget[:n, i].sum() > 0
        and unspent[:, i].sum() > 0.01 * h.aid_budget[:n, i].sum()
    ]
    panels = len(shown) + bool(spenders) or 1
    cols = 1 if panels <= 2 else 2
    rows = -(-panels // cols)
    fig = new_figure(14.0 if cols == 2 else 11.0, 1.2 + 2.55 * rows)
    axes = np.atleast_1d(fig.subplots(rows, cols, sharex=True, squeeze=False).ravel())

    for ax, ((patron, client), (sent, got)) in zip(axes, shown, strict=False):
        lost = sent - got
        # a step's aid moves between the previous date and this one
        ax.stackplot(
            dates,
            got,
            lost,
            colors=[run.color(patron), INTERDICTED_COLOR],
            step="pre",
            lw=0,
        )
        total, arrived = sent.sum(), got.sum()
        share = 1 - arrived / total if total else 0.0
        ax.set_title(
            f"{run.display(patron)} → {run.display(client)}: "
            f"{_amount(total)} sent, {share:.0%} lost",
            loc="left",
            fontsize=13,
            fontweight="bold",
        )
        ax.set_ylim(0, max(sent.max(), 1e-9) * 1.12)
        ax.set_ylabel(f"units / {per}")
    k = len(shown)
    if spenders:
        ax = axes[k]
        for i in spenders:
            key = h.actor_keys[i]
            ax.plot(
                dates,
                unspent[:, i],
                color=run.color(key),
                lw=2.4,
                drawstyle="steps-pre",
                label=run.display(key),
            )
        ax.set_title(
            "Aid budget left unspent", loc="left", fontsize=13, fontweight="bold"
        )
        ax.set_ylabel(f"units / {per}")
        ax.set_ylim(bottom=0)
        ax.legend(loc="upper left", frameon=False, fontsize=11)
        k += 1
    if not shown and not spenders:
        axes[0].text(
            0.5,
            0.5,
            "No aid was sent in this run.",
            ha="center",
            va="center",
            transform=axes[0].transAxes,
            fontsize=15,
        )
        k = 1
    for ax in axes[k:]:
        ax.axis("off")
    for ax in axes[:k]:
        ax.margins(x=0)
        date_axis(ax, dates)
        ax.grid(axis="y", color="#dddddd", lw=0.8)
        ax.set_axisbelow(True)
    for j, ax in enumerate(axes[:k]):
        if j + cols < k:  # a panel below carries the dates
            ax.tick_params(labelbottom=False)
            ax.set_xlabel("")

    title = f"Aid along the supply lines (aid units per {per}) — {run.name}"
    if more:
        title += f"\n{len(shown)} largest patron–client pairs of {len(series)}"
    fig.suptitle(title, fontsize=17)
    handles = [
        Patch(fc="#999999", label="delivered (patron's colour)"),
        Patch(fc=INTERDICTED_COLOR, label="interdicted on the way"),
        Line2D([], [], color="none", label="top of the stack = sent"),
    ]
    fig.legend(
        handles=handles,
        loc="outside lower center",
        ncols=3,
        frameon=False,
        fontsize=12,
    )
    return fig
