"""What a Python caller hands GreatGame, turned into a scenario and a seed."""

from __future__ import annotations

import numpy as np
import pytest

from sim.scenario.loader import ScenarioError
from sim.scenario.resolve import override_paths, resolve_scenario, resolve_seed
from tests.conftest import scenario, tiny


def test_keywords_become_dotted_paths_and_win_over_the_dict():
    paths = override_paths(
        {"parameters.eta": 0.2, "steps": 4}, {"parameters__eta": 0.1, "seed": 9}
    )
    assert paths == {"parameters.eta": 0.1, "steps": 4, "seed": 9}
    assert override_paths(None, {}) == {}


def test_overrides_must_be_a_dict():
    with pytest.raises(TypeError, match="sim.load"):
        override_paths(["steps=3"], {})


def test_a_loaded_scenario_is_kept_unless_overridden():
    sc = scenario(tiny())
    assert resolve_scenario(sc) is sc
    changed = resolve_scenario(sc, {"steps": 3, "actors.a.mobility": 0.5})
    assert (changed.steps, changed.actors["a"].mobility) == (3, 0.5)
    assert (sc.steps, sc.actors["a"].mobility) == (10, 0.0)


def test_bad_overrides_and_bad_names_are_scenario_errors():
    sc = scenario(tiny())
    with pytest.raises(ScenarioError, match="did you mean"):
        resolve_scenario(sc, {"actors.a.mobilty": 0.5})
    with pytest.raises(ScenarioError):
        resolve_scenario("no/such/file.yaml")
    with pytest.raises(TypeError, match="shipped scenario name"):
        resolve_scenario(42)


def test_a_shipped_name_is_found():
    sc = resolve_scenario("2016", {"steps": 2})
    assert sc.steps == 2 and "russia" in sc.actors


@pytest.mark.parametrize(
    ("seed", "rng", "expected"),
    [(None, None, None), (3, None, 3), (None, 3, 3), (3, 3, 3), (np.int64(5), 5, 5)],
)
def test_seed_and_rng_name_the_same_seed(seed, rng, expected):
    assert resolve_seed(seed, rng) == expected


def test_disagreeing_or_non_whole_seeds_are_refused():
    with pytest.raises(ValueError, match="seed=1 and rng=2"):
        resolve_seed(1, 2)
    for bad in (1.5, "3", True, np.random.default_rng(0)):
        with pytest.raises(TypeError, match="whole number"):
            resolve_seed(rng=bad)
