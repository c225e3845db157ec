"""Quantities of a finished run that tests, sweeps and the scorecard compare.

Each reads a :class:`sim.core.history.History` only, so it works on a model
just run or on one rebuilt from files.

- :mod:`~sim.results.metrics.queries`: questions asked directly
  (:func:`first_alliance`, :func:`strength_in`...);
- :mod:`~sim.results.metrics.language`: named metrics for sweeps, ``KIND`` or
  ``KIND:ARG:ARG``, e.g. ``provinces:taliban``, ``alliance_week:russia:taliban``
  or ``strength_in:taliban:Badakhshan+Takhar+Kunduz+Balkh``.
  :func:`parse_metric` checks a name (unknown kinds and actors get "did you
  mean") and returns a :class:`Metric`; :func:`describe_metrics` prints the kinds;
- :mod:`~sim.results.metrics.kinds`: :data:`METRICS`, the table of kinds;
- :mod:`~sim.results.metrics.series`: the per-step computations behind them.

Most kinds have a value at every step, so they can also be kept as time
series; the value of a run is the last one (for the aid totals, the sum over
the run).
"""

from __future__ import annotations

from sim.results.metrics.kinds import METRICS, MetricKind
from sim.results.metrics.language import (
    Metric,
    MetricError,
    default_metrics,
    describe_metrics,
    parse_metric,
)
from sim.results.metrics.queries import (
    alliance_reasons,
    first_alliance,
    leading_shared_enemy,
    provinces_present,
    share_allied,
    strength_in,
)
from sim.results.metrics.series import GOVERNMENT_CLASSES

__all__ = [
    "GOVERNMENT_CLASSES",
    "METRICS",
    "Metric",
    "MetricError",
    "MetricKind",
    "alliance_reasons",
    "default_metrics",
    "describe_metrics",
    "first_alliance",
    "leading_shared_enemy",
    "parse_metric",
    "provinces_present",
    "share_allied",
    "strength_in",
]
