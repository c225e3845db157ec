"""sim.processes.affinity_terms: the terms of the affinity change under each lens."""

import numpy as np

from sim.core.model import GreatGame
from sim.processes import affinity_terms
from sim.processes.lenses import threat_total
from sim.processes.masks import off_diagonal, third_party_mask
from tests.conftest import scenario, tiny


def run(data, steps=None):
    return GreatGame(scenario(data)).run(steps)


def test_shared_enemy_raises_affinity_both_ways():
    m = run(tiny(steps=10))
    i, j = m.index["a"], m.index["b"]
    assert m.affinity[i, j] > 0.1
    assert m.affinity[j, i] > 0.1


def test_friend_of_my_enemy_lowers_affinity():
    data = tiny(steps=10)
    data["relations"][1] = {"pair": ["b", "c"], "affinity": 0.8}
    m = run(data)
    i, j = m.index["a"], m.index["b"]
    assert m.affinity[i, j] < -0.01


def test_without_a_threat_nothing_moves_but_inertia():
    data = tiny(steps=10)
    data["actors"]["a"]["intent"] = {"c": 0.0}
    m = run(data)
    i, j = m.index["a"], m.index["b"]
    assert abs(m.affinity[i, j]) < 1e-9


def _structural_balance(a: np.ndarray) -> affinity_terms.Terms:
    """The structural-balance terms of ``a`` alone: no inertia, no noise, η = 0.1."""
    return affinity_terms.structural_balance_terms(
        affinity=a,
        baseline=a,
        inertia=np.zeros(a.shape),
        noise=np.zeros(a.shape),
        eta=0.1,
    )


def test_structural_balance_two_enemies_of_c_warm():
    # dA[i,j] = eta * sum_k A[i,k] A[k,j]: two enemies of c warm to each other
    a = np.array([[1.0, 0.0, -0.8], [0.0, 1.0, -0.8], [-0.8, -0.8, 1.0]])
    t = _structural_balance(a)
    assert np.isclose(t.total()[0, 1], 0.1 * 0.64)
    assert np.isclose(t.total()[1, 0], 0.1 * 0.64)


def test_terms_are_the_documented_equation():
    n = 3
    rng = np.random.default_rng(0)
    a = rng.uniform(-1, 1, (n, n))
    threat = rng.uniform(0, 1, (n, n))
    np.fill_diagonal(threat, 0)
    fight = rng.uniform(0, 1, (n, n, n))
    befr = rng.uniform(0, 1, (n, n))
    help_ = rng.uniform(0, 1, (n, n))
    d = rng.uniform(0, 1, (n, n))
    t = affinity_terms.balance_of_threat_terms(
        affinity=a,
        baseline=np.zeros((n, n)),
        inertia=np.full((n, n), 0.01),
        threat_=threat,
        fight=fight,
        befriend=befr,
        help_=help_,
        ideology_distance=d,
        noise=np.zeros((n, n)),
        eta=0.05,
        rho=0.5,
        kappa=0.7,
        lam=0.02,
    )
    i, j, k = 0, 1, 2
    expect = (
        0.05
        * (
            threat[i, k] * fight[i, j, k]
            - threat[i, k] * befr[j, k]
            + 0.5 * help_[j, i]
            - 0.7 * threat[i, j]
        )
        - 0.02 * d[i, j] * (a[i, j] > 0)
        - 0.01 * a[i, j]
    )
    assert np.isclose(t.total()[i, j], expect)


def test_structural_balance_is_a_times_a_transpose():
    # dA[i,j] = eta * sum_k A[i,k] A[j,k]: a and b regard c alike
    a = np.array([[1.0, 0.0, 0.5], [0.0, 1.0, 0.5], [0.2, -0.4, 1.0]])
    t = _structural_balance(a)
    assert np.isclose(t.total()[0, 1], 0.1 * 0.25)
    assert t.friends[0, 1, 2] > 0 and t.shared[0, 1, 2] == 0


def _threat_inputs(rng, n):
    """Random inputs of the balance-of-threat rule for ``n`` actors."""
    return dict(
        affinity=rng.choice([-0.5, -0.0, 0.0, 0.3, 1.0], (n, n)) * rng.random((n, n)),
        baseline=rng.uniform(-1, 1, (n, n)),
        inertia=rng.uniform(0, 0.1, (n, n)),
        threat_=rng.uniform(0, 1, (n, n)) * (rng.random((n, n)) < 0.7),
        fight=rng.uniform(0, 1, (n, n, n)) * (rng.random((n, n, n)) < 0.6),
        befriend=rng.uniform(0, 1, (n, n)),
        help_=rng.uniform(0, 1, (n, n)),
        ideology_distance=rng.uniform(0, 1, (n, n)),
        noise=rng.normal(0, 0.01, (n, n)),
        eta=0.05,
        rho=0.5,
        kappa=0.7,
        lam=0.02,
    )


def test_the_rule_and_its_total_have_the_bits_of_the_terms_added_one_by_one():
    rng = np.random.default_rng(5)
    for n in (1, 2, 3, 7, 9):
        for _ in range(20):
            given = _threat_inputs(rng, n)
            terms, total = affinity_terms.balance_of_threat(**given)
            # the terms as written, each product left to right, masks last
            third, off = third_party_mask(n), off_diagonal(n)
            t_ik = given["threat_"][:, None, :]
            shared = given["eta"] * t_ik * given["fight"] * third
            assert np.array_equal(terms.shared.view(np.int64), shared.view(np.int64))
            one_by_one = threat_total(terms)  # Σ_k terms, then each pair term
            assert np.array_equal(total.view(np.int64), one_by_one.view(np.int64))
            alone = affinity_terms.balance_of_threat_terms(**given)
            assert np.array_equal(alone.noise, given["noise"] * off)


def test_the_terms_a_threat_lens_leaves_at_zero_are_shared_read_only_zeros():
    m = run(tiny(steps=2))
    terms = m.verdicts["balance_of_threat"].terms
    for name in ("friends", "shock", "momentum"):
        arr = getattr(terms, name)
        assert not arr.any() and not arr.flags.writeable
    assert terms.friends is affinity_terms.unused_terms(3)[0]
    assert terms.shock is terms.momentum is affinity_terms.unused_terms(3)[1]
