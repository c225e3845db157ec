"""The map's three legends: who holds a province, its SIGAR shade, the supply.

The legends are stacked on an Axes of their own, measured in display
coordinates so they sit one under the other (or side by side under small
multiples) whatever their length.
"""

from __future__ import annotations

import math

import numpy as np
from matplotlib.colors import to_rgb
from matplotlib.legend import Legend
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from sim.plots.mapping.fills import (
    BORDER_COLOR,
    HATCH,
    HATCH_COLOR,
    LIGHTEN,
    kind_color,
    lighten,
    parameter,
)
from sim.plots.mapping.supply import Supply
from sim.plots.style import CONTESTED_COLOR, fmt_date
from sim.results.rundata import Run
from sim.vocabulary import CONTESTED, ActorKind, SigarClass

Section = tuple[str, list, list[str]]  # (title, handles, labels)


def _section(title: str, handles: list) -> Section:
    return title, handles, [h.get_label() for h in handles]


def _holders(run: Run) -> Section:
    """Every actor that held a province at some point, and the contested hatch."""
    h = run.history
    share = parameter(run, "control_share", 0.6)
    rows = h.controller[: h.last + 1]
    holders = [k for i, k in enumerate(h.actor_keys) if (rows == i).any()]
    held = [
        Patch(facecolor=run.color(k), edgecolor=BORDER_COLOR, label=run.display(k))
        for k in holders
    ]
    held.append(
        Patch(
            facecolor=CONTESTED_COLOR,
            edgecolor=HATCH_COLOR,
            hatch=HATCH,
            linewidth=0.6,
            label=f"{CONTESTED} (tinted by the strongest)",
        )
    )
    return _section(f"Held by (≥ {share:.0%} of fighters)", held)


def holders_legend(run: Run) -> Section:
    """The "held by" legend alone: every actor that held a province, and the hatch."""
    return _holders(run)


def _pct(x: float) -> str:
    return f"{100 * x:.0f}"


def _sigar(run: Run) -> Section:
    """SIGAR's five classes, in the government's and the insurgents' colours."""
    b = list(parameter(run, "sigar_bands", (0.2, 0.4, 0.6, 0.8)))
    gov = np.array(to_rgb(kind_color(run, ActorKind.GOVERNMENT, "#555555")))
    ins = np.array(to_rgb(kind_color(run, ActorKind.INSURGENT, "#555555")))
    grey = np.array(to_rgb(CONTESTED_COLOR))
    classes = [
        (gov, SigarClass.GOVERNMENT_CONTROL, f"(≥ {_pct(b[3])} %)"),
        (gov, SigarClass.GOVERNMENT_INFLUENCE, f"({_pct(b[2])}–{_pct(b[3])} %)"),
        (grey, SigarClass.CONTESTED, f"({_pct(b[1])}–{_pct(b[2])} %)"),
        (ins, SigarClass.INSURGENT_INFLUENCE, f"({_pct(b[0])}–{_pct(b[1])} %)"),
        (ins, SigarClass.INSURGENT_CONTROL, f"(< {_pct(b[0])} %)"),
    ]
    handles = [
        Patch(
            facecolor=lighten(rgb, LIGHTEN[c]),
            edgecolor=BORDER_COLOR,
            label=f"{c.label} {share}",
        )
        for rgb, c, share in classes
    ]
    return _section(
        "SIGAR class: shade\n(government side's share\nof the fighters)", handles
    )


def _supply_amounts(run: Run, supply: Supply, t: int | None, weeks: int):
    """(pairs to list, aid per pair, title): the whole run or the map's window."""
    if t is None:
        title = f"Supply, last {weeks} weeks\n(width ∝ aid delivered)"
        return supply.pairs, {}, title
    win = supply.window(t, weeks)
    amounts = {}
    for (patron, client, _), v in zip(supply.keys, win, strict=True):
        amounts[patron, client] = amounts.get((patron, client), 0.0) + v
    pairs = [p for p in supply.pairs if amounts.get(p, 0) > 0]
    pairs.sort(key=lambda p: -amounts[p])
    title = (
        f"Aid delivered in the {weeks} weeks\nto {fmt_date(run.history.dates[t])}"
        " (aid units)"
    )
    return pairs, amounts, title


def _supply(run: Run, supply: Supply, t: int | None, weeks: int) -> Section:
    """One line per patron–client pair (with its aid on a single map), widths."""
    pairs, amounts, title = _supply_amounts(run, supply, t, weeks)
    handles = []
    for patron, client in pairs:
        label = f"{run.display(patron)} → {run.display(client)}"
        if (patron, client) in amounts:
            v = amounts[patron, client]
            label += f": {v:,.0f}" if v >= 9.5 else f": {v:.1g}"
        handles.append(
            Line2D(
                [],
                [],
                color=run.color(patron),
                linewidth=3.0,
                linestyle=supply.styles[patron, client],
                label=label,
            )
        )
    for v in width_keys(supply.scale) if supply.pairs else []:
        handles.append(
            Line2D(
                [], [], color="#777777", linewidth=supply.width(v), label=f"{v:,.0f}"
            )
        )
    if not pairs:
        handles.insert(0, Line2D([], [], color="none", label="no aid delivered"))
    return _section(title, handles)


def legend_sections(
    run: Run, supply: Supply, t: int | None, weeks: int
) -> list[Section]:
    """(title, handles, labels) of the three legends: holder, SIGAR, supply.

    ``t`` is the date of a single map (supply totals for its window) or None
    for the whole run (timeline, animation).
    """
    return [_holders(run), _sigar(run), _supply(run, supply, t, weeks)]


def width_keys(scale: float) -> list[float]:
    """Two round amounts for the arrow-width key: about the largest and a fifth."""
    if scale <= 0:
        return []
    top = 10 ** math.floor(math.log10(scale))
    for m in (5, 2, 1):
        if m * top <= scale:
            top *= m
            break
    small = top / 5 if top / 5 >= 1 else top / 2
    return [top, small] if small < top else [top]


def stack_legends(
    ax, sections, renderer, fontsize: float, horizontal: bool = False
) -> None:
    """Legends on an empty Axes: one under the other (or side by side).

    Each legend is an artist of its own on ``ax``, drawn once (``ax.legend``
    would also make the last one the Axes' legend, which is drawn again on
    top of itself).
    """
    ax.set_axis_off()
    pos = 0.0 if horizontal else 1.0
    for title, handles, labels in sections:
        leg = Legend(
            ax,
            handles,
            labels,
            title=title,
            ncols=2 if horizontal and len(handles) > 6 else 1,
            loc="upper left",
            bbox_to_anchor=(pos, 1.0) if horizontal else (0.0, pos),
            frameon=False,
            fontsize=fontsize,
            title_fontsize=fontsize + 0.5,
            alignment="left",
            handlelength=2.6,
            handleheight=1.1,
            borderaxespad=0.0,
            labelspacing=0.35,
        )
        leg.get_title().set_fontweight("bold")
        leg.set_in_layout(False)
        ax.add_artist(leg)
        box = leg.get_window_extent(renderer).transformed(ax.transAxes.inverted())
        if horizontal:
            pos = box.x1 + 0.04
        else:
            pos = box.y0 - 0.05
