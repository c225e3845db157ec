"""The map: who holds each province, how firmly, and where the aid goes.

* **Fill colour**: the actor holding the province (at least ``control_share``
  of its armed strength). Where no one does, the province is *contested*:
  hatched, and tinted half-way between grey and the strongest actor's colour.
* **Shade**: SIGAR's five classes from the government side's share of the
  fighters: control classes are drawn in full colour, influence classes
  lighter, SIGAR-contested lightest.
* **Arrows**: the supply routes of the last :data:`SUPPLY_WEEKS` steps, from
  the staging area (or the patron's province) along the route to the client,
  coloured by patron, one line style per client of that patron, width
  proportional to the aid delivered.

:func:`map` draws one date, :func:`map_timeline` small multiples (start,
middle, end), :func:`animate` a GIF of the whole run. Province shapes come
from :func:`sim.plots.geometry.shapes_for`: a GeoJSON file when given (or
named by the scenario), else the schematic map.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass
from pathlib import Path

import matplotlib
import numpy as np
from matplotlib import patheffects
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import PathCollection
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import FancyArrowPatch, Patch
from matplotlib.path import Path as MplPath
from matplotlib.transforms import Bbox

from sim.plots.geometry import ProvinceShapes, shapes_for
from sim.plots.style import CONTESTED_COLOR, fmt_date, new_figure, styled
from sim.results.rundata import Run, as_run
from sim.world.geography import load_geography

__all__ = ["map", "map_timeline", "animate", "SUPPLY_WEEKS"]

SUPPLY_WEEKS = 8  # steps of supply shown as arrows, up to the map's date
# Blend towards white by SIGAR class (insurgent control … government control).
LIGHTEN = np.array([0.0, 0.45, 0.6, 0.45, 0.0])
HATCH = "///"
HATCH_COLOR = "#3A3A3A"
BORDER_COLOR = "white"
TEXT_COLOR = "#1A1A1A"
STAGING_COLOR = "#333333"
MAX_WIDTH = 10.0  # points: the widest supply arrow of the run
MIN_WIDTH = 1.3  # points: the thinnest drawn
GIF_DPI = 80  # 960 × 560 pixels
CLIENT_STYLES = ("solid", (0, (4, 1.5)), (0, (1.2, 1.2)), (0, (6, 2, 1.5, 2)))
_HALO = [patheffects.withStroke(linewidth=2.6, foreground="white")]


# --- data of a run ----------------------------------------------------------


@dataclass
class _Supply:
    """Aid delivered per step on each (patron, client, route), in aid units."""

    keys: list[tuple[str, str, str]]
    per_step: np.ndarray  # [rows, K]
    scale: float  # the largest window total of any route in the run
    styles: dict[tuple[str, str], object]  # (patron, client) → line style
    pairs: list[tuple[str, str]]  # every pair that delivered, largest first
    factor: float = 1.0  # widths × factor (thinner on small multiples)

    @classmethod
    def of(cls, run: Run, weeks: int, factor: float = 1.0) -> _Supply:
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
        styles, used = {}, {}
        for patron, client in pairs:
            n = used.get(patron, 0)
            styles[patron, client] = CLIENT_STYLES[n % len(CLIENT_STYLES)]
            used[patron] = n + 1
        return cls(keys, per_step, scale or 1.0, styles, pairs, factor)

    def window(self, t: int, weeks: int) -> np.ndarray:
        """Delivered per key in the ``weeks`` steps up to and including ``t``."""
        return self.per_step[max(0, t - weeks + 1) : t + 1].sum(axis=0)

    def width(self, amount: float) -> float:
        """Arrow width in points: proportional to aid, never below MIN_WIDTH."""
        return max(MIN_WIDTH, self.factor * MAX_WIDTH * amount / self.scale)


def _row(run: Run, step: int) -> int:
    rows = run.history.last + 1
    t = step + rows if step < 0 else step
    if not 0 <= t < rows:
        raise ValueError(
            f"step {step} is outside this run, which has rows 0..{rows - 1} "
            "(use -1 for the last)"
        )
    return t


def _param(run: Run, name: str, default):
    return (run.scenario.get("parameters") or {}).get(name, default)


def _kind_color(run: Run, kind: str, fallback: str) -> str:
    for key, actor in (run.scenario.get("actors") or {}).items():
        if isinstance(actor, dict) and actor.get("kind") == kind and key in run.colors:
            return run.color(key)
    return fallback


def _lighten(rgb: np.ndarray, amount) -> np.ndarray:
    amount = np.asarray(amount, dtype=float)
    return rgb + (1.0 - rgb) * amount[..., None]


def _faces(run: Run, t: int) -> tuple[np.ndarray, np.ndarray]:
    """``[P, 3]`` fill colours and ``[P]`` contested mask at row ``t``."""
    h = run.history
    actor_rgb = np.array([to_rgb(run.color(k)) for k in h.actor_keys])
    grey = np.array(to_rgb(CONTESTED_COLOR))
    ctrl = h.controller[t].astype(int)
    strength = h.strength[t]
    leader = strength.argmax(axis=0)
    tint = np.where(
        (strength.sum(axis=0) > 0)[:, None], 0.5 * actor_rgb[leader] + 0.5 * grey, grey
    )
    contested = ctrl < 0
    rgb = np.where(contested[:, None], tint, actor_rgb[np.clip(ctrl, 0, None)])
    sigar = np.clip(h.sigar[t].astype(int), 0, len(LIGHTEN) - 1)
    return _lighten(rgb, LIGHTEN[sigar]), contested


# --- one map on one Axes ------------------------------------------------------


class _MapView:
    """A map drawn once on ``ax``; :meth:`update` recolours it for another row."""

    def __init__(
        self,
        ax,
        run: Run,
        shapes: ProvinceShapes,
        supply: _Supply,
        weeks: int = SUPPLY_WEEKS,
        staging_size: float = 10.0,
    ):
        self.ax, self.run, self.shapes = ax, run, shapes
        self.supply, self.weeks = supply, weeks
        self.geo = load_geography()
        self.paths = shapes.paths()
        self.base = PathCollection(
            self.paths,
            facecolors=CONTESTED_COLOR,
            edgecolors=BORDER_COLOR,
            linewidths=0.7,
            zorder=1,
        )
        with matplotlib.rc_context(
            {"hatch.color": HATCH_COLOR, "hatch.linewidth": 0.9}
        ):
            self.overlay = PathCollection(
                [],
                facecolors="none",
                edgecolors=HATCH_COLOR,
                linewidths=0.0,
                hatch=HATCH,
                zorder=2,
            )
        ax.add_collection(self.base)
        ax.add_collection(self.overlay)
        dots = ax.scatter(
            *shapes.labels.T, s=7, color=TEXT_COLOR, zorder=6, linewidths=0
        )
        self.static: list = [dots]  # artists that never change between dates
        self.coords = self._coords()
        self.staging_texts = self._staging(staging_size)
        self._frame()
        self.arrows: list[FancyArrowPatch] = []

    def _coords(self) -> dict[str, tuple[float, float]]:
        """Route node name → (lon, lat): capitals for provinces, staging points."""
        layout = self.geo.layout()
        out = {self.geo.graph.nodes[n]["name"]: layout[n] for n in self.geo.staging_ids}
        for i, name in enumerate(self.geo.names):
            out[name] = tuple(self.shapes.labels[i])
        return out

    def _staging(self, size: float) -> list:
        """Staging areas as squares with their names, pointing away from the map."""
        cx, cy = self.shapes.labels.mean(axis=0)
        texts = []
        for key, name in zip(
            self.geo.staging_keys, self.geo.staging_names, strict=True
        ):
            x, y = self.coords[name]
            (marker,) = self.ax.plot(
                x,
                y,
                marker="^" if key == "air" else "s",
                markersize=size * 0.85,
                color=STAGING_COLOR,
                markeredgecolor="white",
                zorder=8,
            )
            self.static.append(marker)
            dx, dy = x - cx, y - cy
            norm = math.hypot(dx, dy) or 1.0
            ox, oy = dx / norm, dy / norm
            texts.append(
                self.ax.annotate(
                    name,
                    (x, y),
                    xytext=(ox * (size * 0.9), oy * (size * 0.9)),
                    textcoords="offset points",
                    ha="left" if ox > 0.35 else "right" if ox < -0.35 else "center",
                    va="bottom" if oy > 0.35 else "top" if oy < -0.35 else "center",
                    fontsize=size,
                    fontweight="bold",
                    color=STAGING_COLOR,
                    path_effects=_HALO,
                    zorder=9,
                    annotation_clip=False,
                )
            )
        self.static.extend(texts)
        return texts

    def _frame(self) -> None:
        """Limits around provinces and staging areas; equal distances both ways."""
        x0, x1, y0, y1 = self.shapes.bounds
        pts = np.array([self.coords[n] for n in self.geo.staging_names])
        x0, x1 = min(x0, pts[:, 0].min()) - 0.9, max(x1, pts[:, 0].max()) + 0.9
        y0, y1 = min(y0, pts[:, 1].min()) - 0.5, max(y1, pts[:, 1].max()) + 0.5
        self.ax.set_xlim(x0, x1)
        self.ax.set_ylim(y0, y1)
        self.ax.set_aspect(1.0 / math.cos(math.radians((y0 + y1) / 2)))
        self.ax.set_axis_off()

    def update(self, t: int) -> None:
        """Colour the provinces and draw the supply arrows of row ``t``."""
        faces, contested = _faces(self.run, t)
        self.base.set_facecolor(faces)
        self.overlay.set_paths(
            [p for p, c in zip(self.paths, contested, strict=True) if c]
        )
        for arrow in self.arrows:
            arrow.remove()
        self.arrows = self._arrows(t)

    def _arrows(self, t: int) -> list[FancyArrowPatch]:
        amounts = self.supply.window(t, self.weeks)
        order = np.argsort(-amounts, kind="stable")
        k = math.cos(math.radians(float(np.mean(self.ax.get_ylim()))))
        out = []
        for j in order:
            if amounts[j] <= 0:
                break
            patron, client, route = self.supply.keys[j]
            nodes = [n.strip() for n in route.split(">")]
            if len(nodes) < 2 or any(n not in self.coords for n in nodes):
                continue
            xy = np.array([self.coords[n] for n in nodes], dtype=float)
            xy = _shorten(xy, 0.12, k)
            width = self.supply.width(float(amounts[j]))
            head = 3.5 + 0.8 * width
            arrow = FancyArrowPatch(
                path=MplPath(xy),
                arrowstyle=f"-|>,head_length={head},head_width={0.6 * head}",
                mutation_scale=1.0,
                linewidth=width,
                linestyle=self.supply.styles.get((patron, client), "solid"),
                color=self.run.color(patron),
                alpha=0.9,
                capstyle="butt",
                joinstyle="miter",
                zorder=5 + 0.001 * len(out),
                path_effects=[
                    patheffects.withStroke(linewidth=width + 1.8, foreground="white")
                ],
            )
            self.ax.add_patch(arrow)
            out.append(arrow)
        return out


def _shorten(xy: np.ndarray, by: float, k: float) -> np.ndarray:
    """The polyline with its last segment cut short by ``by`` degrees."""
    a, b = xy[-2], xy[-1]
    d = math.hypot((b[0] - a[0]) * k, b[1] - a[1])
    if d <= 2 * by:
        return xy
    out = xy.copy()
    out[-1] = b - (b - a) * (by / d)
    return out


# --- labels -------------------------------------------------------------------

_NEAR = ((6, 0, "left", "center"), (-6, 0, "right", "center"))
_NEAR += ((0, 5, "center", "bottom"), (0, -5, "center", "top"))
_NEAR += ((5, 4, "left", "bottom"), (-5, 4, "right", "bottom"))
_NEAR += ((5, -4, "left", "top"), (-5, -4, "right", "top"))
_FAR = tuple((dx * 3.2, dy * 3.2, ha, va) for dx, dy, ha, va in _NEAR)


def _overlap(a: Bbox, b: Bbox) -> float:
    w = min(a.x1, b.x1) - max(a.x0, b.x0)
    h = min(a.y1, b.y1) - max(a.y0, b.y0)
    return w * h if w > 0 and h > 0 else 0.0


def _place_labels(view: _MapView, renderer, size: float) -> list:
    """Province names beside their capitals, moved until they do not collide.

    Greedy: the most crowded capitals choose first among eight positions
    around the dot, then among eight farther ones with a leader line; a name
    takes the position overlapping least with names, dots and staging labels
    already placed.
    """
    ax, shapes = view.ax, view.shapes
    fig_scale = ax.figure.dpi / 72.0
    disp = ax.transData.transform(shapes.labels)
    r = 3.0 * fig_scale
    dots = [Bbox.from_extents(x - r, y - r, x + r, y + r) for x, y in disp]
    placed = [t.get_window_extent(renderer).padded(2) for t in view.staging_texts]
    frame = ax.get_window_extent(renderer)
    gaps = np.hypot(*(disp[:, None, :] - disp[None, :, :]).transpose(2, 0, 1))
    crowd = (gaps < 60 * fig_scale).sum(axis=1)
    texts = []
    for i in np.argsort(-crowd, kind="stable"):
        name = shapes.names[i]
        best, best_cost = None, math.inf
        for far, options in ((False, _NEAR), (True, _FAR)):
            for dx, dy, ha, va in options:
                text = ax.annotate(
                    name,
                    tuple(shapes.labels[i]),
                    xytext=(dx, dy),
                    textcoords="offset points",
                    ha=ha,
                    va=va,
                    fontsize=size,
                )
                box = text.get_window_extent(renderer).padded(1.5 * fig_scale)
                text.remove()
                cost = sum(_overlap(box, b) for b in placed)
                cost += sum(_overlap(box, d) for j, d in enumerate(dots) if j != i)
                outside = box.width * box.height - _overlap(box, frame)
                cost += 4 * outside + (0.5 if far else 0.0)
                if cost < best_cost:
                    best, best_cost = (dx, dy, ha, va, far, box), cost
                if cost == 0:
                    break
            if best_cost < 1:
                break
        dx, dy, ha, va, far, box = best
        placed.append(box)
        texts.append(
            ax.annotate(
                name,
                tuple(shapes.labels[i]),
                xytext=(dx, dy),
                textcoords="offset points",
                ha=ha,
                va=va,
                fontsize=size,
                color=TEXT_COLOR,
                path_effects=_HALO,
                zorder=7,
                annotation_clip=False,
                arrowprops=(
                    {"arrowstyle": "-", "lw": 0.7, "color": TEXT_COLOR, "shrinkB": 2}
                    if far
                    else None
                ),
            )
        )
    return texts


# --- legends ------------------------------------------------------------------


def _legend_sections(
    run: Run, supply: _Supply, t: int | None, weeks: int
) -> list[tuple[str, list, list[str]]]:
    """(title, handles, labels) of the three legends: holder, SIGAR, supply.

    ``t`` is the date of a single map (supply totals for its window) or None
    for the whole run (timeline, animation).
    """
    h = run.history
    share = _param(run, "control_share", 0.6)
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
            label="contested (tinted by the strongest)",
        )
    )
    holder_title = f"Held by (≥ {share:.0%} of fighters)"

    bands = list(_param(run, "sigar_bands", (0.2, 0.4, 0.6, 0.8)))
    gov = np.array(to_rgb(_kind_color(run, "government", "#555555")))
    ins = np.array(to_rgb(_kind_color(run, "insurgent", "#555555")))
    grey = np.array(to_rgb(CONTESTED_COLOR))

    def pct(x: float) -> str:
        return f"{100 * x:.0f}"

    sigar = [
        (gov, 4, f"government control (≥ {pct(bands[3])} %)"),
        (gov, 3, f"government influence ({pct(bands[2])}–{pct(bands[3])} %)"),
        (grey, 2, f"contested ({pct(bands[1])}–{pct(bands[2])} %)"),
        (ins, 1, f"insurgent influence ({pct(bands[0])}–{pct(bands[1])} %)"),
        (ins, 0, f"insurgent control (< {pct(bands[0])} %)"),
    ]
    sigar_handles = [
        Patch(facecolor=_lighten(rgb, LIGHTEN[c]), edgecolor=BORDER_COLOR, label=lab)
        for rgb, c, lab in sigar
    ]
    sigar_title = "SIGAR class: shade\n(government side's share\nof the fighters)"

    if t is None:
        pairs = supply.pairs
        amounts = {}
        supply_title = f"Supply, last {weeks} weeks\n(width ∝ aid delivered)"
    else:
        win = supply.window(t, weeks)
        amounts = {}
        for (patron, client, _), v in zip(supply.keys, win, strict=True):
            amounts[patron, client] = amounts.get((patron, client), 0.0) + v
        pairs = [p for p in supply.pairs if amounts.get(p, 0) > 0]
        pairs.sort(key=lambda p: -amounts[p])
        supply_title = (
            f"Aid delivered in the {weeks} weeks\nto {fmt_date(run.history.dates[t])}"
            " (aid units)"
        )
    supply_handles = []
    for patron, client in pairs:
        label = f"{run.display(patron)} → {run.display(client)}"
        if (patron, client) in amounts:
            v = amounts[patron, client]
            label += f": {v:,.0f}" if v >= 9.5 else f": {v:.1g}"
        supply_handles.append(
            Line2D(
                [],
                [],
                color=run.color(patron),
                linewidth=3.0,
                linestyle=supply.styles[patron, client],
                label=label,
            )
        )
    for v in _width_keys(supply.scale) if supply.pairs else []:
        supply_handles.append(
            Line2D(
                [], [], color="#777777", linewidth=supply.width(v), label=f"{v:,.0f}"
            )
        )
    if not pairs:
        supply_handles.insert(0, Line2D([], [], color="none", label="no aid delivered"))
    return [
        (holder_title, held, [p.get_label() for p in held]),
        (sigar_title, sigar_handles, [p.get_label() for p in sigar_handles]),
        (supply_title, supply_handles, [p.get_label() for p in supply_handles]),
    ]


def _width_keys(scale: float) -> list[float]:
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


def _stack_legends(
    ax, sections, renderer, fontsize: float, horizontal: bool = False
) -> None:
    """Legends on an empty Axes: one under the other (or side by side)."""
    ax.set_axis_off()
    pos = 0.0 if horizontal else 1.0
    for title, handles, labels in sections:
        leg = ax.legend(
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


# --- figures -------------------------------------------------------------------


def _prepare(fig: Figure):
    """Attach an Agg canvas, lay the figure out once and freeze that layout.

    Labels and legends are then placed by measuring text in display
    coordinates, which must not move afterwards. Returns the renderer.
    """
    FigureCanvasAgg(fig)
    fig.draw_without_rendering()
    fig.set_layout_engine("none")
    return fig.canvas.get_renderer()


def _note(ax, shapes: ProvinceShapes, size: float):
    if shapes.is_schematic:
        text = "Schematic map: each province is the area nearest its capital (•)"
    else:
        text = f"Province boundaries: {Path(shapes.source).name}; • capitals"
    return ax.text(
        0.0, 0.0, text, transform=ax.transAxes, fontsize=size, color="#555555",
        ha="left", va="bottom",
    )  # fmt: skip


@styled
def map(run, geometry: str | os.PathLike[str] | None = None, step: int = -1) -> Figure:
    """Who holds each province on one date, and the supply lines of the weeks before.

    Args:
        run: a model, a :class:`sim.results.rundata.Run` or a run directory.
        geometry: a GeoJSON of province shapes (default: the run's, else the
            schematic map).
        step: the row to draw (``-1``: the end of the run).

    Returns:
        The figure: the map with the province names, staging areas and
        supply arrows, and on its right the legends (holder, SIGAR class,
        supply).
    """
    run = as_run(run)
    shapes = shapes_for(run, geometry)
    t = _row(run, step)
    supply = _Supply.of(run, SUPPLY_WEEKS)
    fig = new_figure(13.0, 7.6)
    grid = fig.add_gridspec(1, 2, width_ratios=(2.6, 1.0))
    ax = fig.add_subplot(grid[0, 0])
    legend_ax = fig.add_subplot(grid[0, 1])
    legend_ax.set_axis_off()
    fig.suptitle(
        f"{run.name}: who holds each province, {fmt_date(run.history.dates[t])}"
        f" (week {t} of {len(run.history.dates) - 1})",
        fontsize=16,
        fontweight="bold",
    )
    view = _MapView(ax, run, shapes, supply, staging_size=10.5)
    view.update(t)
    _note(ax, shapes, 9)
    renderer = _prepare(fig)
    _place_labels(view, renderer, 8.5)
    _stack_legends(
        legend_ax, _legend_sections(run, supply, t, SUPPLY_WEEKS), renderer, 10.5
    )
    return fig


def _default_steps(run: Run) -> list[int]:
    last = run.history.last
    return sorted({0, last // 2, last})


@styled
def map_timeline(
    run,
    geometry: str | os.PathLike[str] | None = None,
    steps: list[int] | None = None,
) -> Figure:
    """Small multiples of the map: the start, the middle and the end by default.

    Args:
        run: a model, a :class:`sim.results.rundata.Run` or a run directory.
        geometry: a GeoJSON of province shapes (default: the run's, else the
            schematic map).
        steps: the rows to draw (negative counts from the end).

    Returns:
        The figure: one map per date in a row, and one shared legend.
    """
    run = as_run(run)
    shapes = shapes_for(run, geometry)
    rows = [_row(run, s) for s in (steps if steps is not None else _default_steps(run))]
    if not rows:
        raise ValueError("map_timeline needs at least one step")
    supply = _Supply.of(run, SUPPLY_WEEKS, factor=0.6)
    n = len(rows)
    fig = new_figure(5.4 * n, 6.4)
    grid = fig.add_gridspec(2, n, height_ratios=(2.4, 1.0))
    fig.suptitle(
        f"{run.name}: who holds each province, "
        f"{fmt_date(run.history.dates[rows[0]])} to "
        f"{fmt_date(run.history.dates[rows[-1]])}",
        fontsize=16,
        fontweight="bold",
    )
    for j, t in enumerate(rows):
        ax = fig.add_subplot(grid[0, j])
        view = _MapView(ax, run, shapes, supply, staging_size=8.0)
        view.update(t)
        ax.set_title(f"{fmt_date(run.history.dates[t])} (week {t})", fontsize=14)
    legend_ax = fig.add_subplot(grid[1, :])
    renderer = _prepare(fig)
    _stack_legends(
        legend_ax,
        _legend_sections(run, supply, None, SUPPLY_WEEKS),
        renderer,
        10.0,
        horizontal=True,
    )
    return fig


class _GifWriter:
    """Pillow GIF frames on one shared palette, without dithering.

    matplotlib's ``PillowWriter`` lets Pillow pick a palette per frame, which
    dithers flat fills and changes pixels between frames; one palette for the
    whole film keeps unchanged areas byte-identical, so the GIF stays small.
    The palette holds every fill colour the map can use exactly, and the rest
    (anti-aliased edges, text) adapted to a few frames.
    """

    def __init__(self, fps: int, exact: list[tuple[float, float, float]]):
        from matplotlib.animation import PillowWriter

        self.writer = PillowWriter(fps=fps)
        self.exact = sorted({tuple(int(round(255 * v)) for v in c) for c in exact})

    def _palette(self, frames):
        from PIL import Image

        picks = [frames[0], frames[len(frames) // 2], frames[-1]]
        w, h = picks[0].size
        strip = Image.new("RGB", (w * len(picks), h))
        for n, f in enumerate(picks):
            strip.paste(f, (n * w, 0))
        spare = max(16, 256 - len(self.exact))
        adaptive = strip.quantize(spare, method=Image.Quantize.MEDIANCUT).getpalette()
        rgb = [v for c in self.exact for v in c] + adaptive[: 3 * spare]
        rgb = rgb[: 3 * 256]
        palette = Image.new("P", (1, 1))
        palette.putpalette(rgb + [0] * (3 * 256 - len(rgb)))
        return palette

    def saving(self, fig: Figure, path: Path, dpi: float):
        writer = self.writer

        def finish() -> None:
            from PIL import Image

            frames = [f.convert("RGB") for f in writer._frames]
            palette = self._palette(frames)
            flat = [
                f.quantize(palette=palette, dither=Image.Dither.NONE) for f in frames
            ]
            flat[0].save(
                writer.outfile,
                save_all=True,
                append_images=flat[1:],
                duration=int(1000 / writer.fps),
                loop=0,
            )

        writer.finish = finish
        return writer.saving(fig, str(path), dpi)


def _fill_colors(run: Run) -> list[tuple[float, float, float]]:
    """Every colour a province, arrow or swatch of the map can take."""
    grey = np.array(to_rgb(CONTESTED_COLOR))
    out = [to_rgb(c) for c in ("white", TEXT_COLOR, HATCH_COLOR, STAGING_COLOR)]
    out += [to_rgb(c) for c in ("#555555", "#777777", "black")]
    bases = [grey] + [np.array(to_rgb(c)) for c in run.colors.values()]
    bases += [0.5 * b + 0.5 * grey for b in bases[1:]]
    for b in bases:
        out += [tuple(_lighten(b, f)) for f in sorted(set(LIGHTEN.tolist()))]
    return out


def _static_layer(fig: Figure, static: list, dynamic: list) -> None:
    """Render the artists that never change once, as one image over the figure.

    Text with a halo is slow to draw; an animation would redraw every label
    and legend in every frame. Instead they are drawn once, on a transparent
    background, and pasted on top of each frame as a figure image.
    """
    backgrounds = [fig.patch, *(ax.patch for ax in fig.axes)]
    for a in [*dynamic, *backgrounds]:
        a.set_visible(False)
    fig.canvas.draw()
    layer = np.asarray(fig.canvas.buffer_rgba()).copy()
    for a in [*dynamic, *backgrounds]:
        a.set_visible(True)
    for a in static:
        a.set_visible(False)
    fig.figimage(layer, xo=0, yo=0, origin="upper", zorder=10, resize=False)


@styled
def animate(
    run,
    path: str | os.PathLike[str],
    geometry: str | os.PathLike[str] | None = None,
    every: int = 2,
    fps: int = 5,
) -> Path:
    """Write a GIF of the map through the whole run; returns its path.

    Provinces and labels are drawn once; each frame recolours them and
    redraws the supply arrows, so a two-year run takes a few seconds.

    Args:
        run: a model, a :class:`sim.results.rundata.Run` or a run directory.
        path: the ``.gif`` to write (its directory must exist).
        geometry: a GeoJSON of province shapes (default: the run's, else the
            schematic map).
        every: draw every ``every``-th step (the last step is always drawn).
        fps: frames per second.
    """
    if every < 1:
        raise ValueError(f"every must be at least 1, got {every}")
    run = as_run(run)
    path = Path(path)
    shapes = shapes_for(run, geometry)
    last = run.history.last
    frames = list(range(0, last + 1, every))
    if frames[-1] != last:
        frames.append(last)
    supply = _Supply.of(run, SUPPLY_WEEKS)
    fig = new_figure(12.0, 7.0)
    fig.set_dpi(GIF_DPI)
    grid = fig.add_gridspec(1, 2, width_ratios=(2.3, 1.0))
    ax = fig.add_subplot(grid[0, 0])
    legend_ax = fig.add_subplot(grid[0, 1])
    title = fig.suptitle(" ", fontsize=17, fontweight="bold")
    view = _MapView(ax, run, shapes, supply, staging_size=12.0)
    view.update(frames[0])
    note = _note(ax, shapes, 11)
    renderer = _prepare(fig)
    labels = _place_labels(view, renderer, 10.5)
    _stack_legends(
        legend_ax, _legend_sections(run, supply, None, SUPPLY_WEEKS), renderer, 11
    )
    _static_layer(
        fig,
        static=[*view.static, *labels, note, legend_ax],
        dynamic=[view.base, view.overlay, *view.arrows, title],
    )
    writer = _GifWriter(fps=fps, exact=_fill_colors(run))
    with writer.saving(fig, path, GIF_DPI):
        for t in frames:
            view.update(t)
            title.set_text(
                f"{run.name}: {fmt_date(run.history.dates[t])} (week {t} of {last})"
            )
            writer.writer.grab_frame()
    return path
