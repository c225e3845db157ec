"""Bands from what we don't know: every fact over sampled assumptions and seeds.

The scenario's priors (``uncertainty:``) are sampled (Latin hypercube or
Sobol); each parameter set is run with the scorecard's variants on the same
seeds (common random numbers: sample ``i``'s baseline and counterfactual
runs share seeds ``1..K``), all in one sweep of
:mod:`sim.experiments.sweep` (workers, an optional store to resume, the same
numbers on 1 or N workers). Each fact becomes a band: the 10th, 50th and 90th
percentiles over runs (over samples for a share of seeds) and the share in
its accepted range.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from sim.experiments.scorecard import BASELINE, Fact, plan_check
from sim.experiments.scorecard.score import paired_differences
from sim.scenario.paths import get_value

from .priors import _loaded, priors_of
from .sampling import sample


@dataclass
class BandResult:
    """What an uncertainty check gives.

    Attributes:
        table: one row per fact (see :func:`band_table`).
        runs: one row per run: ``sample``, ``variant``, ``replicate``,
            ``seed`` and one column per measured fact.
        samples: the parameter sets, one row per sample, one column per prior.
        seconds: wall time of the whole check.
    """

    table: pd.DataFrame
    runs: pd.DataFrame
    samples: pd.DataFrame
    seconds: float = math.nan


def _row(fact: Fact) -> dict[str, Any]:
    return {
        "id": fact.id,
        "class": fact.fact_class,
        "kind": fact.kind,
        "statement": fact.statement,
        "statistic": "",
        "p10": math.nan,
        "p50": math.nan,
        "p90": math.nan,
        "lo": fact.lo,
        "hi": fact.hi,
        "accepted": fact.accepted,
        "share_in_range": math.nan,
        "samples_passing": math.nan,
        "runs": 0,
        "note": "",
    }


def _quantiles(x: np.ndarray, row: dict) -> None:
    row["p10"], row["p50"], row["p90"] = (
        float(q) for q in np.quantile(x, [0.1, 0.5, 0.9])
    )


def _value_band(fact: Fact, base: pd.DataFrame, row: dict) -> None:
    """A value fact: percentiles and share in range over every baseline run."""
    x = base[fact.id].to_numpy(dtype=float)
    x = x[~np.isnan(x)]
    if x.size == 0:
        row["note"] = "no value in any run"
        return
    _quantiles(x, row)
    medians = base.groupby("sample")[fact.id].median().to_numpy(dtype=float)
    row.update(
        statistic="value over runs",
        share_in_range=float(np.mean(fact.in_range(x))),
        samples_passing=float(np.mean(fact.in_range(medians))),
        runs=int(x.size),
    )


def _share_band(fact: Fact, base: pd.DataFrame, row: dict) -> None:
    """A probability fact: the share of seeds that hold, per sample."""
    held = base.assign(held=fact.holds(base[fact.id].to_numpy(dtype=float)))
    shares = held.groupby("sample")["held"].mean().to_numpy(dtype=float)
    if shares.size == 0:
        row["note"] = "no runs"
        return
    _quantiles(shares, row)
    passing = float(np.mean(fact.in_range(shares)))
    row.update(
        statistic="share of seeds per sample",
        share_in_range=passing,
        samples_passing=passing,
        runs=len(held),
        note=f"condition met in {held['held'].mean():.0%} of runs",
    )


def _counterfactual_band(fact: Fact, runs: pd.DataFrame, row: dict) -> None:
    """A counterfactual: paired differences over (sample, seed) pairs."""
    by_sample = {
        s: paired_differences(fact, group) for s, group in runs.groupby("sample")
    }
    d = pd.concat(
        [pd.Series(v, index=[s] * len(v), dtype=float) for s, v in by_sample.items()]
    )
    d = d[~d.isna()]
    if d.empty:
        row["note"] = "no paired values"
        return
    _quantiles(d.to_numpy(), row)
    stat = np.median if fact.statistic == "median" else np.mean
    per_sample = d.groupby(level=0).agg(stat).to_numpy(dtype=float)
    row.update(
        statistic=f"paired {fact.compare} over runs",
        share_in_range=float(np.mean(fact.in_range(d.to_numpy()))),
        samples_passing=float(np.mean(fact.in_range(per_sample))),
        runs=int(d.size),
    )


def band_table(
    facts: Any, runs: pd.DataFrame, unavailable: dict | None = None
) -> pd.DataFrame:
    """One band per fact from the runs (no model runs: testable on made-up values).

    Args:
        facts: the facts (:class:`~sim.experiments.scorecard.Facts`).
        runs: ``sample``, ``variant``, ``replicate`` and one column per fact.
        unavailable: ``{fact id: reason}`` of facts to report n/a.

    Returns:
        One row per fact: ``id``, ``class``, ``kind``, ``statement``,
        ``statistic``, ``p10``, ``p50``, ``p90``, ``lo``, ``hi``,
        ``accepted``, ``share_in_range`` (of runs; of samples for a share of
        seeds), ``samples_passing`` (share of samples whose scorecard
        statistic is in range), ``runs`` and ``note``.
    """
    unavailable = dict(unavailable or {})
    base = runs[runs["variant"] == BASELINE]
    rows = []
    for fact in facts:
        row = _row(fact)
        reason = unavailable.get(fact.id)
        if reason is None and fact.id not in runs.columns:
            reason = "not measured in these runs"
        if reason is not None:
            row["note"] = reason
        elif fact.kind == "counterfactual":
            _counterfactual_band(fact, runs, row)
        elif fact.holds_if is not None:
            _share_band(fact, base, row)
        else:
            _value_band(fact, base, row)
        rows.append(row)
    return pd.DataFrame(rows)


def sample_points(
    sc: Any, samples: pd.DataFrame, variant_points: list | None
) -> list[dict]:
    """The sweep's points: each sample with each variant's overrides, in that order.

    A prior on a whole number (weeks, say) is rounded, so every point is a
    valid scenario.
    """
    rounded = samples.copy()
    for path in rounded.columns:
        if isinstance(get_value(sc, path), int):
            rounded[path] = rounded[path].round().astype(int)
    points = []
    for record in rounded.to_dict("records"):
        for variant in variant_points or [{}]:
            points.append({**record, **variant})
    return points


def fact_bands(
    scenario: Any,
    n: int = 40,
    *,
    seeds_per_sample: int = 2,
    workers: int = 2,
    method: str = "lhs",
    seed: int = 0,
    facts: Any = None,
    progress: bool | None = None,
    store: Any = None,
) -> BandResult:
    """Run every fact and counterfactual over ``n`` sampled parameter sets × seeds.

    Args:
        scenario: a scenario with an ``uncertainty:`` section (a file path,
            a shipped name, a loaded Scenario or a dict).
        n: the number of parameter sets sampled from the priors.
        seeds_per_sample: seeds per parameter set (the same in every sample
            and every variant: common random numbers).
        workers: worker processes of the sweep.
        method: ``lhs`` or ``sobol``.
        seed: the seed of the design and of the run seeds.
        facts: a facts file or Facts (default: the scorecard's facts.yaml).
        progress: show a progress bar (default: when stderr is a terminal).
        store: a sweep directory to write the runs to (and resume from).

    Returns:
        A :class:`BandResult`: the band table, every run's values, the samples.
    """
    from sim.experiments.sweep import sweep

    started = time.perf_counter()
    sc = _loaded(scenario)
    priors = priors_of(sc)
    samples = sample(priors, n, method=method, seed=seed)
    plan = plan_check(sc, facts)
    points = sample_points(sc, samples, plan.points)
    res = sweep(
        sc,
        points,
        replicates=seeds_per_sample,
        seed=seed,
        workers=workers,
        metrics=[plan.probe] if plan.probe.measures else None,
        progress=progress,
        common_random_numbers=True,
        out=store,
    )
    per_sample = len(plan.variants)
    point = res["point"].to_numpy()
    runs = pd.DataFrame(
        {
            "sample": point // per_sample,
            "variant": [plan.variants[p % per_sample] for p in point],
            "replicate": res["replicate"].to_numpy(),
            "seed": res["seed"].to_numpy(),
        }
    )
    for m in plan.probe.measures:
        runs[m.key] = res[m.key].to_numpy(dtype=float)
    table = band_table(plan.facts, runs, plan.unavailable)
    table.attrs.update(
        scenario=sc.name,
        samples=n,
        seeds_per_sample=seeds_per_sample,
        method=method,
        seed=seed,
        priors=len(priors),
        runs=len(runs),
    )
    return BandResult(table, runs, samples, time.perf_counter() - started)
