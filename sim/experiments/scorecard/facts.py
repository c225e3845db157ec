"""The facts a scenario is checked against: observations, variants and their words.

A :class:`Fact` is one observation of 2016 (its source, the model quantity it
maps to and the accepted range); a :class:`Variant` is a counterfactual world
(overrides of the checked scenario); :class:`Facts` is a validated facts
file. Reading and validating the file is :mod:`.facts_file`'s job; this
module holds the model and what a fact says about itself.
"""

from __future__ import annotations

import datetime as dt
import math
import operator
import re
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from sim.scenario.schema import Scenario

BASELINE = "baseline"
KINDS = ("outcome", "counterfactual", "input")
CLASSES = ("validation", "calibration", "input")
REDUCERS = ("min", "max", "mean", "change")
COMPARES = ("variant - baseline", "baseline - variant", "relative")
STATISTICS = ("median", "mean")
OPEN = ("lo", "hi", "both")
ID_PATTERN = re.compile(r"[a-z][a-z0-9_]*")
OPERATORS = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
    "==": operator.eq,
    "!=": operator.ne,
}


class FactsError(ValueError):
    """A facts file that cannot be used: which file, which fact, what is wrong."""


def default_facts_path() -> Path:
    """The facts shipped with the package (``sim/experiments/scorecard/facts.yaml``)."""
    return Path(str(resources.files("sim.experiments.scorecard") / "facts.yaml"))


def short_number(x: Any) -> str:
    """A compact number for the scorecard: 1,850; 22; 0.85; -0.12; 'n/a' for NaN.

    Unlike :func:`sim.text.compact_number`, whole numbers and hundreds are
    shown without decimals, so ranges such as ``[5, 9]`` or ``[100, 400]``
    read as the facts file writes them.
    """
    try:
        x = float(x)
    except (TypeError, ValueError):
        return "n/a"
    if math.isnan(x):
        return "n/a"
    if abs(x) >= 1000:
        return f"{x:,.0f}"
    if x == round(x):
        return f"{x:.0f}"
    if abs(x) >= 100:
        return f"{x:.0f}"
    if abs(x) >= 10:
        return f"{x:.1f}"
    return f"{x:.3g}"


@dataclass(frozen=True)
class Variant:
    """A counterfactual: overrides applied to the checked scenario.

    Attributes:
        name: the key that facts use (``no_isis``).
        label: a few words for tables and figures.
        description: what it changes.
        overrides: ``{path: value}``; ``None`` removes (an actor, say).
    """

    name: str
    label: str
    description: str
    overrides: dict[str, Any]


