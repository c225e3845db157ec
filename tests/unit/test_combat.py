import numpy as np

from sim import combat
from sim.model import GreatGame
from tests.conftest import scenario, tiny


def test_losses_never_exceed_strength():
    rng = np.random.default_rng(0)
    strength = np.array([[10.0, 0.0], [5.0, 3.0]])
    expected = np.full((2, 2, 2), 1e4)
    kills = combat.draw_losses(expected, strength, rng)
    assert (kills.sum(axis=0) <= strength + 1e-9).all()


def test_no_negative_strength_in_a_bloody_run():
    m = GreatGame(
        scenario(tiny(steps=30, parameters={"beta": 0.5, "sigma": 0.0}))
    ).run()
    assert (m.history.strength >= 0).all()
    assert (
        m.history.strength[-1].sum(axis=1) < m.history.strength[0].sum(axis=1)
    ).any()


def test_fire_is_split_by_strength_and_hostility():
    s = np.array([[100.0], [100.0], [300.0]])
    hostile = np.array([[0, 1, 1], [1, 0, 0], [1, 0, 0]], dtype=bool)
    f = combat.fire_shares(s, hostile, np.ones((3, 3)))
    assert np.isclose(f[0, 1, 0], 0.25) and np.isclose(f[0, 2, 0], 0.75)
    assert np.isclose(f[1, 0, 0], 1.0)


def test_lanchester_exponents():
    s = np.array([[100.0], [400.0]])
    shares = np.zeros((2, 2, 1))
    shares[0, 1, 0] = shares[1, 0, 0] = 1.0
    fire = np.ones((2, 1))
    square = combat.expected_losses(s, fire, shares, 0.01, 1.0, np.ones(1))
    linear = combat.expected_losses(s, fire, shares, 0.01, 0.0, np.ones(1))
    assert np.isclose(square[1, 0, 0], 4.0) and np.isclose(square[0, 1, 0], 1.0)
    assert np.isclose(linear[1, 0, 0], 1.0) and np.isclose(linear[0, 1, 0], 4.0)


def test_control_and_sigar_classes():
    armed = np.array([[80.0, 50.0, 10.0], [20.0, 50.0, 90.0]])
    assert list(combat.controller(armed, 0.6)) == [0, -1, 1]
    allied = np.zeros((2, 2), dtype=bool)
    hostile = ~np.eye(2, dtype=bool)
    share = combat.government_share(armed, 0, allied, hostile)
    assert np.allclose(share, [0.8, 0.5, 0.1])
    classes = combat.sigar_class(share, (0.2, 0.4, 0.6, 0.8))
    assert [combat.SIGAR_CLASSES[c] for c in classes] == [
        "government control",
        "contested",
        "insurgent control",
    ]


def test_defection_goes_to_present_rivals_only():
    s = np.array([[1000.0, 1000.0], [10.0, 0.0], [0.0, 10.0]])
    rivals = np.array([[0, 1.0, 0.0], [1, 0, 0], [0, 0, 0]])
    present = s > 0
    moved = combat.defection(
        s, np.array([[0.3, 0.3], [1, 1], [1, 1]]), rivals, present, 0.1, 0.6
    )
    assert np.isclose(moved[0, 1, 0], 1000 * 0.1 * 0.5)
    assert moved[0, 1, 1] == 0  # rival absent there
    assert moved[0, 2].sum() == 0  # not a rival


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
    shares = np.zeros((2, 2, 1))  # nobody fires at anybody
    lin = combat.expected_losses(s, np.ones((2, 1)), shares, 0.01, 0.0, np.ones(1))
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
