"""The scenario's timeline: which events fall due at each step, and applying them.

Events are given at a date or a step; :func:`schedule` files each under the
step it happens in. :func:`apply_event` applies one to the model's state and
logs it for the chronicle: ``set`` changes a scenario value (the model's
:class:`~sim.core.setup.Setup` is rebuilt), ``splinter`` and ``shock`` are
computed by :mod:`sim.processes.events`, ``aid`` adds one-off aid to send
this step.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from sim.processes import events
from sim.processes.recruitment import add_recruits
from sim.scenario.schema import Scenario

if TYPE_CHECKING:
    from sim.core.model import GreatGame


def schedule(config: Scenario) -> dict[int, list]:
    """``{step: [events]}`` in the scenario's order."""
    timeline: dict[int, list] = {}
    for ev in config.events:
        step = ev.step if ev.step is not None else config.step_of(ev.at)
        timeline.setdefault(step, []).append(ev)
    return timeline


def event_date(config: Scenario, ev: Any):
    """The date a scenario event is told under: its own, or its step's start."""
    return ev.at if ev.at is not None else config.date_of(ev.step)


def apply_event(model: GreatGame, ev: Any) -> None:
    """Apply one scenario event to ``model`` and log it."""
    {
        "set": _set,
        "splinter": _splinter,
        "shock": _shock,
        "aid": _aid,
    }[ev.do](model, ev)


def _log(model: GreatGame, ev: Any, **data: Any) -> None:
    model.log(ev.do, when=event_date(model.config, ev), **data, label=ev.label)


def _set(model: GreatGame, ev: Any) -> None:
    model.config.set_value(ev.path, ev.value)  # checked at load time already
    parts = ev.path.split(".")
    if parts[0] == "actors" and parts[-1] == "cohesion":
        model.state.cohesion[model.index[parts[1]]] = ev.value
    model.refresh_setup()
    _log(model, ev, path=ev.path, value=ev.value)


def _splinter(model: GreatGame, ev: Any) -> None:
    s = model.state
    a, b = model.index[ev.actor], model.index[ev.into]
    where = (
        np.array([model.geo.index[q] for q in ev.provinces])
        if ev.provinces
        else np.arange(model.geo.n_provinces)
    )
    moved = events.splinter(s.strength, a, b, where, ev.share)
    s.strength[a, where] -= moved[b, where]
    s.ledger["splinter_out"][a, where] += moved[b, where]
    s.ledger["splinter_in"][b, where] += moved[b, where]
    s.strength, s.equipment = add_recruits(
        s.strength, s.equipment, moved, model.setup.base_equipment
    )
    _log(
        model,
        ev,
        actor=ev.actor,
        into=ev.into,
        share=ev.share,
        fighters=round(float(moved.sum()), 1),
    )


def _shock(model: GreatGame, ev: Any) -> None:
    s = model.state
    a = model.index[ev.actor]
    if ev.affinity is not None:
        b = model.index[ev.toward]
        pairs = events.shock_pairs(a, b, ev.mutual)
        s.affinity, change = events.shock_affinity(s.affinity, pairs, ev.affinity)
        for x, y in pairs:
            s.cum.shock[x, y] += change[x, y]
    if ev.cohesion is not None:
        s.cohesion = events.shock_cohesion(s.cohesion, a, ev.cohesion)
    _log(
        model,
        ev,
        actor=ev.actor,
        toward=ev.toward,
        affinity=ev.affinity,
        cohesion=ev.cohesion,
    )


def _aid(model: GreatGame, ev: Any) -> None:
    model.state.pending_aid[model.index[ev.actor], model.index[ev.to]] += ev.amount
    _log(model, ev, actor=ev.actor, to=ev.to, amount=ev.amount)
