"""sim.processes.explanation: a status change told by the terms that drove it."""

from sim.core.model import GreatGame
from sim.processes.affinity_terms import Terms
from sim.processes.explanation import explain_pair
from tests.conftest import scenario, tiny


def run(data, steps=None):
    return GreatGame(scenario(data)).run(steps)


def test_shared_enemy_alliance_is_explained_by_that_enemy():
    m = run(tiny(steps=40))
    formed = [e for e in m.history.events if e["type"] == "alliance"]
    assert formed, "a and b, both fighting c, never allied"
    assert {formed[0]["a"], formed[0]["b"]} == {"a", "b"}
    label, value = formed[0]["why"][0]
    assert label == "shared enemy C" and value > 0


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


def test_explain_pair_adds_both_directions_and_sorts_each_way_by_size():
    cum = Terms.zeros(3)
    cum.shared[0, 1, 2], cum.shared[1, 0, 2] = 0.3, 0.2
    cum.help[0, 1] = 0.1
    cum.noise[1, 0] = -0.2
    cum.inertia[0, 1] = 0.004  # below what is told
    names = ["A", "B", "C"]
    why, despite = explain_pair(0, 1, cum, names, +1)
    assert why == [("shared enemy C", 0.5), ("aid between them", 0.1)]
    assert despite == [("chance", -0.2)]
    why, despite = explain_pair(1, 0, cum, names, -1)  # a cooling change
    assert why == [("chance", -0.2)]
    assert despite == [("shared enemy C", 0.5), ("aid between them", 0.1)]
