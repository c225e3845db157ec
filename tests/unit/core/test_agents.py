import numpy as np
import pytest

from sim.core.agents import (
    decide_all,
    divide_all_aid,
    lens_rows,
    plan_all_recruits,
)
from sim.core.model import GreatGame
from sim.processes import affinity_terms, lenses
from tests.conftest import scenario, tiny


def _ready(lens_of=None):
    """A model at the start of a step, with the lens verdicts computed."""
    data = tiny(steps=3, parameters={"sigma": 0.1})
    for key, lens in (lens_of or {}).items():
        data["actors"][key]["alliance_rule"] = lens
    m = GreatGame(scenario(data)).run(1)
    s, k = m.state, m.setup
    noise = np.random.default_rng(5).standard_normal((3, 3)) * 0.1
    m.verdicts = {
        rule: lenses.lens_terms(rule, s.outlook(k), k.p, noise)
        for rule in set(k.lenses)
    }
    return m


def test_deciding_changes_nothing_until_applied():
    m = _ready()
    before = m.affinity.copy()
    for actor in m.actor_agents:
        actor.decide()
    assert np.array_equal(m.affinity, before)
    first = m.actor_agents[0]
    expect = lenses.updated_row(first.lens, 0, before, m.verdicts[first.lens].total)
    assert np.array_equal(first.next_row, expect)
    first.apply()
    assert np.array_equal(m.affinity[0], expect)
    assert np.array_equal(m.affinity[1:], before[1:])  # only its own row


def test_two_phases_give_the_vectorised_update():
    m = _ready()
    before = m.affinity.copy()
    verdict = m.verdicts["balance_of_threat"]
    m.actors.do("decide")
    m.actors.do("apply")
    whole = np.minimum(np.maximum(before + verdict.total, -1.0), 1.0)
    np.fill_diagonal(whole, 1.0)
    assert np.array_equal(m.affinity, whole)
    assert np.array_equal(m.state.threat, verdict.threat)


def test_a_static_actor_commits_no_terms_and_no_threat():
    m = _ready({"b": "static"})
    b = m.index["b"]
    cum_before = m.state.cum.total()[b].copy()
    threat_before = m.state.threat[b].copy()
    m.actors.do("decide")
    m.actors.do("apply")
    assert np.array_equal(m.state.cum.total()[b], cum_before)
    assert np.array_equal(m.state.threat[b], threat_before)


def test_an_actor_divides_its_aid_with_its_pledges():
    m = _ready()
    m.aid_plan = np.arange(9.0).reshape(3, 3)
    m.state.pending_aid[1, 2] = 4.0
    m.actors.do("divide_aid")
    assert np.array_equal(m.actor_agents[1].aid_row, [3.0, 4.0, 9.0])


def test_an_actor_expects_its_recruits_with_those_owed_to_air_strikes():
    m = _ready()
    m.recruit_plan = np.ones_like(m.strength)
    m.state.collateral_recruits[2, 0] = 7.0
    m.actors.do("plan_recruits")
    assert m.actor_agents[2].expected_recruits[0] == 8.0
    assert np.array_equal(m.actor_agents[0].expected_recruits, m.recruit_plan[0])


@pytest.mark.parametrize(
    "lens_of",
    [
        {},
        {"a": "static", "b": "marvel"},
        {"a": "structural_balance", "c": "balance_of_power"},
        {"b": "marvel", "c": "static"},
    ],
)
def test_all_actors_at_once_match_each_actor_deciding_then_applying(lens_of):
    each, whole = _ready(lens_of), _ready(lens_of)
    each.actors.do("decide")
    each.actors.do("apply")
    decide_all(whole)
    s, t = each.state, whole.state
    assert np.array_equal(s.affinity, t.affinity)
    assert np.array_equal(s.threat, t.threat)
    assert np.array_equal(s.unbounded, t.unbounded)
    for name in affinity_terms.Terms.FIELDS:
        assert np.array_equal(getattr(s.cum, name), getattr(t.cum, name))


def test_aid_and_recruits_at_once_match_each_actors_own():
    m = _ready()
    m.aid_plan = np.arange(9.0).reshape(3, 3)
    m.state.pending_aid[1, 2] = 4.0
    m.recruit_plan = np.ones_like(m.strength)
    m.state.collateral_recruits[2, 0] = 7.0
    rows, expected = divide_all_aid(m).copy(), plan_all_recruits(m).copy()
    m.actors.do("divide_aid")
    m.actors.do("plan_recruits")
    assert np.array_equal(rows, [a.aid_row for a in m.actor_agents])
    assert np.array_equal(expected, [a.expected_recruits for a in m.actor_agents])


@pytest.mark.parametrize(
    "rule", ["balance_of_threat", "balance_of_power", "structural_balance", "marvel"]
)
def test_one_lens_for_all_moves_the_arrays_in_place_bit_for_bit(rule):
    lens_of = dict.fromkeys("abc", rule)
    each, whole = _ready(lens_of), _ready(lens_of)
    affinity = whole.state.affinity
    each.actors.do("decide")
    each.actors.do("apply")
    decide_all(whole)
    s, t = each.state, whole.state
    assert t.affinity is affinity  # updated in place, as the actors' rows are
    assert s.affinity.tobytes() == t.affinity.tobytes()
    assert s.threat.tobytes() == t.threat.tobytes()
    assert s.unbounded.tobytes() == t.unbounded.tobytes()
    for name in affinity_terms.Terms.FIELDS:
        assert getattr(s.cum, name).tobytes() == getattr(t.cum, name).tobytes()


def test_all_static_actors_change_nothing():
    m = _ready(dict.fromkeys("abc", "static"))
    before = m.state.affinity.copy(), m.state.cum.total().copy()
    decide_all(m)
    assert np.array_equal(m.state.affinity, before[0])
    assert np.array_equal(m.state.cum.total(), before[1])


def test_lens_rows_are_grouped_in_actor_order_and_read_only():
    rows = lens_rows(("marvel", "static", "marvel"))
    assert list(rows) == ["marvel", "static"]
    assert rows["marvel"].tolist() == [0, 2] and rows["static"].tolist() == [1]
    assert not rows["marvel"].flags.writeable
    assert lens_rows(("marvel", "static", "marvel")) is rows


def test_sole_lens_names_the_lens_of_all_or_none_when_they_differ():
    from sim.core.agents import sole_lens

    assert sole_lens(("marvel", "marvel")) == "marvel"
    assert sole_lens(("marvel", "static", "marvel")) is None
