"""Aid per patron–client pair over time, delivered and interdicted (:func:`supply`)."""

from __future__ import annotations

from collections import defaultdict

import numpy as np
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from sim.plots.charts.common import amount, opened, per_step, projected
from sim.plots.style import date_axis, new_figure
from sim.results.rundata import Run

INTERDICTED_COLOR = "#3A3A3A"
MAX_PANELS = 11  # patron–client pairs drawn, at most


def _flow_series(run: Run) -> dict[tuple[str, str], tuple[np.ndarray, np.ndarray]]:
    """(patron, client) → (sent, delivered) per row in aid units, biggest first."""
    n = run.history.n_rows
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


def _pair_panel(ax, run: Run, dates, pair, flows, per: str) -> None:
    """What one patron sent one client per step: arrived in colour, lost dark."""
    (patron, client), (sent, got) = pair, flows
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
        f"{amount(total)} sent, {share:.0%} lost",
        loc="left",
        fontsize=13,
        fontweight="bold",
    )
    ax.set_ylim(0, max(sent.max(), 1e-9) * 1.12)
    ax.set_ylabel(f"units / {per}")


def _unspent_panel(ax, run: Run, dates, unspent, spenders, per: str) -> None:
    """Budget each patron left unspent per step."""
    for i in spenders:
        key = run.history.actor_keys[i]
        ax.plot(
            dates,
            unspent[:, i],
            color=run.color(key),
            lw=2.4,
            drawstyle="steps-pre",
            label=run.display(key),
        )
    ax.set_title("Aid budget left unspent", loc="left", fontsize=13, fontweight="bold")
    ax.set_ylabel(f"units / {per}")
    ax.set_ylim(bottom=0)
    ax.legend(loc="upper left", frameon=False, fontsize=11)


def _tidy(axes, k: int, cols: int, dates) -> None:
    """Hide unused panels; dates only on the lowest panel of each column."""
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


def _legend(fig: Figure) -> None:
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


def _no_aid(ax) -> None:
    ax.text(
        0.5,
        0.5,
        "No aid was sent in this run.",
        ha="center",
        va="center",
        transform=ax.transAxes,
        fontsize=15,
    )


@projected
def supply(run) -> Figure:
    """Aid per patron–client pair over time: delivered and interdicted.

    One small panel per pair, largest first, each with its own scale: the
    stack's height is what the patron sent in the step, its coloured part
    (the patron's colour) what arrived and its dark part what was lost on
    the way. A last panel shows budgets left unspent, if any.

    Args:
        run: a model, a :class:`~sim.results.rundata.Run` or a run directory.
    """
    run, h, n, dates = opened(run)
    per = per_step(run)
    series = _flow_series(run)
    more = max(0, len(series) - MAX_PANELS)
    shown = list(series.items())[:MAX_PANELS]
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
    for ax, (pair, flows) in zip(axes, shown, strict=False):
        _pair_panel(ax, run, dates, pair, flows, per)
    k = len(shown)
    if spenders:
        _unspent_panel(axes[k], run, dates, unspent, spenders, per)
        k += 1
    if not shown and not spenders:
        _no_aid(axes[0])
        k = 1
    _tidy(axes, k, cols, dates)
    title = f"Aid along the supply lines (aid units per {per}) — {run.name}"
    if more:
        title += f"\n{len(shown)} largest patron–client pairs of {len(series)}"
    fig.suptitle(title, fontsize=17)
    _legend(fig)
    return fig
