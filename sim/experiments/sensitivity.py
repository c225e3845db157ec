"""Which parameters matter: Morris screening and Sobol' indices over sweeps.

Both methods sample a design over ``ranges={path: (lo, hi)}`` with SALib,
run every point through :func:`sim.experiments.sweep.sweep` (so seeds, workers, Dask and
resuming from ``out`` come for free), average each point's ``replicates``
and hand the means to SALib's analysis. From a notebook::

    from sim.experiments import sensitivity
    ranges = {"actors.russia.resources": (0, 48), "parameters.eta": (0.02, 0.1)}
    table = sensitivity.morris("scenarios/2016.yaml", ranges,
                               metric="provinces:taliban", trajectories=10)
    sensitivity.plot(table)

Methods:
    :func:`morris` (Morris 1991; Campolongo et al. 2007) moves one parameter
    at a time along ``trajectories`` random paths through a grid of ``levels``
    values per parameter. Each step gives an *elementary effect*: the change
    in the metric over the step, divided by the step as a share of the
    range. ``mu_star`` is the mean absolute effect, so it reads in the
    metric's units: the change when the parameter moves across its whole
    range, ``sigma`` their spread (large when the effect depends on the
    other parameters, or is non-linear). It ranks parameters cheaply:
    ``trajectories * (k + 1)`` points for ``k`` parameters.

    :func:`sobol` (Sobol' 2001; Saltelli et al. 2010) splits the variance
    of the metric over the ranges: ``S1`` is the share due to one parameter
    alone, ``ST`` the share it takes part in, interactions included. It
    costs ``samples * (k + 2)`` points, ``samples`` best a power of two.

Noise: a stochastic model adds seed-to-seed noise to every elementary
effect and variance. Replicates are averaged per point and, with common
random numbers (the sweep's default), replicate ``r`` has the same seed at
every point, so differences between points are effects, not noise. A
parameter the metric cannot depend on then gets ``mu_star`` and ``ST`` of
zero, not a noise floor.

Needs SALib: ``pip install 'greatgame[analysis]'``.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from types import SimpleNamespace
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from sim.experiments.sweep import (
    SweepError,
    _is_integer_field,
    checked_range,
    make_plan,
    sweep,
)
from sim.results.metrics import MetricError, parse_metric

__all__ = ["SensitivityError", "morris", "plot", "sobol"]

INSTALL_HINT = "pip install 'greatgame[analysis]'"
MORRIS_COLUMNS = ["parameter", "mu", "mu_star", "sigma", "mu_star_conf"]
SOBOL_COLUMNS = ["parameter", "S1", "S1_conf", "ST", "ST_conf"]
CONF_LEVEL = 0.95
RESAMPLES = 1000


class SensitivityError(ValueError):
    """An analysis that cannot be computed, e.g. a metric with no value at a point."""


def _salib() -> SimpleNamespace:
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


def _value(path: str, x: float) -> float | int:
    """A design value as the scenario takes it: whole numbers for int fields."""
    return int(round(x)) if _is_integer_field(path) else float(x)


def _run_design(
    scenario: Any,
    problem: dict,
    X: np.ndarray,
    metric: str | Callable,
    column: str,
    replicates: int,
    seed: int,
    workers: int,
    out: str | os.PathLike[str] | None,
    sweep_options: dict,
) -> tuple[np.ndarray, pd.DataFrame]:
    """Run every row of ``X``; the mean of the metric per row, and the runs."""
    names = problem["names"]
    points = pd.DataFrame(
        {p: [_value(p, x) for x in X[:, j]] for j, p in enumerate(names)}
    ).astype(object)
    results = sweep(
        scenario,
        points,
        replicates=replicates,
        seed=seed,
        workers=workers,
        metrics=[metric],
        out=out,
        **sweep_options,
    )
    values = results[column]
    if values.isna().any():
        bad = results.loc[values.isna(), "point"].nunique()
        raise SensitivityError(
            f"metric '{column}' has no value in {int(values.isna().sum())} run(s) "
            f"at {bad} design point(s) (e.g. alliance_week when the pair never "
            "allies); analyse a metric defined in every run, such as ever_allied "
            "or share_allied"
        )
    means = values.groupby(results["point"]).mean().reindex(range(len(X)))
    return means.to_numpy(dtype=float), results


def _attrs(
    method: str, column: str, problem: dict, n_points: int, results: pd.DataFrame, **kw
) -> dict:
    return {
        "method": method,
        "metric": column,
        "ranges": dict(zip(problem["names"], problem["bounds"], strict=True)),
        "points": n_points,
        "replicates": int(results["replicate"].max()) + 1 if len(results) else 0,
        "runs": len(results),
        "resumed": results.attrs.get("resumed", 0),
        "out": results.attrs.get("out"),
        **kw,
    }


def morris(
    scenario: Any,
    ranges: Mapping[str, Sequence[float]],
    metric: str | Callable[[Any], float],
    *,
    trajectories: int = 10,
    levels: int = 4,
    replicates: int = 1,
    seed: int = 0,
    workers: int = 1,
    out: str | os.PathLike[str] | None = None,
    **sweep_options: Any,
) -> pd.DataFrame:
    """Morris elementary-effects screening of ``ranges`` for one metric.

    Args:
        scenario: a scenario file, a loaded scenario or a dict (as for
            :func:`sim.experiments.sweep.sweep`).
        ranges: ``{path: (lo, hi)}``, the paths of ``--set``. Whole-number
            fields (``steps``) take the nearest whole value.
        metric: one metric name (:func:`sim.results.metrics.describe_metrics`) or a
            function ``f(model) -> float``.
        trajectories: random one-at-a-time paths (``r``); the design has
            ``trajectories * (len(ranges) + 1)`` points. 10–20 is usual.
        levels: values per parameter on the Morris grid (even; 4 is usual).
        replicates: seeds per point, averaged before the analysis.
        seed: seeds the design, the runs (through the sweep) and the
            bootstrap of the confidence intervals.
        workers: processes for the sweep.
        out: sweep directory (``results.csv``; a rerun resumes).
        **sweep_options: passed to :func:`sim.experiments.sweep.sweep` (``backend``,
            ``scheduler``, ``progress``, ``common_random_numbers``, ``force``).

    Returns:
        One row per parameter, largest ``mu_star`` first: ``parameter``,
        ``mu`` (mean effect, signed), ``mu_star`` (mean absolute effect),
        ``sigma`` (spread of the effects) and ``mu_star_conf`` (half-width of
        the 95% bootstrap interval of ``mu_star``), in the metric's units per
        whole range. ``attrs`` hold ``method``, ``metric``, ``ranges``,
        ``points``, ``replicates``, ``runs``, ``resumed`` and ``out``.

    Raises:
        ImportError: SALib is not installed.
        ScenarioError: a bad path or value, before anything runs.
        MetricError: an unknown metric or actor, before anything runs.
        SweepError: bad ranges or sweep options.
        SensitivityError: the metric has no value in some run.
    """
    salib = _salib()
    problem = _problem(ranges)
    column = _metric_column(metric, scenario, problem)
    _check_whole("trajectories", trajectories, 2)
    _check_whole("levels", levels, 2)
    X = salib.morris_sample.sample(problem, trajectories, num_levels=levels, seed=seed)
    Y, results = _run_design(
        scenario,
        problem,
        X,
        metric,
        column,
        replicates,
        seed,
        workers,
        out,
        sweep_options,
    )
    res = salib.morris_analyze.analyze(
        problem,
        X,
        Y,
        num_resamples=RESAMPLES,
        conf_level=CONF_LEVEL,
        num_levels=levels,
        seed=seed,
    )
    table = pd.DataFrame(
        {
            "parameter": problem["names"],
            "mu": np.asarray(res["mu"], dtype=float),
            "mu_star": np.asarray(res["mu_star"], dtype=float),
            "sigma": np.asarray(res["sigma"], dtype=float),
            "mu_star_conf": np.asarray(res["mu_star_conf"], dtype=float),
        }
    )
    table = table.sort_values("mu_star", ascending=False, kind="stable")
    table = table.reset_index(drop=True)
    table.attrs.update(
        _attrs(
            "morris",
            column,
            problem,
            len(X),
            results,
            trajectories=int(trajectories),
            levels=int(levels),
        )
    )
    return table


def sobol(
    scenario: Any,
    ranges: Mapping[str, Sequence[float]],
    metric: str | Callable[[Any], float],
    *,
    samples: int = 64,
    replicates: int = 1,
    seed: int = 0,
    workers: int = 1,
    out: str | os.PathLike[str] | None = None,
    **sweep_options: Any,
) -> pd.DataFrame:
    """Sobol' first-order and total indices of ``ranges`` for one metric.

    Saltelli's design without second-order terms: ``samples * (len(ranges)
    + 2)`` points. The indices are shares of the variance of the averaged
    metric over the ranges; they need many more runs than :func:`morris`.

    Args:
        scenario: a scenario file, a loaded scenario or a dict.
        ranges: ``{path: (lo, hi)}``; whole-number fields take whole values.
        metric: one metric name or a function ``f(model) -> float``.
        samples: base sample size ``N`` (a power of two: 64, 128, 256...).
        replicates: seeds per point, averaged before the analysis.
        seed: seeds the design, the runs and the bootstrap.
        workers: processes for the sweep.
        out: sweep directory (a rerun resumes).
        **sweep_options: passed to :func:`sim.experiments.sweep.sweep`.

    Returns:
        One row per parameter, largest ``ST`` first: ``parameter``, ``S1``,
        ``S1_conf``, ``ST``, ``ST_conf`` (confidence values are half-widths
        of 95% bootstrap intervals). ``attrs`` as for :func:`morris`, with
        ``samples``.

    Raises:
        ImportError: SALib is not installed.
        ScenarioError: a bad path or value, before anything runs.
        MetricError: an unknown metric or actor, before anything runs.
        SweepError: bad ranges or sweep options.
        SensitivityError: the metric has no value in some run, or it does not
            vary at all over the design (the indices are then undefined).
    """
    salib = _salib()
    problem = _problem(ranges)
    column = _metric_column(metric, scenario, problem)
    _check_whole("samples", samples, 2)
    X = salib.sobol_sample.sample(problem, samples, calc_second_order=False, seed=seed)
    Y, results = _run_design(
        scenario,
        problem,
        X,
        metric,
        column,
        replicates,
        seed,
        workers,
        out,
        sweep_options,
    )
    if np.ptp(Y) == 0:
        raise SensitivityError(
            f"metric '{column}' is {Y[0]:g} at every design point: it has no "
            "variance to share out; widen the ranges or pick another metric"
        )
    res = salib.sobol_analyze.analyze(
        problem,
        Y,
        calc_second_order=False,
        num_resamples=RESAMPLES,
        conf_level=CONF_LEVEL,
        seed=seed,
    )
    table = pd.DataFrame(
        {
            "parameter": problem["names"],
            "S1": np.asarray(res["S1"], dtype=float),
            "S1_conf": np.asarray(res["S1_conf"], dtype=float),
            "ST": np.asarray(res["ST"], dtype=float),
            "ST_conf": np.asarray(res["ST_conf"], dtype=float),
        }
    )
    table = table.sort_values("ST", ascending=False, kind="stable")
    table = table.reset_index(drop=True)
    table.attrs.update(
        _attrs("sobol", column, problem, len(X), results, samples=int(samples))
    )
    return table


def _check_whole(name: str, value: Any, least: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        raise SweepError(f"{name} must be a whole number ≥ {least}, got {value!r}")
    if value < least:
        raise SweepError(f"{name} must be at least {least}, got {value}")


def plot(table: pd.DataFrame, title: str | None = None) -> Figure:
    """A bar chart of a :func:`morris` or :func:`sobol` table, largest on top.

    Morris: ``mu_star`` with its 95% interval, and ``sigma`` as a diamond
    (a ``sigma`` near or above ``mu_star`` flags a non-linear effect or one
    that depends on other parameters). Sobol': ``ST`` with ``S1`` beside it,
    each with its 95% interval; a gap between them is the share that comes
    through interactions.

    Args:
        table: the DataFrame :func:`morris` or :func:`sobol` returned.
        title: the figure title (default: the method and the metric).

    Returns:
        A matplotlib Figure.
    """
    from sim.plots.style import new_figure, styled

    return styled(_draw)(table, title, new_figure)


def _draw(table: pd.DataFrame, title: str | None, new_figure) -> Figure:
    if {"mu_star", "mu_star_conf"} <= set(table.columns):
        method = "morris"
    elif {"ST", "ST_conf", "S1", "S1_conf"} <= set(table.columns):
        method = "sobol"
    else:
        raise ValueError(
            "plot() takes the table of sensitivity.morris() or sensitivity.sobol()"
        )
    key = "mu_star" if method == "morris" else "ST"
    rows = table.sort_values(key, ascending=True, kind="stable")
    n = len(rows)
    fig = new_figure(10.0, 1.6 + 0.55 * max(n, 2))
    ax = fig.add_subplot()
    y = np.arange(n)
    labels = list(rows["parameter"])
    metric = table.attrs.get("metric", "the metric")
    runs = table.attrs.get("runs")
    note = f" ({runs:,} runs)" if runs else ""
    if method == "morris":
        ax.barh(
            y,
            rows["mu_star"],
            xerr=rows["mu_star_conf"],
            color="#4477AA",
            ecolor="#222222",
            capsize=4,
            label="μ* (mean |effect|), 95% interval",
        )
        ax.scatter(
            rows["sigma"],
            y,
            marker="D",
            color="#EE7733",
            zorder=3,
            label="σ (spread of effects)",
        )
        ax.set_xlabel("change in the metric as the parameter crosses its range")
        default = f"Morris screening{note}: what moves\n{metric}"
    else:
        h = 0.38
        ax.barh(
            y + h / 2,
            rows["ST"],
            height=h,
            xerr=rows["ST_conf"],
            color="#4477AA",
            ecolor="#222222",
            capsize=3,
            label="ST (total, with interactions)",
        )
        ax.barh(
            y - h / 2,
            rows["S1"],
            height=h,
            xerr=rows["S1_conf"],
            color="#88CCEE",
            ecolor="#222222",
            capsize=3,
            label="S1 (alone)",
        )
        ax.axvline(0, color="#222222", lw=0.8)
        ax.set_xlabel("share of the metric's variance over the ranges")
        default = f"Sobol' indices{note}: what moves\n{metric}"
    ax.set_yticks(y, labels)
    ax.set_title(title or default, loc="left")
    ax.legend(loc="lower right", frameon=False)
    ax.grid(axis="x", color="#DDDDDD", lw=0.6)
    ax.set_axisbelow(True)
    return fig
