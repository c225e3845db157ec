"""Scoring: per-seed values in, one pass/fail row per fact out.

value facts: the median over seeds lies in ``[lo, hi]``; ``p10``-``p90`` is
the spread over seeds. probability facts (``holds_if``): the share of seeds
whose value meets the condition lies in range; ``p10``-``p90`` is the 80%
Wilson interval of that share. counterfactual facts: the per-seed paired
difference between the variant and the baseline on the same seed; its
median (or mean) lies in range and, with ``min_share``, at least that share
of seeds have a difference in range. No model runs here, so the logic is
testable on hand-made values.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from .facts import BASELINE, Fact, Facts, short_number

WILSON_Z = 1.2815515655446004  # two-sided 80%: the 10th and 90th percentiles


def wilson(k: int, n: int, z: float = WILSON_Z) -> tuple[float, float]:
    """Wilson score interval of a share ``k / n`` (default: 80%, two-sided)."""
    if n == 0:
        return math.nan, math.nan
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def paired_differences(fact: Fact, runs: pd.DataFrame) -> np.ndarray:
    """A counterfactual's per-replicate differences, variant against baseline.

    Runs are paired by ``replicate`` (the same seed in both), as the fact's
    ``compare`` says; a relative difference from a zero baseline is NaN
    unless both are zero.
    """
    col = fact.id
    base = runs[runs["variant"] == BASELINE].set_index("replicate")[col]
    alt = runs[runs["variant"] == fact.variant].set_index("replicate")[col]
    b, v = base.align(alt, join="inner")
    b, v = b.to_numpy(dtype=float), v.to_numpy(dtype=float)
    if fact.compare == "variant - baseline":
        return v - b
    if fact.compare == "baseline - variant":
        return b - v
    with np.errstate(divide="ignore", invalid="ignore"):
        rel = (v - b) / np.abs(b)
    return np.where((b == 0) & (v == 0), 0.0, np.where(b == 0, np.nan, rel))


def _row(fact: Fact) -> dict[str, Any]:
    return {
        "id": fact.id,
        "kind": fact.kind,
        "class": fact.fact_class,
        "statement": fact.statement,
        "metric": fact.mapping,
        "when": fact.when,
        "statistic": "",
        "model": math.nan,
        "p10": math.nan,
        "p90": math.nan,
        "lo": fact.lo,
        "hi": fact.hi,
        "open": fact.open,
        "accepted": fact.accepted,
        "share_in_range": math.nan,
        "pass": pd.NA,
        "status": "n/a",
        "counted": False,
        "seeds": 0,
        "source": fact.source,
        "why": fact.why,
        "note": "",
    }


def _score_counterfactual(fact: Fact, runs: pd.DataFrame, row: dict) -> bool | None:
    """Fill ``row`` from the paired differences; pass or fail (None: no pairs)."""
    d = paired_differences(fact, runs)
    d = d[~np.isnan(d)]
    if d.size == 0:
        row["note"] = "no paired values"
        return None
    stat = float(np.median(d) if fact.statistic == "median" else np.mean(d))
    share = float(np.mean(fact.in_range(d)))
    ok = bool(fact.in_range(stat)) and (
        fact.min_share is None or share >= fact.min_share
    )
    what = "relative difference" if fact.compare == "relative" else "difference"
    row.update(
        statistic=f"{fact.statistic} paired {what} ({fact.compare})",
        model=stat,
        p10=float(np.quantile(d, 0.1)),
        p90=float(np.quantile(d, 0.9)),
        share_in_range=share,
        seeds=int(d.size),
    )
    if fact.min_share is not None:
        row["note"] = (
            f"{share:.0%} of seeds in range (needs {fact.min_share:.0%} or more)"
        )
    return ok


def _score_share(fact: Fact, x: np.ndarray, row: dict) -> bool | None:
    """Fill ``row`` from the share of seeds that hold; pass or fail (None: no runs)."""
    held = fact.holds(x)
    k, n = int(held.sum()), int(x.size)
    if n == 0:
        row["note"] = "no runs"
        return None
    lo80, hi80 = wilson(k, n)
    stat = k / n
    op, value = fact.holds_if
    row.update(
        statistic=f"share of seeds with value {op} {short_number(value)}",
        model=stat,
        p10=lo80,
        p90=hi80,
        share_in_range=stat,
        seeds=n,
    )
    return bool(fact.in_range(stat))


def _score_value(fact: Fact, x: np.ndarray, row: dict) -> bool | None:
    """Fill ``row`` from the median over seeds; pass or fail (None: no values)."""
    x = x[~np.isnan(x)]
    if x.size == 0:
        row["note"] = "no value in any seed"
        return None
    stat = float(np.median(x))
    row.update(
        statistic="median over seeds",
        model=stat,
        p10=float(np.quantile(x, 0.1)),
        p90=float(np.quantile(x, 0.9)),
        share_in_range=float(np.mean(fact.in_range(x))),
        seeds=int(x.size),
    )
    return bool(fact.in_range(stat))


def _score_fact(fact: Fact, runs: pd.DataFrame, reason: str | None) -> dict:
    row = _row(fact)
    if reason is None and fact.id not in runs.columns:
        reason = "not measured in these runs"
    if reason is not None:
        row["note"] = reason
        return row
    if fact.kind == "counterfactual":
        ok = _score_counterfactual(fact, runs, row)
    else:
        x = runs.loc[runs["variant"] == BASELINE, fact.id].to_numpy(dtype=float)
        if fact.holds_if is not None:
            ok = _score_share(fact, x, row)
        else:
            ok = _score_value(fact, x, row)
    if ok is None:
        return row
    row.update(
        {"pass": ok, "status": "pass" if ok else "fail", "counted": fact.counted}
    )
    return row


def score(
    facts: Facts, runs: pd.DataFrame, unavailable: Mapping[str, str] | None = None
) -> pd.DataFrame:
    """The scorecard from per-seed values (no model runs: testable on fake data).

    Args:
        facts: the facts.
        runs: one row per run: ``variant`` (``baseline`` or a variant name),
            ``replicate`` (the seed's number, shared across variants) and one
            column per fact id holding that run's value.
        unavailable: ``{fact id: reason}`` of facts to report ``n/a``.

    Returns:
        One row per fact (columns in the docstring of
        :mod:`sim.experiments.scorecard`).
    """
    unavailable = dict(unavailable or {})
    rows = []
    for fact in facts:
        reason = unavailable.get(fact.id)
        if reason is None and not fact.measurable:
            reason = f"not measurable: {fact.not_measurable}"
        rows.append(_score_fact(fact, runs, reason))
    df = pd.DataFrame(rows)
    df["pass"] = df["pass"].astype("boolean")
    return df


def class_score(df: pd.DataFrame, cls: str) -> tuple[int, int]:
    """``(passed, measured)`` among the facts of class ``cls`` (n/a left out)."""
    rows = df[(df["class"] == cls) & (df["status"] != "n/a")]
    return int((rows["status"] == "pass").sum()), len(rows)


def score_line(df: pd.DataFrame) -> str:
    """The validation and calibration scores apart, then the inputs and n/a.

    A referee reads the validation score (facts never used to tune) as the
    evidence; the calibration score says how well the tuning hit its targets,
    and the inputs only that the starting state is as the sources give it.
    """
    parts = []
    for cls, what in (
        ("validation", "{} of {} validation facts pass"),
        ("calibration", "calibration {} of {}"),
        ("input", "inputs as set {} of {}"),
    ):
        passed, measured = class_score(df, cls)
        if measured:
            parts.append(what.format(passed, measured))
    na = int((df["status"] == "n/a").sum())
    if na:
        parts.append(f"{na} n/a")
    return "; ".join(parts) + "."


def score_headline(df: pd.DataFrame) -> str:
    """``'validation 3 of 6, calibration 4 of 5'``: the two scores, for titles."""
    parts = []
    for cls in ("validation", "calibration"):
        passed, measured = class_score(df, cls)
        if measured:
            parts.append(f"{cls} {passed} of {measured}")
    return ", ".join(parts) or "no scored facts"
