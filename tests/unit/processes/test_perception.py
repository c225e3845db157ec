"""sim.processes.perception: presence beliefs, how they learn, the threat they make."""

from __future__ import annotations

import numpy as np
import pytest

from sim.core.model import GreatGame
from sim.core.setup import provinces_named
from sim.processes import perception as P
from sim.processes import threats
from sim.results.chronicle import _event_line
from sim.scenario.loader import ScenarioError, scenario_from_dict
from sim.world.geography import geography_for
from tests.conftest import scenario, tiny

RNG = np.random.default_rng(0)


def test_learning_at_rate_one_is_exactly_the_armed_presence():
    beliefs = RNG.random((3, 3, 5))
    armed = RNG.random((3, 5))
    out = P.learn(beliefs, armed, 1.0)
    assert np.array_equal(out, np.broadcast_to(armed, out.shape))


def test_learning_at_rate_one_has_the_bits_of_the_formula_even_for_minus_zero():
    beliefs = RNG.random((4, 4, 6)) * (RNG.random((4, 4, 6)) < 0.5)
    armed = RNG.random((4, 6)) * (RNG.random((4, 6)) < 0.5)
    armed[0, :3] = -0.0  # the formula's 0·B + π turns it into +0
    formula = (1.0 - 1.0) * beliefs
    formula += 1.0 * armed[None, :, :]
    out = np.ascontiguousarray(P.learn(beliefs, armed, 1.0))
    assert out.tobytes() == formula.tobytes()


def test_learning_at_rate_one_holds_one_copy_of_the_presence_for_all_actors():
    out = P.learn(RNG.random((5, 5, 7)), RNG.random((5, 7)), 1.0)
    assert out.shape == (5, 5, 7)
    assert out.strides[0] == 0  # no N copies of [N, P]
    assert not out.flags.writeable


def test_zone_presence_of_shared_beliefs_has_the_bits_of_their_copies():
    for n, provinces in ((3, 5), (7, 34), (12, 1000)):
        interests = RNG.random((n, provinces)) * (RNG.random((n, provinces)) < 0.4)
        shared = P.learn(RNG.random((n, n, provinces)), RNG.random((n, provinces)), 1.0)
        copies = np.ascontiguousarray(shared)
        got = P.zone_presence(interests, shared)
        assert got.tobytes() == P.zone_presence(interests, copies).tobytes()


def test_learning_at_rate_zero_keeps_the_beliefs():
    beliefs = RNG.random((3, 3, 5))
    assert np.array_equal(P.learn(beliefs, RNG.random((3, 5)), 0.0), beliefs)


def test_the_gap_to_the_armed_presence_shrinks_by_one_minus_rate_each_step():
    beliefs, armed, r = np.full((2, 2, 4), 0.8), np.full((2, 4), 0.1), 0.2
    for _ in range(5):
        beliefs = P.learn(beliefs, armed, r)
    assert np.allclose(beliefs - 0.1, 0.7 * (1 - r) ** 5)


def test_start_takes_the_given_belief_or_the_armed_presence_whichever_is_more():
    given = np.full((2, 2, 3), np.nan)
    given[0, 1] = [0.5, 0.0, np.nan]
    armed = np.array([[0.2, 0.2, 0.2], [0.1, 0.3, 0.4]])
    start = P.initial(given, armed)
    assert np.allclose(start[0, 1], [0.5, 0.3, 0.4])  # belief adds; never hides
    assert np.allclose(start[1, 0], armed[0])  # nothing given: the armed presence


def test_zone_presence_of_armed_beliefs_is_the_armed_zone_presence():
    interests = RNG.random((3, 6))
    interests /= interests.sum(axis=1, keepdims=True)
    armed = RNG.random((3, 6))
    beliefs = np.broadcast_to(armed, (3, 3, 6))
    assert np.allclose(
        P.zone_presence(interests, beliefs), threats.zone_presence(interests, armed)
    )


def _believed(data: dict) -> np.ndarray:
    sc = scenario(data)
    geo = geography_for(None)
    return P.given_beliefs(sc, lambda w: provinces_named(geo, w), geo.n_provinces)


def test_believed_presence_is_every_other_observers_and_own_beliefs_replace_it():
    data = tiny()
    data["actors"]["c"]["believed_presence"] = {"Takhar": 0.5}
    data["actors"]["b"]["beliefs"] = {"c": {"Balkh": 0.9}}
    given = _believed(data)
    geo = geography_for(None)
    takhar, balkh = geo.index["Takhar"], geo.index["Balkh"]
    assert given[0, 2, takhar] == 0.5  # a holds the public belief
    assert np.isnan(given[0, 2, balkh])
    assert np.isnan(given[1, 2, takhar]) and given[1, 2, balkh] == 0.9  # b its own
    assert np.isnan(given[2, 2]).all()  # c knows where it is


