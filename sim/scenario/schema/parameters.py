"""The ``parameters`` section: the mechanisms' coefficients, ranges and defaults."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import (
    Field,
    field_validator,
    model_validator,
)

from sim.scenario.schema.fields import (
    LARGEST,
    Finite,
    NonNeg,
    Number,
    Signed,
    Strict,
    Unit,
    Whole,
)


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
    perceived_fight: Unit = Field(
        0.0,
        description="omega, weight of the believed fight in 'enemy of my enemy': "
        "0 judges who fights a threat by the kills alone, 1 by where the actor "
        "believes the threat is and who stands against it there "
        "(sim.processes.perception.believed_fighting).",
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
