"""Provinces and population under each controller over time (:func:`control`)."""

from __future__ import annotations

import datetime as dt

import matplotlib.dates as mdates
import numpy as np
from matplotlib.collections import LineCollection
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from sim.plots.charts.common import (
    draw_key,
    key_height,
    lighter_layout,
    opened,
    pair_name,
    projected,
)
from sim.plots.style import (
    CONTESTED_COLOR,
    date_axis,
    fmt_date,
    new_figure,
    panel_title,
)
from sim.results.rundata import Run
from sim.vocabulary import CONTESTED, Status
from sim.world.geography import load_geography

MAX_EVENTS = 12  # numbered events in a key, at most


def _unlabelled(run: Run, e: dict) -> str:
    """A short label for a scenario event that has none."""
    kind = e["type"]
    if kind == "set":
        return f"{e.get('path')} set to {e.get('value')}"
    who = run.display(e["actor"]) if e.get("actor") in run.colors else "an actor"
    return {"shock": f"shock to {who}", "splinter": f"{who} splits"}.get(
        kind, f"{who} sends aid"
    )


def turning_points(run: Run) -> list[tuple[dt.date, str]]:
    """Scenario events and alliance changes, as (date, short label), by date."""
    out = []
    for e in run.history.events:
        kind = e["type"]
        date = dt.date.fromisoformat(e["date"])
        if kind in ("set", "shock", "splinter", "aid"):
            label = e.get("label") or _unlabelled(run, e)
        elif kind == "alliance":
            label = f"{pair_name(run, e['a'], e['b'])} become allies"
        elif kind == "relation" and e.get("old") == Status.ALLY.label:
            label = f"{pair_name(run, e['a'], e['b'])} alliance ends ({e['new']})"
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
    below = [i for i in ever if i == big or h.status[0, big, i] == Status.ALLY]
    above = [i for i in ever if i not in below]
    return below, above


def _layers(run: Run, ctrl: np.ndarray, pop: np.ndarray):
    """(provinces, people, colours, names) per layer, bottom to top."""
    h = run.history
    ever = [i for i in range(len(h.actor_keys)) if (ctrl == i).any()]
    below, above = _stack_order(run, ever) if ever else ([], [])
    layers = [*below, -1, *above]
    counts = [(ctrl == i).sum(axis=1) for i in layers]
    people = [((ctrl == i) * pop).sum(axis=1) for i in layers]
    colors = [CONTESTED_COLOR if i < 0 else run.color(h.actor_keys[i]) for i in layers]
    names = [CONTESTED if i < 0 else run.display(h.actor_keys[i]) for i in layers]
    return counts, people, colors, names


def _areas(axes, dates, panels, colors, names) -> None:
    """The two stacked-area panels: provinces held and people under each."""
    ax_p, ax_q = axes
    for ax, (data, total, label) in zip(axes, panels, strict=True):
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
    panel_title(ax_p, "Provinces held", loc="left", fontsize=13)
    panel_title(
        ax_q,
        "People living under each controller (CSO 2015–16 population)",
        loc="left",
        fontsize=13,
    )
    ax_p.tick_params(labelbottom=False)
    ax_p.set_xlabel("")
    for ax in axes:
        lighter_layout(ax)


def _event_lines(ax, when: list[dt.date]) -> None:
    """A dashed line across ``ax`` at each date, as one collection.

    The same pixels as an ``axvline`` per date, for one artist instead of
    one per event and panel.
    """
    if not when:
        return
    segments = [[(x, 0.0), (x, 1.0)] for x in mdates.date2num(when)]
    lines = LineCollection(
        segments,
        colors=[to_rgba("#222222", 0.7)],
        linewidths=1.2,
        linestyles="--",
        transform=ax.get_xaxis_transform(),
        zorder=2,  # over the areas, as lines are
    )
    ax.add_collection(lines, autolim=False)


def _mark_events(axes, dates, events) -> None:
    """A dashed line per event, numbered at the top; close numbers step down."""
    ax_p = axes[0]
    for ax in axes:
        _event_lines(ax, [date for date, _ in events])
    span = (dates[-1] - dates[0]).days or 1
    last_x, level = None, 0
    for k, (date, _) in enumerate(events, start=1):
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


@projected
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
    run, h, n, dates = opened(run)
    ctrl = h.controller[:n]
    n_prov = ctrl.shape[1]
    geo = load_geography()
    pop = np.array([geo.population[geo.index[p]] for p in h.province_names]) / 1e6
    counts, people, colors, names = _layers(run, ctrl, pop)

    events = turning_points(run)
    more = max(0, len(events) - MAX_EVENTS)
    events = events[:MAX_EVENTS]
    key_h = key_height(len(events) + (more > 0))

    fig = new_figure(12.0, 8.0 + key_h)
    top = fig
    if events:  # the key is a subfigure of its own: full width, under the legend
        top, bottom = fig.subfigures(2, 1, height_ratios=[8.0, key_h])
    axes = top.subplots(2, 1, sharex=True)
    panels = (
        (counts, n_prov, f"provinces (of {n_prov})"),
        (people, pop.sum(), "people (millions)"),
    )
    _areas(axes, dates, panels, colors, names)
    fig.suptitle(f"Who controls Afghanistan — {run.name}", fontsize=17)
    _mark_events(axes, dates, events)
    if events:
        lines = [f"{k}.  {fmt_date(d)}: {t}" for k, (d, t) in enumerate(events, 1)]
        draw_key(bottom.subplots(), lines, more, width=62)
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
