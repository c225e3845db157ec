"""What the headline rests on: Morris and Sobol' over all priors, many outcomes.

One design over a scenario's priors (its ``uncertainty:`` section), one sweep
that records every headline outcome in each run, then one analysis per
outcome, so six outcomes cost the runs of one::

    from sim.experiments.sensitivity import headline
    screen = headline.analyse("scenarios/2016.yaml", method="morris", size=8)
    shares = headline.analyse("scenarios/2016.yaml", method="sobol", size=32)
    headline.plot(shares)

The design is drawn in the unit cube and mapped onto each prior (uniform or
log-uniform), so the indices are per whole prior range whatever the scale.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from sim.experiments.sensitivity.study import (
    CONF_LEVEL,
    RESAMPLES,
    SensitivityError,
    check_whole,
    salib,
)
from sim.experiments.sweep import as_scenario, is_integer_field, sweep
from sim.experiments.uncertainty import Prior, priors_of
from sim.experiments.uncertainty.scaling import to_values

HEADLINE = {
    "russia_taliban_allied": "ever_allied:russia:taliban",
    "russia_taliban_week": "alliance_week:russia:taliban",
    "isis_k_fighters": "strength:isis_k",
    "isis_k_provinces": "presence:isis_k",
    "taliban_provinces": "provinces:taliban",
    "government_side_share": "government_side_share",
}
"""The headline outcomes: a label for each, and the metric that measures it.

``russia_taliban_week`` is the first week the pair are allies; a run in which
they never ally counts as one week past the horizon (``steps + 1``), so the
outcome is defined in every run and "later" and "never" rank together.
"""

METHODS = ("morris", "sobol")
LEVELS = 4


def _unit_design(method: str, names: list[str], size: int, seed: int) -> np.ndarray:
    """The SALib design in the unit cube: Morris trajectories or Saltelli's."""
    lib = salib()
    problem = {
        "num_vars": len(names),
        "names": names,
        "bounds": [[0.0, 1.0]] * len(names),
    }
    if method == "morris":
        return lib.morris_sample.sample(problem, size, num_levels=LEVELS, seed=seed)
    return lib.sobol_sample.sample(problem, size, calc_second_order=False, seed=seed)


def design_points(priors: Sequence[Prior], unit: np.ndarray) -> pd.DataFrame:
    """The unit design as scenario values, whole numbers where the field is whole.

    Args:
        priors: the priors, one per column of ``unit``.
        unit: points in the unit cube.

    Returns:
        One row per point, one column per prior path (object dtype, so that
        whole-number fields stay ints).
    """
    values = to_values(priors, unit).astype(object)
    for p in priors:
        if is_integer_field(p.path):
            values[p.path] = [int(round(v)) for v in values[p.path]]
    return values


def outcome_means(
    results: pd.DataFrame, metrics: Mapping[str, str], steps: int, n_points: int
) -> pd.DataFrame:
    """Each outcome's mean over a point's replicates, one row per point.

    A never-formed alliance's week (NaN) counts as ``steps + 1``; any other
    missing value is an error (the analysis needs a value at every point).
    """
    out = {}
    for label, metric in metrics.items():
        values = results[metric].astype(float)
        if metric.startswith("alliance_week:"):
            values = values.fillna(steps + 1)
        if values.isna().any():
            raise SensitivityError(
                f"outcome '{label}' ({metric}) has no value in some runs"
            )
        out[label] = values.groupby(results["point"]).mean()
    return pd.DataFrame(out).reindex(range(n_points))


def _analyse_one(
    method: str, problem: dict, X: np.ndarray, y: np.ndarray, seed: int
) -> dict:
    """SALib's analysis of one outcome; NaN indices when it never varies."""
    lib = salib()
    if np.ptp(y) == 0:
        keys = ("mu", "mu_star", "sigma", "mu_star_conf")
        if method == "sobol":
            keys = ("S1", "S1_conf", "ST", "ST_conf")
        nan = np.nan if method == "sobol" else 0.0
        return {k: np.full(problem["num_vars"], nan) for k in keys}
    if method == "morris":
        return lib.morris_analyze.analyze(
            problem,
            X,
            y,
            num_resamples=RESAMPLES,
            conf_level=CONF_LEVEL,
            num_levels=LEVELS,
            seed=seed,
        )
    return lib.sobol_analyze.analyze(
        problem,
        y,
        calc_second_order=False,
        num_resamples=RESAMPLES,
        conf_level=CONF_LEVEL,
        seed=np.random.SeedSequence(seed),
    )


def _check(
    method: str, priors: Sequence[Prior], metrics: Mapping[str, str], size: int
) -> None:
    """Refuse a bad method, no priors, no outcomes or a design too small."""
    if method not in METHODS:
        raise SensitivityError(
            f"method must be one of {', '.join(METHODS)}, got {method!r}"
        )
    if not priors:
        raise SensitivityError(
            "the scenario has no priors (an uncertainty: section) to analyse over"
        )
    if not metrics:
        raise SensitivityError("no outcomes to analyse")
    check_whole("size", size, 2)


