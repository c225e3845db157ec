"""The ``uncertainty:`` section: a prior range on each assumption of a scenario.

A scenario may say how far each of its assumptions could be off, and why:
``uncertainty: {parameters.presence_scale: {range: [30, 120], reason: ...}}``.
The schema checks the shape of each entry (a range of two finite numbers in
increasing order, a reason, a scale); :mod:`sim.scenario.uncertainty_checks`
checks that each path names a number of the scenario, that the range lies
within that value's own bounds and that it holds the scenario's value.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from sim.scenario.schema.fields import Finite, Strict


class UncertainValue(Strict):
    """A prior on one assumption: the range it may take, why, and how to sample it."""

    range: tuple[Finite, Finite] = Field(
        description="[low, high]: the values the assumption may plausibly take; "
        "the scenario's own value must lie inside."
    )
    reason: str = Field(
        min_length=1,
        max_length=600,
        description="Why this range, with its source (or why none exists).",
    )
    scale: Literal["linear", "log"] = Field(
        "linear",
        description="linear (uniform between low and high) or log (uniform in "
        "log space, for a value known to a factor; needs low > 0).",
    )

    @model_validator(mode="after")
    def _range_runs_up(self) -> UncertainValue:
        low, high = self.range
        if not low < high:
            raise ValueError(
                f"range must be [low, high] with low < high, got {low:g}, {high:g}"
            )
        if self.scale == "log" and low <= 0:
            raise ValueError(f"a log scale needs low > 0, got {low:g}")
        return self
