"""What the starting state alone says: every fact read as if the world stood still.

A fact whose accepted range the scenario's starting state already meets
(the Taliban's strength at step 0 inside the accepted range of their 2016
strength, say) tests the inputs, not the dynamics, so it cannot be a
validation fact. :func:`frozen_values` runs the scenario and each variant for
one week and reads every fact with the world frozen after ``step`` weeks
(0: the initial state): a value ``at`` a later date is the value at
``step``, a window ``over`` weeks is the frozen series (a ``change`` is 0 at
step 0), a counterfactual is the paired difference of the frozen runs.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from .facts import BASELINE, Fact
from .measure import Measure, history_until
from .plan import plan_check


def frozen_value(measure: Measure, history: Any, step: int) -> float:
    """A fact's value in a run whose world stays as it was after ``step`` weeks.

    Args:
        measure: how the fact is read (its step or window in the full run).
        history: the history of a run of at least ``step`` weeks.
        step: the week after which nothing changes (0: the initial state).
    """
    if measure.window is None:
        cut = history_until(history, step)
        return float(sum(m.value(cut) for m in measure.metrics))
    t0, t1 = measure.window
    series = sum(np.asarray(m.series(history), dtype=float) for m in measure.metrics)
    part = series[np.minimum(np.arange(t0, t1 + 1), step)]
    if measure.reduce == "change":
        return float(part[-1] - part[0])
    fn = {"min": np.nanmin, "max": np.nanmax, "mean": np.nanmean}[measure.reduce]
    return float(fn(part)) if np.isfinite(part).any() else math.nan


def _paired(fact: Fact, base: float, alt: float) -> float:
    """The counterfactual's paired difference of one seed, as the score takes it."""
    if fact.compare == "variant - baseline":
        return alt - base
    if fact.compare == "baseline - variant":
        return base - alt
    if base == 0:
        return 0.0 if alt == 0 else math.nan
    return (alt - base) / abs(base)


def _met(fact: Fact, base: float, alt: float | None) -> tuple[float, bool]:
    """``(value, met)``: the frozen value as the score reads it, and its verdict."""
    if fact.kind == "counterfactual":
        d = _paired(fact, base, alt if alt is not None else math.nan)
        return d, bool(fact.in_range(d))
    if fact.holds_if is not None:
        share = float(fact.holds(base))
        return share, bool(fact.in_range(share))
    return base, bool(fact.in_range(base))


def _frozen_runs(plan: Any, seed: int) -> dict[str, Any]:
    """Each variant's one-week run: ``{variant: history}``."""
    from sim.core.model import GreatGame
    from sim.experiments.sweep.design import point_scenario
    from sim.scenario.loader import resolved_dict

    base = {**resolved_dict(plan.scenario), "steps": 1}
    points = plan.points or [{}]
    histories = {}
    for i, (name, point) in enumerate(zip(plan.variants, points, strict=True)):
        sc = point_scenario(base, point, i)
        histories[name] = GreatGame(sc, seed=seed).run().history
    return histories


def frozen_values(
    scenario: Any, facts: Any = None, *, step: int = 0, seed: int = 1
) -> pd.DataFrame:
    """Every measurable fact read on the world frozen after ``step`` weeks.

    Args:
        scenario: a scenario file, a loaded Scenario or a dict.
        facts: a facts file or Facts (default: the package's facts.yaml).
        step: 0 (the initial state) or 1 (after the first week).
        seed: the run's seed (the starting state hardly depends on it).

    Returns:
        One row per measurable fact: ``id``, ``class``, ``kind``, ``value``
        (as the score reads it: a share of 0 or 1 for a probability fact, a
        paired difference for a counterfactual) and ``met`` (True when that
        value lies in the accepted range).
    """
    if step not in (0, 1):
        raise ValueError(f"step must be 0 or 1, got {step!r}")
    plan = plan_check(scenario, facts)
    histories = _frozen_runs(plan, seed)
    rows = []
    for measure in plan.probe.measures:
        fact = plan.facts[measure.key]
        base = frozen_value(measure, histories[BASELINE], step)
        alt = None
        if fact.kind == "counterfactual":
            alt = frozen_value(measure, histories[fact.variant], step)
        value, met = _met(fact, base, alt)
        rows.append(
            {
                "id": fact.id,
                "class": fact.fact_class,
                "kind": fact.kind,
                "value": value,
                "met": met,
            }
        )
    return pd.DataFrame(rows)


def input_ranges(facts: Any) -> dict[tuple[tuple[str, ...], float, float], str]:
    """``{(metrics, lo, hi): fact id}`` of the input facts' accepted ranges.

    An outcome accepted in the very range that bounds an input (the Taliban's
    2016 strength in the range their starting strength is set in) passes
    whenever the run does not move, so it is no test of the dynamics.
    """
    return {
        (f.metrics, f.lo, f.hi): f.id
        for f in facts
        if f.fact_class == "input" and f.kind == "input" and f.measurable
    }
