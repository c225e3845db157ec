import datetime as dt

from sim.core import timeline
from sim.core.model import GreatGame
from tests.conftest import scenario, tiny


def test_events_are_filed_under_their_step_in_order():
    data = tiny(steps=5)
    data["events"] = [
        {"at": "2016-01-20", "do": "aid", "actor": "a", "to": "b", "amount": 1.0},
        {"step": 2, "do": "aid", "actor": "b", "to": "a", "amount": 2.0},
        {"step": 0, "do": "aid", "actor": "a", "to": "c", "amount": 3.0},
    ]
    sc = scenario(data)
    plan = timeline.schedule(sc)
    assert sorted(plan) == [0, 2]  # 20 January falls in the third week
    assert [ev.amount for ev in plan[2]] == [1.0, 2.0]
    assert timeline.event_date(sc, plan[0][0]) == dt.date(2016, 1, 1)


def test_a_shock_changes_affinity_and_is_logged_with_its_date():
    data = tiny(steps=2, parameters={"alliance_rule": "static"})
    data["events"] = [
        {"step": 1, "do": "shock", "actor": "a", "toward": "b", "affinity": 0.5}
    ]
    m = GreatGame(scenario(data)).run()
    a, b = m.index["a"], m.index["b"]
    assert m.affinity[a, b] == 0.5 and m.affinity[b, a] == 0.0
    (entry,) = [e for e in m.history.events if e["type"] == "shock"]
    assert entry["date"] == "2016-01-08" and entry["step"] == 2
    assert m.state.cum.shock[a, b] == 0.5


def test_a_splinter_moves_fighters_and_books_them_both_ways():
    data = tiny(steps=1, parameters={"beta": 0.0})
    data["events"] = [
        {"step": 0, "do": "splinter", "actor": "c", "into": "b", "share": 0.5}
    ]
    m = GreatGame(scenario(data))
    m.step()
    c, b = m.index["c"], m.index["b"]
    assert m.ledger["splinter_out"][c].sum() == 150.0
    assert m.ledger["splinter_in"][b].sum() == 150.0
