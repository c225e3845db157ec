import numpy as np

from sim.processes import movement


def test_side_shares_count_self_and_allies_against_foes():
    armed = np.array([[30.0, 0.0], [10.0, 5.0], [60.0, 0.0]])
    allied = np.array([[False, True, False], [True, False, False], [False] * 3])
    hostile = np.array(
        [[False, False, True], [False, False, True], [True, True, False]]
    )
    friendly, foes = movement.side_shares(armed, allied, hostile)
    assert np.allclose(friendly[:, 0], [0.4, 0.4, 0.6])
    assert np.allclose(foes[:, 0], [0.6, 0.6, 0.4])
    assert np.allclose(friendly[:, 1], [1.0, 1.0, 0.0])


def test_supply_comes_through_own_or_patrons_entries():
    mask = np.array([[True, False], [False, False], [False, True]])
    sent = np.zeros((3, 3))
    sent[2, 1] = 5.0  # 2 supplies 1
    entries = movement.supply_entries(mask, sent)
    assert np.array_equal(entries, [[True, False], [False, True], [False, True]])
    hops = np.array([[0.0, 1.0, 2.0], [2.0, 1.0, 0.0]])
    near = movement.supply_nearness(entries, hops)
    assert np.allclose(near[0], np.exp(-np.array([0.0, 1.0, 2.0]) / 2))
    assert np.allclose(near[1], near[2])


def test_an_actor_without_entries_is_far_from_supply():
    near = movement.supply_nearness(np.zeros((1, 2), dtype=bool), np.ones((2, 3)))
    assert np.array_equal(near, np.zeros((1, 3)))
