"""The whole scenario: map, outputs, and the sections above, checked together."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import (
    Field,
    model_validator,
)

from sim.scenario.schema.actors import Actor, Relation
from sim.scenario.schema.events import (
    Event,
)
from sim.scenario.schema.fields import (
    ACTOR_ID,
    Strict,
    Whole,
)
from sim.scenario.schema.parameters import Parameters
from sim.scenario.schema.uncertainty import PriorRange


class MapSpec(Strict):
    """The map a scenario is played on: Afghanistan, or a generated one."""

    kind: Literal["afghanistan", "grid", "planar"] = Field(
        "afghanistan",
        description="afghanistan (34 provinces), grid or planar (synthetic, "
        "provinces P1..PN; see sim.world.synthetic).",
    )
    provinces: Annotated[Whole, Field(ge=4, le=50_000)] | None = Field(
        None, description="Number of provinces of a synthetic map (default 100)."
    )
    seed: Annotated[Whole, Field(ge=0, lt=2**63)] = Field(
        0, description="Seed of a synthetic map's layout and facts."
    )

    @model_validator(mode="after")
    def _size_fits_kind(self) -> MapSpec:
        if self.kind == "afghanistan":
            if self.provinces not in (None, 34):
                raise ValueError(
                    "the Afghan map has 34 provinces; drop 'provinces' or choose "
                    "kind grid or planar"
                )
        elif self.provinces is None:
            self.provinces = 100
        return self


class Outputs(Strict):
    """What a run writes besides the tables."""

    chronicle: bool = True


class Scenario(Strict):
    """A whole scenario after inheritance and overrides."""

    name: str = Field(min_length=1, max_length=120)
    title: str | None = Field(
        None, max_length=120, description="Display title (default: the name)."
    )
    description: str = ""
    start: dt.date
    steps: Annotated[Whole, Field(ge=1, le=100_000)]
    step_days: Annotated[Whole, Field(ge=1, le=366)] = 7
    seed: Annotated[Whole, Field(ge=0, lt=2**63)] = 0
    parameters: Parameters = Field(default_factory=Parameters)
    actors: dict[Annotated[str, Field(pattern=ACTOR_ID, max_length=40)], Actor] = Field(
        min_length=1
    )
    relations: list[Relation] = Field(default_factory=list)
    events: list[Event] = Field(default_factory=list)
    outputs: Outputs = Field(default_factory=Outputs)
    uncertainty: dict[str, PriorRange] = Field(
        default_factory=dict,
        description="Prior ranges of assumptions: {dotted path: {range, reason, "
        "scale}}, sampled by sensitivity, discovery and calibration.",
    )
    map: MapSpec | None = Field(
        None, description="The map (default: Afghanistan's 34 provinces)."
    )
    geometry: str | None = Field(
        None,
        description="GeoJSON of province shapes for the map, relative to the "
        "scenario file (default: a schematic map from the capitals).",
    )

    def set_value(self, path: str, value: Any) -> None:
        """Apply a ``set`` event's change, checked as if it stood in the file.

        The section (``parameters`` or one actor) is validated again with the
        new value, so cross-field checks and defaults for partly given maps
        apply just as they do when loading. Raises pydantic's
        ``ValidationError`` on a bad value, ``KeyError`` on a path that is not
        settable (see :func:`sim.scenario.paths.set_value`).
        """
        from sim.scenario.paths import set_value  # paths is generic: no cycle

        set_value(self, path, value)

    def date_of(self, step: int) -> dt.date:
        """Calendar date at the start of ``step``."""
        return self.start + dt.timedelta(days=self.step_days * step)

    def step_of(self, date: dt.date) -> int:
        """The step whose period contains ``date`` (events at a date fire then)."""
        return max(0, (date - self.start).days // self.step_days)
