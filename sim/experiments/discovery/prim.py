"""PRIM (Friedman & Fisher 1999): peeling, pasting, the trajectory, the boxes.

Peeling starts from the box that holds every run and, step by step, cuts
off the ``alpha`` share of the box's runs at the low or high end of one
parameter, whichever cut leaves the highest share of cases of interest
(the density), until fewer than ``min_mass`` of all runs remain. Each step
is one box of the *peeling trajectory*; coverage falls and density rises
along it, and the analyst picks the trade-off. Pasting then widens the
picked box again, ``alpha`` at a time, wherever that raises its density.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd


@dataclass
class Prim:
    """A PRIM analysis: the data, the peeling trajectory and its boxes.

    Attributes:
        x: the sampled parameters, one column per parameter.
        y: True where the outcome of interest happened.
        boxes: the boxes of the trajectory, each ``{column: (low, high)}``
            (inclusive), the first holding every run.
        limits: ``{column: (low, high)}`` of the whole space (the priors,
            or the data's own range), against which restriction is judged.
        chosen: the index of the picked box (see :meth:`choose`).
    """

    x: pd.DataFrame
    y: np.ndarray
    boxes: list[dict[str, tuple[float, float]]]
    limits: dict[str, tuple[float, float]]
    chosen: int = field(default=-1)

    def inside(self, box: dict[str, tuple[float, float]]) -> np.ndarray:
        """A boolean mask: which runs lie in ``box``."""
        return _inside(self.x, box)

    def stats(self, box: dict[str, tuple[float, float]]) -> dict[str, float]:
        """Coverage, density, mass and restricted dimensions of one box."""
        mask = self.inside(box)
        hits = float(self.y[mask].sum())
        return {
            "coverage": hits / float(self.y.sum()),
            "density": hits / mask.sum() if mask.any() else float("nan"),
            "mass": mask.mean(),
            "restricted": len(self.restricted(box)),
        }

    def restricted(self, box: dict[str, tuple[float, float]]) -> list[str]:
        """The parameters the box limits to less than their whole range."""
        return [c for c, (lo, hi) in box.items() if (lo, hi) != self.limits[c]]

    @property
    def trajectory(self) -> pd.DataFrame:
        """One row per box: its coverage, density, mass and restricted count."""
        rows = [{"box": i, **self.stats(b)} for i, b in enumerate(self.boxes)]
        return pd.DataFrame(rows)

    def choose(
        self, min_coverage: float = 0.5, max_restricted: int | None = None
    ) -> int:
        """Pick the densest box that keeps at least ``min_coverage``, and paste it.

        Args:
            min_coverage: the least share of the cases the box must hold.
            max_restricted: at most this many restricted parameters (a box
                that limits a dozen parameters explains little).

        Ties go to the box with fewer restricted parameters. The pasted box
        is appended to :attr:`boxes` and becomes :attr:`chosen`.

        Returns:
            The index of the chosen (pasted) box.
        """
        t = self.trajectory
        keep = t["coverage"] >= min_coverage
        if max_restricted is not None:
            keep &= t["restricted"] <= max_restricted
        ok = t[keep]
        if ok.empty:
            ok = t.iloc[:1]
        best = ok.sort_values(["density", "restricted"], ascending=[False, True]).index[
            0
        ]
        self.boxes.append(paste(self.x, self.y, self.boxes[best], self.limits))
        self.chosen = len(self.boxes) - 1
        return self.chosen

    def box(self, index: int | None = None) -> pd.DataFrame:
        """The restricted parameters of a box (default: the chosen one).

        Returns:
            One row per restricted parameter: ``parameter``, ``low``,
            ``high`` (the box) and ``prior_low``, ``prior_high`` (the
            limits); ``attrs`` hold the box's coverage, density and mass.
        """
        b = self.boxes[self.chosen if index is None else index]
        rows = [
            {
                "parameter": c,
                "low": b[c][0],
                "high": b[c][1],
                "prior_low": self.limits[c][0],
                "prior_high": self.limits[c][1],
            }
            for c in self.restricted(b)
        ]
        table = pd.DataFrame(
            rows, columns=["parameter", "low", "high", "prior_low", "prior_high"]
        )
        table.attrs.update(self.stats(b))
        return table


def _inside(x: pd.DataFrame, box: dict[str, tuple[float, float]]) -> np.ndarray:
    """Which rows of ``x`` lie in ``box`` (bounds inclusive)."""
    mask = np.ones(len(x), dtype=bool)
    for c, (lo, hi) in box.items():
        v = x[c].to_numpy(dtype=float)
        mask &= (v >= lo) & (v <= hi)
    return mask


def _cut(values: np.ndarray, share: float, side: str) -> float | None:
    """The new bound that removes about ``share`` of ``values`` from one side.

    At least one value goes; ties go together. The bound lies halfway
    between the last value removed and the first kept. None when every
    value would go (nothing left to keep).
    """
    ordered = np.sort(values) if side == "low" else -np.sort(-values)
    k = max(1, int(np.floor(share * len(values))))
    edge = ordered[k - 1]
    kept = values[values > edge] if side == "low" else values[values < edge]
    if kept.size == 0:
        return None
    nearest = kept.min() if side == "low" else kept.max()
    return float((edge + nearest) / 2)


def _candidates(x: pd.DataFrame, mask: np.ndarray, box: dict, alpha: float):
    """Every one-sided peel of ``box``: (new box) for each parameter and side."""
    for c in box:
        values = x[c].to_numpy(dtype=float)[mask]
        for side in ("low", "high"):
            bound = _cut(values, alpha, side)
            if bound is None:
                continue
            lo, hi = box[c]
            yield {**box, c: (bound, hi) if side == "low" else (lo, bound)}


def peel(
    x: pd.DataFrame, y: np.ndarray, start: dict, alpha: float, min_mass: float
) -> list[dict[str, tuple[float, float]]]:
    """The peeling trajectory from ``start``: each step the densest peel.

    Stops when a peel would leave fewer than ``min_mass`` of all runs, or
    no peel is possible.
    """
    boxes = [start]
    n = len(x)
    while True:
        mask = _inside(x, boxes[-1])
        best, best_density = None, -1.0
        for cand in _candidates(x, mask, boxes[-1], alpha):
            inner = _inside(x, cand)
            if inner.sum() < min_mass * n or not inner.any():
                continue
            density = float(y[inner].mean())
            if density > best_density:
                best, best_density = cand, density
        if best is None:
            return boxes
        boxes.append(best)


def paste(
    x: pd.DataFrame, y: np.ndarray, box: dict, limits: dict, alpha: float = 0.05
) -> dict[str, tuple[float, float]]:
    """Widen ``box`` one side at a time while that raises its density.

    Each candidate takes in about ``alpha`` of the box's runs (those just
    outside one bound, within the others); the densest is kept while it is
    denser than the box.
    """
    while True:
        mask = _inside(x, box)
        density = float(y[mask].mean()) if mask.any() else 0.0
        best, best_density = None, density
        for c, (lo, hi) in box.items():
            others = _inside(x, {k: v for k, v in box.items() if k != c})
            v = x[c].to_numpy(dtype=float)
            k = max(1, int(np.floor(alpha * mask.sum())))
            below, above = np.sort(v[others & (v < lo)]), np.sort(v[others & (v > hi)])
            if below.size:
                new_lo = limits[c][0] if k >= below.size else float(below[-k])
                cand = {**box, c: (new_lo, hi)}
                d = float(y[_inside(x, cand)].mean())
                if d > best_density:
                    best, best_density = cand, d
            if above.size:
                new_hi = limits[c][1] if k >= above.size else float(above[k - 1])
                cand = {**box, c: (lo, new_hi)}
                d = float(y[_inside(x, cand)].mean())
                if d > best_density:
                    best, best_density = cand, d
        if best is None:
            return box
        box = best


def prim(
    x: pd.DataFrame,
    y: np.ndarray | pd.Series,
    *,
    alpha: float = 0.05,
    min_mass: float = 0.05,
    limits: dict[str, tuple[float, float]] | None = None,
) -> Prim:
    """Peel a box around the runs where the outcome of interest happened.

    Args:
        x: the sampled parameters, one numeric column per parameter.
        y: True (or 1) where the outcome of interest happened, per row of x.
        alpha: the share of the box's runs each peel removes (0.05 is usual).
        min_mass: peeling stops before a box holds fewer than this share of
            all runs.
        limits: ``{column: (low, high)}`` of the whole space, e.g. the prior
            ranges (default: each column's minimum and maximum).

    Returns:
        A :class:`Prim` with the peeling trajectory (call :meth:`Prim.choose`
        to pick and paste a box).

    Raises:
        ValueError: mismatched lengths, a non-numeric column, an alpha or
            min_mass outside (0, 1), or no case of interest at all.
    """
    y = np.asarray(y, dtype=float)
    if len(y) != len(x):
        raise ValueError(f"x has {len(x)} rows but y has {len(y)} values")
    if not 0 < alpha < 1 or not 0 < min_mass < 1:
        raise ValueError(
            f"alpha and min_mass must lie in (0, 1), got {alpha}, {min_mass}"
        )
    if not set(np.unique(y)) <= {0.0, 1.0}:
        raise ValueError("y must be True/False (or 1/0) per run")
    if y.sum() == 0:
        raise ValueError("no run has the outcome of interest: there is nothing to find")
    bad = [c for c in x.columns if not pd.api.types.is_numeric_dtype(x[c])]
    if bad:
        raise ValueError(
            f"PRIM takes numeric parameters; not numeric: {', '.join(bad)}"
        )
    x = x.astype(float).reset_index(drop=True)
    if limits is None:
        limits = {c: (float(x[c].min()), float(x[c].max())) for c in x.columns}
    limits = {c: (float(limits[c][0]), float(limits[c][1])) for c in x.columns}
    boxes = peel(x, y, dict(limits), alpha, min_mass)
    return Prim(x, y, boxes, limits)
