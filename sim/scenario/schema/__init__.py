"""The scenario schema: every key a scenario file may hold, its type, range and default.

A scenario file is validated into a :class:`Scenario`: strict types, no
unknown keys (``extra="forbid"``), ranges checked. Cross-references (actor ids
in relations and events, province and region names, staging nodes, ``set``
paths) are checked by :mod:`sim.scenario.references`, and errors are mapped back
to YAML lines by :mod:`sim.scenario.problems`. The field descriptions double as
the scenario reference.

The schema is split by section: :mod:`.fields` (shared types),
:mod:`.parameters`, :mod:`.actors` (and relations), :mod:`.events`,
:mod:`.uncertainty` (prior ranges of assumptions) and :mod:`.scenario` (the
whole file).
"""

from __future__ import annotations

from sim.scenario.schema.actors import Actor, ForceSpec, Ideology, Relation
from sim.scenario.schema.events import (
    AidEvent,
    Event,
    EventBase,
    SetEvent,
    ShockEvent,
    SplinterEvent,
)
from sim.scenario.schema.fields import (
    ACTOR_ID,
    LARGEST,
    Finite,
    NonNeg,
    Number,
    Signed,
    Strict,
    Unit,
    Whole,
)
from sim.scenario.schema.parameters import Parameters
from sim.scenario.schema.scenario import MapSpec, Outputs, Scenario
from sim.scenario.schema.uncertainty import UncertainValue

__all__ = [
    "ACTOR_ID",
    "Number",
    "Whole",
    "Unit",
    "Signed",
    "LARGEST",
    "NonNeg",
    "Finite",
    "Strict",
    "Parameters",
    "Ideology",
    "ForceSpec",
    "Actor",
    "Relation",
    "EventBase",
    "SetEvent",
    "SplinterEvent",
    "ShockEvent",
    "AidEvent",
    "Event",
    "MapSpec",
    "Outputs",
    "Scenario",
    "UncertainValue",
]
