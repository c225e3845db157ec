import numpy as np

from sim.core.model import GreatGame
from sim.processes import combat, engagements
from tests.conftest import scattered_forces, scenario, tiny


def _dense_fire_shares(strength, hostile, intensity):
    """The definition: j's fire split over its enemies by strength × intensity."""
    w = (hostile * intensity)[:, :, None] * strength[None, :, :]
    total = w.sum(axis=1, keepdims=True)
    return np.divide(w, total, out=np.zeros_like(w), where=total > 0)


def _dense_expected_losses(strength, firepower, shares, beta, alpha, terrain):
    """The definition: β (E_j S_j f_jk)^α S_k^(1−α) terrain, for every j, k, p."""
    fire = (firepower * strength)[:, None, :] * shares
    attack = np.where(fire > 0, fire**alpha, 0.0)
    return beta * attack * strength[None, :, :] ** (1.0 - alpha) * terrain


def _one_province(strength, hostile):
    return engagements.Engagements.find(np.asarray(strength), np.asarray(hostile))


def test_losses_never_exceed_strength():
    rng = np.random.default_rng(0)
    strength = np.array([[10.0, 2.0], [5.0, 3.0]])
    eng = _one_province(strength, ~np.eye(2, dtype=bool))
    kills = combat.draw_losses(eng, np.full(len(eng.j), 1e4), strength, rng)
    assert (eng.total(eng.to_cell, kills) <= strength + 1e-9).all()


def test_sparse_engagements_match_the_dense_definition():
    rng = np.random.default_rng(7)
    n, p = 6, 40
    strength, hostile = scattered_forces(rng, n, p)
    intensity = rng.uniform(0, 2, (n, n))
    firepower = rng.uniform(0.5, 2, (n, p))
    terrain = rng.uniform(0.5, 1.5, p)
    eng = engagements.Engagements.find(strength, hostile)
    assert 0 < len(eng.j) < n * n * p
    assert (np.diff(eng.flat) > 0).all()  # C order, no duplicates
    dense_f = _dense_fire_shares(strength, hostile, intensity)
    sparse_f = engagements.fire_shares(eng, strength, hostile, intensity)
    firing = dense_f * (strength[:, None, :] > 0)  # absent attackers fire nothing
    assert np.allclose(eng.dense(sparse_f), firing, rtol=1e-14, atol=0)
    for alpha in (0.0, 0.5, 1.0):
        dense_l = _dense_expected_losses(
            strength, firepower, dense_f, 0.01, alpha, terrain
        )
        sparse_l = combat.expected_losses(
            eng, strength, firepower, sparse_f, 0.01, alpha, terrain
        )
        assert np.allclose(eng.dense(sparse_l), dense_l, rtol=1e-14, atol=0)


def test_no_negative_strength_in_a_bloody_run():
    m = GreatGame(
        scenario(tiny(steps=30, parameters={"beta": 0.5, "sigma": 0.0}))
    ).run()
    assert (m.history.strength >= 0).all()
    assert (
        m.history.strength[-1].sum(axis=1) < m.history.strength[0].sum(axis=1)
    ).any()


def test_lanchester_exponents():
    s = np.array([[100.0], [400.0]])
    eng = _one_province(s, ~np.eye(2, dtype=bool))
    shares = np.ones(len(eng.j))
    fire = np.ones((2, 1))
    square = eng.dense(combat.expected_losses(eng, s, fire, shares, 0.01, 1.0, [1]))
    linear = eng.dense(combat.expected_losses(eng, s, fire, shares, 0.01, 0.0, [1]))
    assert np.isclose(square[1, 0, 0], 4.0) and np.isclose(square[0, 1, 0], 1.0)
    assert np.isclose(linear[1, 0, 0], 1.0) and np.isclose(linear[0, 1, 0], 4.0)


def test_splinter_moves_the_stated_share():
    data = tiny(steps=1, parameters={"beta": 0.0, "sigma": 0.0})
    data["events"] = [
        {"step": 0, "do": "splinter", "actor": "a", "into": "b", "share": 0.25}
    ]
    m = GreatGame(scenario(data)).run()
    h = m.history
    a, b = m.index["a"], m.index["b"]
    assert np.isclose(h.strength[1, a].sum(), 0.75 * h.strength[0, a].sum())
    assert np.isclose(
        h.strength[1, b].sum(), h.strength[0, b].sum() + 0.25 * h.strength[0, a].sum()
    )
    ev = [e for e in h.events if e["type"] == "splinter"][0]
    assert np.isclose(ev["fighters"], 125.0)


