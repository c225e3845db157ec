import numpy as np

from sim.processes import recruitment


def test_recruits_bring_baseline_kit_and_mix_by_strength():
    strength = np.array([[100.0, 0.0]])
    equipment = np.array([[2.0, 3.0]])
    new, kit = recruitment.add_recruits(
        strength, equipment, np.array([[100.0, 0.0]]), np.array([1.0])
    )
    assert np.array_equal(new, [[200.0, 0.0]])
    assert np.allclose(kit, [[1.5, 3.0]])  # no fighters: kit as it was
    assert equipment[0, 0] == 2.0  # inputs unchanged


def test_adding_no_recruits_keeps_the_totals():
    rng = np.random.default_rng(3)
    strength = rng.uniform(0, 100, (4, 5))
    new, _ = recruitment.add_recruits(
        strength, np.ones((4, 5)), np.zeros((4, 5)), np.ones(4)
    )
    assert np.array_equal(new, strength)


def test_expected_recruits_follow_the_hold_of_armed_strength():
    armed = np.array([[30.0], [10.0]])
    expected = recruitment.recruitment(
        np.array([100.0, 100.0]), np.array([1e5]), np.ones((2, 1)), armed
    )
    assert np.allclose(expected, [[75.0], [25.0]])


def test_collateral_recruits_go_to_insurgents_only():
    air_kills = np.array([[4.0], [4.0]])
    out = recruitment.collateral(0.5, air_kills, np.array([True, False]))
    assert np.array_equal(out, [[2.0], [0.0]])


def test_the_recruiting_pool_is_made_once_per_scenario_and_matches_the_formula():
    rate = np.array([20.0, 0.0])
    population = np.array([100_000.0, 300_000.0, 0.0])
    match = np.array([[1.0, 0.5, 1.0], [1.0, 1.0, 1.0]])
    pool = recruitment.recruiting_pool(rate, population, match)
    assert np.array_equal(pool, [[20.0, 30.0, 0.0], [0.0, 0.0, 0.0]])
    assert recruitment.recruiting_pool(rate, population, match) is pool
    armed = np.array([[10.0, 10.0, 0.0], [30.0, 0.0, 0.0]])
    expected = recruitment.recruitment(rate, population, match, armed)
    assert np.array_equal(expected, [[5.0, 30.0, 0.0], [0.0, 0.0, 0.0]])
    other = recruitment.recruiting_pool(rate * 2, population, match)
    assert other is not pool and other[0, 0] == 40.0


def test_poisson_draws_stay_finite_for_any_mean():
    means = np.array([0.0, 3.5, 1e11, 1e15, 1e30])
    a = recruitment.poisson(np.random.default_rng(1), means)
    b = np.random.default_rng(1).poisson(np.minimum(means, recruitment.POISSON_MAX))
    assert np.isfinite(a).all() and (a == np.rint(a)).all()
    assert (a[:3] == b[:3]).all()  # numpy's own draws below the cap
    assert np.isclose(a[4], 1e30) and np.isclose(a[3], 1e15, rtol=1e-6)
