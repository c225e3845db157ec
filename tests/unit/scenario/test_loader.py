"""sim.scenario.loader: the entry points, end to end."""

from __future__ import annotations

import datetime as dt
import pickle

import pytest

from sim.scenario.loader import (
    ScenarioError,
    load_scenario,
    resolved_dict,
    scenario_from_dict,
)
from tests.unit.scenario.helpers import (
    fail,
    variant,
    write,
)


def test_error_survives_pickling(base):
    err = fail(base, ["steps=abc"])
    again = pickle.loads(pickle.dumps(err))
    assert str(again) == str(err) and again.path == "steps"


def test_dict_scenario_errors_name_the_source():
    with pytest.raises(ScenarioError) as info:
        scenario_from_dict({"name": "x", "start": "2016-02-12", "steps": 1}, "nb")
    assert info.value.file == "nb" and info.value.path == "actors"
    assert "missing required key 'actors'" in str(info.value)


def test_minimal_scenario_loads(tmp_path):
    p = write(
        tmp_path,
        "min.yaml",
        """\
        name: minimal
        start: 2016-02-12
        steps: 1
        actors:
          taliban: {name: Taliban, kind: insurgent, forces: {Kunduz: 100}}
        """,
    )
    sc = load_scenario(p)
    assert sc.name == "minimal" and sc.start == dt.date(2016, 2, 12)
    assert sc.actors["taliban"].forces == {"Kunduz": 100.0}


def test_base_scenario_loads(base):
    sc = load_scenario(base)
    assert list(sc.actors) == ["government", "taliban", "isis_k", "russia"]
    assert sc.actors["government"].forces["Kunduz"].equipment == 1.2
    assert len(sc.relations) == 2 and len(sc.events) == 2


def test_events_after_the_last_step_are_allowed(tmp_path):
    p = variant(tmp_path, "{step: 3, do: set", "{step: 999, do: set")
    assert load_scenario(p).events[1].step == 999


def test_resolved_dict_round_trips(base):
    sc = load_scenario(base)
    data = resolved_dict(sc)
    assert data["parameters"]["lambda"] == 0.02 and data["start"] == "2016-02-12"
    assert scenario_from_dict(data) == sc


def test_the_package_offers_the_public_api_by_name():
    import sim.scenario

    for name in sim.scenario.__all__:
        assert getattr(sim.scenario, name) is not None, name
    assert sim.scenario.load_scenario is load_scenario
    assert sim.scenario.ScenarioError is ScenarioError
    assert set(sim.scenario.__all__) <= set(dir(sim.scenario))
    with pytest.raises(AttributeError):
        sim.scenario.no_such_name  # noqa: B018