def _believing(rate: float, steps: int = 10) -> GreatGame:
    """a and b watch c, armed in Kunduz only, believed present in Takhar too."""
    data = tiny(steps=steps)
    for k in ("a", "b"):
        data["actors"][k]["interests"] = {"Kunduz": 1.0, "Takhar": 1.0}
    data["actors"]["c"]["believed_presence"] = {"Takhar": 0.9}
    data["parameters"]["belief_rate"] = rate
    return GreatGame(scenario(data)).run()


def test_a_believed_presence_raises_the_perceived_threat_above_the_real_one():
    m = _believing(0.0)
    a, c = m.index["a"], m.index["c"]
    assert m.zone_perceived[a, c] > m.zone_armed[a, c] + 0.4
    assert m.threat[a, c] > m.real_threat[a, c] * 1.5


def test_perceived_threat_falls_toward_the_real_one_as_beliefs_learn():
    m = _believing(0.2, steps=30)
    a, c = m.index["a"], m.index["c"]
    h = m.history
    gap = h.threat[1:, a, c] - h.real_threat[1:, a, c]
    assert gap[0] > 0.2
    # what is left lags c's shrinking armed presence in Kunduz
    assert 0 <= gap[-1] < 0.1 * gap[0]


def test_at_rate_one_the_threat_is_the_real_threat():
    m = _believing(1.0)
    assert np.allclose(m.history.threat[1:], m.history.real_threat[1:])


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("believed_presence", {"Kundus": 0.5}, "unknown province or region 'Kundus'"),
        ("beliefs", {"d": {"Kunduz": 0.5}}, "unknown actor 'd'"),
        ("beliefs", {"a": {"Nowhere": 0.5}}, "unknown province or region 'Nowhere'"),
        ("believed_presence", {"Kunduz": 1.5}, "must be ≤ 1"),
    ],
)
def test_beliefs_that_name_nothing_real_are_refused(key, value, message):
    data = tiny()
    data["actors"]["c"][key] = value
    with pytest.raises(ScenarioError, match=message):
        scenario_from_dict(data)


def test_the_chronicle_says_when_a_belief_drove_an_alliance():
    entry = {
        "type": "alliance",
        "a": "russia",
        "b": "taliban",
        "affinity": [0.4, 0.35],
        "why": [["shared enemy ISIS-Khorasan", 0.6]],
        "belief": {
            "observer": "russia",
            "actor": "isis_k",
            "perceived": 0.62,
            "armed": 0.08,
        },
    }
    names = {"russia": "Russia", "taliban": "Taliban", "isis_k": "ISIS-K"}
    line = _event_line(entry, names)
    assert "Belief: perceived ISIS-K presence in Russia's zone 0.62 vs armed 0.08" in (
        line
    )
    del entry["belief"]
    assert "Belief" not in _event_line(entry, names)


def test_an_alliance_on_a_belief_is_logged_with_it():
    data = tiny(steps=60)
    for k in ("a", "b"):  # they fight c in Kunduz, and believe it is in Takhar too
        data["actors"][k]["interests"] = {"Kunduz": 1.0, "Takhar": 3.0}
    data["actors"]["c"]["believed_presence"] = {"Takhar": 0.9}
    data["parameters"]["belief_rate"] = 0.0
    m = GreatGame(scenario(data)).run()
    formed = [e for e in m.history.events if e["type"] == "alliance"]
    assert formed, "a and b, both fighting c, never allied"
    belief = formed[0]["belief"]
    assert belief["actor"] == "c" and belief["perceived"] > belief["armed"] + 0.3


def _believed_world():
    """Observer 0 cares about province 0 only and believes actor 2 is there.

    Actors 1 and 3 stand in province 0; 1 is hostile to 2, 3 is not; 2 is
    really present only in province 1, so no kills happen in 0's zone.
    """
    interests = np.array([[1.0, 0.0], [0, 0], [0, 0], [0, 0]])
    beliefs = np.zeros((4, 4, 2))
    beliefs[0, 2, 0] = 0.8
    presence = np.array([[0.0, 0], [0.9, 0], [0, 0.7], [0.6, 0]])
    hostile = np.zeros((4, 4), dtype=bool)
    hostile[1, 2] = hostile[2, 1] = True
    return interests, beliefs, presence, hostile


