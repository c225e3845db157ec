import numpy as np

from sim.processes import upkeep


def test_manning_brings_a_state_to_its_troops_and_books_the_change():
    strength = np.array([[100.0, 300.0], [50.0, 50.0]])
    troops = np.array([200.0, np.nan])
    after, change = upkeep.manning(strength, troops, strength)
    assert after[0].sum() == 200.0
    assert np.allclose(after[0], [50.0, 150.0])  # keeps where it stands
    assert np.array_equal(after[1], strength[1])  # no troops: untouched
    assert np.allclose(after - strength, change)
    assert strength[0, 0] == 100.0  # the input is not changed


def test_manning_returns_a_vanished_force_where_it_started():
    initial = np.array([[30.0, 10.0]])
    after, change = upkeep.manning(np.zeros((1, 2)), np.array([80.0]), initial)
    assert np.allclose(after, [[60.0, 20.0]])
    assert np.allclose(change, after)


def test_dispersal_removes_small_forces_and_accounts_for_them():
    strength = np.array([[0.5, 10.0], [2.0, 0.0]])
    after, gone = upkeep.disperse(strength, 1.0)
    assert np.array_equal(after, [[0.0, 10.0], [2.0, 0.0]])
    assert np.array_equal(after + gone, strength)


def test_wear_moves_equipment_toward_the_baseline_without_overshoot():
    equipment = np.array([[2.0, 0.5]])
    worn = upkeep.wear(equipment, np.array([1.0]), 0.1)
    assert np.allclose(worn, [[1.9, 0.55]])
    assert np.allclose(upkeep.wear(equipment, np.array([1.0]), 1.0), 1.0)


def test_cohesion_recovers_toward_the_target_its_patrons_allow():
    cohesion = np.array([[0.2, 0.9]])
    base, reliance = np.array([0.8]), np.array([0.5])
    full = upkeep.recover_cohesion(cohesion, base, reliance, np.array([1.0]), 1.0)
    assert np.allclose(full, 0.8)
    # patrons gone: half of the cohesion rested on them
    left = upkeep.recover_cohesion(cohesion, base, reliance, np.array([0.0]), 1.0)
    assert np.allclose(left, 0.4)
    step = upkeep.recover_cohesion(cohesion, base, reliance, np.array([1.0]), 0.25)
    assert np.allclose(step, [[0.35, 0.875]])


def test_manning_finds_the_manned_actors_once_and_leaves_the_others():
    strength = np.array([[10.0, 30.0], [5.0, 5.0], [40.0, 0.0]])
    troops = np.array([np.nan, 20.0, np.nan])
    after, change = upkeep.manning(strength, troops, strength)
    assert np.array_equal(after[[0, 2]], strength[[0, 2]])
    assert np.array_equal(after[1], [10.0, 10.0])
    assert np.array_equal(change, [[0.0, 0.0], [5.0, 5.0], [0.0, 0.0]])
    assert upkeep._manned(troops) == (1,)
    assert upkeep._manned(np.array([1.0, np.nan, 3.0])) == (0, 2)


def test_dispersal_takes_small_forces_off_the_map():
    strength = np.array([[0.5, 30.0], [5.0, 0.0]])
    after, dispersed = upkeep.disperse(strength, 1.0)
    assert np.array_equal(after, [[0.0, 30.0], [5.0, 0.0]])
    assert np.array_equal(dispersed, [[0.5, 0.0], [0.0, 0.0]])
    assert strength[0, 0] == 0.5  # the input is kept
