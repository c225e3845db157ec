"""The ``uncertainty:`` section checked against the scenario it belongs to."""

from __future__ import annotations

import pytest

from sim.scenario.loader import (
    ScenarioError,
    apply_overrides,
    load_scenario,
    resolved_dict,
    scenario_from_dict,
)
from tests.conftest import ROOT

S2016 = ROOT / "scenarios" / "2016.yaml"


@pytest.fixture(scope="module")
def base():
    data = resolved_dict(load_scenario(S2016))
    data["uncertainty"] = {}
    return data


def with_prior(base: dict, path: str, **prior) -> dict:
    prior.setdefault("reason", "a test")
    return {**base, "uncertainty": {path: prior}}


@pytest.mark.parametrize(
    ("path", "prior", "message"),
    [
        (
            "parameters.presense_scale",
            {"range": [30, 120]},
            "did you mean 'presence_scale'",
        ),
        ("actors.rusia.hedging", {"range": [0.1, 0.4]}, "did you mean 'russia'"),
        ("actors.russia.name", {"range": [0, 1]}, "must name a number"),
        ("relations[2].affinity", {"range": [0, 0.5]}, "relations[0].affinity[1]"),
        ("parameters.home_share", {"range": [0.3, 1.5]}, "high end of the range, 1.5"),
        ("parameters.beta", {"range": [-0.1, 0.02]}, "low end of the range, -0.1"),
        ("parameters.presence_scale", {"range": [70, 120]}, "(60) is outside"),
        ("parameters.presence_scale", {"range": [120, 30]}, "low < high"),
        ("parameters.lambda", {"range": [0, 0.02], "scale": "log"}, "low > 0"),
        ("parameters.lambda", {"range": [0.005, 0.02], "scale": "logg"}, "'log'"),
        ("parameters.lambda", {"range": [0.005, 0.02], "reason": ""}, "reason"),
    ],
)
def test_a_bad_prior_is_refused_with_its_path_named(base, path, prior, message):
    with pytest.raises(ScenarioError) as err:
        scenario_from_dict(with_prior(base, path, **prior), "test")
    text = str(err.value)
    assert message in text and "uncertainty" in text


def test_good_priors_load_on_defaults_list_items_and_affinity_pairs(base):
    for path, rng in [
        ("parameters.move_weights.crowding", [0.4, 1.2]),  # a default value
        ("relations[2].affinity[1]", [-0.1, 0.3]),
        ("actors.russia.intent.taliban", [0.3, 0.9]),
        ("parameters.offensive_weeks", [2, 8]),  # a whole number
    ]:
        sc = scenario_from_dict(with_prior(base, path, range=rng), "test")
        assert list(sc.uncertainty) == [path]


def test_a_file_error_names_the_line(tmp_path):
    f = tmp_path / "s.yaml"
    f.write_text(
        f"extends: {S2016}\nuncertainty:\n"
        "  parameters.presence_scale: {range: [70, 120], reason: r}\n",
        encoding="utf-8",
    )
    with pytest.raises(ScenarioError) as err:
        load_scenario(f)
    assert "line 3" in str(err.value)


def test_removing_an_actor_removes_the_priors_on_its_values(base):
    data = with_prior(base, "actors.isis_k.cohesion", range=[0.8, 1.0])
    data["uncertainty"]["actors.russia.hedging"] = {"range": [0.1, 0.4], "reason": "r"}
    scenario_from_dict(data, "test")
    sc = scenario_from_dict(apply_overrides(data, {"actors.isis_k": None}), "test")
    assert list(sc.uncertainty) == ["actors.russia.hedging"]


def test_an_override_fixes_its_value_so_its_prior_is_dropped():
    overrides = ["parameters.eta=0.1", "relations[2].affinity=0.5"]
    sc = load_scenario(S2016, overrides)  # 0.1 is outside eta's prior [0.025, 0.08]
    assert "parameters.eta" not in sc.uncertainty
    assert not any(p.startswith("relations[2]") for p in sc.uncertainty)
    assert "parameters.lambda" in sc.uncertainty  # the others stay
