"""sim.scenario.problems: pydantic's errors, located and in plain words."""

from __future__ import annotations

import pytest

from sim.scenario.loader import (
    load_scenario,
)
from tests.unit.scenario.helpers import (
    BASE,
    check,
    fail,
    line_of,
    variant,
)


def test_unknown_top_level_key_suggests(tmp_path):
    p = variant(tmp_path, "parameters:", "paramters:")
    err = fail(p)
    check(err, p, "paramters", line_of(BASE, "parameters:"))
    assert "unknown key 'paramters'" in str(err)
    assert "did you mean 'parameters'?" in str(err)


def test_unknown_actor_key_suggests(tmp_path):
    p = variant(tmp_path, "resources: 2", "resorces: 2")
    err = fail(p)
    check(err, p, "actors.russia.resorces", line_of(BASE, "resources: 2"))
    assert str(err) == (
        f"{p}, line {err.line}, at actors.russia.resorces: unknown key 'resorces'; "
        "did you mean 'resources'?"
    )


def test_wrong_type_for_steps(tmp_path):
    p = variant(tmp_path, "steps: 10", "steps: many")
    err = fail(p)
    check(err, p, "steps", 3)
    assert "expected a whole number, got 'many'" in str(err)


def test_negative_strength(tmp_path):
    p = variant(tmp_path, "{strength: 800,", "{strength: -5,")
    err = fail(p)
    check(err, p, "actors.government.forces.Kunduz.strength", line_of(BASE, "Kabul"))
    assert "must be ≥ 0, got -5" in str(err)


def test_negative_plain_force(tmp_path):
    p = variant(tmp_path, "Helmand: 3000", "Helmand: -300")
    err = fail(p)
    check(err, p, "actors.taliban.forces.Helmand", line_of(BASE, "Helmand: 3000"))
    assert "must be ≥ 0, got -300" in str(err)
    assert "more problem" not in str(err)  # the ForceSpec reading is not reported


def test_misspelt_key_in_force_spec(tmp_path):
    p = variant(tmp_path, "{strength: 800,", "{strenght: 800,")
    err = fail(p)
    assert err.path == "actors.government.forces.Kunduz.strenght"
    assert "did you mean 'strength'?" in str(err)


def test_affinity_out_of_range(tmp_path):
    p = variant(tmp_path, "affinity: -0.8", "affinity: -1.5")
    err = fail(p)
    check(err, p, "relations[0].affinity", line_of(BASE, "affinity: -0.8"))
    assert "must be ≥ -1, got -1.5" in str(err)


def test_date_that_is_not_a_date(tmp_path):
    p = variant(tmp_path, "start: 2016-02-12", "start: next spring")
    err = fail(p)
    check(err, p, "start", 2)
    assert "expected a date like 2016-02-12, got 'next spring'" in str(err)


def test_event_with_both_at_and_step(tmp_path):
    p = variant(
        tmp_path, "{at: 2016-05-21, do: shock", "{at: 2016-05-21, step: 4, do: shock"
    )
    err = fail(p)
    check(err, p, "events[0]", line_of(BASE, "do: shock"))
    assert "exactly one of 'at'" in str(err)


def test_unknown_event_kind(tmp_path):
    p = variant(tmp_path, "do: shock", "do: shok")
    err = fail(p)
    check(err, p, "events[0].do", line_of(BASE, "do: shock"))
    assert "did you mean 'shock'?" in str(err)


def test_nan_value(tmp_path):
    p = variant(tmp_path, "resources: 2", "resources: .nan")
    err = fail(p)
    check(err, p, "actors.russia.resources", line_of(BASE, "resources: 2"))
    assert "expected a finite number, got .nan" in str(err)


def test_bad_actor_id(tmp_path):
    p = variant(tmp_path, "  russia:\n", "  Russia:\n")
    err = fail(p)
    check(err, p, "actors.Russia", line_of(BASE, "  russia:"))
    assert "actor id 'Russia'" in str(err)


def test_bad_literal_suggests(tmp_path):
    p = variant(tmp_path, "kind: state", "kind: stat")
    err = fail(p)
    assert err.path == "actors.russia.kind" and "did you mean 'state'?" in str(err)


