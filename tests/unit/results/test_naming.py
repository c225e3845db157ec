"""Actor names that follow the leaders a scenario names (sim.results.naming)."""

from __future__ import annotations

import datetime as dt

from sim.core.history import History
from sim.results.naming import ActorNames, with_leader

DATES = [dt.date(2016, 5, 13) + dt.timedelta(days=7 * t) for t in range(4)]


def history() -> History:
    h = History.empty(
        ["gov", "tal"], ["Afghan government", "Taliban (main)"], ["Kabul"], DATES
    )
    h.last = 3
    return h


SCENARIO = {
    "actors": {
        "gov": {"kind": "government"},
        "tal": {"kind": "insurgent", "leader": "Mansour"},
    },
    "events": [
        {"at": "2016-05-21", "do": "shock", "actor": "tal", "cohesion": -0.3},
        {"at": "2016-05-25", "do": "shock", "actor": "tal", "leader": "Haibatullah"},
    ],
}


def test_a_leader_replaces_the_bracketed_qualifier():
    assert with_leader("Taliban (main)", "Mansour") == "Taliban (Mansour)"
    assert with_leader("Hezb-e Islami", "Hekmatyar") == "Hezb-e Islami (Hekmatyar)"


def test_the_name_follows_the_succession_date_by_date():
    names = ActorNames.of(history(), SCENARIO)
    assert names.at("2016-05-13", "tal") == "Taliban (Mansour)"
    assert names.at("2016-05-24", "tal") == "Taliban (Mansour)"
    assert names.at("2016-05-25", "tal") == "Taliban (Haibatullah)"
    assert names.at(DATES[3], "tal") == "Taliban (Haibatullah)"
    assert names.at(DATES[0], "gov") == "Afghan government"


def test_a_span_names_every_leader_it_had():
    names = ActorNames.of(history(), SCENARIO)
    whole = names.over(DATES[0], DATES[3], "tal")
    assert whole == "Taliban (Mansour, then Haibatullah)"
    assert names.over("2016-06-01", DATES[3], "tal") == "Taliban (Haibatullah)"


def test_a_succession_given_by_step_takes_that_step_s_date():
    scenario = {"actors": {"tal": {}}, "events": [{"step": 2, "actor": "tal",
                                                   "leader": "Akhund"}]}  # fmt: skip
    names = ActorNames.of(history(), scenario)
    assert names.at(DATES[1], "tal") == "Taliban (main)"
    assert names.at(DATES[2], "tal") == "Taliban (Akhund)"


def test_without_a_scenario_the_table_names_are_kept():
    names = ActorNames.of(history())
    assert names.all_at(DATES[3]) == {
        "gov": "Afghan government",
        "tal": "Taliban (main)",
    }
    assert not names.needs_article("gov") and not names.is_foreign("tal")


def test_the_government_takes_an_article_and_a_state_is_foreign():
    scenario = {"actors": {"gov": {"kind": "government"}, "tal": {"kind": "state"}}}
    names = ActorNames.of(history(), scenario)
    assert names.needs_article("gov") and not names.needs_article("tal")
    assert names.is_foreign("tal") and not names.is_foreign("gov")
