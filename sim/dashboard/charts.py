"""Light SVG charts, rebuilt each step in a few milliseconds (no matplotlib).

:func:`control_chart` draws the provinces each actor holds over the weeks run
so far; :func:`alliance_timeline` draws each pair's status (ally, neutral,
enemy) as a band along the weeks, and in the compare view marks the weeks in
which two runs disagree.
"""

from __future__ import annotations

import html
from itertools import combinations

import numpy as np

#: Colours of the pair statuses (enemy, neutral, ally) in the timeline.
STATUS_FILL = {-1: "#c0392b", 0: "#e6e6e6", 1: "#1e8449"}
#: Mark of the weeks in which two compared runs differ.
DIFFERENCE_FILL = "#ffcc00"

_W, _LEFT, _RIGHT = 900.0, 370.0, 30.0
_ROW = 22.0


def _x(t: float, steps: int, left: float = _LEFT) -> float:
    return left + (_W - left - _RIGHT) * t / max(steps, 1)


#: Left margin of the control chart (numbers only; names go in its legend).
_CONTROL_LEFT = 60.0


def control_chart(history, colors: list[str], steps: int, height: float = 440) -> str:
    """Provinces held by each actor, week by week, as an SVG polyline chart."""
    ctrl = history.controller[: history.last + 1]
    total = ctrl.shape[1]
    top, bottom = 50.0, height - 34.0

    def y(v: float) -> float:
        return bottom - (bottom - top) * v / total

    def x(t: float) -> float:
        return _x(t, steps, _CONTROL_LEFT)

    out = [_open(height, "provinces held over time")]
    for v in range(0, total + 1, 10):
        out.append(
            f'<line x1="{_CONTROL_LEFT}" x2="{_W - _RIGHT}" y1="{y(v):.1f}" '
            f'y2="{y(v):.1f}" stroke="#ddd"/><text x="{_CONTROL_LEFT - 8}" '
            f'y="{y(v) + 7:.1f}" text-anchor="end" class="gg-axis">{v}</text>'
        )
    legend_x = _CONTROL_LEFT
    for i, name in enumerate(history.actor_names):
        held = (ctrl == i).sum(axis=1)
        if not held.any():
            continue
        pts = " ".join(f"{x(t):.1f},{y(v):.1f}" for t, v in enumerate(held))
        out.append(
            f'<polyline points="{pts}" fill="none" stroke="{colors[i]}" '
            f'stroke-width="5"><title>{html.escape(name)}</title></polyline>'
            f'<rect x="{legend_x:.0f}" y="8" width="18" height="18" '
            f'fill="{colors[i]}"/><text x="{legend_x + 24:.0f}" y="25" '
            f'class="gg-name">{html.escape(name)}</text>'
        )
        legend_x += 40 + 13 * len(name)
    out.extend(_date_axis(history.dates, steps, bottom, left=_CONTROL_LEFT))
    out.append("</svg>")
    return "".join(out)


def _open(height: float, label: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_W:.0f} {height:.0f}" '
        f'class="gg-chart" role="img" aria-label="{label}">'
    )


def _runs(series: np.ndarray) -> list[tuple[int, int, int]]:
    """``(start, end, value)`` of each run of equal values."""
    out, start = [], 0
    for t in range(1, len(series) + 1):
        if t == len(series) or series[t] != series[start]:
            out.append((start, t, int(series[start])))
            start = t
    return out


def _other_status(history, other, a: int, b: int, last: int):
    """The other run's status series of the pair ``a``-``b`` (by actor), or None."""
    keys = other.actor_keys
    ka, kb = history.actor_keys[a], history.actor_keys[b]
    if ka not in keys or kb not in keys:
        return None
    return other.status[: last + 1, keys.index(ka), keys.index(kb)]


def alliance_timeline(history, steps: int, other=None) -> str:
    """Each pair's status over the weeks run, one band per pair.

    Args:
        history: the run's :class:`~sim.core.history.History`.
        steps: the scenario's length (the chart's full width).
        other: a second run's history (compare view), matched by actor: weeks
            where the pair's status differs are marked below its band and
            the pair's name is starred; a pair the other run lacks says so.
    """
    n = len(history.actor_keys)
    pairs = list(combinations(range(n), 2))
    height = _ROW * len(pairs) + 40
    last = history.last if other is None else min(history.last, other.last)
    out = [_open(height, "alliance timeline")]
    for row, (a, b) in enumerate(pairs):
        y = 5 + row * _ROW
        series = history.status[: last + 1, a, b]
        label = f"{history.actor_names[a]} – {history.actor_names[b]}"
        differs = None
        if other is not None:
            theirs = _other_status(history, other, a, b, last)
            if theirs is None:
                label += " (only here)"
            else:
                differs = series != theirs
                if differs.any():
                    label = "★ " + label
        out.append(
            f'<text x="{_LEFT - 8}" y="{y + 15}" text-anchor="end" '
            f'class="gg-pair">{html.escape(label)}</text>'
        )
        for start, end, value in _runs(series):
            out.append(_band(start, end, y, value, steps))
        if differs is not None:
            out.extend(_marks(differs, y, steps))
    out.extend(_date_axis(history.dates, steps, 5 + _ROW * len(pairs)))
    out.append("</svg>")
    return "".join(out)


def _date_axis(
    dates, steps: int, y: float, every: int = 26, left: float = _LEFT
) -> list[str]:
    """Month-and-year ticks every ``every`` weeks under a chart."""
    out = []
    last = min(steps, len(dates) - 1)
    for t in range(0, last - every // 3, every):  # no label squeezed at the end
        x = _x(t, steps, left)
        anchor = "start" if t == 0 else "middle"
        out.append(
            f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{y - 4}" y2="{y + 4}" stroke="#555"/>'
            f'<text x="{x:.1f}" y="{y + 24}" text-anchor="{anchor}" class="gg-axis">'
            f"{dates[t]:%b %Y}</text>"
        )
    return out


def _marks(differs: np.ndarray, y: float, steps: int) -> list[str]:
    """Yellow marks under the weeks in which the two runs differ."""
    out = []
    for start, end, value in _runs(differs.astype(int)):
        if value:
            x0, x1 = _x(start, steps), _x(end, steps)
            out.append(
                f'<rect x="{x0:.1f}" y="{y + 14}" width="{x1 - x0:.1f}" '
                f'height="6" fill="{DIFFERENCE_FILL}" class="gg-differs"/>'
            )
    return out


def _band(start: int, end: int, y: float, value: int, steps: int) -> str:
    x0, x1 = _x(start, steps), _x(end, steps)
    return (
        f'<rect x="{x0:.1f}" y="{y}" width="{max(x1 - x0, 1.0):.1f}" height="14" '
        f'fill="{STATUS_FILL[value]}"/>'
    )
