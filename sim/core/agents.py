"""Mesa agents: an :class:`Actor` per actor, a :class:`Force` per actor and province.

The numbers live in the model's state arrays (strength, equipment, cohesion
by actor and province; :class:`sim.core.state.State`) so that the mechanisms
can work on whole vectors. The agents carry the decisions and the views:

* An :class:`Actor` decides its own affinities each step: it perceives
  threats and updates its row of the affinity matrix under its theory lens
  (``actors.<id>.alliance_rule``), in two phases, all ``decide`` from the
  same state, then all ``apply``, so no actor sees another's change of the
  same step. Each actor also divides its aid budget among its clients
  (:meth:`Actor.divide_aid`) and expects its recruits
  (:meth:`Actor.plan_recruits`). The methods are each actor's own part;
  the model runs all actors' parts at once on the arrays
  (:func:`decide_all`, :func:`divide_all_aid`, :func:`plan_all_recruits`),
  which gives the same numbers as ``model.actors.do("decide")`` then
  ``do("apply")`` without a Python call per actor and step.
* A :class:`Force` is an actor's fighters in one province, a ``CellAgent``
  on the province graph (Mesa's ``Network`` space). It is made the first
  time the actor stands there, leaves its cell when its strength falls below
  the minimum and returns when fighters arrive again, so
  ``model.forces_in("Kunduz")`` answers "who is in Kunduz now?".
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

import numpy as np
from mesa import Agent
from mesa.discrete_space import CellAgent

from sim.processes import affinity_terms, lenses

if TYPE_CHECKING:
    from sim.core.model import GreatGame
    from sim.core.state import State


class Actor(Agent):
    """A state, insurgent group or government, as named in the scenario."""

    def __init__(self, model: GreatGame, index: int, key: str, name: str, kind: str):
        """Create the actor; ``index`` is its row in the model's arrays."""
        super().__init__(model)
        self.index = index
        self.key = key
        self.name = name
        self.kind = kind
        self.next_row: np.ndarray | None = None

    @property
    def lens(self) -> str:
        """The theory lens this actor reasons by (its own, or the scenario's)."""
        return self.model.setup.lenses[self.index]

    def decide(self) -> None:
        """Work out this step's affinities toward every actor under its lens.

        Reads the state as it was before anyone changed it this step (the
        model's lens verdicts, computed once per phase) and keeps the new
        row until :meth:`apply`.
        """
        verdict = self.model.verdicts[self.lens]
        self.next_row = lenses.updated_row(
            self.lens,
            self.index,
            self.model.state.affinity,
            verdict.total,
            verdict.unbounded,
        )

    def apply(self) -> None:
        """Commit the decided row: affinities, their explanation and the threat seen."""
        i, state = self.index, self.model.state
        state.affinity[i] = self.next_row
        self.next_row = None
        if self.lens == "static":
            return
        verdict = self.model.verdicts[self.lens]
        for name in affinity_terms.Terms.FIELDS:
            getattr(state.cum, name)[i] += getattr(verdict.terms, name)[i]
        if verdict.threat is not None:
            state.threat[i] = verdict.threat[i]
        if verdict.unbounded is not None:  # the Marvel lens's unclipped X
            state.unbounded[i] = verdict.unbounded[i]

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

    def divide_aid(self) -> None:
        """Decide this step's aid to every actor (its own forces on the diagonal).

        The budget is divided as :func:`sim.processes.supply.allocate` says
        (the model computes all patrons' rows at once, ``model.aid_plan``),
        plus the one-off aid the scenario pledged for this step.
        """
        i = self.index
        self.model.aid_rows[i] = (
            self.model.aid_plan[i] + self.model.state.pending_aid[i]
        )

    @property
    def aid_row(self) -> np.ndarray:
        """This step's aid to every actor (its own forces on the diagonal)."""
        return self.model.aid_rows[self.index]

    def plan_recruits(self) -> None:
        """Expect this step's recruits in each province it holds ground in.

        Its row of :func:`sim.processes.recruitment.recruitment` (the model
        computes all rows at once, ``model.recruit_plan``) plus the recruits
        owed to last step's air strikes. The draw itself is the model's, on
        the recruitment stream, so every actor's draws stay in one order.
        """
        i = self.index
        owed = self.model.state.collateral_recruits[i]
        self.model.expected_recruits[i] = self.model.recruit_plan[i] + owed

    @property
    def expected_recruits(self) -> np.ndarray:
        """This step's expected recruits by province."""
        return self.model.expected_recruits[self.index]

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


