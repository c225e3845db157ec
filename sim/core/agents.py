"""Mesa agents: an :class:`Actor` per actor, a :class:`Force` per actor and province.

The numbers live in the model's arrays (strength, equipment, cohesion by
actor and province) so that the mechanisms can work on whole vectors; the
agents are views onto them that Mesa, notebooks and the dashboard can use
like any other agents. A force whose strength falls below the minimum leaves
its cell and returns when fighters arrive again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mesa import Agent
from mesa.discrete_space import CellAgent

if TYPE_CHECKING:
    from sim.core.model import GreatGame


class Actor(Agent):
    """A state, insurgent group or government, as named in the scenario."""

    def __init__(self, model: GreatGame, index: int, key: str, name: str, kind: str):
        """Create the actor; ``index`` is its row in the model's arrays."""
        super().__init__(model)
        self.index = index
        self.key = key
        self.name = name
        self.kind = kind

    @property
    def strength(self) -> float:
        """Fighters the actor has in all provinces."""
        return float(self.model.strength[self.index].sum())

    @property
    def forces(self) -> list[Force]:
        """The actor's forces that stand in a province now."""
        forces = self.model.forces[self.index]
        return [forces[q] for q in sorted(forces) if forces[q].cell is not None]

    def affinity(self, other: Actor) -> float:
        """How this actor regards ``other`` (-1 .. 1)."""
        return float(self.model.affinity[self.index, other.index])

    def __repr__(self) -> str:
        return f"Actor({self.key!r})"


class Force(CellAgent):
    """An actor's fighters in one province."""

    def __init__(self, model: GreatGame, actor: Actor, province: int):
        """Create the force (the model does, when it first has fighters)."""
        super().__init__(model)
        self.actor = actor
        self.province = province

    @property
    def strength(self) -> float:
        """Fighters."""
        return float(self.model.strength[self.actor.index, self.province])

    @property
    def equipment(self) -> float:
        """Equipment level, 1 = the actor's baseline kit."""
        return float(self.model.equipment[self.actor.index, self.province])

    @property
    def cohesion(self) -> float:
        """Cohesion 0..1; below the threshold fighters defect."""
        return float(self.model.cohesion[self.actor.index, self.province])

    def sync_cell(self, present: bool) -> None:
        """Enter or leave the province's cell to match whether it has fighters."""
        if present and self.cell is None:
            self.cell = self.model.space[self.province]
        elif not present and self.cell is not None:
            self.cell = None

    def __repr__(self) -> str:
        return f"Force({self.actor.key!r}, {self.model.geo.names[self.province]!r})"