def test_troop_manning_follows_set_events():
    data = tiny(steps=3, parameters={"sigma": 0.0})
    data["actors"]["a"]["troops"] = 500
    data["events"] = [{"step": 1, "do": "set", "path": "actors.a.troops", "value": 200}]
    m = GreatGame(scenario(data)).run()
    a = m.index["a"]
    assert np.isclose(m.history.strength[1, a].sum(), 500)
    assert np.isclose(m.history.strength[3, a].sum(), 200)


def test_linear_law_has_no_losses_without_an_enemy():
    s = np.array([[100.0], [400.0]])
    eng = _one_province(s, ~np.eye(2, dtype=bool))
    shares = np.zeros(len(eng.j))  # nobody fires at anybody
    lin = combat.expected_losses(eng, s, np.ones((2, 1)), shares, 0.01, 0.0, [1])
    assert (lin == 0).all()


def test_cohesion_that_rests_on_a_patron_falls_when_it_leaves():
    def cohesion_after(reliance, troops_left):
        data = tiny(steps=30, parameters={"sigma": 0.0, "cohesion_recovery": 0.2})
        data["actors"]["a"].update(troops=500, air_support=0.5)
        data["actors"]["b"].update(cohesion=0.8, patron_reliance=reliance)
        data["relations"][2] = {"pair": ["a", "b"], "affinity": 0.9}
        data["events"] = [
            {"step": 5, "do": "set", "path": "actors.a.troops", "value": troops_left}
        ]
        m = GreatGame(scenario(data)).run()
        b = m.index["b"]
        return m.cohesion[b, m.strength[b] > 0].mean()

    assert np.isclose(cohesion_after(0.0, 0), 0.8)  # nothing rests on the patron
    assert np.isclose(cohesion_after(0.5, 500), 0.8)  # the patron stays
    assert cohesion_after(0.5, 0) < 0.45  # the patron leaves: 0.8 * 0.5 = 0.4


def test_the_largest_allowed_numbers_do_not_stop_a_run():
    data = tiny(steps=20, parameters={"recruits_per_aid": 1e9, "beta": 1e9})
    for key in ("a", "b", "c"):
        data["actors"][key].update(resources=1e9, self_funding=1.0, air_support=1e9)
        data["actors"][key]["forces"] = {"Kunduz": 1e9}
    m = GreatGame(scenario(data)).run()  # Poisson means of 1e23 at the first step
    assert np.isfinite(m.history.strength).all()
    assert m.history.losses[1].sum() > 1e9


def _crowded_fight():
    """Three forces in two provinces; force 2 in province 1 is nearly gone."""
    strength = np.array([[50.0, 40.0], [30.0, 60.0], [20.0, 0.5]])
    hostile = ~np.eye(3, dtype=bool)
    return strength, hostile, engagements.Engagements.find(strength, hostile)


def test_draw_gives_the_kills_of_draw_losses_and_their_totals():
    strength, _, eng = _crowded_fight()
    expected = np.linspace(0.5, 3.0, len(eng.j))
    expected[1] = 0.0  # an engagement that expects nothing draws nothing
    for seed in range(5):
        kills, losses = combat.draw(
            eng, expected, strength, np.random.default_rng(seed)
        )
        alone = combat.draw_losses(eng, expected, strength, np.random.default_rng(seed))
        assert np.array_equal(kills, alone)
        assert np.array_equal(losses, eng.total(eng.to_cell, kills))
        assert kills[1] == 0.0


def test_draw_scales_the_losses_of_a_force_asked_for_more_than_it_has():
    strength, _, eng = _crowded_fight()
    kills, losses = combat.draw(
        eng, np.full(len(eng.j), 50.0), strength, np.random.default_rng(3)
    )
    assert losses[2, 1] == strength[2, 1]  # all it had, not the draws
    assert (losses <= strength).all()
    assert np.array_equal(losses, eng.total(eng.to_cell, kills))


def test_the_cap_leaves_losses_below_it_untouched_and_scales_those_above():
    strength, _, eng = _crowded_fight()
    expected = np.full(len(eng.j), 1.0)
    assert combat.cap_kills(eng, expected, strength, 10.0) is expected
    capped = combat.cap_kills(eng, expected, strength, 0.01)
    inflicted = eng.total(eng.from_cell, capped)
    assert (inflicted <= 0.01 * strength + 1e-12).all()
    assert np.array_equal(expected, np.full(len(eng.j), 1.0))  # input kept


def test_the_area_fire_of_a_run_is_remembered_and_read_only():
    hidden = np.array([False, True, True])
    first = combat._area_fire_of("deitchman", 3, hidden)
    assert combat._area_fire_of("deitchman", 3, hidden) is first
    assert not first.flags.writeable
    assert np.array_equal(first, combat.area_fire("deitchman", 3, hidden))
    other = combat._area_fire_of("deitchman", 3, np.array([True, False, True]))
    assert other is not first and other[1, 0] and not other[0, 1]
    assert combat._area_fire_of("linear", 3, hidden).all()
