"""History matching in waves, run on the model itself through the sweep.

Wave 1 runs a Latin hypercube over the priors; each later wave draws its
points around the previous wave's non-implausible ones (a Gaussian kernel
in the unit cube, as in ABC-SMC: Beaumont et al. 2009) and runs them on
more seeds. A point is ruled out when its largest implausibility over the
calibration facts exceeds the cut-off (3 by default). The last wave's
non-implausible points are the posterior sample: the assumptions the
calibration facts cannot rule out.

No emulator stands in for the model: every point is a run of the model, so
the waves are few and small, and the refocusing is done by the kernel.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from sim.experiments.calibration.targets import Split, estimate, implausibility
from sim.experiments.scorecard import plan_check
from sim.experiments.sweep import is_integer_field, sweep
from sim.experiments.uncertainty import Prior
from sim.experiments.uncertainty.scaling import to_unit, to_values

CUTOFF = 3.0
MIN_BANDWIDTH = 0.05


@dataclass(frozen=True)
class Waves:
    """The size of a history match: points and seeds per wave, the cut-off.

    Attributes:
        points: model points per wave (the first is a Latin hypercube).
        seeds: seeds per point, per wave (more in later waves).
        cutoff: the largest implausibility a point may have.
    """

    points: tuple[int, ...] = (160, 120, 120)
    seeds: tuple[int, ...] = (2, 3, 3)
    cutoff: float = CUTOFF

    @property
    def runs(self) -> int:
        """Model runs the waves take."""
        return sum(p * s for p, s in zip(self.points, self.seeds, strict=True))


FULL = Waves()
QUICK = Waves(points=(6, 4), seeds=(1, 1))


@dataclass
class Match:
    """The result of a history match.

    Attributes:
        priors: the priors searched.
        evaluated: one row per point run: ``wave``, ``point``, the prior
            paths, ``I:<fact>`` per calibration fact, ``I_max`` and
            ``plausible``.
        split: the calibration and validation facts.
        runs: model runs taken.
        seconds: wall time.
        notes: what the waves had to do that a reader should know.
        cutoff: the implausibility cut-off used.
    """

    priors: list[Prior]
    evaluated: pd.DataFrame
    split: Split
    runs: int = 0
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)
    cutoff: float = CUTOFF

    @property
    def posterior(self) -> pd.DataFrame:
        """The last wave's non-implausible points (the accepted parameter sets)."""
        last = self.evaluated[self.evaluated["wave"] == self.evaluated["wave"].max()]
        return last[last["plausible"]].reset_index(drop=True)

    def summary(self) -> pd.DataFrame:
        """Per prior: its range, and the posterior's median and 90% interval."""
        post = self.posterior
        rows = []
        for p in self.priors:
            v = post[p.path].to_numpy(dtype=float)
            q = np.quantile(v, [0.05, 0.5, 0.95]) if v.size else [np.nan] * 3
            rows.append(
                {
                    "parameter": p.path,
                    "prior_low": p.low,
                    "prior_high": p.high,
                    "scale": p.scale,
                    "median": q[1],
                    "p05": q[0],
                    "p95": q[2],
                    "interval_share_of_prior": (q[2] - q[0]) / (p.high - p.low),
                    "accepted": int(v.size),
                }
            )
        return pd.DataFrame(rows)


def plausible(i_max: pd.Series, cutoff: float) -> pd.Series:
    """Not ruled out: the largest implausibility at most the cut-off.

    The accepted ranges are closed, and a value on a bound has an
    implausibility of exactly the cut-off when seeds agree (a fact read as
    1 against ``[0.5, 1]``), so the comparison is ``<=``, with a little room
    for rounding.
    """
    return i_max <= cutoff * (1 + 1e-9)


def _points(priors: Sequence[Prior], unit: np.ndarray) -> pd.DataFrame:
    """Unit-cube points as scenario values (whole numbers where whole)."""
    values = to_values(priors, unit).astype(object)
    for p in priors:
        if is_integer_field(p.path):
            values[p.path] = [int(round(v)) for v in values[p.path]]
    return values


