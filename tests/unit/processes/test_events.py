import numpy as np

from sim.processes import events


def test_splinter_takes_a_share_where_asked():
    strength = np.array([[100.0, 40.0], [0.0, 5.0]])
    moved = events.splinter(strength, 0, 1, np.array([1]), 0.25)
    assert np.array_equal(moved, [[0.0, 0.0], [0.0, 10.0]])


def test_a_shock_is_clipped_and_the_real_change_reported():
    affinity = np.array([[1.0, 0.9], [0.2, 1.0]])
    pairs = events.shock_pairs(0, 1, mutual=True)
    after, change = events.shock_affinity(affinity, pairs, 0.5)
    assert np.allclose(after, [[1.0, 1.0], [0.7, 1.0]])
    assert np.allclose(change, [[0.0, 0.1], [0.5, 0.0]])
    assert affinity[0, 1] == 0.9  # input unchanged


def test_no_shock_toward_oneself():
    assert events.shock_pairs(2, 2, mutual=True) == []
    assert events.shock_pairs(0, 1, mutual=False) == [(0, 1)]


def test_cohesion_shock_stays_in_bounds():
    out = events.shock_cohesion(np.array([[0.5, 0.9], [0.5, 0.5]]), 0, 0.3)
    assert np.allclose(out, [[0.8, 1.0], [0.5, 0.5]])