def test_more_problems_are_counted(tmp_path):
    p = variant(tmp_path, "steps: 10", "steps: 0\nseed: -1")
    err = fail(p)
    check(err, p, "steps", 3)
    assert str(err).endswith("(and 1 more problem)")


@pytest.mark.parametrize(
    "old, new, key, expected",
    [
        ("resources: 2", "resources: true", "actors.russia.resources", "a number"),
        ("steps: 10", "steps: yes", "steps", "a whole number"),
        ("Kabul: 5000", "Kabul: false", "actors.government.forces.Kabul", "a number"),
        ("affinity: -0.8", "affinity: [true, 0.1]", "relations[0].affinity[0]",
         "a number"),
        ("value: 1}", "value: on}", "events[1].value", "a number"),
    ],
)  # fmt: skip
def test_a_bool_is_not_a_number(tmp_path, old, new, key, expected):
    p = variant(tmp_path, old, new)
    err = fail(p)
    assert err.path == key, str(err)
    assert f"expected {expected}, got true" in str(err) or "got false" in str(err)


def test_bool_fields_still_take_bools(tmp_path):
    p = variant(
        tmp_path, "staging: [tajikistan]", "staging: [tajikistan]\n    deploys: yes"
    )
    assert load_scenario(p).actors["russia"].deploys is True


def test_long_names_are_clipped_in_messages(tmp_path):
    long = "x" * 1_000_000
    p = variant(tmp_path, "staging: [tajikistan]", f"staging: [{long}]")
    err = fail(p)
    assert err.path == "actors.russia.staging[0]"
    assert "(1,000,000 characters)" in str(err) and len(str(err)) < 400


def test_huge_integer_is_shown_by_its_size(tmp_path):
    p = variant(tmp_path, "steps: 10", f"steps: {10**400}")
    err = fail(p)
    assert err.path == "steps" and "a number of 401 digits" in str(err)
    assert len(str(err)) < 200


def test_exponent_without_dot_reads_as_text_then_must_be_finite(tmp_path):
    p = variant(tmp_path, "resources: 2", "resources: 1e400")  # YAML 1.1: a string
    err = fail(p)
    assert err.path == "actors.russia.resources"
    assert "must be ≤ 1e+09, got '1e400'" in str(err)  # read as inf, over the cap


@pytest.mark.parametrize(
    "old, new, key, item",
    [("[taliban, isis_k]", "[taliban]", "relations[1].pair", 1),
     ("interdiction: 0.4", "interdiction: 0.4\n  sigar_bands: [0.1, 0.2, 0.3]",
      "parameters.sigar_bands", 3)],
)  # fmt: skip
def test_too_short_tuple_says_so(tmp_path, old, new, key, item):
    p = variant(tmp_path, old, new)
    err = fail(p)  # used to say "missing required key 'pair'" of a pair it was given
    assert err.path == key and f"too few items: item [{item}] is missing" in str(err)


@pytest.mark.parametrize(
    "old, new, key",
    [("{strength: 800, equipment: 1.2}", "{strength: 800, equipment: [1, 2]}",
      "actors.government.forces.Kunduz.equipment"),
     ("affinity: -0.8", "affinity: [[0.1], 0.2]", "relations[0].affinity[0]")],
)  # fmt: skip
def test_a_wrong_type_inside_a_union_names_the_inner_key(tmp_path, old, new, key):
    p = variant(tmp_path, old, new)
    err = fail(p)  # used to blame the force as a whole: "expected a number"
    assert err.path == key and "got a list" in str(err)


@pytest.mark.parametrize(
    "old, new, key",
    [
        ("resources: 2", '"reso\\nurces": 2', "actors.russia.reso\nurces"),
        ("staging: [tajikistan]", 'staging: ["ta\\njik"]', "actors.russia.staging[0]"),
    ],
)
def test_line_breaks_in_names_are_escaped_in_the_message(tmp_path, old, new, key):
    p = variant(tmp_path, old, new)
    err = fail(p)
    assert err.path == key and "\n" not in str(err) and "\\n" in str(err)