def analyse(
    scenario: Any,
    *,
    method: str = "morris",
    size: int = 8,
    priors: Sequence[Prior] | None = None,
    metrics: Mapping[str, str] | None = None,
    replicates: int = 1,
    seed: int = 0,
    workers: int = 1,
    out: str | os.PathLike[str] | None = None,
    **sweep_options: Any,
) -> pd.DataFrame:
    """Morris or Sobol' indices of every headline outcome over the priors.

    Args:
        scenario: a scenario file, a loaded scenario or a dict.
        method: ``morris`` (a screen: ``size * (k + 1)`` points for ``k``
            priors) or ``sobol`` (variance shares: ``size * (k + 2)`` points).
        size: Morris trajectories, or Sobol's base sample (a power of two).
        priors: the priors to vary (default: the scenario's own).
        metrics: ``{label: metric}`` (default :data:`HEADLINE`).
        replicates: seeds per point (common random numbers), averaged.
        seed: seeds the design, the runs and the bootstrap.
        workers: processes for the sweep.
        out: a sweep directory (a rerun resumes).
        **sweep_options: passed to :func:`sim.experiments.sweep.sweep`.

    Returns:
        A long table, one row per (outcome, parameter): ``outcome``,
        ``metric``, ``parameter`` and the method's columns (Morris: ``mu``,
        ``mu_star``, ``sigma``, ``mu_star_conf``, in the outcome's units per
        whole prior range; Sobol': ``S1``, ``S1_conf``, ``ST``, ``ST_conf``,
        NaN for an outcome that never varies). ``attrs`` hold ``method``,
        ``size``, ``points``, ``runs``, ``priors`` and ``outcomes`` (the
        per-point means, for scenario discovery).
    """
    sc = as_scenario(scenario, TypeError)
    priors = list(priors_of(sc) if priors is None else priors)
    metrics = dict(HEADLINE if metrics is None else metrics)
    _check(method, priors, metrics, size)
    names = [p.path for p in priors]
    X = _unit_design(method, names, int(size), seed)
    points = design_points(priors, X)
    results = sweep(
        sc,
        points,
        replicates=replicates,
        seed=seed,
        workers=workers,
        metrics=list(metrics.values()),
        out=out,
        **sweep_options,
    )
    means = outcome_means(results, metrics, sc.steps, len(X))
    problem = {
        "num_vars": len(names),
        "names": names,
        "bounds": [[0.0, 1.0]] * len(names),
    }
    rows = []
    for label, metric in metrics.items():
        res = _analyse_one(method, problem, X, means[label].to_numpy(), seed)
        table = pd.DataFrame({"parameter": names})
        for key in (
            "mu",
            "mu_star",
            "sigma",
            "mu_star_conf",
            "S1",
            "S1_conf",
            "ST",
            "ST_conf",
        ):
            if key in res:
                table[key] = np.asarray(res[key], dtype=float)
        table.insert(0, "metric", metric)
        table.insert(0, "outcome", label)
        rows.append(table)
    long = pd.concat(rows, ignore_index=True)
    long.attrs.update(
        method=method,
        size=int(size),
        points=len(X),
        runs=len(results),
        priors=priors,
        outcomes=pd.concat([points.reset_index(drop=True), means], axis=1),
    )
    return long


def top(table: pd.DataFrame, outcome: str, n: int = 3) -> pd.DataFrame:
    """The ``n`` parameters that move ``outcome`` most (by ``ST`` or ``mu_star``)."""
    key = "ST" if "ST" in table.columns else "mu_star"
    rows = table[table["outcome"] == outcome].sort_values(key, ascending=False)
    return rows.head(n).reset_index(drop=True)


def plot(table: pd.DataFrame, title: str | None = None) -> Figure:
    """A heat map, parameters by outcomes: Sobol's ``ST`` or Morris ``mu_star``.

    Morris values are divided by each outcome's largest ``mu_star`` so that
    outcomes in different units share one colour scale.
    """
    from sim.plots.style import new_figure, styled

    return styled(_draw)(table, title, new_figure)


def _draw(table: pd.DataFrame, title: str | None, new_figure) -> Figure:
    """Draw the heat map on a new styled figure."""
    sobol = "ST" in table.columns
    key = "ST" if sobol else "mu_star"
    grid = table.pivot(index="parameter", columns="outcome", values=key)
    grid = grid[list(dict.fromkeys(table["outcome"]))]
    if not sobol:
        grid = grid / grid.max().replace(0, np.nan)
    grid = grid.loc[grid.max(axis=1).sort_values(ascending=True).index]
    fig = new_figure(10.0, 1.8 + 0.38 * len(grid))
    ax = fig.add_subplot()
    image = ax.imshow(
        grid.to_numpy(dtype=float), aspect="auto", cmap="Blues", vmin=0, vmax=1
    )
    ax.set_xticks(
        range(grid.shape[1]),
        [c.replace("_", " ") for c in grid.columns],
        rotation=25,
        ha="right",
    )
    ax.set_yticks(range(len(grid)), list(grid.index))
    for (i, j), v in np.ndenumerate(grid.to_numpy(dtype=float)):
        if np.isfinite(v):
            ax.text(
                j,
                i,
                f"{v:.2f}",
                ha="center",
                va="center",
                fontsize=8,
                color="white" if v > 0.6 else "#222222",
            )
    for j, column in enumerate(grid.columns):
        if not np.isfinite(grid[column].to_numpy(dtype=float)).any():
            ax.text(
                j,
                len(grid) / 2,
                "no variation",
                rotation=90,
                ha="center",
                va="center",
                fontsize=9,
                color="#555555",
            )
    label = "Sobol' total index ST" if sobol else "Morris μ* / the outcome's largest"
    fig.colorbar(image, ax=ax, label=label)
    runs = table.attrs.get("runs")
    note = f" ({runs:,} runs)" if runs else ""
    ax.set_title(title or f"What the headline rests on{note}", loc="left")
    return fig
