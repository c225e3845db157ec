import numpy as np

from sim.processes import firepower


def test_cover_scales_air_support_by_manning_up_to_one():
    strength = np.array([[50.0, 50.0], [400.0, 0.0], [10.0, 0.0]])
    initial = np.array([200.0, 200.0, 0.0])
    cover = firepower.cover(
        strength, initial, np.array([1.0, 2.0, 3.0]), np.array([True, True, False])
    )
    assert np.allclose(cover, [0.5, 2.0, 0.0])  # half manned, over-manned, not there


def test_firepower_adds_allied_and_own_cover():
    allied = np.array([[False, True], [True, False]])
    cover = np.array([0.5, 0.0])
    fire, air = firepower.firepower(
        np.array([1.0, 2.0]), np.ones((2, 3)), allied, cover
    )
    assert np.allclose(air, [1.5, 1.5])
    assert np.allclose(fire, [[1.5] * 3, [3.0] * 3])


def test_patron_support_is_the_share_of_starting_cover_left():
    allied = np.array([[False, True], [True, False]])
    start = np.array([2.0, 0.0])
    now = firepower.patron_support(allied, np.array([0.0, 0.5]), start)
    assert np.allclose(now, [0.25, 1.0])  # 0 had cover from 1; 1 never had any
    more = firepower.patron_support(allied, np.array([0.0, 5.0]), start)
    assert more[0] == 1.0  # never above what it started with


def test_cover_follows_the_manning_of_each_deploying_state():
    strength = np.array([[50.0, 25.0], [10.0, 0.0], [0.0, 0.0]])
    initial = np.array([100.0, 10.0, 0.0])
    air = np.array([0.4, 0.3, 0.5])
    deploys = np.array([True, False, True])
    cover = firepower.cover(strength, initial, air, deploys)
    assert np.allclose(cover, [0.3, 0.0, 0.0])  # 0.4 × 75 %; no deploy; no start
    more = firepower.cover(strength * 4, initial, air, deploys)
    assert np.allclose(more, [0.4, 0.0, 0.0])  # manning counts at most 1
