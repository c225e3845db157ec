"""The forces' sub-models of a step: recruit, defect, move, fight, upkeep, control.

Steps 4 to 8 of the schedule in :mod:`sim.core.model`, one function each,
taking the model as :func:`sim.core.incidents.step` does. They read and
write the run's :class:`sim.core.state.State` (``model.state``) with the
per-actor scenario values of :class:`sim.core.setup.Setup`
(``model.setup``), draw on their own named streams (``model.streams``), and
add every change of strength to the step's ledger:

4. **Recruitment** and **defection** (:mod:`sim.processes.recruitment`,
   :mod:`sim.processes.defection`): :func:`recruit_and_defect`.
5. **Movement** toward better provinces (:mod:`sim.processes.movement`):
   :func:`move`.
6. **Combat** by a named Lanchester law (:mod:`sim.processes.engagements`,
   :mod:`sim.processes.combat`, :mod:`sim.processes.firepower`): :func:`fight`.
7. **Upkeep**: manning, dispersal, equipment wear, cohesion recovery
   (:mod:`sim.processes.upkeep`): :func:`maintain`.
8. **Control**: controller per province, captures logged
   (:mod:`sim.processes.control`): :func:`take_control`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.core import incidents, logbook
from sim.core.agents import plan_all_recruits
from sim.processes import (
    combat,
    control,
    defection,
    engagements,
    firepower,
    kill_memory,
    movement,
    recruitment,
    upkeep,
)

if TYPE_CHECKING:
    from sim.core.model import GreatGame


def recruit_and_defect(model: GreatGame) -> None:
    """4. Recruits drawn from the population; unravelling forces defect."""
    s, k = model.state, model.setup
    model.recruit_plan = recruitment.recruitment(
        k.recruit_rate, model.population, k.ethnic_match, s.armed
    )
    expected = plan_all_recruits(model)  # every actor's plan_recruits
    s.collateral_recruits = np.zeros(s.collateral_recruits.shape)
    drawn = recruitment.poisson(model.streams["recruitment"], expected)
    s.ledger["drawn_recruits"] += drawn
    model._add_recruits(drawn)
    _defect(model)


def _defect(model: GreatGame) -> None:
    """Fighters of unravelling forces go to rivals or home (defection stream)."""
    s, k = model.state, model.setup
    d = defection.defect(
        s.strength,
        s.cohesion,
        k.overlap * ~s.allied,
        s.defection_memory,
        k.p,
        model.streams["defection"],
    )
    s.defection_memory = d.memory
    if d.out is not None:
        s.strength = s.strength - d.out - d.home
        s.ledger["defections_out"] += d.out
        s.ledger["defections_in"] += d.gained
        s.ledger["went_home"] += d.home
        s.defection_pairs += d.pairs
        model._add_recruits(d.gained)


def move(model: GreatGame) -> None:
    """5. Forces move toward better neighbouring provinces."""
    s, k, p = model.state, model.setup, model.setup.p
    power = movement.hostile_power(s.hostile, s.armed)
    friendly, foes = movement.side_shares(s.armed, s.allied, s.hostile, power)
    value = movement.province_value(
        lasting=k.lasting_value,
        weights=p.move_weights,
        supply=supply_nearness(model),
        friendly_share=friendly,
        hostile_share=foes,
        crowding=movement.crowding(s.strength, model.population),
    )
    jitter = 1e-6 * model.streams["movement"].random(value.shape)
    held = movement.holding(s.controller, s.strength.shape[0])
    keep = movement.garrison(
        s.strength, s.armed, s.hostile, held, p.garrison, p.hold_ratio,
        p.hold_share, power,
    )  # fmt: skip
    chosen = movement.choose_moves(
        s.strength, value + jitter, model.neighbours, k.mobility, p.move_margin,
        keep,
    )  # fmt: skip
    s.strength, s.equipment, amount, arrived = movement.relocate(
        s.strength, s.equipment, chosen
    )
    s.ledger["moves_out"] += amount
    s.ledger["moves_in"] += arrived
    # the sides take the defection memory in; the armed strength is
    # refreshed before control, the next to read it
    s.derive_sides(k)


def supply_nearness(model: GreatGame) -> np.ndarray:
    """``[N, P]`` closeness to the actor's own or its patrons' entry points.

    Remembered per pattern of who sent aid to whom (``setup.nearness``):
    patrons change rarely, so most steps reuse an earlier answer.
    """
    k, sent = model.setup, model.state.sent_now
    key = (sent > 0).tobytes()  # who sent to whom: all the answer depends on
    near = k.nearness.get(key)
    if near is None:  # patrons change rarely: remember the answer
        entries = movement.supply_entries(k.staging_mask, sent)
        near = k.nearness[key] = movement.supply_nearness(entries, model.hops)
    return near


def fight(model: GreatGame) -> None:
    """6. Hostile forces in one province fight (a named Lanchester law)."""
    s, k, p = model.state, model.setup, model.setup.p
    eng, expected = expected_losses(model)
    s.kills = s.kills.blend(eng, expected, kill_memory.KILLS_MEMORY)
    kills, losses = combat.draw(eng, expected, s.strength, model.streams["combat"])
    s.kill_pairs = eng.by_pair(kills)
    s.strength = np.maximum(0.0, s.strength - losses)
    s.ledger["combat_losses"] += losses
    if p.collateral > 0:
        air_part = (s.air - 1.0) / s.air
        air_kills = eng.total(eng.to_cell, kills * air_part[eng.j])
        s.collateral_recruits = recruitment.collateral(
            p.collateral, air_kills, k.insurgent
        )


def expected_losses(model: GreatGame) -> tuple[engagements.Engagements, np.ndarray]:
    """Where hostile forces meet now, and the losses expected there.

    Sets ``state.air``, each actor's fire multiplier from air cover, on the
    way (incidents read it).
    """
    s, k, p = model.state, model.setup, model.setup.p
    fire, s.air = firepower.firepower(
        k.effectiveness, s.equipment, s.allied, cover(model)
    )
    fire = incidents.offensive_fire(s, fire)
    intensity = engagements.fire_intensity(s.affinity, s.competition, p.gamma)
    return combat.engage(
        s.strength, s.hostile, fire, intensity, p, k.terrain, k.insurgent
    )


def cover(model: GreatGame) -> np.ndarray:
    """``[N]`` air cover each actor gives now (its deployed share of its start)."""
    s, k = model.state, model.setup
    return firepower.cover(s.strength, model.initial_totals, k.air_support, k.deploys)


def maintain(model: GreatGame) -> None:
    """7. Manning, dispersal, equipment wear and cohesion recovery."""
    s, k, p = model.state, model.setup, model.setup.p
    s.strength, change = upkeep.manning(s.strength, k.troops, model.initial_strength)
    s.ledger["reinforcement"] += change
    s.strength, dispersed = upkeep.disperse(s.strength, p.min_strength)
    s.ledger["dispersed"] += dispersed
    s.equipment = upkeep.wear(s.equipment, k.base_equipment, p.equipment_decay)
    support = firepower.patron_support(s.allied, cover(model), model.cover_at_start)
    s.cohesion = upkeep.recover_cohesion(
        s.cohesion, k.base_cohesion, k.patron_reliance, support, p.cohesion_recovery
    )


def take_control(model: GreatGame) -> None:
    """8. Who controls each province; captures logged."""
    s = model.state
    # control, and the record, see the forces upkeep left (the sides are
    # as movement left them: combat and upkeep change no status or memory)
    s.derive_forces(model.setup)
    new = control.controller(s.armed, model.setup.p.control_share)
    ledger = s.ledger
    departed = ledger["moves_out"] - ledger["moves_in"]
    s.front = s.front.update(ledger["combat_losses"], departed)
    logbook.log_control_changes(model, s.controller, new)
    s.controller = new
    s.front = s.front.held(new)
