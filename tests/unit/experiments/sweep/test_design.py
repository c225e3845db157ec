"""sim.experiments.sweep.design: sampled designs, paths and values checked first."""

from __future__ import annotations

import pytest

from sim.experiments.sweep import (
    SweepError,
    make_plan,
    sweep,
)
from sim.experiments.sweep.design import as_scenario, is_integer_field
from sim.scenario.loader import ScenarioError, load_scenario, resolved_dict
from tests.unit.experiments.sweep.common import (
    S2016,
)


def test_lhs_and_sobol_stay_in_range_and_are_reproducible(short):
    ranges = {"actors.russia.resources": (5, 50), "steps": (2, 6)}
    plan = make_plan(short, design="lhs", ranges=ranges, samples=16, seed=3)
    res = [p["actors.russia.resources"] for p in plan.points]
    steps = [p["steps"] for p in plan.points]
    assert len(plan.points) == 16
    assert all(5 <= v <= 50 for v in res) and len(set(res)) == 16
    assert all(type(s) is int and 2 <= s <= 6 for s in steps)  # whole field
    assert set(steps) == {2, 3, 4, 5, 6}
    # a Latin hypercube: one sample in each of the 16 equal strata
    strata = sorted(int((v - 5) / 45 * 16) for v in res)
    assert strata == list(range(16))
    again = make_plan(short, design="lhs", ranges=ranges, samples=16, seed=3)
    assert again.points == plan.points
    other = make_plan(short, design="lhs", ranges=ranges, samples=16, seed=4)
    assert other.points != plan.points
    sobol = make_plan(short, design="sobol", ranges=ranges, samples=8, seed=3)
    assert all(5 <= p["actors.russia.resources"] <= 50 for p in sobol.points)
    assert (
        sobol.points
        == make_plan(short, design="sobol", ranges=ranges, samples=8, seed=3).points
    )


def test_bad_path_fails_before_any_run_with_did_you_mean(short, no_runs, tmp_path):
    out = tmp_path / "sweep"
    grid = {"actors.rusia.resources": [0, 12]}
    with pytest.raises(ScenarioError, match="did you mean 'russia'") as err:
        sweep(short, grid, workers=2, out=out)
    assert "sweep parameter actors.rusia.resources" in str(err.value)
    with pytest.raises(ScenarioError, match="did you mean 'interdiction'"):
        sweep(short, {"parameters.interdictoin": [0.1]}, out=out)
    assert not out.exists()  # nothing written either


def test_bad_value_at_any_point_fails_before_any_run(short, no_runs):
    grid = {"actors.russia.resources": [0, 12, -5]}
    with pytest.raises(ScenarioError, match="must be ≥ 0") as err:
        sweep(short, grid, workers=2)
    assert "sweep point 2 (actors.russia.resources=-5)" in str(err.value)
    with pytest.raises(ScenarioError):
        sweep(
            short, design="lhs", ranges={"parameters.interdiction": (0, 2)}, samples=8
        )


def test_as_scenario_takes_a_path_a_scenario_or_a_dict(short):
    from_path = as_scenario(S2016)
    assert from_path.name == load_scenario(S2016).name
    assert as_scenario(short) is short
    from_dict = as_scenario(resolved_dict(short))
    assert from_dict.steps == short.steps and list(from_dict.actors) == list(
        short.actors
    )
    with pytest.raises(SweepError, match="not int"):
        as_scenario(2016)
    with pytest.raises(TypeError, match="scenario file path"):
        as_scenario([short], error=TypeError)


def test_whole_number_fields_are_known_from_the_schema():
    assert is_integer_field("steps")
    assert not is_integer_field("actors.russia.resources")
    assert not is_integer_field("parameters.interdiction")
    assert not is_integer_field("no.such.path")
