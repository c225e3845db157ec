"""sim.scenario.schema_paths: which dotted paths the schema has."""

from __future__ import annotations

import re

import pytest

from sim.scenario.errors import ScenarioError
from sim.scenario.schema_paths import (
    MOVE_WEIGHTS,
    geography_of,
    key_domain,
    validate_path,
    walk,
)


def test_validate_path():
    for path in ("parameters.lambda", "steps", "parameters.interdiction",
                 "actors.russia.resources", "actors.x.forces.Kunduz.strength",
                 "relations[0].affinity", "parameters.sigar_bands[3]"):  # fmt: skip
        validate_path(path)
    with pytest.raises(ScenarioError, match="did you mean 'russia'"):
        validate_path("actors.rusia.resources", actors=["russia", "taliban"])
    with pytest.raises(ScenarioError, match="did you mean 'Kunduz'"):
        validate_path("actors.russia.forces.Kundus")


def test_walk_spells_keys_as_a_file_does():
    assert walk("parameters.lam") == ["parameters", "lambda"]
    assert walk("relations[1].pair[0]") == ["relations", 1, "pair", 0]


@pytest.mark.parametrize(
    "path, message, at",
    [
        (
            "relations.pair",
            "'relations' is a list: give an item number",
            "relations.pair",
        ),
        ("steps.x", "'steps' holds a single value; it has no key 'x'", "steps.x"),
        ("parameters.terrain.hills", "unknown terrain class 'hills'", None),
        ("actors.a.recruits.pashtu", "did you mean 'pashtun'?", None),
        ("parameters.move_weights.enemyy", "did you mean 'enemy'?", None),
    ],
)
def test_a_wrong_segment_is_named_with_what_was_expected(path, message, at):
    with pytest.raises(ScenarioError, match=re.escape(message)) as err:
        validate_path(path)
    assert err.value.path == (at or path)


def test_a_whole_new_actor_may_be_added_but_not_reached_into():
    validate_path("actors.newcomer", actors=["russia"])
    with pytest.raises(ScenarioError, match="unknown actor 'newcomer'"):
        validate_path("actors.newcomer.resources", actors=["russia"])


def test_place_names_come_from_the_scenario_map():
    grid = geography_of({"map": {"kind": "grid", "provinces": 9}})
    assert grid.n_provinces == 9
    validate_path("actors.a.forces.P3", geo=grid)
    with pytest.raises(ScenarioError, match="did you mean 'P3'"):
        validate_path("actors.a.forces.p33", geo=grid)
    afghan = geography_of({"map": {"kind": "nowhere"}})  # reported elsewhere
    assert afghan.n_provinces == 34 and geography_of(None) is afghan


def test_key_domains_name_what_each_mapping_holds():
    assert key_domain("intent", ["a", "b"]) == ("actor", ["a", "b"])
    assert key_domain("move_weights", None) == ("move weight", MOVE_WEIGHTS)
    assert key_domain("ideology", None) == ("key", None)
    noun, places = key_domain("forces", None)
    assert noun == "province or region" and {"Kunduz", "north", "all"} <= set(places)
