"""The supply arrows: aid along each route in the weeks up to the map's date.

Arrows run from the staging area (or the patron's province) along the route
to the client, coloured by patron, one line style per client of that
patron, width proportional to the aid delivered in the last
:data:`SUPPLY_WEEKS` steps.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from matplotlib import patheffects
from matplotlib.patches import FancyArrowPatch
from matplotlib.path import Path as MplPath

from sim.results.rundata import Run

SUPPLY_WEEKS = 8  # steps of supply shown as arrows, up to the map's date
MAX_WIDTH = 10.0  # points: the widest supply arrow of the run
MIN_WIDTH = 1.3  # points: the thinnest drawn
CLIENT_STYLES = ("solid", (0, (4, 1.5)), (0, (1.2, 1.2)), (0, (6, 2, 1.5, 2)))
HALO_WIDTH = 1.8  # points of white stroke around an arrow, beyond its line


@dataclass
class Supply:
    """Aid delivered per step on each (patron, client, route), in aid units."""

    keys: list[tuple[str, str, str]]
    per_step: np.ndarray  # [rows, K]
    scale: float  # the largest window total of any route in the run
    styles: dict[tuple[str, str], object]  # (patron, client) → line style
    pairs: list[tuple[str, str]]  # every pair that delivered, largest first
    factor: float = 1.0  # widths × factor (thinner on small multiples)

    @classmethod
    def of(cls, run: Run, weeks: int, factor: float = 1.0) -> Supply:
        """The run's deliveries, scaled so the busiest window is the widest arrow."""
        h = run.history
        rows = h.last + 1
        keys = sorted({(f.patron, f.client, f.route) for f in h.flows})
        col = {k: j for j, k in enumerate(keys)}
        per_step = np.zeros((rows, len(keys)))
        for f in h.flows:
            if 0 <= f.step < rows:
                per_step[f.step, col[(f.patron, f.client, f.route)]] += f.delivered
        per_step /= 1_000_000
        csum = np.vstack([np.zeros((1, len(keys))), np.cumsum(per_step, axis=0)])
        win = csum[weeks:] - csum[:-weeks] if rows >= weeks else csum[-1:]
        scale = float(win.max(initial=0.0))
        totals: dict[tuple[str, str], float] = {}
        for (patron, client, _), total in zip(keys, csum[-1], strict=True):
            totals[patron, client] = totals.get((patron, client), 0.0) + total
        pairs = sorted((p for p in totals if totals[p] > 0), key=lambda p: -totals[p])
        return cls(keys, per_step, scale or 1.0, _styles(pairs), pairs, factor)

    def window(self, t: int, weeks: int) -> np.ndarray:
        """Delivered per key in the ``weeks`` steps up to and including ``t``."""
        return self.per_step[max(0, t - weeks + 1) : t + 1].sum(axis=0)

    def width(self, amount: float) -> float:
        """Arrow width in points: proportional to aid, never below MIN_WIDTH."""
        return max(MIN_WIDTH, self.factor * MAX_WIDTH * amount / self.scale)


def _styles(pairs: list[tuple[str, str]]) -> dict[tuple[str, str], object]:
    """One line style per client of each patron, in order of aid delivered."""
    styles, used = {}, {}
    for patron, client in pairs:
        n = used.get(patron, 0)
        styles[patron, client] = CLIENT_STYLES[n % len(CLIENT_STYLES)]
        used[patron] = n + 1
    return styles


def shorten(xy: np.ndarray, by: float, k: float) -> np.ndarray:
    """The polyline with its last segment cut short by ``by`` degrees."""
    a, b = xy[-2], xy[-1]
    d = math.hypot((b[0] - a[0]) * k, b[1] - a[1])
    if d <= 2 * by:
        return xy
    out = xy.copy()
    out[-1] = b - (b - a) * (by / d)
    return out


