"""The scenario's timeline: ``set``, ``splinter``, ``shock`` and ``aid`` events."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import (
    Field,
    model_validator,
)

from sim.scenario.schema.fields import (
    NonNeg,
    Number,
    Signed,
    Strict,
    Unit,
    Whole,
)


class EventBase(Strict):
    """When an event happens (a date or a step) and how the chronicle names it."""

    at: dt.date | None = None
    step: Annotated[Whole, Field(ge=0)] | None = None
    label: str | None = Field(None, max_length=300)
    leader: str | None = Field(
        None,
        min_length=1,
        max_length=60,
        description="Who leads the event's actor from this date on (a "
        "succession): the chronicle and the report name the actor after "
        "this leader from then. Words only: no effect on the run.",
    )

    @model_validator(mode="after")
    def _one_time(self) -> EventBase:
        if (self.at is None) == (self.step is None):
            raise ValueError("give exactly one of 'at' (a date) or 'step'")
        if self.leader is not None and getattr(self, "actor", None) is None:
            raise ValueError(
                "'leader' names who leads the event's actor; a 'set' event has "
                "no actor (use a shock, splinter or aid event of that actor)"
            )
        return self


class SetEvent(EventBase):
    """Set a scenario value (a dotted path) from this step on."""

    do: Literal["set"]
    path: str
    value: Any


class SplinterEvent(EventBase):
    """Move a share of one actor's forces to another (a faction split)."""

    do: Literal["splinter"]
    actor: str
    into: str
    share: Unit
    provinces: list[str] | None = None


class ShockEvent(EventBase):
    """Add to an affinity, or to an actor's cohesion."""

    do: Literal["shock"]
    actor: str
    toward: str | None = None
    affinity: Annotated[Number, Field(ge=-2.0, le=2.0)] | None = None
    mutual: bool = False
    cohesion: Signed | None = None

    @model_validator(mode="after")
    def _what(self) -> ShockEvent:
        if self.affinity is None and self.cohesion is None:
            raise ValueError("a shock needs 'affinity' (with 'toward') or 'cohesion'")
        if self.affinity is not None and self.toward is None:
            raise ValueError("an affinity shock needs 'toward'")
        return self


class AidEvent(EventBase):
    """A one-off transfer of aid along the supply lines."""

    do: Literal["aid"]
    actor: str
    to: str
    amount: NonNeg


Event = Annotated[
    SetEvent | SplinterEvent | ShockEvent | AidEvent, Field(discriminator="do")
]
