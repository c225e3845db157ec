"""sim.scenario.paths: reading and writing values by dotted key path."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from sim.scenario import tree
from sim.scenario.errors import Origin, ScenarioError
from sim.scenario.loader import scenario_from_dict
from sim.scenario.paths import (
    format_path,
    get_in,
    get_value,
    set_in,
    set_value,
    split_path,
)
from tests.conftest import tiny


@pytest.fixture
def sc():
    return scenario_from_dict(tiny())


@pytest.mark.parametrize(
    "path, segs",
    [
        ("steps", ["steps"]),
        ("actors.russia.resources", ["actors", "russia", "resources"]),
        ("relations[0].pair[1]", ["relations", 0, "pair", 1]),
        ("relations.2.affinity", ["relations", 2, "affinity"]),
        (" parameters . lambda ", ["parameters", "lambda"]),
        ("a[1][2]", ["a", 1, 2]),
    ],
)
def test_split_and_format_are_inverse(path, segs):
    assert split_path(path) == segs
    assert split_path(format_path(segs)) == segs


@pytest.mark.parametrize("path", ["", "a..b", "a.", "a[x]", "a]b", "[0"])
def test_a_malformed_path_is_a_scenario_error(path):
    with pytest.raises(ScenarioError, match="is not a dotted key path") as err:
        split_path(path, where="--set x")
    assert err.value.where == "--set x"


def test_get_in_reads_plain_data_and_defaults_when_absent():
    data = {"actors": {"a": {"forces": {"Kunduz": 5}}}, "relations": [{"pair": [1]}]}
    assert get_in(data, "actors.a.forces.Kunduz") == 5
    assert get_in(data, "relations[0].pair[0]") == 1
    assert get_in(data, ["relations", 0, "pair"]) == [1]
    assert get_in(data, "relations[3]") is None
    assert get_in(data, "actors.b.resources", default=0.0) == 0.0
    assert get_in(data, "actors.a.forces.Kunduz.strength") is None


def test_get_value_reads_a_scenario_with_defaults_and_file_spelling(sc):
    assert get_value(sc, "steps") == 10
    assert get_value(sc, "parameters.lambda") == sc.parameters.lam
    assert get_value(sc, "parameters.lam") == sc.parameters.lam
    assert get_value(sc, "parameters.interdiction") == 0.5  # a default
    assert get_value(sc, "actors.a.forces.Kunduz") == 500
    assert get_value(sc, "relations[1].pair") == ("b", "c")
    assert get_value(sc, "parameters.move_weights.enemy") == 0.8
    for missing in ("actors.zz.resources", "relations[9]", "parameters.nope"):
        with pytest.raises(KeyError):
            get_value(sc, missing)


def test_set_value_revalidates_the_section(sc):
    set_value(sc, "parameters.lambda", 0.5)
    assert sc.parameters.lam == 0.5
    set_value(sc, "parameters.lam", 0.25)
    assert sc.parameters.lam == 0.25
    set_value(sc, "actors.a.cohesion", 0.4)
    assert sc.actors["a"].cohesion == 0.4
    set_value(sc, "parameters.move_weights", {"enemy": 0.1})
    assert sc.parameters.move_weights["enemy"] == 0.1
    assert sc.parameters.move_weights["crowding"] == 0.8  # the default kept
    with pytest.raises(ValidationError):
        set_value(sc, "parameters.enemy_threshold", 0.9)  # above ally_threshold
    assert sc.parameters.enemy_threshold == -0.3
    with pytest.raises(ValidationError):
        set_value(sc, "actors.a.cohesion", 2.0)


@pytest.mark.parametrize(
    "path", ["steps", "actors.zz.cohesion", "actors.a", "parameters.terrain.mixed"]
)
def test_set_value_refuses_what_cannot_change_during_a_run(sc, path):
    with pytest.raises(KeyError, match="not a settable path"):
        set_value(sc, path, 1)


def test_the_scenario_method_is_the_same_writer(sc):
    sc.set_value("parameters.lambda", 0.125)
    assert get_value(sc, "parameters.lambda") == 0.125


def test_set_in_copies_and_records_where_the_value_came_from():
    data = tree.new(tree.Map, Origin("f.yaml", 1))
    data["actors"] = {"a": {"resources": 1}}
    data.lines["actors"] = Origin("f.yaml", 2)
    origin = Origin(where="--set actors.a.resources=2")
    out = set_in(data, ["actors", "a", "resources"], 2, origin, "actors.a.resources")
    assert out["actors"]["a"]["resources"] == 2
    assert data["actors"]["a"]["resources"] == 1  # unchanged
    assert out.lines["actors"] == origin
    gone = set_in(out, ["actors", "a"], None, origin, "actors.a")
    assert gone["actors"] == {}


def test_set_in_refuses_a_list_item_that_is_not_there():
    with pytest.raises(ScenarioError, match="there is no item 3 in this list of 1"):
        set_in({"relations": [{}]}, ["relations", 3], 1, Origin(where="w"), "p")
