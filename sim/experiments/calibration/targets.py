"""The facts a calibration fits and the facts it is judged on, and implausibility.

A fact's class (``input``, ``calibration`` or ``validation``) says what it
may be used for. Calibration fits the baseline ``calibration`` facts;
validation scores the ``validation`` facts (counterfactuals included) on
runs of the fitted assumptions. A facts file without classes falls back to
fitting every baseline outcome and validating on every fact, and says so.

Implausibility (Vernon, Goldstein & Bower 2010; Andrianakis et al. 2015):
for a fact with accepted range ``[lo, hi]`` and a model value ``f`` at an
assumption ``x``::

    I(x) = |f(x) - z| / sqrt(V_obs + V_ens)

with ``z = (lo + hi) / 2`` and ``V_obs = ((hi - lo) / 6) ** 2``, so that the
usual cut-off ``I <= 3`` (Pukelsheim's three-sigma rule) is exactly "inside
the accepted range" when the model is deterministic; ``V_ens`` is the
seed-to-seed variance of ``f``'s estimate, which widens the cut-off by what
a few seeds cannot tell apart. ``f`` is the median over seeds for a value
fact, the share of seeds that hold for a probability fact.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from sim.experiments.scorecard import Fact, Facts

CLASSES = ("input", "calibration", "validation")


def fact_class(fact: Fact) -> str | None:
    """A fact's class (``input``, ``calibration``, ``validation``), or None."""
    for name in ("class", "class_", "fact_class", "cls"):
        value = getattr(fact, name, None)
        if isinstance(value, str):
            return value
    return None


def _subset(facts: Facts, chosen: list[Fact]) -> Facts:
    """A :class:`Facts` holding only ``chosen`` (variants and actors kept)."""
    return replace(facts, facts=tuple(chosen))


def _fits(fact: Fact) -> bool:
    """Whether calibration can fit a fact: a measurable baseline outcome."""
    return fact.kind == "outcome" and fact.measurable and not np.isnan(fact.lo)


@dataclass(frozen=True)
class Split:
    """The facts of a calibration: what is fitted, what is validated.

    Attributes:
        calibration: the facts fitted (baseline outcomes).
        validation: the facts scored on the posterior runs.
        classed: False when the facts file gives no classes (the fallback).
    """

    calibration: Facts
    validation: Facts
    classed: bool


def split_facts(facts: Facts) -> Split:
    """The calibration and validation facts of a facts file.

    Raises:
        ValueError: no fact can be fitted.
    """
    classed = any(fact_class(f) is not None for f in facts)
    if classed:
        fit = [f for f in facts if fact_class(f) == "calibration" and _fits(f)]
        check = [f for f in facts if fact_class(f) == "validation"]
    else:
        fit = [f for f in facts if _fits(f)]
        check = [f for f in facts if f.counted]
    if not fit:
        raise ValueError(
            f"{facts.path}: no calibration fact to fit (a measurable outcome "
            "with class: calibration and an accepted range)"
        )
    return Split(_subset(facts, fit), _subset(facts, check), classed)


def estimate(fact: Fact, values: np.ndarray) -> tuple[float, float]:
    """A fact's model value at one assumption from its per-seed values.

    Returns:
        ``(f, V_ens)``: the median (value facts) or the share of seeds that
        hold (probability facts), and the variance of that estimate over
        seeds. A share uses the Beta(1, 1) posterior, so one or two seeds
        never claim certainty; a median from one seed has no variance to
        estimate (0).
    """
    v = np.asarray(values, dtype=float)
    v = v[~np.isnan(v)]
    n = v.size
    if n == 0:
        return float("nan"), 0.0
    if fact.holds_if is not None:
        k = float(fact.holds(v).sum())
        p = (k + 1) / (n + 2)
        return k / n, p * (1 - p) / (n + 3)
    spread = float(np.var(v, ddof=1)) if n > 1 else 0.0
    # the variance of a median is about pi/2 times that of a mean
    return float(np.median(v)), np.pi / 2 * spread / n


def implausibility(fact: Fact, f: float, v_ens: float) -> float:
    """``|f - z| / sqrt(V_obs + V_ens)`` for the fact's accepted range.

    NaN (no value) is infinitely implausible.
    """
    if np.isnan(f):
        return float("inf")
    z = (fact.lo + fact.hi) / 2
    v_obs = ((fact.hi - fact.lo) / 6) ** 2
    return float(abs(f - z) / np.sqrt(v_obs + v_ens))
