"""What Morris and Sobol' share: checked inputs, the sweep of a design, the table.

A :class:`Study` holds one analysis's checked inputs; it runs a SALib design
through :func:`sim.experiments.sweep.sweep`, averages each point's
replicates, and turns SALib's result into a table, largest index first.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

import numpy as np
import pandas as pd

from sim.experiments.sweep import (
    SweepError,
    checked_range,
    is_integer_field,
    make_plan,
    sweep,
)
from sim.results.metrics import MetricError, parse_metric

INSTALL_HINT = "pip install 'greatgame[analysis]'"
CONF_LEVEL = 0.95
RESAMPLES = 1000


class SensitivityError(ValueError):
    """An analysis that cannot be computed, e.g. a metric with no value at a point."""


def salib() -> SimpleNamespace:
    """SALib's samplers and analysers, imported on first use."""
    try:
        from SALib.analyze import morris as morris_analyze
        from SALib.analyze import sobol as sobol_analyze
        from SALib.sample import morris as morris_sample
        from SALib.sample import sobol as sobol_sample
    except ImportError as err:
        raise ImportError(
            f"sensitivity analysis needs SALib, which is not installed: {INSTALL_HINT}"
        ) from err
    return SimpleNamespace(
        morris_sample=morris_sample,
        morris_analyze=morris_analyze,
        sobol_sample=sobol_sample,
        sobol_analyze=sobol_analyze,
    )


def _problem(ranges: Any) -> dict:
    """SALib's problem dict from ``{path: (lo, hi)}``, checked."""
    if not isinstance(ranges, Mapping) or not ranges:
        raise SweepError(
            "ranges must be {path: (lo, hi)}, e.g. {'actors.russia.resources': (0, 48)}"
        )
    names, bounds = [], []
    for path, rng in ranges.items():
        pair = checked_range(path, rng)
        names.append(str(path))
        bounds.append([float(pair[0]), float(pair[1])])
    return {"num_vars": len(names), "names": names, "bounds": bounds}


def _value(path: str, x: float) -> float | int:
    """A design value as the scenario takes it: whole numbers for int fields."""
    return int(round(x)) if is_integer_field(path) else float(x)


def _metric_column(metric: Any, scenario: Any, problem: dict) -> str:
    """Validate paths, values at both ends of each range, and the metric.

    Returns the metric's column name in the sweep results. Nothing runs.
    """
    names, bounds = problem["names"], problem["bounds"]
    corners = [
        {p: _value(p, b[end]) for p, b in zip(names, bounds, strict=True)}
        for end in (0, 1)
    ]
    plan = make_plan(scenario, corners)  # ScenarioError: bad path or value
    if isinstance(metric, str):
        return parse_metric(metric, plan.actors, places=plan.places).name
    if callable(metric):
        return str(getattr(metric, "__name__", None) or type(metric).__name__)
    raise MetricError(
        "metric must be one metric name (e.g. 'provinces:taliban') or a function "
        f"f(model) -> float, not {type(metric).__name__}; analyse one metric at a time"
    )


def check_whole(name: str, value: Any, least: int) -> None:
    """Refuse a design size (trajectories, levels, samples) below ``least``."""
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        raise SweepError(f"{name} must be a whole number ≥ {least}, got {value!r}")
    if value < least:
        raise SweepError(f"{name} must be at least {least}, got {value}")


@dataclass(frozen=True)
class Study:
    """One sensitivity analysis, checked: the scenario, ranges, metric and runs.

    Attributes:
        scenario: a scenario file, a loaded scenario or a dict.
        problem: SALib's problem dict (names and bounds of the ranges).
        metric: the metric name or function given.
        column: the metric's column in the sweep results.
        replicates: seeds per point, averaged before the analysis.
        seed: seeds the design, the runs and the bootstrap.
        workers: processes for the sweep.
        out: the sweep directory, or None.
        sweep_options: further keywords for the sweep.
    """

    scenario: Any
    problem: dict
    metric: str | Callable
    column: str
    replicates: int
    seed: int
    workers: int
    out: str | os.PathLike[str] | None
    sweep_options: dict

    def run(self, X: np.ndarray) -> tuple[np.ndarray, pd.DataFrame]:
        """Run every row of ``X``; the mean of the metric per row, and the runs."""
        names = self.problem["names"]
        points = pd.DataFrame(
            {p: [_value(p, x) for x in X[:, j]] for j, p in enumerate(names)}
        ).astype(object)
        results = sweep(
            self.scenario,
            points,
            replicates=self.replicates,
            seed=self.seed,
            workers=self.workers,
            metrics=[self.metric],
            out=self.out,
            **self.sweep_options,
        )
        values = results[self.column]
        if values.isna().any():
            bad = results.loc[values.isna(), "point"].nunique()
            raise SensitivityError(
                f"metric '{self.column}' has no value in {int(values.isna().sum())} "
                f"run(s) at {bad} design point(s) (e.g. alliance_week when the pair "
                "never allies); analyse a metric defined in every run, such as "
                "ever_allied or share_allied"
            )
        means = values.groupby(results["point"]).mean().reindex(range(len(X)))
        return means.to_numpy(dtype=float), results

    def table(self, res: Mapping, columns: list[str], key: str) -> pd.DataFrame:
        """SALib's ``res`` as one row per parameter, largest ``key`` first."""
        data = {"parameter": self.problem["names"]}
        for c in columns[1:]:
            data[c] = np.asarray(res[c], dtype=float)
        table = pd.DataFrame(data)
        table = table.sort_values(key, ascending=False, kind="stable")
        return table.reset_index(drop=True)

    def attrs(self, method: str, n_points: int, results: pd.DataFrame, **kw) -> dict:
        """The table's ``attrs``: what was analysed, over how many runs, where."""
        problem = self.problem
        return {
            "method": method,
            "metric": self.column,
            "ranges": dict(zip(problem["names"], problem["bounds"], strict=True)),
            "points": n_points,
            "replicates": int(results["replicate"].max()) + 1 if len(results) else 0,
            "runs": len(results),
            "resumed": results.attrs.get("resumed", 0),
            "out": results.attrs.get("out"),
            **kw,
        }


def study(
    scenario: Any,
    ranges: Any,
    metric: Any,
    replicates: int,
    seed: int,
    workers: int,
    out: str | os.PathLike[str] | None,
    sweep_options: dict,
) -> Study:
    """A :class:`Study` with its ranges, paths, values and metric checked.

    Nothing runs: a bad path, value or metric fails here, with "did you mean".
    """
    problem = _problem(ranges)
    column = _metric_column(metric, scenario, problem)
    return Study(
        scenario,
        problem,
        metric,
        column,
        replicates,
        seed,
        workers,
        out,
        sweep_options,
    )
