"""sim.experiments.sweep.plan: points, run ids and the checks of make_plan."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sim.experiments.sweep import (
    SweepError,
    make_plan,
)


def test_grid_is_a_full_factorial_with_stable_run_ids(short):
    grid = {"actors.russia.resources": [0, 12, 24], "steps": [3, 4]}
    plan = make_plan(short, grid, replicates=2)
    assert plan.design == "grid"
    assert plan.parameters == ["actors.russia.resources", "steps"]
    assert plan.points == [
        {"actors.russia.resources": r, "steps": s} for r in (0, 12, 24) for s in (3, 4)
    ]
    ids = [r.run_id for r in plan.runs]
    assert ids[:3] == ["p0000-r000", "p0000-r001", "p0001-r000"]
    assert ids == sorted(ids) and len(set(ids)) == 12
    assert [r.index for r in plan.runs] == list(range(12))
    assert [sc.steps for sc in plan.scenarios] == [3, 4] * 3
    assert plan.scenarios[4].actors["russia"].resources == 24
    frame = plan.frame()
    assert list(frame.columns) == [
        "run_id",
        "point",
        "replicate",
        "actors.russia.resources",
        "steps",
        "seed",
    ]
    # the plan is a function of its inputs alone
    assert make_plan(short, grid, replicates=2).runs == plan.runs


def test_no_grid_is_one_point_and_a_single_value_is_held_fixed(short):
    assert make_plan(short, replicates=3).points == [{}]
    plan = make_plan(short, {"steps": 3, "actors.russia.resources": [0, 5]})
    assert plan.points == [
        {"steps": 3, "actors.russia.resources": 0},
        {"steps": 3, "actors.russia.resources": 5},
    ]


def test_explicit_points_from_a_dataframe_or_a_list(short):
    points = pd.DataFrame(
        {"actors.russia.resources": np.array([1.5, 7.0]), "steps": [3, 4]}
    )
    plan = make_plan(short, points)
    assert plan.design == "points"
    assert plan.points == [
        {"actors.russia.resources": 1.5, "steps": 3},
        {"actors.russia.resources": 7.0, "steps": 4},
    ]
    assert type(plan.points[1]["steps"]) is int  # numpy scalars made plain
    listed = make_plan(short, [{"steps": 3}, {"steps": 5}])
    assert [sc.steps for sc in listed.scenarios] == [3, 5]
    with pytest.raises(SweepError, match="lacks"):
        make_plan(short, [{"steps": 3}, {"parameters.beta": 0.1}])


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"design": "lhs", "ranges": {"steps": (2, 6)}}, "samples"),
        ({"design": "lhs", "samples": 4}, "ranges"),
        ({"design": "lhs", "ranges": {"steps": (6, 2)}, "samples": 4}, "lo < hi"),
        ({"design": "sobol", "ranges": {"steps": (2.5, 6)}, "samples": 4}, "whole"),
        ({"design": "latin"}, "unknown design"),
        ({"ranges": {"steps": (2, 6)}}, "lhs"),
        ({"replicates": 0}, "replicates"),
        ({"seed": -1}, "seed"),
        ({"grid": {"seed": [1, 2]}}, "replicates"),
        ({"grid": {"steps": []}}, "no values"),
    ],
)
def test_malformed_designs_fail_plainly(short, kwargs, match):
    with pytest.raises(SweepError, match=match):
        make_plan(short, **kwargs)


def test_a_plan_validates_its_base_once_and_each_point_by_what_it_changes(
    short, monkeypatch
):
    import pickle

    from sim.experiments.sweep.design import point_scenario
    from sim.scenario import loader, variations

    ranges = {"parameters.eta": (0.02, 0.08), "actors.russia.resources": (0, 50)}
    whole = make_plan(short, design="sobol", ranges=ranges, samples=16)
    base, wholes = whole.base, []
    for i, pt in enumerate(whole.points):  # each point's whole scenario, as loaded
        wholes.append(pickle.dumps(point_scenario(base, pt, i)))
    calls = []
    real = loader.scenario_from_dict
    monkeypatch.setattr(
        variations, "scenario_from_dict", lambda *a: calls.append(a) or real(*a)
    )
    plan = make_plan(short, design="sobol", ranges=ranges, samples=16)
    assert len(calls) == 1  # the base, not each of the 16 points
    assert [pickle.dumps(sc) for sc in plan.scenarios] == wholes


def test_a_bad_point_is_refused_as_loading_refuses_it(short):
    from sim.experiments.sweep.design import point_scenario
    from sim.scenario.loader import ScenarioError, resolved_dict

    grid = {"parameters.eta": [0.05, -1.0], "actors.russia.cohesion": [0.5]}
    with pytest.raises(ScenarioError) as got:
        make_plan(short, grid)
    with pytest.raises(ScenarioError) as want:
        point_scenario(
            resolved_dict(short),
            {"parameters.eta": -1.0, "actors.russia.cohesion": 0.5},
            1,
        )
    assert str(got.value) == str(want.value)
    assert "sweep point 1" in str(got.value) and "must be ≥ 0, got -1" in str(got.value)
