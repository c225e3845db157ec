"""Metric names as sweeps write them: parse, check, describe, compute.

:func:`parse_metric` checks a name such as ``alliance_week:russia:taliban``
(unknown kinds, actors and places get "did you mean") and returns a
:class:`Metric`, which computes the value of a finished run or its per-step
series. :func:`describe_metrics` lists the kinds for ``--help``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from sim.core.history import History
from sim.results.metrics.kinds import METRICS, SUMMED
from sim.text import did_you_mean
from sim.world.geography import load_geography


class MetricError(ValueError):
    """A metric name that cannot be used: unknown kind, bad argument, unknown actor."""


@dataclass(frozen=True)
class Metric:
    """A validated built-in metric: its column name and how to compute it.

    Holds names only, so it pickles small and travels to worker processes.
    """

    name: str
    kind: str
    args: tuple[str, ...] = ()

    @property
    def per_step(self) -> bool:
        """True if the metric has a value at every step (it can be a time series)."""
        return METRICS[self.kind].series is not None

    def series(self, h: History) -> np.ndarray:
        """Values at steps ``0 .. n_rows-1`` (cumulative for the aid totals)."""
        kind = METRICS[self.kind]
        if kind.series is None:
            raise MetricError(f"'{self.name}' is a whole-run metric, not a series")
        values = kind.series(h, *self.args)
        return np.cumsum(values) if self.kind in SUMMED else values

    def value(self, h: History) -> float:
        """The metric of a finished run (NaN when it has no value)."""
        kind = METRICS[self.kind]
        if kind.whole_run is not None:
            return float(kind.whole_run(h, *self.args))
        return float(self.series(h)[-1])


def describe_metrics() -> str:
    """One line per built-in metric kind: its usage and what it measures."""
    width = max(len(k.usage) for k in METRICS.values())
    return "\n".join(f"{k.usage:<{width}}  {k.help}" for k in METRICS.values())


def parse_metric(
    name: str,
    actors: Iterable[str] | None = None,
    per_step: bool = False,
    places: Iterable[str] | None = None,
) -> Metric:
    """Check a metric name such as ``alliance_week:russia:taliban`` and parse it.

    Args:
        name: ``KIND`` or ``KIND:ARG:...`` (see :data:`METRICS`).
        actors: actor ids the arguments may name (None: any id).
        per_step: require a metric that has a value at every step.
        places: province and region names the arguments may name (default:
            Afghanistan's, and ``all``).

    Raises:
        MetricError: unknown kind or argument, with "did you mean".
    """
    kind_name, *args = str(name).strip().split(":")
    kind = METRICS.get(kind_name)
    if kind is None:
        known = ", ".join(METRICS)
        raise MetricError(
            f"unknown metric '{name}'{did_you_mean(kind_name, METRICS)} "
            f"(known kinds: {known})"
        )
    if len(args) != len(kind.args):
        raise MetricError(
            f"metric '{name}' takes {len(kind.args)} argument(s): {kind.usage}"
        )
    actors = None if actors is None else list(actors)
    places = load_geography().places if places is None else tuple(places)
    for what, arg in zip(kind.args, args, strict=True):
        if what == "actor" and actors is not None and arg not in actors:
            raise MetricError(
                f"metric '{name}': unknown actor '{arg}'{did_you_mean(arg, actors)}"
            )
        for place in arg.split("+") if what == "provinces" else ():
            if place not in places:
                raise MetricError(
                    f"metric '{name}': unknown province or region '{place}'"
                    + did_you_mean(place, places)
                )
    if kind.args == ("actor", "actor") and args[0] == args[1]:
        raise MetricError(f"metric '{name}' needs two different actors")
    if per_step and kind.series is None:
        series = ", ".join(k.name for k in METRICS.values() if k.series)
        raise MetricError(
            f"'{name}' is a whole-run metric and has no per-step series; "
            f"per-step kinds: {series}"
        )
    return Metric(str(name).strip(), kind_name, tuple(args))


def default_metrics(actors: Iterable[str]) -> list[str]:
    """Provinces controlled and fighters per actor, then contested provinces."""
    actors = list(actors)
    names = [f"provinces:{a}" for a in actors] + [f"strength:{a}" for a in actors]
    return [*names, "contested"]
