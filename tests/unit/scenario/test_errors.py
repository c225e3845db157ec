"""sim.scenario.errors: one paragraph saying where and why."""

from __future__ import annotations

import math
import pickle

import pytest

from sim.scenario.errors import ScenarioError, show, unknown


def test_the_message_leads_with_where_then_the_key_path():
    err = ScenarioError("expected a number", "x.yaml", 12, "actors.russia.resources")
    assert str(err) == "x.yaml, line 12, at actors.russia.resources: expected a number"
    over = ScenarioError("bad", path="steps", where="--set steps=x")
    assert str(over) == "--set steps=x, at steps: bad"
    assert str(ScenarioError("alone")) == "alone"


def test_a_path_with_a_line_break_stays_on_one_line():
    err = ScenarioError("unknown key", "x.yaml", 3, "actors.a\nb")
    assert "\n" not in str(err) and "actors.a\\nb" in str(err)


def test_it_pickles_whole():
    err = ScenarioError("m", "f.yaml", 2, "p", None)
    again = pickle.loads(pickle.dumps(err))
    assert (again.message, again.file, again.line, again.path) == (
        "m",
        "f.yaml",
        2,
        "p",
    )


@pytest.mark.parametrize(
    "value, shown",
    [
        (None, "null"),
        (True, "true"),
        (math.nan, ".nan"),
        (-math.inf, "-.inf"),
        ({"a": 1}, "a mapping"),
        ([1], "a list"),
        ("lots", "'lots'"),
        (2.5, "2.5"),
        (10**100, "a number of 101 digits"),
        ("x" * 100, "'" + "x" * 60 + "… (100 characters)'"),
    ],
)
def test_values_are_shown_as_yaml_spells_them(value, shown):
    assert show(value) == shown


def test_unknown_names_suggest_the_closest_valid_one():
    assert unknown("actor", "rusia", ["russia", "iran"]) == (
        "unknown actor 'rusia'; did you mean 'russia'?"
    )
    assert unknown("actor", "zz", ["russia"]) == "unknown actor 'zz'"
