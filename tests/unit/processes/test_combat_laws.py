"""The attrition laws against their closed forms (Lanchester 1916; Deitchman 1962).

Each test integrates the deterministic expected losses of
:func:`sim.processes.combat.engage` in small time steps (β·dt per step) and
compares the run with the law's invariant and its closed-form winner and
survivors.
"""

import numpy as np
import pytest

from sim.processes import combat
from sim.scenario.schema import Parameters

TWO = ~np.eye(2, dtype=bool)


def _params(law: str, beta: float, **more) -> Parameters:
    return Parameters(combat_law=law, beta=beta, **more)


def _step(s, fire, p, hidden=None, hostile=TWO):
    """One step of expected losses; returns the new strengths."""
    eng, expected = combat.engage(
        s, hostile, fire, np.ones(hostile.shape), p, np.ones(s.shape[1]), hidden
    )
    return np.maximum(0.0, s - eng.total(eng.to_cell, expected))


def _fight(s0, e, law, dt=1e-3, hidden=None, scale=1000.0, until=None):
    """Integrate a two-sided fight until one side is gone; yields each state."""
    s = np.array(s0, dtype=float)[:, None]
    fire = np.array(e, dtype=float)[:, None]
    p = _params(law, dt, area_fire_scale=scale)
    states = [s[:, 0].copy()]
    for _ in range(until or 10**6):
        s = _step(s, fire, p, hidden)
        states.append(s[:, 0].copy())
        if (s[:, 0] <= 1e-9).any():
            break
    return np.array(states)


def test_square_law_conserves_e_s_squared_and_gives_the_closed_form_winner():
    e_a, e_b, a0, b0 = 1.0, 2.0, 1000.0, 600.0  # 1e6 against 7.2e5: a wins
    run = _fight([a0, b0], [e_a, e_b], "square")
    invariant = e_a * run[:, 0] ** 2 - e_b * run[:, 1] ** 2
    assert np.allclose(invariant, invariant[0], rtol=2e-3)
    assert run[-1, 1] <= 1e-9 < run[-1, 0]  # b is destroyed, a is left
    survivors = np.sqrt(a0**2 - e_b / e_a * b0**2)  # 529.2
    assert run[-1, 0] == pytest.approx(survivors, rel=5e-3)


def test_linear_law_conserves_e_s_and_gives_the_closed_form_winner():
    e_a, e_b, a0, b0 = 1.0, 3.0, 1000.0, 200.0  # 1000 against 600: a wins
    run = _fight([a0, b0], [e_a, e_b], "linear", dt=1e-3, scale=1000.0)
    invariant = e_a * run[:, 0] - e_b * run[:, 1]
    assert np.allclose(invariant, invariant[0], rtol=2e-3)
    assert run[-1, 0] == pytest.approx(a0 - e_b / e_a * b0, rel=5e-3)  # 400


def test_deitchman_guerrillas_take_area_fire_and_give_aimed_fire():
    # a: government (exposed), b: insurgents hidden among the people.
    # dG = -β E_I I, dI = -β/N0 E_G G I  =>  E_G G²/2 - N0 E_I I is conserved.
    e_g, e_i, g0, i0, n0 = 1.0, 1.0, 1000.0, 300.0, 1000.0
    hidden = np.array([False, True])
    run = _fight([g0, i0], [e_g, e_i], "deitchman", hidden=hidden, scale=n0)
    invariant = e_g * run[:, 0] ** 2 / 2 - n0 * e_i * run[:, 1]
    assert np.allclose(invariant, invariant[0], rtol=2e-3)
    survivors = np.sqrt(g0**2 - 2 * n0 * e_i / e_g * i0)  # 632.5
    assert run[-1, 0] == pytest.approx(survivors, rel=5e-3)
    # the same fight under the square law is far cheaper for the government
    square = _fight([g0, i0], [e_g, e_i], "square")
    assert square[-1, 0] > run[-1, 0] + 250


def test_insurgents_fight_each_other_with_aimed_fire_under_deitchman():
    area = combat.area_fire("deitchman", 3, np.array([False, True, True]))
    assert area.tolist() == [
        [False, True, True],  # the government hits insurgents by area fire
        [False, False, False],  # insurgents aim, at anyone
        [False, False, False],
    ]
    assert not combat.area_fire("square", 3).any()
    assert combat.area_fire("linear", 3).all()


