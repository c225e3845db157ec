"""Actors and their relations: who fights, with what, and how they regard others."""

from __future__ import annotations

from typing import Annotated, Literal

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
)


class Ideology(Strict):
    """A few numeric axes of belief; distance between actors creates friction."""

    religion: Signed = Field(0.0, description="-1 shia, 0 secular, +1 sunni jihadist.")
    scope: Unit = Field(0.0, description="0 local, 1 global ambitions.")
    west: Signed = Field(0.0, description="Stance toward the West, -1 hostile.")


class ForceSpec(Strict):
    """An initial force in one province."""

    strength: NonNeg
    equipment: Annotated[Number, Field(ge=0.0, le=10.0)] | None = None


class Actor(Strict):
    """One actor: a state, an insurgent group or the government."""

    name: str = Field(min_length=1, max_length=80)
    leader: str | None = Field(
        None,
        min_length=1,
        max_length=60,
        description="Who leads the actor at the start. The chronicle and the "
        "report then call it by its name and its leader, 'Taliban (Mansour)' "
        "for the name 'Taliban (main)' (a bracketed qualifier is replaced); "
        "an event's 'leader' names a successor. Words only: no effect on the run.",
    )
    kind: Literal["state", "insurgent", "government"]
    alliance_rule: (
        Literal[
            "balance_of_threat",
            "structural_balance",
            "balance_of_power",
            "static",
            "marvel",
        ]
        | None
    ) = Field(
        None,
        description="The theory lens this actor reasons by; "
        "default the scenario's parameters.alliance_rule.",
    )
    color: str | None = Field(None, pattern=r"^#[0-9a-fA-F]{6}$")
    ideology: Ideology = Field(default_factory=Ideology)
    resources: NonNeg = Field(0.0, description="Aid budget per step.")
    self_funding: Unit = Field(
        0.0, description="Share of resources spent on the actor's own forces."
    )
    hedging: Unit = Field(0.0, description="Share of aid spread over non-enemies.")
    staging: list[str] = Field(
        default_factory=list, description="Staging nodes where the actor's aid enters."
    )
    deploys: bool = Field(False, description="Fields forces inside Afghanistan.")
    troops: NonNeg | None = Field(
        None, description="Manning held by the actor (rescales its forces)."
    )
    air_support: NonNeg = Field(
        0.0,
        description="Added to its own and its allies' fire multiplier, "
        "scaled by its manning (troops present / initial).",
    )
    mobility: Unit | None = Field(
        None, description="Share that may move per step (default move_share)."
    )
    effectiveness: Annotated[Number, Field(gt=0.0, le=10.0)] = 1.0
    recruits: dict[str, NonNeg] = Field(
        default_factory=dict, description="Weight of each ethnic group as recruits."
    )
    recruitment_rate: Annotated[Number, Field(ge=0.0, le=1e5)] = Field(
        0.0,
        description="Recruits per step per 100,000 matching people held "
        "(at most all of them).",
    )
    interests: dict[str, NonNeg] = Field(
        default_factory=dict, description="Weights over regions, provinces or 'all'."
    )
    intent: dict[str, Unit] = Field(
        default_factory=dict, description="Perceived hostile intent of other actors."
    )
    credit: dict[str, Annotated[Number, Field(ge=0.0, le=2.0)]] = Field(
        default_factory=dict,
        description="How far the actor credits others' fighting (default 1).",
    )
    believed_presence: dict[str, Unit] = Field(
        default_factory=dict,
        description="Where observers believe this actor is present (province, "
        "region or 'all' -> presence 0..1) beyond its armed forces; the start "
        "of every other actor's belief (sim.processes.perception).",
    )
    beliefs: dict[str, dict[str, Unit]] = Field(
        default_factory=dict,
        description="This actor's own starting belief about another's presence "
        "(actor -> province, region or 'all' -> 0..1); replaces that actor's "
        "believed_presence for this observer.",
    )
    cohesion: Unit = 0.9
    patron_reliance: Unit = Field(
        0.0,
        description="Share of the actor's cohesion that rests on the troops and "
        "air cover of the allies it started with; as they leave, cohesion falls.",
    )
    equipment: Annotated[Number, Field(ge=0.0, le=10.0)] = 1.0
    forces: dict[str, NonNeg | ForceSpec] = Field(default_factory=dict)


class Relation(Strict):
    """Initial affinity between two actors, symmetric unless two values given."""

    pair: tuple[str, str]
    affinity: Signed | tuple[Signed, Signed]
    inertia: NonNeg | None = Field(None, description="μ for this pair (both ways).")

    @model_validator(mode="after")
    def _distinct(self) -> Relation:
        if self.pair[0] == self.pair[1]:
            raise ValueError("a relation needs two different actors")
        return self