def draw_arrows(
    ax, run: Run, supply: Supply, coords: dict, t: int, weeks: int
) -> list[FancyArrowPatch]:
    """Draw the routes' arrows for the ``weeks`` steps up to ``t``, widest first.

    ``coords`` places each route node (province or staging area) in lon/lat;
    a route through an unknown node is skipped.
    """
    arrows = arrow_patches(ax, run, supply, coords, t, weeks)
    for arrow in arrows:
        ax.add_patch(arrow)
    return arrows


@dataclass(frozen=True)
class ArrowSpec:
    """One arrow of a date: which route, along which line, how wide, whose colour."""

    key: int  # column of the route in :attr:`Supply.keys`
    xy: np.ndarray  # [N, 2] the polyline in lon/lat, cut short at the client
    pair: tuple[str, str]  # (patron, client)
    width: float  # line width in points


def arrow_specs(
    ax, supply: Supply, coords: dict, t: int, weeks: int
) -> list[ArrowSpec]:
    """The arrows of the ``weeks`` steps up to ``t``, widest first, as plain data.

    An arrow's pixels depend on nothing else (in one figure), so the
    animation keys its cache of drawn arrows on ``(key, width)``.
    """
    amounts = supply.window(t, weeks)
    order = np.argsort(-amounts, kind="stable")
    k = math.cos(math.radians(float(np.mean(ax.get_ylim()))))
    out = []
    for j in order:
        if amounts[j] <= 0:
            break
        patron, client, route = supply.keys[j]
        nodes = [n.strip() for n in route.split(">")]
        if len(nodes) < 2 or any(n not in coords for n in nodes):
            continue
        xy = shorten(np.array([coords[n] for n in nodes], dtype=float), 0.12, k)
        width = supply.width(float(amounts[j]))
        out.append(ArrowSpec(int(j), xy, (patron, client), width))
    return out


def arrow_patches(
    ax, run: Run, supply: Supply, coords: dict, t: int, weeks: int
) -> list[FancyArrowPatch]:
    """The arrows :func:`draw_arrows` draws, in ``ax``'s data coordinates, unattached.

    The animation draws them straight onto a renderer, without adding them to
    the Axes (which would recompute its data limits for every arrow).
    """
    specs = arrow_specs(ax, supply, coords, t, weeks)
    return [
        arrow_patch(ax, run, supply, spec, 5 + 0.001 * n)
        for n, spec in enumerate(specs)
    ]


def arrow_patch(
    ax, run: Run, supply: Supply, spec: ArrowSpec, zorder: float = 5.0
) -> FancyArrowPatch:
    """The patch of one :class:`ArrowSpec` in ``ax``'s data coordinates, clipped."""
    arrow = _arrow(spec.xy, supply, run, spec.pair, spec.width)
    arrow.set_zorder(zorder)
    arrow.set_transform(ax.transData)
    arrow.set_figure(ax.figure)
    arrow.set_clip_path(ax.patch)
    return arrow


def _arrow(xy, supply: Supply, run: Run, pair, width: float) -> FancyArrowPatch:
    """One arrow along the polyline ``xy``: patron's colour, client's line style."""
    head = _head_length(width)
    return FancyArrowPatch(
        path=MplPath(xy),
        arrowstyle=f"-|>,head_length={head},head_width={0.6 * head}",
        mutation_scale=1.0,
        linewidth=width,
        linestyle=supply.styles.get(pair, "solid"),
        color=run.color(pair[0]),
        alpha=0.9,
        capstyle="butt",
        joinstyle="miter",
        path_effects=[
            patheffects.withStroke(linewidth=width + HALO_WIDTH, foreground="white")
        ],
    )


def _head_length(width: float) -> float:
    """Points from the arrow's tip back to the base of its head."""
    return 3.5 + 0.8 * width


def reach(width: float) -> float:
    """Points an arrow of ``width`` can ink away from its polyline, at most.

    The head, the white halo and a mitred corner (at most four line widths
    out) all stay within this distance, so a drawn arrow is found in the
    box of its polyline grown by it.
    """
    return _head_length(width) + 4.0 * (width + HALO_WIDTH)