def test_three_sided_square_law_splits_fire_by_strength_as_computed_by_hand():
    # a fights b (100) and c (300); b and c fight only a.
    s = np.array([[400.0], [100.0], [300.0]])
    hostile = np.array([[0, 1, 1], [1, 0, 0], [1, 0, 0]], dtype=bool)
    fire = np.array([[1.0], [2.0], [1.0]])
    eng, expected = combat.engage(
        s, hostile, fire, np.ones((3, 3)), _params("square", 0.01), np.ones(1)
    )
    loss = eng.dense(expected)[:, :, 0]
    assert loss[0, 1] == pytest.approx(0.01 * 400 * 0.25)  # a's fire: 1/4 on b
    assert loss[0, 2] == pytest.approx(0.01 * 400 * 0.75)
    assert loss[1, 0] == pytest.approx(0.01 * 2 * 100)  # b's whole fire on a
    assert loss[2, 0] == pytest.approx(0.01 * 1 * 300)
    assert loss[0].sum() == pytest.approx(0.01 * 400)  # the split costs nothing


@pytest.mark.parametrize("law", ["square", "linear", "deitchman"])
@pytest.mark.parametrize("focus", [0.0, 1.0, 2.0])
def test_splitting_fire_never_raises_a_force_s_total_kills(law, focus):
    rng = np.random.default_rng(3)
    n, p = 5, 30
    s = rng.uniform(1, 3000, (n, p)) * (rng.random((n, p)) < 0.6)
    hostile = rng.random((n, n)) < 0.6
    np.fill_diagonal(hostile, False)
    fire = rng.uniform(0.5, 2, (n, p))
    hidden = rng.random(n) < 0.5
    prm = _params(law, 0.01, fire_focus=focus, area_fire_scale=1000.0)
    terrain = np.ones(p)
    eng, expected = combat.engage(
        s, hostile, fire, rng.uniform(0, 2, (n, n)), prm, terrain, hidden
    )
    total = eng.total(eng.from_cell, expected)
    # what each force would inflict on each of its enemies alone: share 1
    alone = combat.law_losses(
        eng, s, fire, np.ones(len(eng.j)), 0.01, terrain,
        combat.area_fire(law, n, hidden), 1000.0,
    )  # fmt: skip
    best = np.zeros(n * p)
    np.maximum.at(best, eng.from_cell, alone)
    assert (total.ravel() <= best * (1 + 1e-12)).all()
    assert total.sum() > 0


def test_the_old_per_capita_formula_rewards_splitting_fire():
    # why it is no scenario's default: with α < 1 two targets draw more kills
    # from the same shooter than either would alone
    s = np.array([[100.0], [1000.0], [1000.0]])
    hostile = np.array([[0, 1, 1], [1, 0, 0], [1, 0, 0]], dtype=bool)
    prm = _params("per_capita", 0.01, alpha=0.3)
    eng, expected = combat.engage(
        s, hostile, np.ones((3, 1)), np.ones((3, 3)), prm, np.ones(1)
    )
    split = eng.dense(expected)[0, :, 0].sum()
    one = _params("per_capita", 0.01, alpha=0.3)
    lone = np.array([[100.0], [1000.0], [0.0]])
    eng1, exp1 = combat.engage(
        lone, hostile, np.ones((3, 1)), np.ones((3, 3)), one, np.ones(1)
    )
    assert split > 1.2 * eng1.dense(exp1)[0, :, 0].sum()


def test_the_kill_cap_bounds_kills_per_fighter_and_leaves_the_rest():
    s = np.array([[10.0, 10.0], [1000.0, 1000.0]])
    fire = np.array([[50.0, 0.1], [1.0, 1.0]])  # a's first cell is deadly
    prm = _params("square", 0.01, kill_cap=0.05)
    eng, expected = combat.engage(s, TWO, fire, np.ones((2, 2)), prm, np.ones(2))
    loss = eng.dense(expected)
    assert loss[0, 1, 0] == pytest.approx(0.05 * 10)  # 5.0 capped to 0.5
    assert loss[0, 1, 1] == pytest.approx(0.01 * 0.1 * 10)  # under the cap
    assert loss[1, 0, 0] == pytest.approx(0.01 * 1000)  # 10 = 0.01 per fighter
    free = _params("square", 0.01)
    _, uncapped = combat.engage(s, TWO, fire, np.ones((2, 2)), free, np.ones(2))
    assert eng.dense(uncapped)[0, 1, 0] == pytest.approx(5.0)


def test_a_hunted_cell_dies_sooner_when_fire_is_focused():
    # a (1000, aimed) against a 40-fighter cell b and a 2,000-strong force c
    hostile = np.array([[0, 1, 1], [1, 0, 0], [1, 0, 0]], dtype=bool)
    fire = np.ones((3, 1))

    def weeks_to_wipe_out(focus):
        s = np.array([[1000.0], [40.0], [2000.0]])
        prm = _params("square", 0.01, fire_focus=focus)
        for week in range(1, 500):
            s = _step(s, fire, prm, hostile=hostile)
            if s[1, 0] < 1.0:
                return week
        return 500

    assert weeks_to_wipe_out(1.0) < weeks_to_wipe_out(0.0) / 5
