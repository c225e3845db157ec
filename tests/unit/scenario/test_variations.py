"""Variations of a scenario checked section by section, against whole validation.

:class:`~sim.scenario.variations.Variations` must accept exactly the points
that validating the whole scenario accepts, refuse the others with the same
message, and give the same scenario objects. The differential tests draw
many random points, good and bad, over the paths a sweep varies (and some
it may not, which go the whole way), on the 2016 scenario and on a base made
to exercise the rarer rules: ``set`` events that share a section, a prior
named by a field's other spelling, a government made twice.
"""

from __future__ import annotations

import copy
import math
import pickle
from typing import Any

import numpy as np
import pytest

from sim.scenario import tree
from sim.scenario.errors import Origin
from sim.scenario.loader import (
    ScenarioError,
    apply_overrides,
    load_scenario,
    resolved_dict,
    scenario_from_dict,
)
from sim.scenario.variations import Variations

SOURCE = "sweep point 7 (the point)"

#: Values drawn for a number: in range, at and past the bounds, of the wrong
#: kind. None removes the key (the field's default, or a missing key).
NUMBERS = [0.0, 0.05, 0.3, 0.5, 1.0, 1.5, 2, 7.5, 12, 1e4, 5e9, -0.2, -1, -0.4]
ODD = [True, "lots", None, math.nan, math.inf, -math.inf, [1, 2], {"a": 1}, "0.5"]

PATHS = {
    "parameters.eta": NUMBERS,
    "parameters.kappa": NUMBERS,
    "parameters.lambda": NUMBERS,
    "parameters.lam": NUMBERS,
    "parameters.ally_threshold": NUMBERS,
    "parameters.enemy_threshold": NUMBERS,
    "parameters.hysteresis": NUMBERS,
    "parameters.control_share": NUMBERS,
    "parameters.offensive_weeks": [1, 4, 52, 53, 0, 2.5, 3.0],
    "parameters.kill_cap": [*NUMBERS, None],
    "parameters.alliance_rule": ["static", "marvel", "balance_of_threat", "statc"],
    "parameters.combat_law": ["square", "linear", "sqare", 3],
    "parameters.move_weights.enemy": NUMBERS,
    "parameters.move_weights": [{"enemy": 0.1}, {"enmy": 1.0}, {}, 3],
    "parameters.terrain.mixed": NUMBERS,
    "parameters.sigar_bands": [
        [0.1, 0.3, 0.5, 0.7],
        [0.5, 0.3, 0.6, 0.8],
        [0.1, 0.2],
        [0.1, 0.2, 0.3, 1.4],
    ],
    "actors.us_nato.troops": [*NUMBERS, None],
    "actors.us_nato.resources": NUMBERS,
    "actors.us_nato.kind": ["state", "government", "insurgent", "stat"],
    "actors.russia.resources": NUMBERS,
    "actors.russia.cohesion": NUMBERS,
    "actors.russia.effectiveness": NUMBERS,
    "actors.russia.color": ["#123456", "red", None],
    "actors.russia.staging": [["tajikistan"], ["tajikstan"], "tajikistan", []],
    "actors.russia.staging[0]": ["tajikistan", "iran", "nowhere"],
    "actors.russia.staging[5]": ["tajikistan"],
    "actors.russia.intent.taliban": NUMBERS,
    "actors.russia.forces.Kunduz": [*NUMBERS, {"strength": 10}, {"strength": -1}],
    "actors.russia.ideology.west": NUMBERS,
    "actors.russia.alliance_rule": ["static", "statik", None],
    "actors.russia.beliefs": [{"taliban": {"Kunduz": 0.5}}, {"nobody": {}}],
    "actors.russia.name": ["Russia", "", "x" * 90],
    "actors.russia.leader": ["Putin", "", "x" * 70, None, 5],
    "actors.russia.mobility": [*NUMBERS, None],
    "actors.russia.deploys": [True, False, 1, "yes"],
    "actors.russia.recruits.pashtun": NUMBERS,
    "actors.russia.recruits": [{"pashtun": 1.0}, {"pashtoon": 1.0}],
    "actors.russia.ideology": [{"west": 0.5}, {"west": 2}, {"east": 0}],
    "actors.russia.credit.iran": NUMBERS,
    "actors.russia.forces": [{"Kabul": 100.0}, {"Kabull": 100.0}],
    "actors.russia.interests": [{"south": 1.0}, {"sooth": 1.0}],
    "actors.russia.intent": [{"taliban": 0.5}, {"talibn": 0.5}],
    "actors.russia.credit": [{"iran": 1.5}, {"iraan": 1.0}],
    "actors.russia.believed_presence": [{"all": 0.1}, {"everywhere": 0.1}],
    "parameters.presence_scale": NUMBERS,
    "parameters.terrain": [{"mixed": 0.5}, {"swamp": 1.0}],
    # paths a variation does not check alone: validated whole
    "steps": [1, 10, 0, "x"],
    "relations[0].affinity": NUMBERS,
    "map.kind": ["afghanistan", "grid"],
    "actors.russia": [None],
    "parameters.etta": [0.1],
    "actors.rusia.resources": [1.0],
    "uncertainty.parameters.eta.range": [[0.01, 0.09], [0.09, 0.01]],
}


def _outcome(make: Any) -> tuple[str, Any]:
    """("ok", the scenario's pickle and fields) or ("error", its text)."""
    try:
        sc = make()
    except ScenarioError as err:
        return "error", str(err)
    return "ok", (pickle.dumps(sc), _fields_set(sc))


