"""How a province is coloured: its holder's colour, shaded by SIGAR class.

* **Fill colour**: the actor holding the province (at least ``control_share``
  of its armed strength). Where no one does, the province is *contested*:
  hatched, and tinted half-way between grey and the strongest actor's colour.
* **Shade**: SIGAR's five classes from the government side's share of the
  fighters: control classes are drawn in full colour, influence classes
  lighter, SIGAR-contested lightest.
"""

from __future__ import annotations

import numpy as np
from matplotlib import patheffects
from matplotlib.colors import to_rgb

from sim.plots.style import CONTESTED_COLOR
from sim.results.rundata import Run

# Blend towards white by SIGAR class (insurgent control … government control).
LIGHTEN = np.array([0.0, 0.45, 0.6, 0.45, 0.0])
HATCH = "///"
HATCH_COLOR = "#3A3A3A"
BORDER_COLOR = "white"
TEXT_COLOR = "#1A1A1A"
STAGING_COLOR = "#333333"
HALO = [patheffects.withStroke(linewidth=2.6, foreground="white")]


def parameter(run: Run, name: str, default):
    """A model parameter of the run's scenario (``default`` when it sets none)."""
    return (run.scenario.get("parameters") or {}).get(name, default)


def kind_color(run: Run, kind: str, fallback: str) -> str:
    """The colour of the run's first actor of ``kind``, for the SIGAR swatches."""
    for key, actor in (run.scenario.get("actors") or {}).items():
        if isinstance(actor, dict) and actor.get("kind") == kind and key in run.colors:
            return run.color(key)
    return fallback


def lighten(rgb: np.ndarray, amount) -> np.ndarray:
    """``rgb`` blended towards white by ``amount`` (0: unchanged, 1: white)."""
    amount = np.asarray(amount, dtype=float)
    return rgb + (1.0 - rgb) * amount[..., None]


def faces(run: Run, t: int) -> tuple[np.ndarray, np.ndarray]:
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
    return lighten(rgb, LIGHTEN[sigar]), contested


def all_colors(run: Run) -> list[tuple[float, float, float]]:
    """Every colour a province, arrow or swatch of the map can take."""
    grey = np.array(to_rgb(CONTESTED_COLOR))
    out = [to_rgb(c) for c in ("white", TEXT_COLOR, HATCH_COLOR, STAGING_COLOR)]
    out += [to_rgb(c) for c in ("#555555", "#777777", "black")]
    bases = [grey] + [np.array(to_rgb(c)) for c in run.colors.values()]
    bases += [0.5 * b + 0.5 * grey for b in bases[1:]]
    for b in bases:
        out += [tuple(lighten(b, f)) for f in sorted(set(LIGHTEN.tolist()))]
    return out
