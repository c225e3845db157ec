"""The chronicle's sentences in a specialist's words (sim.results.telling)."""

from __future__ import annotations

import datetime as dt

import pytest

from sim.core.history import History
from sim.core.model import GreatGame
from sim.results.chronicle import chronicle
from sim.results.naming import ActorNames
from sim.results.telling import event_line, setting_words
from sim.scenario.loader import load_scenario, resolved_dict
from tests.conftest import ROOT

NAMES = {"us_nato": "US/NATO", "government": "Afghan government", "taliban": "Taliban"}
KINDS = {"us_nato": "state", "government": "government", "taliban": "insurgent"}
DAY = {"step": 3, "date": "2016-05-20"}


def actors() -> ActorNames:
    keys = list(NAMES)
    h = History.empty(keys, [NAMES[k] for k in keys], ["Parwan"], [dt.date(2016, 1, 1)])
    return ActorNames.of(h, {"actors": {k: {"kind": v} for k, v in KINDS.items()}})


def test_a_scripted_change_is_told_in_words_not_as_a_path():
    e = DAY | {"type": "set", "path": "actors.us_nato.troops", "value": 7700}
    e["label"] = "A drawdown"
    line = event_line(e, NAMES, actors(), was=9800)
    assert line == "A drawdown (in the model, US/NATO troops from 9,800 to 7,700)."
    assert "actors." not in event_line(e, NAMES, actors())
    assert (
        setting_words("parameters.eta", NAMES)
        == "η, learning rate of affinity per step"
    )


def test_a_capture_names_the_province_and_no_capital():
    e = DAY | {"type": "capture", "actor": "taliban", "province": "Helmand"}
    e["previous"] = "contested"
    line = event_line(e, NAMES, actors())
    assert line == "Taliban took control of Helmand province, which had been contested."
    assert "capital" not in line


def test_foreign_troops_support_a_side_rather_than_hold_it():
    e = DAY | {"type": "capture", "actor": "us_nato", "province": "Parwan"}
    e["previous"] = "contested"
    line = event_line(e, NAMES, actors())
    assert line.startswith("US/NATO troops became the main armed force in Parwan")
    assert "support their allies" in line and "took control" not in line


def test_the_government_takes_its_article():
    e = DAY | {"type": "contested", "province": "Kunduz", "previous": "government"}
    line = event_line(e, NAMES, actors())
    assert line == (
        "Kunduz province became contested, slipping from the Afghan government's hold."
    )


def test_a_leader_killed_by_chance_is_a_senior_leader_not_a_named_one():
    e = DAY | {"type": "leader_killed", "actor": "taliban", "air_exposure": 0.43}
    e |= {"chance": 0.01, "cohesion_before": 0.78, "shock": 0.1}
    line = event_line(e, NAMES, actors())
    assert "**Taliban lost a senior leader**" in line
    assert "leader was killed" not in line and "0.78 to 0.68" in line


@pytest.fixture(scope="module")
def told_2016() -> str:
    sc = load_scenario(ROOT / "scenarios" / "2016.yaml")
    h = GreatGame(sc).run().history
    d = resolved_dict(sc)
    return chronicle(h, "2016", "", sc.seed, scenario=d, start=d)


def test_the_2016_chronicle_names_the_taliban_after_their_leader(told_2016):
    start = told_2016.split("## At the start", 1)[1].split("## What happened")[0]
    end = told_2016.split("## At the end", 1)[1].split("## Two camps")[0]
    assert "| Taliban (Mansour) |" in start and "Haibatullah" not in start
    assert "| Taliban (Haibatullah) |" in end
    may = told_2016.split("### May 2016", 1)[1].split("###")[0]
    assert "the cohesion of Taliban (Mansour) falls by 0.30" in may
    assert "the cohesion of Taliban (Haibatullah) rises by 0.10" in may
    assert "Taliban (main)" not in told_2016


def test_the_2016_chronicle_has_no_config_paths_and_no_holding_troops(told_2016):
    assert "actors.us_nato.troops" not in told_2016 and " set to 8400" not in told_2016
    assert "US/NATO troops from 9,800 to 8,400" in told_2016
    assert "(capital" not in told_2016
    assert "US/NATO counts as holding Parwan because its troops are the main" in (
        told_2016
    )
    assert "(in support of the Afghan government)" in told_2016
