"""The forces' sub-models: recruit and defect, move, fight, upkeep, control."""

from __future__ import annotations

import numpy as np
import pytest

from sim.core import forces, incidents
from sim.core.history import ledger_net
from sim.core.model import GreatGame
from sim.processes import control, firepower, movement

PARTS = ("recruit_and_defect", "move", "fight", "maintain", "take_control")


def _before_forces(steps: int = 3) -> GreatGame:
    """A 2016 run after ``steps`` steps and the next step's parts before the forces'."""
    m = GreatGame("2016", seed=1)
    m.run(steps)
    m.state.new_ledger()
    m._timeline()
    m._relations()
    m._aid()
    incidents.step(m)
    return m


def test_the_step_runs_the_forces_sub_models_in_the_schedules_order(monkeypatch):
    called = []

    def spy(name, fn):
        def run(model):
            called.append(name)
            return fn(model)

        return run

    monkeypatch.setattr(incidents, "step", spy("incidents", incidents.step))
    for name in PARTS:
        monkeypatch.setattr(forces, name, spy(name, getattr(forces, name)))
    GreatGame("2016", seed=1).step()
    assert called == ["incidents", *PARTS]


@pytest.mark.parametrize("part", PARTS)
def test_each_change_of_strength_is_in_the_ledger(part):
    m = _before_forces()
    s = m.state
    for name in PARTS[: PARTS.index(part)]:
        getattr(forces, name)(m)
    before, booked = s.strength.copy(), ledger_net(s.ledger)
    getattr(forces, part)(m)
    change = s.strength - before
    np.testing.assert_allclose(change, ledger_net(s.ledger) - booked, atol=1e-9)


def test_moving_keeps_each_actors_fighters_and_moves_someone():
    m = _before_forces()
    forces.recruit_and_defect(m)
    before = m.state.strength.copy()
    forces.move(m)
    after = m.state.strength
    np.testing.assert_allclose(after.sum(axis=1), before.sum(axis=1), rtol=1e-12)
    assert not np.array_equal(after, before)


def test_fighting_only_takes_fighters_away():
    m = _before_forces()
    forces.recruit_and_defect(m)
    forces.move(m)
    before = m.state.strength.copy()
    forces.fight(m)
    assert (m.state.strength <= before).all()
    assert (m.state.strength < before).any()


def test_control_goes_to_the_armed_strength_upkeep_left():
    m = _before_forces()
    for name in PARTS[:-1]:
        getattr(forces, name)(m)
    s = m.state
    armed = s.strength * s.equipment * m.setup.effectiveness[:, None]
    forces.take_control(m)
    np.testing.assert_array_equal(s.armed, armed)
    want = control.controller(armed, m.setup.p.control_share)
    np.testing.assert_array_equal(s.controller, want)


def test_cover_is_the_deployed_states_air_support_now():
    m = GreatGame("2016", seed=1).run(2)
    k, s = m.setup, m.state
    want = firepower.cover(s.strength, m.initial_totals, k.air_support, k.deploys)
    np.testing.assert_array_equal(forces.cover(m), want)
    assert (forces.cover(m)[~k.deploys] == 0).all()


def test_supply_nearness_is_remembered_for_each_pattern_of_senders():
    m = GreatGame("2016", seed=1)
    m.run(3)
    s, k = m.state, m.setup
    first = forces.supply_nearness(m)
    want = movement.supply_nearness(
        movement.supply_entries(k.staging_mask, s.sent_now), m.hops
    )
    np.testing.assert_array_equal(first, want)
    s.sent_now = s.sent_now * 2.0  # other amounts, the same senders
    assert forces.supply_nearness(m) is first
    s.sent_now = np.zeros_like(s.sent_now)  # no one sends: own entries only
    alone = forces.supply_nearness(m)
    np.testing.assert_array_equal(
        alone, movement.supply_nearness(k.staging_mask, m.hops)
    )