@dataclass(frozen=True)
class Fact:
    """One observation and how the model is checked against it.

    ``at`` and ``over`` hold ``"start"``, ``"end"`` or a date. See the
    package docstring of :mod:`sim.experiments.scorecard` and its
    ``facts.yaml`` for the meaning of the fields.
    """

    id: str
    kind: str
    statement: str
    source: str
    observed: str
    why: str
    lo: float = math.nan
    hi: float = math.nan
    open_lo: bool = False
    open_hi: bool = False
    metrics: tuple[str, ...] = ()
    at: str | dt.date | None = None
    over: tuple[str | dt.date, str | dt.date] | None = None
    reduce: str | None = None
    holds_if: tuple[str, float] | None = None
    not_measurable: str | None = None
    variant: str | None = None
    compare: str | None = None
    statistic: str = "median"
    min_share: float | None = None
    fact_class: str = ""

    def __post_init__(self) -> None:
        """Default the class from the kind: an ``input`` kind is an input fact.

        A facts file names every other fact's class (the reader refuses one
        without); the default serves facts built in code.
        """
        if not self.fact_class:
            default = "input" if self.kind == "input" else "validation"
            object.__setattr__(self, "fact_class", default)

    @property
    def measurable(self) -> bool:
        """False for a fact the model cannot measure (always ``n/a``)."""
        return self.not_measurable is None

    @property
    def counted(self) -> bool:
        """True for the classes that count in a score (validation, calibration).

        An input fact is met by the starting state the scenario sets, so it
        says nothing about the dynamics and is scored apart.
        """
        return self.fact_class != "input"

    @property
    def mapping(self) -> str:
        """The model quantity as text: the metric names, joined by ``+``."""
        return " + ".join(self.metrics) if self.metrics else "n/a"

    @property
    def when(self) -> str:
        """When it is read: ``at 2016-04-29`` or ``min over start..2016-12-31``."""
        if self.over is not None:
            return f"{self.reduce} over {self.over[0]}..{self.over[1]}"
        return "" if self.at is None else f"at {self.at}"

    @property
    def accepted(self) -> str:
        """The accepted range as text, e.g. ``[1,000, 3,000]`` or ``[-1, 0)``."""
        if math.isnan(self.lo):
            return "n/a"
        left = "(" if self.open_lo else "["
        right = ")" if self.open_hi else "]"
        return f"{left}{short_number(self.lo)}, {short_number(self.hi)}{right}"

    @property
    def open(self) -> str:
        """Which bounds are strict: ``lo``, ``hi``, ``both`` or ``""`` (none)."""
        if self.open_lo and self.open_hi:
            return "both"
        if self.open_lo:
            return "lo"
        return "hi" if self.open_hi else ""

    def in_range(self, x: Any) -> Any:
        """True where ``x`` lies in the accepted range (NaN is never in range)."""
        x = np.asarray(x, dtype=float)
        low = x > self.lo if self.open_lo else x >= self.lo
        high = x < self.hi if self.open_hi else x <= self.hi
        out = low & high & ~np.isnan(x)
        return bool(out) if out.ndim == 0 else out

    def holds(self, x: Any) -> np.ndarray:
        """Per-seed truth of ``holds_if`` (NaN never holds)."""
        assert self.holds_if is not None
        op, value = self.holds_if
        x = np.asarray(x, dtype=float)
        return OPERATORS[op](x, value) & ~np.isnan(x)

    @property
    def actors(self) -> set[str]:
        """Actor ids its metrics name."""
        return {a for m in self.metrics for a in _metric_actors(m)}


@dataclass(frozen=True)
class Facts:
    """A validated facts file: the facts, the variants and the actor ids."""

    facts: tuple[Fact, ...]
    variants: Mapping[str, Variant]
    actors: tuple[str, ...]
    path: str = "<facts>"

    def __iter__(self):
        return iter(self.facts)

    def __len__(self) -> int:
        return len(self.facts)

    def __getitem__(self, fact_id: str) -> Fact:
        for f in self.facts:
            if f.id == fact_id:
                return f
        raise KeyError(fact_id)


def _metric_actors(name: str) -> list[str]:
    from sim.results.metrics import METRICS

    kind, *args = name.split(":")
    slots = METRICS[kind].args
    return [a for what, a in zip(slots, args, strict=True) if what == "actor"]


def _step_of(when: str | dt.date, sc: Scenario, where: str) -> int:
    if when == "start":
        return 0
    if when == "end":
        return sc.steps
    end = sc.date_of(sc.steps)
    if not sc.start <= when <= end:
        raise FactsError(
            f"{where}: {when} is outside the run of scenario '{sc.name}' "
            f"({sc.start} to {end}, {sc.steps} steps)"
        )
    return sc.step_of(when)


def fact_steps(fact: Fact, sc: Scenario) -> tuple[int | None, tuple[int, int] | None]:
    """The step of ``at`` or the steps of ``over`` in ``sc``, checked.

    A fact's dates are only meaningful against a scenario's calendar, so the
    same facts can be checked against runs of other lengths.

    Raises:
        FactsError: a date outside the run, or a window that does not run forward.
    """
    where = f"fact '{fact.id}'"
    if fact.over is not None:
        t0 = _step_of(fact.over[0], sc, where)
        t1 = _step_of(fact.over[1], sc, where)
        if t1 <= t0:
            raise FactsError(
                f"{where}: 'over' must run forward over at least one step, "
                f"got {fact.over[0]}..{fact.over[1]}"
            )
        return None, (t0, t1)
    if fact.at is not None:
        return _step_of(fact.at, sc, where), None
    return None, None