def _fields_set(obj: Any) -> Any:
    """The fields given, model by model (what pickle and equality may not show)."""
    if hasattr(obj, "model_fields_set"):
        return (
            sorted(obj.model_fields_set),
            [_fields_set(getattr(obj, f)) for f in sorted(obj.model_fields_set)],
        )
    if isinstance(obj, dict):
        return [_fields_set(v) for v in obj.values()]
    if isinstance(obj, list | tuple):
        return [_fields_set(v) for v in obj]
    return None


def _points(rng: np.random.Generator, n: int) -> list[dict]:
    """``n`` random points of one to three overrides each."""
    paths = list(PATHS)
    points = []
    for _ in range(n):
        chosen = rng.choice(len(paths), size=int(rng.integers(1, 4)), replace=False)
        point = {}
        for j in chosen:
            values = PATHS[paths[j]]
            odd = rng.random() < 0.1
            pool = ODD if odd else values
            point[paths[j]] = copy.deepcopy(pool[int(rng.integers(len(pool)))])
        points.append(point)
    return points


def _agree(base: dict, points: list[dict]) -> tuple[int, int]:
    """Assert both ways agree on every point; (points accepted, refused)."""
    variations = Variations(base)
    counts = [0, 0]
    for point in points:
        whole = _outcome(
            lambda p=point: scenario_from_dict(apply_overrides(base, p), SOURCE)
        )
        fast = _outcome(lambda p=point: variations.scenario(p, SOURCE))
        assert fast == whole, point
        counts[whole[0] == "error"] += 1
    return counts[0], counts[1]


@pytest.fixture(scope="module")
def base_2016() -> dict:
    return resolved_dict(load_scenario("scenarios/2016.yaml"))


@pytest.fixture(scope="module")
def base_rare(base_2016: dict) -> dict:
    """The 2016 scenario with two ``set`` events on the parameters and two on one
    actor, and a prior on ``parameters.lam`` (the other spelling of lambda)."""
    data = copy.deepcopy(base_2016)
    data["events"] += [
        {"do": "set", "step": 5, "path": "parameters.ally_threshold", "value": 0.25},
        {"do": "set", "step": 9, "path": "parameters.enemy_threshold", "value": -0.2},
        {"do": "set", "step": 3, "path": "actors.russia.resources", "value": 4.0},
        {"do": "set", "step": 6, "path": "actors.russia.cohesion", "value": 0.5},
        {"do": "set", "step": 7, "path": "actors.russia.effectiveness", "value": 2},
    ]
    data["uncertainty"]["parameters.lam"] = {"range": [0.008, 0.03], "reason": "x"}
    scenario_from_dict(data)  # a valid base
    return data


def test_the_2016_scenario_agrees_on_random_points(base_2016: dict) -> None:
    accepted, refused = _agree(base_2016, _points(np.random.default_rng(1), 500))
    assert accepted > 100 and refused > 100  # both kinds well tried


def test_a_base_with_shared_set_events_and_an_alias_prior_agrees(
    base_rare: dict,
) -> None:
    accepted, refused = _agree(base_rare, _points(np.random.default_rng(2), 500))
    assert accepted > 100 and refused > 100


@pytest.mark.parametrize(
    ("point", "message"),
    [
        # the prior named parameters.lam is not dropped by parameters.lambda
        ({"parameters.lambda": 0.005}, "is outside its prior range [0.008, 0.03]"),
        # a set event of the parameters no longer fits them
        ({"parameters.enemy_threshold": 0.27}, "would make the scenario invalid"),
        ({"actors.russia.effectiveness": 20}, "must be ≤ 10, got 20"),
        ({"actors.us_nato.kind": "government"}, "more than one actor of kind"),
        ({"actors.russia.staging[0]": "nowhere"}, "unknown staging node 'nowhere'"),
    ],
)
def test_rare_rules_give_the_whole_message(
    base_rare: dict, point: dict, message: str
) -> None:
    whole = _outcome(lambda: scenario_from_dict(apply_overrides(base_rare, point)))
    assert whole[0] == "error" and message in whole[1]
    assert _outcome(lambda: Variations(base_rare).scenario(point, "<dict>")) == whole


def test_a_variation_shares_what_it_did_not_change(base_2016: dict) -> None:
    variations = Variations(base_2016)
    a = variations.scenario({"parameters.eta": 0.06}, SOURCE)
    b = variations.scenario({"actors.russia.resources": 3.0}, SOURCE)
    assert a.parameters.eta == 0.06 and b.actors["russia"].resources == 3.0
    assert a.events is b.events  # unchanged sections are not copied
    assert a.actors["russia"].resources != 3.0  # nor changed in place
    assert "parameters.eta" not in a.uncertainty  # the override fixes its value
    assert "parameters.eta" in b.uncertainty


def test_a_base_with_yaml_lines_or_errors_is_validated_whole(
    base_2016: dict,
) -> None:
    lined = tree.new(tree.Map, Origin("x.yaml", 1))
    lined.update(base_2016)
    point = {"parameters.eta": -1.0}
    for base in (lined, {**base_2016, "steps": 0}):
        whole = _outcome(lambda b=base: scenario_from_dict(apply_overrides(b, point)))
        assert whole[0] == "error"
        assert _outcome(lambda b=base: Variations(b).scenario(point, "<dict>")) == whole
