"""Affinity over time for the pairs that changed status (:func:`relations`)."""

from __future__ import annotations

import datetime as dt

import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from sim.plots.charts.common import (
    BECOME,
    PAIR_COLORS,
    STATUS_WORD,
    draw_key,
    key_height,
    lighter_layout,
    opened,
    pair_name,
    projected,
    short,
)
from sim.plots.style import (
    ALLY_COLOR,
    ENEMY_COLOR,
    date_axis,
    fmt_date,
    new_figure,
    panel_title,
)
from sim.results.rundata import Run
from sim.vocabulary import Status

MAX_PAIRS = 6  # relations drawn, at most
DIRECT_NOTES = 4  # status changes labelled beside the line; more get a key
MAX_NOTES = 8  # numbered status changes in the relations key, at most


def _changed_pairs(run: Run) -> list[tuple[int, int]]:
    s = run.history.status[: run.history.n_rows]
    n = s.shape[1]
    moved = (s[1:] != s[:-1]).any(axis=0) if len(s) > 1 else np.zeros((n, n), bool)
    return [(a, b) for a in range(n) for b in range(a + 1, n) if moved[a, b]]


def _mean_span(run: Run) -> np.ndarray:
    """How far each pair's mean affinity ranged over the run, ``[N, N]``."""
    aff = run.history.affinity[: run.history.n_rows]
    mean = (aff + aff.transpose(0, 2, 1)) / 2
    return mean.max(axis=0) - mean.min(axis=0)


def _key_pairs(run: Run, pairs: list[tuple[int, int]], k: int) -> list:
    """At most ``k`` pairs: those ever allied first, then the most moved."""
    if len(pairs) <= k:
        return pairs
    s = run.history.status[: run.history.n_rows]
    span = _mean_span(run)
    ranked = sorted(
        pairs, key=lambda p: (not (s[:, *p] == Status.ALLY).any(), -span[p], p)
    )
    return sorted(ranked[:k])


def _chosen_pairs(run: Run) -> tuple[list[tuple[int, int]], str]:
    """The pairs to draw and the panel title that says how they were chosen."""
    changed = _changed_pairs(run)
    if changed:
        pairs = _key_pairs(run, changed, MAX_PAIRS)
        title = "Relations that changed status"
        if len(pairs) < len(changed):
            title = (
                f"{len(pairs)} of the {len(changed)} relations that changed status "
                "(alliances first, then those that moved most)"
            )
        return pairs, title
    span = _mean_span(run)
    everyone = [(a, b) for a in range(len(span)) for b in range(a + 1, len(span))]
    everyone.sort(key=lambda p: (-span[p], p))
    pairs = sorted(everyone[:3])
    title = (
        f"No pair changed status; the {len(pairs)} that moved most"
        if span.max() > 1e-9
        else "No relation moved at all in this run; three pairs for reference"
    )
    return pairs, title


def _status_changes(run: Run, a: int, b: int) -> list[tuple[int, int, str]]:
    """(step, new status, leading explanation) of each change of the pair."""
    h = run.history
    s = h.status[: h.n_rows, a, b]
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


def _notes(run: Run, pairs: list[tuple[int, int]]) -> list[tuple]:
    """(step, mean affinity, colour, pair name, new status, why) by step."""
    h = run.history
    n = h.n_rows
    notes = []
    for k, (a, b) in enumerate(pairs):
        mean = (h.affinity[:n, a, b] + h.affinity[:n, b, a]) / 2
        name = pair_name(run, h.actor_keys[a], h.actor_keys[b])
        for t, new, why in _status_changes(run, a, b):
            color = PAIR_COLORS[k % len(PAIR_COLORS)]
            notes.append((t, float(mean[t]), color, name, new, why))
    notes.sort(key=lambda x: (x[0], x[3]))
    return notes


def _zones(ax, hi: float, lo: float) -> None:
    """The green ally zone above ``hi`` and the red enemy zone below ``lo``."""
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


def _lines(ax, run: Run, pairs, dates) -> None:
    """Each pair's mean affinity inside the band of the two sides' views."""
    h = run.history
    n = h.n_rows
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
            label=pair_name(run, h.actor_keys[a], h.actor_keys[b]),
        )


def _numbered(ax, ax_key, dates, notes, shown) -> None:
    """Numbers on the changes, explained in a key under the chart."""
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
        f"{k}.  {fmt_date(dates[t])}: {name} {BECOME[new]}"
        + (f" — {why}" if why else "")
        for k, (t, _, _, name, new, why) in enumerate(shown, start=1)
    ]
    draw_key(ax_key, lines, len(notes) - len(shown), width=60)


@projected
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
    run, _, _, dates = opened(run)
    pairs, title = _chosen_pairs(run)
    notes = _notes(run, pairs)
    direct = len(notes) <= DIRECT_NOTES
    shown = notes if direct else notes[:MAX_NOTES]
    key_h = 0.0 if direct else key_height(len(shown) + (len(notes) > len(shown)))
    legend_h = 0.3 * -(-(len(pairs) + 1) // 3) + 0.1

    fig = new_figure(13.0, 7.4 + legend_h + key_h)
    if direct:
        ax, ax_leg = fig.subplots(2, 1, height_ratios=[6.0, legend_h])
    else:
        ax, ax_leg, ax_key = fig.subplots(3, 1, height_ratios=[6.0, legend_h, key_h])
    _zones(ax, run.ally_threshold, run.enemy_threshold)
    _lines(ax, run, pairs, dates)
    for t, y, color, *_ in notes:
        ax.plot(dates[t], y, "o", ms=9, mfc="white", mec=color, mew=2.5, zorder=5)
    if direct:
        beside = [
            (t, y, _note_text(dates[t], new, why), color)
            for t, y, color, _, new, why in notes
        ]
        _place_notes(ax, dates, beside)
    else:
        _numbered(ax, ax_key, dates, notes, shown)

    ax.set_ylim(-1.05, 1.05)
    ax.set_ylabel("affinity (−1 hostile … +1 friendly)")
    date_axis(ax, dates)
    lighter_layout(ax)
    panel_title(ax, title, loc="left", fontsize=14, fontweight="normal")
    fig.suptitle(f"How the key relations moved — {run.name}", fontsize=17)
    band = Patch(fc="#777777", alpha=0.3, label="band: each side's own view")
    handles, _ = ax.get_legend_handles_labels()
    ax_leg.axis("off")
    ax_leg.legend(
        handles=[*handles, band], loc="center", ncols=3, frameon=False, fontsize=12
    )
    return fig


def _note_text(date: dt.date, new: int, why: str) -> str:
    text = f"{fmt_date(date)} {STATUS_WORD[new]}"
    return f"{text}:\n{short(why, 40)}" if why else text


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