def _first_wave(d: int, n: int, rng: np.random.Generator) -> np.ndarray:
    """A Latin hypercube of ``n`` points in ``d`` dimensions."""
    from scipy.stats import qmc

    return qmc.LatinHypercube(d=d, seed=rng).random(n)


def _next_wave(kept: np.ndarray, n: int, rng: np.random.Generator) -> np.ndarray:
    """``n`` points drawn around ``kept`` (unit cube), reflected into [0, 1]."""
    width = np.maximum(kept.std(axis=0, ddof=0), MIN_BANDWIDTH)
    centres = kept[rng.integers(0, len(kept), size=n)]
    u = centres + rng.normal(0.0, 1.0, size=centres.shape) * width
    u = np.abs(u)
    return np.where(u > 1, 2 - u, u).clip(0, 1)


def _score(split: Split, runs: pd.DataFrame, n: int) -> pd.DataFrame:
    """Implausibility per calibration fact and point, from the runs' values."""
    cols: dict[str, list[float]] = {}
    groups = dict(tuple(runs.groupby("point")))
    for fact in split.calibration:
        cols[f"I:{fact.id}"] = [
            implausibility(fact, *estimate(fact, groups[i][fact.id].to_numpy()))
            for i in range(n)
        ]
    table = pd.DataFrame(cols)
    table["I_max"] = table.max(axis=1)
    return table


def _wave(ctx: dict, unit: np.ndarray, seeds: int, wave: int) -> pd.DataFrame:
    """Run one wave's points and score them."""
    points = _points(ctx["priors"], unit)
    runs = sweep(
        ctx["scenario"],
        points,
        replicates=seeds,
        seed=ctx["seed"],
        workers=ctx["workers"],
        metrics=[ctx["probe"]],
        progress=ctx["progress"],
    )
    table = pd.concat(
        [points.reset_index(drop=True), _score(ctx["split"], runs, len(points))], axis=1
    )
    table.insert(0, "point", range(len(points)))
    table.insert(0, "wave", wave)
    table["plausible"] = plausible(table["I_max"], ctx["cutoff"])
    return table


def history_match(
    scenario: Any,
    priors: Sequence[Prior],
    split: Split,
    waves: Waves = FULL,
    *,
    seed: int = 0,
    workers: int = 1,
    progress: bool | None = None,
) -> Match:
    """Rule out the assumptions the calibration facts make implausible, in waves.

    Args:
        scenario: a scenario file, a loaded Scenario or a dict.
        priors: the priors to search.
        split: the calibration (and validation) facts.
        waves: points and seeds per wave, and the cut-off.
        seed: seeds the design, the kernel and the runs.
        workers: processes for each wave's sweep.
        progress: a progress bar per wave (default: when stderr is a terminal).

    Returns:
        A :class:`Match` (``posterior`` holds the accepted parameter sets).
    """
    started = time.perf_counter()
    plan = plan_check(scenario, split.calibration)
    ctx = {
        "scenario": plan.scenario,
        "priors": list(priors),
        "split": split,
        "seed": seed,
        "workers": workers,
        "probe": plan.probe,
        "progress": progress,
        "cutoff": waves.cutoff,
    }
    rng = np.random.default_rng(np.random.SeedSequence([seed, 1]))
    notes: list[str] = []
    tables = []
    unit = _first_wave(len(priors), waves.points[0], rng)
    for w, (n, seeds) in enumerate(zip(waves.points, waves.seeds, strict=True), 1):
        if w > 1:
            prev = tables[-1]
            kept = prev[prev["plausible"]]
            if kept.empty:
                kept = prev.nsmallest(max(2, len(prev) // 10), "I_max")
                notes.append(
                    f"wave {w - 1}: every point above the cut-off; wave {w} "
                    f"was drawn around the {len(kept)} least implausible"
                )
            unit = _next_wave(to_unit(priors, kept), n, rng)
        tables.append(_wave(ctx, unit, seeds, w))
    return Match(
        list(priors),
        pd.concat(tables, ignore_index=True),
        split,
        runs=waves.runs,
        seconds=time.perf_counter() - started,
        notes=notes,
    )
