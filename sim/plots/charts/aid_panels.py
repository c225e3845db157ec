"""Aid per patron–client pair over time, delivered and interdicted (:func:`supply`)."""

from __future__ import annotations

from collections import defaultdict

import numpy as np
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from sim.plots.charts.common import (
    amount,
    lighter_layout,
    opened,
    per_step,
    projected,
)
from sim.plots.style import date_axis, new_figure, panel_title
from sim.results.rundata import Run

INTERDICTED_COLOR = "#3A3A3A"
OTHER_COLOR = "#999999"
MAX_PANELS = 11  # patron–client pairs drawn, at most
NEGLIGIBLE = 0.02  # a pair sending less than this share of all aid goes to "other"


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


def _stack(ax, dates, flows, color: str, name: str, per: str) -> None:
    """What was sent per step: arrived in ``color``, lost dark; titled ``name``."""
    sent, got = flows
    # a step's aid moves between the previous date and this one
    ax.stackplot(
        dates, got, sent - got, colors=[color, INTERDICTED_COLOR], step="pre", lw=0
    )
    total, arrived = sent.sum(), got.sum()
    share = 1 - arrived / total if total else 0.0
    panel_title(
        ax,
        f"{name}: {amount(total)} sent, {share:.0%} lost",
        loc="left",
        fontsize=13,
        fontweight="bold",
    )
    ax.set_ylabel(f"units / {per}")


def _pair_panel(ax, run: Run, dates, pair, flows, per: str) -> None:
    """What one patron sent one client per step: arrived in colour, lost dark."""
    patron, client = pair
    name = f"{run.display(patron)} → {run.display(client)}"
    _stack(ax, dates, flows, run.color(patron), name, per)


def _other_panel(ax, run: Run, dates, folded: list, per: str) -> None:
    """The small pairs together, in grey, with their names in the panel."""
    sent = sum(flows[0] for _, flows in folded)
    got = sum(flows[1] for _, flows in folded)
    name = f"{len(folded)} other pair{'s' if len(folded) > 1 else ''}"
    _stack(ax, dates, (sent, got), OTHER_COLOR, name, per)
    names = [
        f"{run.display(p)} → {run.display(c)} ({amount(flows[0].sum())})"
        for (p, c), flows in folded
    ]
    ax.text(
        0.99, 0.95, "\n".join(names[:6] + (["…"] if len(names) > 6 else [])),
        transform=ax.transAxes, ha="right", va="top", fontsize=10.5,
        color="#333333", linespacing=1.3,
    )  # fmt: skip


def split_pairs(series: dict) -> tuple[list, list]:
    """(pairs drawn on their own, pairs folded into "other"), largest first.

    A pair gets its own panel unless it sent less than :data:`NEGLIGIBLE` of
    all aid, or more than :data:`MAX_PANELS` pairs would be drawn.
    """
    items = list(series.items())
    everything = sum(flows[0].sum() for _, flows in items)
    own = [kv for kv in items if kv[1][0].sum() >= NEGLIGIBLE * everything]
    if len(items) > MAX_PANELS and len(own) > MAX_PANELS - 1:
        own = own[: MAX_PANELS - 1]
    folded = [kv for kv in items if kv not in own]
    if len(folded) == 1:  # a panel of "one other pair" is that pair's own
        own, folded = own + folded, []
    return own, folded


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
    panel_title(
        ax, "Aid budget left unspent", loc="left", fontsize=13, fontweight="bold"
    )
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
    for ax in axes[:k]:
        lighter_layout(ax)


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

    One panel per pair, largest first, all on one scale, so a trickle looks
    like a trickle next to the main flow; pairs that sent less than
    :data:`NEGLIGIBLE` of all aid share one grey "other" panel that names
    them. The stack's height is what the patron sent in the step, its
    coloured part (the patron's colour) what arrived and its dark part what
    was lost on the way. A last panel shows budgets left unspent, if any.

    Args:
        run: a model, a :class:`~sim.results.rundata.Run` or a run directory.
    """
    run, h, n, dates = opened(run)
    per = per_step(run)
    shown, folded = split_pairs(_flow_series(run))
    unspent = np.maximum(h.aid_budget[:n] - h.aid_sent[:n], 0.0)
    spenders = [
        i
        for i in range(len(h.actor_keys))
        if h.aid_budget[:n, i].sum() > 0
        and unspent[:, i].sum() > 0.01 * h.aid_budget[:n, i].sum()
    ]
    flow_panels = len(shown) + bool(folded)
    panels = flow_panels + bool(spenders) or 1
    cols = 1 if panels <= 2 else 2
    rows = -(-panels // cols)
    fig = new_figure(14.0 if cols == 2 else 11.0, 1.2 + 2.55 * rows)
    axes = np.atleast_1d(fig.subplots(rows, cols, sharex=True, squeeze=False).ravel())
    for ax, (pair, flows) in zip(axes, shown, strict=False):
        _pair_panel(ax, run, dates, pair, flows, per)
    if folded:
        _other_panel(axes[len(shown)], run, dates, folded, per)
    _one_scale(axes[:flow_panels])
    k = flow_panels
    if spenders:
        _unspent_panel(axes[k], run, dates, unspent, spenders, per)
        k += 1
    if not flow_panels and not spenders:
        _no_aid(axes[0])
        k = 1
    _tidy(axes, k, cols, dates)
    fig.suptitle(f"Aid along the supply lines (aid units per {per}) — {run.name}",
                 fontsize=17)  # fmt: skip
    _legend(fig)
    return fig


def _one_scale(axes) -> None:
    """The same y-axis on every flow panel: up to the largest step sent."""
    if not len(axes):
        return
    top = max(max(ax.dataLim.y1 for ax in axes), 1e-9)
    for ax in axes:
        ax.set_ylim(0, top * 1.12)
