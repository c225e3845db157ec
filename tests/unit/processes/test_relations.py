import numpy as np

from sim.core.model import GreatGame
from sim.processes import relations as R
from tests.conftest import scenario, tiny


def run(data, steps=None):
    return GreatGame(scenario(data)).run(steps)


def test_shared_enemy_raises_affinity_both_ways():
    m = run(tiny(steps=10))
    i, j = m.index["a"], m.index["b"]
    assert m.affinity[i, j] > 0.1
    assert m.affinity[j, i] > 0.1


def test_shared_enemy_alliance_is_explained_by_that_enemy():
    m = run(tiny(steps=40))
    formed = [e for e in m.history.events if e["type"] == "alliance"]
    assert formed, "a and b, both fighting c, never allied"
    assert {formed[0]["a"], formed[0]["b"]} == {"a", "b"}
    label, value = formed[0]["why"][0]
    assert label == "shared enemy C" and value > 0


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


def test_static_lens_freezes_affinities():
    m = run(tiny(steps=10, parameters={"alliance_rule": "static", "sigma": 0.5}))
    assert np.array_equal(m.affinity, m.baseline)


def test_structural_balance_two_enemies_of_c_warm():
    # dA[i,j] = eta * sum_k A[i,k] A[k,j]: two enemies of c warm to each other
    a = np.array([[1.0, 0.0, -0.8], [0.0, 1.0, -0.8], [-0.8, -0.8, 1.0]])
    t = R.structural_balance_terms(
        affinity=a,
        baseline=a,
        inertia=np.zeros((3, 3)),
        noise=np.zeros((3, 3)),
        eta=0.1,
    )
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
    t = R.balance_of_threat_terms(
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


def test_status_hysteresis_holds_an_alliance_near_the_threshold():
    a = np.array([[1.0, 0.28], [0.28, 1.0]])
    assert R.status(a, 0.3, -0.3)[0, 1] == R.NEUTRAL
    prev = np.array([[0, 1], [1, 0]])
    assert R.status(a, 0.3, -0.3, prev, 0.05)[0, 1] == R.ALLY
    assert R.status(a * 0.5, 0.3, -0.3, prev, 0.05)[0, 1] == R.NEUTRAL


def test_presence_is_breadth_not_size():
    s = np.array([[2000.0, 0, 0, 0], [50, 50, 50, 50]])
    pres = R.presence(s, 50.0)
    zone = R.zone_presence(np.full((1, 4), 0.25), pres)
    assert zone[0, 1] > zone[0, 0]


def test_structural_balance_is_a_times_a_transpose():
    # dA[i,j] = eta * sum_k A[i,k] A[j,k]: a and b regard c alike
    a = np.array([[1.0, 0.0, 0.5], [0.0, 1.0, 0.5], [0.2, -0.4, 1.0]])
    t = R.structural_balance_terms(
        affinity=a,
        baseline=a,
        inertia=np.zeros((3, 3)),
        noise=np.zeros((3, 3)),
        eta=0.1,
    )
    assert np.isclose(t.total()[0, 1], 0.1 * 0.25)
    assert t.friends[0, 1, 2] > 0 and t.shared[0, 1, 2] == 0


def test_a_shock_is_named_in_the_explanation_even_under_the_static_lens():
    data = tiny(steps=3, parameters={"alliance_rule": "static"})
    data["events"] = [
        {
            "step": 1,
            "do": "shock",
            "actor": "a",
            "toward": "b",
            "affinity": 0.6,
            "mutual": True,
            "label": "A summit",
        }
    ]
    m = run(data)
    formed = [e for e in m.history.events if e["type"] == "alliance"]
    assert formed and formed[0]["why"][0][0] == "scenario shock"
    shock = [e for e in m.history.events if e["type"] == "shock"][0]
    assert shock["date"] == "2016-01-08"  # dated at the start of step 1


def test_threat_and_befriending_zero_only_the_diagonal():
    rng = np.random.default_rng(3)
    a = rng.uniform(-1, 1, (5, 5))
    t = R.threat(a, np.ones((5, 5)), np.full((5, 5), 0.1), np.ones((5, 5)), 0.5)
    f = R.befriending(a, rng.uniform(0, 1, (5, 5)), 0.5)
    for m in (t, f):
        assert (np.diag(m) == 0).all()
        assert (m[~np.eye(5, dtype=bool)] != 0).any()


def test_threat_with_its_drive_given_is_the_threat_bit_for_bit():
    rng = np.random.default_rng(11)
    a, intent = rng.uniform(-1, 1, (5, 5)), rng.uniform(0, 1, (5, 5))
    comp, zone = rng.uniform(0, 0.3, (5, 5)), rng.uniform(0, 1, (5, 5))
    drive = R.threat_drive(a, intent, comp, 0.7)
    plain = R.threat(a, intent, comp, zone, 0.7)
    assert R.threat(a, intent, comp, zone, 0.7, drive).tobytes() == plain.tobytes()
    assert np.allclose(
        plain, (np.maximum(0, -a) * intent + 0.7 * comp) * zone * ~np.eye(5, dtype=bool)
    )


def test_float_masks_are_the_bool_masks_as_ones_and_zeros_made_once_read_only():
    for n in (1, 2, 5):
        third, off = R.third_party_ones(n), R.off_diagonal_ones(n)
        assert third.dtype == off.dtype == np.float64
        assert np.array_equal(third, R.third_party_mask(n).astype(float))
        assert np.array_equal(off, R.off_diagonal(n).astype(float))
        assert R.third_party_ones(n) is third and R.off_diagonal_ones(n) is off
        assert not third.flags.writeable and not off.flags.writeable


def test_products_with_the_float_masks_have_the_bits_of_the_bool_products():
    rng = np.random.default_rng(3)
    x = rng.normal(size=(4, 4, 4))
    x[0, 1, 2], x[1, 0, 3] = -0.0, np.inf  # signed zeros and infinities too
    bits = (x * R.third_party_mask(4)).view(np.int64)
    assert np.array_equal((x * R.third_party_ones(4)).view(np.int64), bits)
    bits = (x[0] * R.off_diagonal(4)).view(np.int64)
    assert np.array_equal((x[0] * R.off_diagonal_ones(4)).view(np.int64), bits)


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
    from sim.processes.lenses import threat_total

    rng = np.random.default_rng(5)
    for n in (1, 2, 3, 7, 9):
        for _ in range(20):
            given = _threat_inputs(rng, n)
            terms, total = R.balance_of_threat(**given)
            # the terms as written, each product left to right, masks last
            third, off = R.third_party_mask(n), R.off_diagonal(n)
            t_ik = given["threat_"][:, None, :]
            shared = given["eta"] * t_ik * given["fight"] * third
            assert np.array_equal(terms.shared.view(np.int64), shared.view(np.int64))
            one_by_one = threat_total(terms)  # Σ_k terms, then each pair term
            assert np.array_equal(total.view(np.int64), one_by_one.view(np.int64))
            alone = R.balance_of_threat_terms(**given)
            assert np.array_equal(alone.noise, given["noise"] * off)


def test_the_terms_a_threat_lens_leaves_at_zero_are_shared_read_only_zeros():
    m = run(tiny(steps=2))
    terms = m.verdicts["balance_of_threat"].terms
    for name in ("friends", "shock", "momentum"):
        arr = getattr(terms, name)
        assert not arr.any() and not arr.flags.writeable
    assert terms.friends is R.unused_terms(3)[0]
    assert terms.shock is terms.momentum is R.unused_terms(3)[1]