@cache
def lens_rows(lenses_of: tuple[str, ...]) -> dict[str, np.ndarray]:
    """The actors (row indices) reasoning by each lens, lens by lens (cached).

    Args:
        lenses_of: each actor's lens, in actor order (a tuple, to be cached).
    """
    rows: dict[str, list[int]] = {}
    for i, rule in enumerate(lenses_of):
        rows.setdefault(rule, []).append(i)
    out = {rule: np.array(r) for rule, r in rows.items()}
    for r in out.values():
        r.flags.writeable = False
    return out


@cache
def sole_lens(lenses_of: tuple[str, ...]) -> str | None:
    """The lens every actor reasons by, or None if they differ (cached).

    Args:
        lenses_of: each actor's lens, in actor order (a tuple, to be cached).
    """
    rules = set(lenses_of)
    return rules.pop() if len(rules) == 1 else None


def decide_all(model: GreatGame) -> None:
    """Every actor's :meth:`Actor.decide` then :meth:`Actor.apply`, on whole rows.

    Each lens's rows are moved at once from the affinities as they stood
    before anyone changed them (the two phases), with the same arithmetic
    per element as the actors' own methods, so the result is identical.
    When one lens rules every actor (the usual case) whole arrays are
    updated in place, without picking rows.
    """
    lenses_of = tuple(model.setup.lenses)
    rule = sole_lens(lenses_of)
    if rule is not None:
        if rule != "static":  # static: rows kept; no terms, no threat committed
            _apply_to_all(model.state, rule, model.verdicts[rule])
        return
    groups = lens_rows(lenses_of)
    state, verdicts = model.state, model.verdicts
    before = state.affinity.copy()
    for rule, rows in groups.items():
        if rule == "static":
            continue  # rows kept; no terms, no threat committed
        verdict = verdicts[rule]
        if rule == "marvel":
            moved = verdict.unbounded[rows]
        else:
            moved = before[rows] + verdict.total[rows]
        new = np.minimum(np.maximum(moved, -1.0), 1.0)
        new[np.arange(len(rows)), rows] = 1.0
        state.affinity[rows] = new
        for name in affinity_terms.Terms.FIELDS:
            if name not in verdict.zero_terms:
                getattr(state.cum, name)[rows] += getattr(verdict.terms, name)[rows]
        if verdict.threat is not None:
            state.threat[rows] = verdict.threat[rows]
        if verdict.unbounded is not None:
            state.unbounded[rows] = verdict.unbounded[rows]


def _apply_to_all(state: State, rule: str, verdict: lenses.Verdict) -> None:
    """Every row moved by one lens's ``verdict``: the arrays updated in place."""
    a = state.affinity
    if rule == "marvel":
        a[...] = verdict.unbounded
    else:
        a += verdict.total
    np.maximum(a, -1.0, out=a)  # clip to [-1, 1], as the actors' rows are
    np.minimum(a, 1.0, out=a)
    a.flat[:: a.shape[0] + 1] = 1.0
    # the terms by name from the dataclasses' own dicts: no getattr call each
    cum, terms, zero = vars(state.cum), vars(verdict.terms), verdict.zero_terms
    for name in affinity_terms.Terms.FIELDS:
        if name not in zero:  # +0.0 would change no sum told
            np.add(cum[name], terms[name], out=cum[name])
    if verdict.threat is not None:
        state.threat[...] = verdict.threat
    if verdict.unbounded is not None:
        state.unbounded[...] = verdict.unbounded


def divide_all_aid(model: GreatGame) -> np.ndarray:
    """Every actor's :meth:`Actor.divide_aid` at once; the ``[N, N]`` aid rows."""
    model.aid_rows = model.aid_plan + model.state.pending_aid
    return model.aid_rows


def plan_all_recruits(model: GreatGame) -> np.ndarray:
    """Every actor's :meth:`Actor.plan_recruits` at once; ``[N, P]`` expected."""
    model.expected_recruits = model.recruit_plan + model.state.collateral_recruits
    return model.expected_recruits


def sync_forces(model: GreatGame, present: np.ndarray) -> np.ndarray:
    """Put forces in or out of their cells to match ``present`` (``[N, P]`` bool).

    A :class:`Force` is made the first time an actor stands in a province
    (on a big map most actors never reach most provinces). Returns
    ``present``, the new cell occupancy.
    """
    changed = (present != model.state.in_cell).nonzero()
    if not changed[0].size:  # the usual step: nobody came or went
        return present
    for i, q in zip(*changed, strict=True):
        force = model.forces[i].get(q)
        if force is None:
            force = model.forces[i][q] = Force(model, model.actor_agents[i], int(q))
        force.sync_cell(bool(present[i, q]))
    return present