def test_believed_fight_credits_whoever_stands_against_the_believed_threat():
    hz = P.believed_fighting(*_believed_world())
    assert hz[0, 1, 2] == 1.0  # the only hostile force where 0 believes 2 is
    assert hz[0, 3, 2] == 0.0  # present there but not hostile to 2
    assert hz[0, :, 1].sum() == 0.0  # 0 believes nobody else is in its zone


def test_believed_fight_is_shared_by_presence_among_those_hostile():
    interests, beliefs, presence, hostile = _believed_world()
    hostile[3, 2] = True
    hz = P.believed_fighting(interests, beliefs, presence, hostile)
    assert np.isclose(hz[0, 1, 2], 0.9 / 1.5)
    assert np.isclose(hz[0, 3, 2], 0.6 / 1.5)
    assert np.isclose(hz[0, :, 2].sum(), 1.0)


def test_nobody_is_pictured_fighting_a_threat_believed_absent():
    interests, beliefs, presence, hostile = _believed_world()
    beliefs[:] = 0.0
    assert P.believed_fighting(interests, beliefs, presence, hostile).sum() == 0.0


def test_blend_weight_zero_keeps_the_reported_fight_itself():
    reported = np.random.default_rng(1).random((3, 3, 3))
    believed = np.ones((3, 3, 3))
    assert P.blend_fighting(reported, believed, 0.0) is reported
    both = P.blend_fighting(reported, believed, 0.25)
    assert np.allclose(both, 0.75 * reported + 0.25)


def _buffer_world(weight: float):
    """A believes C is in Kunduz, where only B stands; C really fights in Helmand."""
    data = tiny(steps=30)
    data["parameters"].update(belief_rate=0.0, perceived_fight=weight)
    data["actors"]["a"]["forces"] = {"Kabul": 500}
    data["actors"]["c"].update(
        forces={"Helmand": 300},
        interests={"Helmand": 1.0},
        believed_presence={"Kunduz": 0.9},
    )
    return GreatGame(scenario(data)).run()


def test_a_believed_fight_lets_an_observer_warm_to_a_buffer_it_never_saw_fight():
    """Moscow's "buffer against ISIS": no battle in its zone, only its picture."""
    kills_only, pictured = _buffer_world(0.0), _buffer_world(1.0)
    a, b = kills_only.index["a"], kills_only.index["b"]
    assert abs(kills_only.affinity[a, b]) < 0.05
    assert pictured.affinity[a, b] > kills_only.affinity[a, b] + 0.1


def test_blend_weight_one_is_the_believed_fight_bit_for_bit():
    # so a run at perceived_fight = 1 may skip the reported shares altogether
    rng = np.random.default_rng(5)
    reported = rng.random((6, 6, 6)) * (rng.random((6, 6, 6)) > 0.4)
    believed = rng.random((6, 6, 6)) * (rng.random((6, 6, 6)) > 0.4)
    blended = P.blend_fighting(reported, believed, 1.0)
    assert blended.tobytes() == believed.tobytes()


def test_nobody_is_pictured_fighting_itself_whatever_the_sides_say():
    interests, beliefs, presence, hostile = _believed_world()
    beliefs[0, 1, 0] = 0.5  # 0 believes 1 is where 1 stands
    hostile[1, 1] = True  # a malformed side: 1 hostile to itself
    hz = P.believed_fighting(interests, beliefs, presence, hostile)
    assert hz[0, 1, 1] == 0.0
    assert hz[0, 1, 2] == 1.0


@pytest.mark.parametrize("rate", [1.0, 0.3])
def test_the_lenses_act_on_the_threat_of_the_presence_they_believe(rate):
    data = tiny(steps=4)
    data["parameters"]["belief_rate"] = rate
    data["actors"]["c"]["believed_presence"] = {"Kunduz": 0.9}
    m = GreatGame(scenario(data)).run(2)
    s, k = m.state, m.setup
    affinity, competition = s.affinity.copy(), s.competition.copy()
    m.step()
    zone = s.zone_armed if rate == 1.0 else s.zone_perceived  # as _perceive left it
    threat = threats.threat(affinity, k.intent, competition, zone, k.p.gamma)
    assert s.threat.tobytes() == threat.tobytes()
    real = threats.threat(affinity, k.intent, competition, s.zone_armed, k.p.gamma)
    assert s.real_threat.tobytes() == real.tobytes()
    assert (rate == 1.0) == np.array_equal(s.threat, s.real_threat)
