"""The pairing of two runs week by week (sim.results.compare)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from sim.core.history import History
from sim.results import compare
from sim.vocabulary import Status

DATES = [dt.date(2016, 1, 1) + dt.timedelta(days=7 * t) for t in range(4)]
PROVINCES = ["Kabul", "Helmand"]


def history(keys: list[str], dates=DATES, provinces=PROVINCES) -> History:
    """An all-neutral, all-contested history of ``keys`` with 4 filled rows."""
    h = History.empty(keys, [k.title() for k in keys], list(provinces), list(dates))
    h.last = len(dates) - 1
    return h


def test_province_pairs_compare_holders_by_key_not_by_index():
    a = history(["gov", "isis", "tal"])
    b = history(["gov", "tal"])  # B removed isis: tal's index moves from 2 to 1
    a.controller[:, 1] = 2  # tal holds Helmand in A
    b.controller[:, 1] = 1  # ... and in B
    b.controller[3, 0] = 0  # gov takes Kabul in B only, at the end
    pairs = compare.province_pairs(a, b)
    assert len(pairs) == 4 * 2
    helmand = pairs[pairs.province == "Helmand"]
    assert set(helmand.holder_A) == {"tal"} and not helmand.differs.any()
    kabul = pairs[pairs.province == "Kabul"]
    assert list(kabul.differs) == [False, False, False, True]
    assert kabul.iloc[-1].holder_A == "contested"
    assert kabul.iloc[-1].holder_B == "gov"


def test_fighter_pairs_give_the_paired_difference_and_zero_for_a_missing_actor():
    a = history(["gov", "isis"])
    b = history(["gov"])
    a.strength[:, 0, 0] = 100.0
    b.strength[:, 0, 0] = 130.0
    a.strength[:, 1, 1] = 40.0
    pairs = compare.fighter_pairs(a, b)
    gov = pairs[pairs.actor == "gov"]
    assert list(gov.difference) == [30] * 4
    isis = pairs[pairs.actor == "isis"]
    assert list(isis.fighters_B) == [0] * 4 and list(isis.difference) == [-40] * 4
    assert list(pairs.step) == sorted(pairs.step)  # week by week


def test_relation_changes_put_the_same_change_of_both_runs_on_one_row():
    a = history(["rus", "iran", "us"])
    b = history(["rus", "iran", "us"])
    a.status[2:, 0, 1] = Status.ALLY  # allied from week 2 in A
    b.status[3:, 0, 1] = Status.ALLY  # from week 3 in B
    b.status[1:, 1, 2] = Status.ENEMY  # a change in B only
    changes = compare.relation_changes(a, b)
    assert len(changes) == 2
    first = changes.iloc[0]
    assert (first.actor_a, first.actor_b) == ("iran", "us")
    assert pd_missing(first.step_A) and first.step_B == 1
    ally = changes.iloc[1]
    assert (ally.old, ally.new) == ("neutral", "ally")
    assert (ally.step_A, ally.step_B, ally.weeks_later_in_B) == (2, 3, 1)
    assert ally.date_A == DATES[2].isoformat()


def pd_missing(x) -> bool:
    import pandas as pd

    return bool(pd.isna(x))


def test_relation_pairs_mark_pairs_with_a_missing_actor_absent():
    a = history(["gov", "isis"])
    b = history(["gov"])
    a.status[:, 0, 1] = Status.ENEMY
    pairs = compare.relation_pairs(a, b)
    assert set(pairs.status_A) == {"enemy"}
    assert set(pairs.status_B) == {compare.ABSENT}
    assert pairs.differs.all()


def test_runs_on_other_maps_or_dates_are_refused():
    a = history(["gov"])
    with pytest.raises(compare.NotComparable, match="different maps.*Kunar"):
        compare.province_pairs(a, history(["gov"], provinces=["Kabul", "Kunar"]))
    later = [d + dt.timedelta(days=7) for d in DATES]
    with pytest.raises(compare.NotComparable, match="different weeks"):
        compare.fighter_pairs(a, history(["gov"], dates=later))


def test_union_actors_keeps_a_order_then_adds_those_only_in_b():
    a = history(["gov", "tal"])
    b = history(["tal", "isis"])
    keys = [(x.key, x.in_a, x.in_b) for x in compare.union_actors(a, b)]
    assert keys == [("gov", 0, None), ("tal", 1, 0), ("isis", None, 1)]
    assert np.array_equal(a.controller, b.controller)  # untouched
