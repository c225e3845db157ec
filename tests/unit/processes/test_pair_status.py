"""sim.processes.pair_status: the status rule, its thresholds in their precedence."""

import numpy as np

from sim.processes.pair_status import ALLY, ENEMY, NEUTRAL, _kept_thresholds, status


def _status_by_precedence(a, ally, enemy, previous, hysteresis):
    """The status rule spelt out step by step, each later rule overriding."""
    both = np.minimum(a, a.T)
    st = np.where(both < enemy, ENEMY, NEUTRAL)
    st = np.where(both > ally, ALLY, st)
    if previous is not None and hysteresis > 0:
        st = np.where((previous == ALLY) & (both > ally - hysteresis), ALLY, st)
        st = np.where((previous == ENEMY) & (both < enemy + hysteresis), ENEMY, st)
    np.fill_diagonal(st, NEUTRAL)
    return st


def test_status_applies_the_thresholds_in_their_order_of_precedence():
    rng = np.random.default_rng(7)
    on_thresholds = np.array([-1, -0.35, -0.3, -0.2, 0, 0.2, 0.3, 0.35, 1, np.nan])
    for trial in range(400):
        n = int(rng.integers(2, 8))
        if trial % 2:
            a = rng.choice(on_thresholds, (n, n))
        else:
            a = rng.uniform(-1, 1, (n, n))
        previous = rng.integers(-1, 2, (n, n)) if trial % 3 else None
        hysteresis = float(rng.choice([0.0, 0.05, 0.2, 0.5]))
        want = _status_by_precedence(a, 0.3, -0.2, previous, hysteresis)
        got = status(a, 0.3, -0.2, previous, hysteresis)
        assert got.dtype == want.dtype and np.array_equal(got, want)


def test_a_kept_enmity_outlasts_affinities_past_the_ally_threshold():
    # with a wide hysteresis the enemy band reaches past the ally threshold
    a = np.array([[1.0, 0.35], [0.35, 1.0]])
    enemies = np.array([[0, -1], [-1, 0]])
    allies = -enemies
    assert status(a, 0.3, -0.2, enemies, 0.6)[0, 1] == ENEMY
    assert status(a, 0.3, -0.2, allies, 0.6)[0, 1] == ALLY
    assert status(a, 0.3, -0.2, np.zeros((2, 2)), 0.6)[0, 1] == ALLY


def test_status_reads_previous_codes_of_any_integer_or_float_type():
    a = np.array([[1.0, 0.28, -0.27], [0.28, 1.0, 0.0], [-0.27, 0.0, 1.0]])
    prev = np.array([[0, 1, -1], [1, 0, 0], [-1, 0, 0]])
    want = status(a, 0.3, -0.3, prev, 0.05)
    assert want[0, 1] == ALLY and want[0, 2] == ENEMY  # both kept
    for dtype in (np.int32, np.float64, np.int8):
        assert np.array_equal(status(a, 0.3, -0.3, prev.astype(dtype), 0.05), want)
    assert np.array_equal(status(a, 0.3, -0.3, prev[:, ::-1][:, ::-1], 0.05), want)


def test_the_cached_thresholds_are_read_only():
    prev = np.array([[0, 1], [1, 0]])
    key = (prev.dtype.str, prev.tobytes())
    for arr in _kept_thresholds(key, 2, 0.3, -0.3, 0.05)[:2]:
        assert not arr.flags.writeable
    # hysteresis past the gap between the thresholds: the kept enmities count
    prev = np.array([[0, -1], [-1, 0]])
    kept = _kept_thresholds((prev.dtype.str, prev.tobytes()), 2, 0.3, -0.3, 0.7)
    for arr in kept:
        assert not arr.flags.writeable


def test_the_kept_enmities_matter_only_when_the_thresholds_overlap():
    prev = np.array([[0, 1], [1, 0]])
    key = (prev.dtype.str, prev.tobytes())
    assert _kept_thresholds(key, 2, 0.3, -0.3, 0.05)[2] is None
    prev = np.array([[0, -1], [-1, 0]])
    key = (prev.dtype.str, prev.tobytes())
    assert _kept_thresholds(key, 2, 0.3, -0.3, 0.7)[2] is not None


def test_status_is_the_rule_whether_or_not_the_thresholds_overlap():
    rng = np.random.default_rng(7)
    for hysteresis in (0.0, 0.05, 0.4, 0.7):
        for _ in range(50):
            a = rng.uniform(-1, 1, (5, 5))
            prev = rng.choice([ALLY, NEUTRAL, ENEMY], (5, 5))
            prev = np.where(np.triu(np.ones((5, 5), bool), 1), prev, prev.T)
            np.fill_diagonal(prev, NEUTRAL)
            was_ally, was_enemy = prev == ALLY, prev == ENEMY
            ally_at = np.where(was_ally, 0.3 - hysteresis, 0.3)
            enemy_at = np.where(was_enemy, -0.3 + hysteresis, -0.3)
            both = np.minimum(a, a.T)
            ally_now = both > ally_at
            enemy_now = (both < enemy_at) & (was_enemy | ~ally_now)
            want = np.where(enemy_now, ENEMY, ally_now.astype(int))
            np.fill_diagonal(want, NEUTRAL)
            got = status(a, 0.3, -0.3, prev, hysteresis)
            assert np.array_equal(got, want)


def test_status_hysteresis_holds_an_alliance_near_the_threshold():
    a = np.array([[1.0, 0.28], [0.28, 1.0]])
    assert status(a, 0.3, -0.3)[0, 1] == NEUTRAL
    prev = np.array([[0, 1], [1, 0]])
    assert status(a, 0.3, -0.3, prev, 0.05)[0, 1] == ALLY
    assert status(a * 0.5, 0.3, -0.3, prev, 0.05)[0, 1] == NEUTRAL
