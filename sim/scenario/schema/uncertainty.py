"""Prior ranges of a scenario's assumptions: what we do not know, and why."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from sim.scenario.schema.fields import Finite, Strict


class PriorRange(Strict):
    """The range an assumption may plausibly take, with the reason for it."""

    range: tuple[Finite, Finite] = Field(
        description="[low, high]: the values the assumption may plausibly take."
    )
    reason: str = Field(
        min_length=1, description="Why this range (a source or argument)."
    )
    scale: Literal["linear", "log"] = Field(
        "linear", description="Sample uniformly (linear) or log-uniformly (log)."
    )

    @model_validator(mode="after")
    def _ordered(self) -> PriorRange:
        low, high = self.range
        if not low < high:
            raise ValueError(
                f"range must be [low, high] with low < high, got {list(self.range)}"
            )
        if self.scale == "log" and low <= 0:
            raise ValueError("a log-scale range must be above 0")
        return self
