"""sim.scenario.field_check: a section with a few fields changed, checked alone."""

from __future__ import annotations

import pickle

import pytest

from sim.scenario.field_check import copied, field_name, fields_changed
from sim.scenario.schema import Actor, Parameters

ACTOR = {"name": "Russia", "kind": "state", "resources": 2.0, "staging": ["iran"]}


@pytest.fixture
def params() -> Parameters:
    return Parameters.model_validate({"eta": 0.05, "lambda": 0.02})


def _data(model, **changes) -> dict:
    return {**model.model_dump(by_alias=True), **changes}


def test_a_good_value_gives_the_section_validated_whole(params):
    data = _data(params, eta=0.07, **{"lambda": 0.01})
    new = fields_changed(params, data, {"eta", "lambda"})
    want = Parameters.model_validate(data)
    assert new == want and pickle.dumps(new) == pickle.dumps(want)
    assert params.eta == 0.05  # the old section is not changed


def test_an_actor_field_and_a_nested_section(params):
    actor = Actor.model_validate(ACTOR)
    data = _data(actor, resources=7, ideology={"west": -0.5})
    new = fields_changed(actor, data, {"resources", "ideology"})
    assert pickle.dumps(new) == pickle.dumps(Actor.model_validate(data))


@pytest.mark.parametrize(
    ("changes", "keys"),
    [
        ({"eta": -1.0}, {"eta"}),  # out of range: the section words the error
        ({"eta": True}, {"eta"}),  # a bool for a number
        ({"ally_threshold": -0.5}, {"ally_threshold"}),  # a rule of the section
        ({"move_weights": {"enemy": 1.0}}, {"move_weights"}),  # its own validator
        ({"sigar_bands": [0.1, 0.2, 0.3, 0.4]}, {"sigar_bands"}),
        ({}, {"nonsense"}),  # no such field
    ],
)
def test_what_cannot_be_said_field_by_field_is_left_to_the_section(
    params, changes, keys
):
    assert fields_changed(params, _data(params, **changes), keys) is None


def test_a_removed_field_is_left_to_the_section(params):
    data = _data(params)
    del data["kill_cap"]
    assert fields_changed(params, data, {"kill_cap"}) is None


def test_a_copy_pickles_as_the_model_validated_afresh():
    actor = Actor.model_validate(ACTOR)
    for _ in range(3):  # a copied set may iterate in another order
        actor = copied(actor, {"resources": actor.resources + 1})
    fresh = Actor.model_validate({**ACTOR, "resources": actor.resources})
    assert pickle.dumps(actor) == pickle.dumps(fresh)
    assert actor.model_fields_set == fresh.model_fields_set


def test_field_names_are_found_by_name_or_by_file_key():
    assert field_name(Parameters, "lambda") == "lam"
    assert field_name(Parameters, "lam") == "lam"
    assert field_name(Parameters, "nope") is None
