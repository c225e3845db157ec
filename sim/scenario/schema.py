"""The scenario schema: every key a scenario file may hold, its type, range and default.

A scenario file is validated into a :class:`Scenario`: strict types, no
unknown keys (``extra="forbid"``), ranges checked. Cross-references (actor ids
in relations and events, province and region names, staging nodes, ``set``
paths) are checked by :mod:`sim.scenario.references`, and errors are mapped back
to YAML lines by :mod:`sim.scenario.problems`. The field descriptions double as
the scenario reference.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)

ACTOR_ID = r"^[a-z][a-z0-9_]*$"


def _no_bool(expected: str) -> BeforeValidator:
    """Refuse true/false (and YAML's yes/no/on/off) where a number is expected.

    Pydantic would otherwise read ``resources: true`` as 1.
    """

    def check(value: Any) -> Any:
        if isinstance(value, bool):
            raise ValueError(f"expected {expected}, got {str(value).lower()}")
        return value

    return BeforeValidator(check)


#: A float (an int is taken) or an int, but never a bool.
Number = Annotated[float, _no_bool("a number")]
Whole = Annotated[int, _no_bool("a whole number")]

Unit = Annotated[Number, Field(ge=0.0, le=1.0, allow_inf_nan=False)]
Signed = Annotated[Number, Field(ge=-1.0, le=1.0, allow_inf_nan=False)]
# No quantity of the model is meaningful above a billion (fighters, aid units
# a step, rates, weights); the cap turns a typo such as 1e30 into a clear
# error instead of an overflow in the middle of a run.
LARGEST = 1e9
NonNeg = Annotated[Number, Field(ge=0.0, le=LARGEST, allow_inf_nan=False)]
Finite = Annotated[Number, Field(allow_inf_nan=False)]


class Strict(BaseModel):
    """Base for all scenario sections: unknown keys are errors."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class Parameters(Strict):
    """Global parameters of the mechanisms (symbols as in docs/model.md)."""

    alliance_rule: Literal[
        "balance_of_threat",
        "structural_balance",
        "balance_of_power",
        "static",
        "marvel",
    ] = Field(
        "balance_of_threat",
        description="Theory lens for the affinity dynamics (docs/model.md); "
        "marvel: Marvel et al. (2011) dX/dt = X², unclipped.",
    )
    ally_threshold: Signed = Field(0.3, description="Both affinities above: allies.")
    enemy_threshold: Signed = Field(-0.3, description="Either affinity below: enemies.")
    hysteresis: Annotated[Number, Field(ge=0.0, le=0.5)] = Field(
        0.05,
        description="A status holds until affinity is this far past its threshold.",
    )
    eta: NonNeg = Field(0.05, description="η, learning rate of affinity per step.")
    gamma: NonNeg = Field(1.0, description="γ, weight of competition in threat.")
    kappa: NonNeg = Field(0.7, description="κ, weight of a partner's own threat.")
    rho: NonNeg = Field(0.5, description="ρ, reciprocity for aid received.")
    lam: NonNeg = Field(
        0.02, alias="lambda", description="λ, ideological friction between friends."
    )
    mu: NonNeg = Field(0.01, description="μ, default pull of affinity to baseline.")
    sigma: NonNeg = Field(0.01, description="σ, affinity noise per step.")
    presence_scale: Annotated[Number, Field(gt=0, allow_inf_nan=False)] = Field(
        150.0, description="Fighters at which a force counts as ~63% present."
    )
    sentiment_weight: Unit = Field(
        0.2, description="Share of 'friend of my enemy' read from sentiment."
    )
    help_scale: Annotated[Number, Field(gt=0, allow_inf_nan=False)] = Field(
        0.3, description="Aid per 1,000 fighters per step that counts as half help."
    )
    defection_memory: Unit = Field(
        0.9, description="Decay per step of remembered defection flows."
    )
    defection_weight: NonNeg = Field(
        50.0, description="Competition added per unit of weekly defection share."
    )
    rival_fight_threshold: NonNeg = Field(
        0.3, description="Competition above which rivals fight whatever affinity."
    )
    aid_threshold: Signed = Field(0.2, description="Least affinity to aid a client.")
    interdiction: Unit = Field(
        0.5, description="Loss of aid in a province wholly held by the client's foes."
    )
    aid_reach: Annotated[Number, Field(gt=0.0, allow_inf_nan=False)] = Field(
        1.5, description="Provinces crossed at which aid's share falls by 1/e."
    )
    aid_to_equipment: Unit = Field(
        0.5, description="Share of delivered aid spent on equipment (rest: recruits)."
    )
    equipment_per_aid: NonNeg = Field(
        0.02, description="Equipment gained per aid unit per fighter (x1000)."
    )
    recruits_per_aid: NonNeg = Field(2.0, description="Recruits one aid unit pays.")
    equipment_decay: Unit = Field(
        0.01, description="Weekly pull of equipment back to the actor's baseline."
    )
    max_equipment: Annotated[Number, Field(ge=1.0, le=10.0)] = 2.0
    move_share: Unit = Field(0.1, description="Share of a force that may move a step.")
    move_margin: NonNeg = Field(0.05, description="Value gain needed to move.")
    garrison: NonNeg = Field(
        50.0, description="Fighters a force keeps in place; only the rest moves."
    )
    hold_ratio: NonNeg = Field(
        0.0,
        description="h: a force keeps at least h × the hostile fighters it faces "
        "in a province; only the rest may move.",
    )
    hold_share: Unit = Field(
        0.0, description="Share of its force the controller keeps in a province."
    )
    move_weights: dict[str, Finite] = Field(
        default_factory=lambda: {
            "population": 0.3,
            "ethnic": 0.6,
            "interest": 0.3,
            "supply": 0.2,
            "enemy": 0.8,
            "friends": 0.1,
            "crowding": 0.8,
        },
        description="Weights of a province's value to a mover.",
    )
    beta: NonNeg = Field(0.004, description="β, combat attrition rate per step.")
    alpha: Unit = Field(0.5, description="α, 0 = linear (guerrilla), 1 = square law.")
    combat_law: Literal["per_capita", "square", "linear", "deitchman"] = Field(
        "per_capita",
        description="Attrition law: Lanchester square (aimed fire), linear (area "
        "fire), deitchman (insurgents hit by area fire, they fire aimed), or "
        "per_capita (the old β(E·S·f)^α·S^(1−α), not a named law).",
    )
    fire_focus: Annotated[Number, Field(ge=0.0, le=3.0, allow_inf_nan=False)] = Field(
        0.0,
        description="φ: fire share ∝ hostility × target strength^(1−φ); 0 by "
        "numbers, 1 by hostility alone, >1 hunts the weakest cells.",
    )
    area_fire_scale: Annotated[
        Number, Field(gt=0.0, le=LARGEST, allow_inf_nan=False)
    ] = Field(
        1000.0,
        description="N₀, target fighters in a province at which area fire "
        "(linear law) hits as aimed fire does.",
    )
    kill_cap: NonNeg | None = Field(
        None, description="Most expected kills per fighter per step (None: no cap)."
    )
    terrain: dict[str, NonNeg] = Field(
        default_factory=lambda: {
            "mountainous": 0.8,
            "mixed": 1.0,
            "plains/desert": 1.2,
        },
        description="Attrition multiplier by terrain class.",
    )
    collateral: NonNeg = Field(
        0.0, description="Insurgent recruits per fighter killed by air support."
    )
    control_share: Annotated[Number, Field(gt=0.5, le=1.0)] = Field(
        0.6, description="Share of armed strength that controls a province."
    )
    sigar_bands: tuple[Unit, Unit, Unit, Unit] = Field(
        (0.2, 0.4, 0.6, 0.8),
        description="Government-side share bounds of SIGAR's five classes.",
    )
    defection_rate: Unit = Field(
        0.05, description="Weekly share defecting at zero cohesion."
    )
    cohesion_threshold: Unit = Field(0.6, description="Cohesion below which defect.")
    cohesion_recovery: Unit = Field(0.02, description="Weekly recovery of cohesion.")
    min_strength: NonNeg = Field(1.0, description="Forces below this leave the cell.")
    home_share: Unit = Field(
        0.0,
        description="Share of deserters who go home (leave the war) instead of "
        "joining a rival (sim.processes.defection).",
    )
    defection_pull: Annotated[Number, Field(ge=0.0, le=3.0)] = Field(
        0.0,
        description="ν, exponent of a rival's local strength in the split of "
        "deserters among rivals; 0 splits by rivalry for recruits alone.",
    )
    offensive_rate: Unit = Field(
        0.0,
        description="Weekly chance that a fully superior, cohesive force "
        "launches an offensive in its province; 0 switches offensives off "
        "(sim.core.incidents).",
    )
    offensive_boost: Annotated[Number, Field(ge=0.0, le=10.0)] = Field(
        1.0, description="Fire added (x own fire) during an offensive."
    )
    offensive_weeks: Annotated[Whole, Field(ge=1, le=52)] = Field(
        4, description="Steps an offensive lasts."
    )
    leader_kill_rate: Unit = Field(
        0.0,
        description="Weekly chance that an insurgent's leader is killed, per "
        "unit of hostile air cover over its fighters; 0 switches it off.",
    )
    leader_kill_shock: Unit = Field(
        0.3, description="Cohesion an insurgent loses everywhere when its leader dies."
    )
    commander_rate: Unit = Field(
        0.0,
        description="Weekly chance that the commander of a force at zero "
        "cohesion takes his men to the actor present he likes best; 0 switches "
        "it off.",
    )
    commander_share: Unit = Field(
        0.5, description="Share of a force a defecting commander takes with him."
    )
    belief_rate: Unit = Field(
        1.0,
        description="r, weekly learning rate of presence beliefs toward the armed "
        "presence (1: threat from armed presence only; sim.processes.perception).",
    )

    @field_validator("move_weights", "terrain", mode="after")
    @classmethod
    def _keep_defaults(cls, v: dict, info) -> dict:
        """A map given in part keeps the default for every key it does not name."""
        default = cls.model_fields[info.field_name].default_factory()
        return {**default, **v}

    @field_validator("sigar_bands")
    @classmethod
    def _bands_increase(cls, v: tuple[float, ...]) -> tuple[float, ...]:
        if list(v) != sorted(v):
            raise ValueError("the four SIGAR bands must increase")
        return v

    @model_validator(mode="after")
    def _thresholds_ordered(self) -> Parameters:
        if self.enemy_threshold >= self.ally_threshold:
            raise ValueError("enemy_threshold must be below ally_threshold")
        return self


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


class EventBase(Strict):
    """When an event happens (a date or a step) and how the chronicle names it."""

    at: dt.date | None = None
    step: Annotated[Whole, Field(ge=0)] | None = None
    label: str | None = Field(None, max_length=300)

    @model_validator(mode="after")
    def _one_time(self) -> EventBase:
        if (self.at is None) == (self.step is None):
            raise ValueError("give exactly one of 'at' (a date) or 'step'")
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
