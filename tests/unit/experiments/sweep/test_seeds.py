"""sim.experiments.sweep.seeds: run seeds fanned out by SeedSequence."""

from __future__ import annotations

import numpy as np

from sim.experiments.sweep import (
    make_plan,
    run_seed,
)
from tests.unit.experiments.sweep.common import (
    GRID,
)


def test_run_seeds_come_from_seedsequence_and_are_common_across_points(short):
    plan = make_plan(short, GRID, replicates=3, seed=7)
    expected = [
        int(
            np.random.SeedSequence(7, spawn_key=(r,)).generate_state(1, np.uint64)[0]
            >> np.uint64(1)
        )
        for r in range(3)
    ]
    by_point = {}
    for run in plan.runs:
        by_point.setdefault(run.point, []).append(run.seed)
    assert list(by_point.values()) == [expected, expected]  # CRN: same per point
    assert [run_seed(7, r) for r in range(3)] == expected
    assert all(0 <= s < 2**63 for s in expected)
    assert expected != [7, 8, 9] and len(set(expected)) == 3

    independent = make_plan(
        short, GRID, replicates=3, seed=7, common_random_numbers=False
    )
    seeds = [r.seed for r in independent.runs]
    assert seeds == [run_seed(7, i) for i in range(6)]
    assert len(set(seeds)) == 6
    assert make_plan(short, GRID, replicates=3, seed=8).runs[0].seed != expected[0]
