import numpy as np
import pytest

from sim.core.model import GreatGame
from tests.conftest import scenario, tiny


def test_running_turns_false_at_the_last_step():
    m = GreatGame(scenario(tiny(steps=2)))
    assert m.running
    m.step()
    assert m.running
    m.step()
    assert not m.running
    assert m.step_index == 2


def test_stepping_past_the_end_says_how_to_run_longer():
    m = GreatGame(scenario(tiny(steps=1))).run()
    with pytest.raises(RuntimeError, match=r"last step \(1\)") as err:
        m.step()
    assert "steps=" in str(err.value) and "--steps" in str(err.value)
    assert m.step_index == 1  # nothing was done


def test_run_stops_at_the_end_without_error():
    m = GreatGame(scenario(tiny(steps=3))).run(10)
    assert m.step_index == 3 and not m.running


def test_forces_in_a_province_read_the_state():
    m = GreatGame(scenario(tiny(steps=2))).run()
    here = m.forces_in("Kunduz")
    q = m.geo.index["Kunduz"]
    standing = [k for k in m.keys if m.strength[m.index[k], q] >= m.p.min_strength]
    assert [f.actor.key for f in here] == standing
    for f in here:
        assert f.strength == m.strength[f.actor.index, q]
    assert m.forces_in(q) == here
    assert m.forces_in("Herat") == []


def _lens_run(lens_of: dict[str, str], steps: int = 4) -> GreatGame:
    data = tiny(steps=steps, parameters={"sigma": 0.05})
    for key, lens in lens_of.items():
        data["actors"][key]["alliance_rule"] = lens
    return GreatGame(scenario(data)).run()


def test_each_actor_reasons_by_its_own_lens_or_the_scenarios():
    m = _lens_run({"a": "static", "c": "structural_balance"}, steps=1)
    assert m.setup.lenses == ("static", "balance_of_threat", "structural_balance")
    assert [a.lens for a in m.actor_agents] == list(m.setup.lenses)


def test_a_static_actor_keeps_its_affinities_while_others_move():
    m = _lens_run({"a": "static"})
    a, b = m.index["a"], m.index["b"]
    h = m.history.affinity
    assert (h[1:, a] == h[0, a]).all()
    assert not (h[1:, b] == h[0, b]).all()


def test_a_mixed_lens_run_differs_only_through_the_actor_given_another_lens():
    uniform = _lens_run({})
    mixed = _lens_run({"a": "static"})
    a = mixed.index["a"]
    others = [i for i in range(len(mixed.keys)) if i != a]
    # after one step, only a's row differs: same state, same noise, same terms
    one_u, one_m = uniform.history.affinity[1], mixed.history.affinity[1]
    assert np.array_equal(one_u[others], one_m[others])
    assert not np.array_equal(one_u[a], one_m[a])


def test_naming_the_scenarios_lens_for_every_actor_changes_nothing():
    uniform = _lens_run({})
    named = _lens_run({k: "balance_of_threat" for k in ("a", "b", "c")})
    for name in ("strength", "affinity", "status", "equipment"):
        assert np.array_equal(
            getattr(uniform.history, name), getattr(named.history, name)
        )
    assert uniform.history.events == named.history.events


def test_the_run_changes_its_own_copy_of_the_scenario_never_the_callers():
    from sim.core.build import private_copy

    given = scenario(tiny(steps=2))
    mine = private_copy(given)
    assert mine == given and mine is not given
    assert mine.parameters is not given.parameters
    mine.set_value("parameters.eta", 0.123)
    assert given.parameters.eta != 0.123


def test_derive_forces_leaves_the_sides_as_a_full_derive_finds_them():
    m = GreatGame(scenario(tiny(steps=3))).run(2)
    s, k = m.state, m.setup
    s.strength = s.strength * 0.5
    s.derive_forces(k)
    forces_only = (s.armed.copy(), s.presence.copy(), s.allied, s.hostile)
    s.derive(k)
    assert np.array_equal(forces_only[0], s.armed)
    assert np.array_equal(forces_only[1], s.presence)
    assert np.array_equal(forces_only[2], s.allied)
    assert np.array_equal(forces_only[3], s.hostile)
