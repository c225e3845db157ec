import numpy as np

from sim.core.model import GreatGame
from sim.core.state import State
from sim.vocabulary import Status
from tests.conftest import scenario, tiny


def test_an_empty_state_has_every_array_from_the_start():
    s = State.empty(3, 5)
    assert s.strength.shape == (3, 5) and s.status.shape == (3, 3)
    assert (s.status == Status.NEUTRAL).all()
    assert not s.threat.any() and not s.pending_aid.any()
    assert np.array_equal(s.affinity, np.eye(3))


def test_derived_sides_follow_status_and_rivalry():
    m = GreatGame(scenario(tiny(steps=1)))
    s = m.state
    a, b, c = (m.index[k] for k in "abc")
    s.status = np.zeros((3, 3), dtype=int)
    s.status[a, b] = s.status[b, a] = Status.ALLY
    s.status[a, c] = s.status[c, a] = Status.ENEMY
    s.derive(m.setup)
    assert s.allied[a, b] and s.allied[b, a] and not s.allied[a, c]
    assert s.hostile[a, c] and s.hostile[c, a]
    assert not s.hostile[a, b] and not s.hostile.diagonal().any()
    assert np.allclose(s.armed, s.strength * s.equipment)


def test_model_attributes_read_and_write_the_state():
    m = GreatGame(scenario(tiny(steps=1)))
    assert m.strength is m.state.strength
    assert m.prev_status is m.state.status
    assert m.p is m.setup.p and m.baseline is m.setup.ties.baseline
    new = np.zeros_like(m.strength)
    m.strength = new
    assert m.state.strength is new


def test_deriving_the_sides_alone_leaves_the_forces_arrays_as_they_are():
    m = GreatGame(scenario(tiny(steps=1)))
    s = m.state
    a, c = m.index["a"], m.index["c"]
    armed, presence = s.armed, s.presence
    s.status = s.status.copy()
    s.status[a, c] = s.status[c, a] = Status.ENEMY
    s.derive_sides(m.setup)
    assert s.armed is armed and s.presence is presence
    assert s.hostile[a, c] and s.hostile[c, a]
    whole = GreatGame(scenario(tiny(steps=1)))
    whole.state.status = s.status.copy()
    whole.state.derive(whole.setup)
    for name in ("competition", "allied", "hostile", "armed", "presence"):
        assert np.array_equal(getattr(s, name), getattr(whole.state, name))


def test_no_actor_is_hostile_to_itself_whatever_its_status_row_says():
    m = GreatGame(scenario(tiny(steps=1)))
    s = m.state
    s.status = np.full((3, 3), int(Status.ENEMY))  # even an enemy diagonal
    s.derive(m.setup)
    assert not s.hostile.diagonal().any()
    assert s.hostile.sum() == 6


def test_the_sides_hold_until_what_they_were_derived_from_is_replaced():
    m = GreatGame(scenario(tiny(steps=1)))
    s = m.state
    s.derive_sides(m.setup)
    assert s.sides_hold(m.setup)
    s.defection_memory = s.defection_memory + 0.0
    assert not s.sides_hold(m.setup)
    s.derive_sides(m.setup)
    s.status = s.status.copy()
    assert not s.sides_hold(m.setup)
    s.derive_sides(m.setup)
    m.refresh_setup()
    assert not s.sides_hold(m.setup)


def test_a_step_without_a_status_change_keeps_the_sides_movement_derived():
    m = GreatGame(scenario(tiny(steps=3)))
    m.step()
    s = m.state
    status, hostile = s.status, s.hostile
    before = status.copy()
    m._relations()  # affinities move a little, no pair crosses a threshold
    assert np.array_equal(s.status, before) and s.status is status
    assert s.hostile is hostile
    fresh = GreatGame(scenario(tiny(steps=3)))
    fresh.state.status = before.copy()
    fresh.state.defection_memory = s.defection_memory.copy()
    fresh.state.derive_sides(fresh.setup)
    for name in ("competition", "allied", "hostile"):
        assert np.array_equal(getattr(s, name), getattr(fresh.state, name))


def test_the_sides_follow_a_status_changed_in_place_and_derived_again():
    m = GreatGame(scenario(tiny(steps=1)))
    s = m.state
    a, c = m.index["a"], m.index["c"]
    s.status[a, c] = s.status[c, a] = Status.ALLY
    s.derive_sides(m.setup)
    assert s.allied[a, c] and not s.hostile[a, c]
    s.status[a, c] = s.status[c, a] = Status.ENEMY  # the same array, changed
    s.derive_sides(m.setup)
    assert not s.allied[a, c] and s.hostile[a, c] and s.hostile[c, a]
    assert not s.allied.flags.writeable  # shared while the status is the same
