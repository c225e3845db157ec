"""The plan of a sweep: every point's validated scenario and every run's seed.

:func:`make_plan` expands and checks a design without running anything, so
a typo or a bad value fails at once, with "did you mean".
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from sim.experiments.sweep.design import (
    as_scenario,
    check_paths,
    design_points,
    point_scenario,
)
from sim.experiments.sweep.errors import SweepError
from sim.experiments.sweep.seeds import run_seed, seed_key
from sim.scenario.loader import geography_of, resolved_dict
from sim.scenario.schema import Scenario
from sim.scenario.variations import Variations


@dataclass(frozen=True)
class RunSpec:
    """What defines one run of a sweep: its point, its replicate and its seed."""

    index: int
    run_id: str
    point: int
    replicate: int
    seed: int


@dataclass
class Plan:
    """A validated sweep design: every point's scenario and every run's seed.

    Attributes:
        base: the scenario as plain data (every default filled in).
        scenarios: the validated scenario of each point.
        design: ``grid``, ``points``, ``lhs`` or ``sobol``.
        parameters: the swept paths, one column each in the results.
        points: the overrides of each point, ``{path: value}``.
        replicates: runs per point.
        seed: the sweep seed.
        common_random_numbers: the same seeds at every point.
        runs: every run, in ``run_id`` order.
        grid: the grid as given (``grid`` design).
        ranges: ``{path: [lo, hi]}`` (``lhs``/``sobol``).
        samples: the number of sampled points (``lhs``/``sobol``).
        variations: the base's variations, which built the points' scenarios.
    """

    base: dict
    scenarios: list[Scenario]
    design: str
    parameters: list[str]
    points: list[dict[str, Any]]
    replicates: int
    seed: int
    common_random_numbers: bool
    runs: list[RunSpec]
    grid: dict[str, list] | None = None
    ranges: dict[str, list[float]] | None = None
    samples: int | None = None
    variations: Variations | None = None

    @property
    def places(self) -> tuple[str, ...]:
        """Province and region names (and ``all``) of the base scenario's map."""
        return geography_of(self.base).places

    @property
    def actors(self) -> list[str]:
        """Actor ids present at any point (the base scenario's first)."""
        ids = dict.fromkeys(self.base["actors"])
        for sc in self.scenarios:
            ids.update(dict.fromkeys(sc.actors))
        return list(ids)

    def frame(self) -> pd.DataFrame:
        """The id columns of the results: run_id, point, replicate, paths, seed."""
        cols: dict[str, list] = {
            "run_id": [r.run_id for r in self.runs],
            "point": [r.point for r in self.runs],
            "replicate": [r.replicate for r in self.runs],
        }
        for path in self.parameters:
            cols[path] = [self.points[r.point].get(path) for r in self.runs]
        cols["seed"] = [r.seed for r in self.runs]
        return pd.DataFrame(cols)


def _check_counts(design: str, replicates: Any, seed: Any) -> None:
    """Refuse an unknown design, or replicates or a seed that are not counts."""
    if design not in ("grid", "lhs", "sobol"):
        raise SweepError(f"unknown design '{design}'; use 'grid', 'lhs' or 'sobol'")
    if isinstance(replicates, bool) or not isinstance(replicates, int | np.integer):
        raise SweepError(f"replicates must be a whole number, got {replicates!r}")
    if replicates < 1:
        raise SweepError(f"replicates must be at least 1, got {replicates}")
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        raise SweepError(f"the sweep seed must be a whole number ≥ 0, got {seed!r}")


def _run_ids(n_points: int, replicates: int) -> Callable[[int, int], str]:
    """``p0001-r002``-style ids, zero-padded so they sort in run order."""
    wp = max(4, len(str(n_points - 1)))
    wr = max(3, len(str(replicates - 1)))
    return lambda p, r: f"p{p:0{wp}d}-r{r:0{wr}d}"


def run_specs(
    n_points: int, replicates: int, seed: int, common_random_numbers: bool
) -> list[RunSpec]:
    """Every run of the sweep in ``run_id`` order, point by point."""
    run_id = _run_ids(n_points, replicates)
    runs = []
    for p, r in itertools.product(range(n_points), range(replicates)):
        index = p * replicates + r
        k = seed_key(r, index, common_random_numbers)
        runs.append(RunSpec(index, run_id(p, r), p, r, run_seed(seed, k)))
    return runs


def make_plan(
    scenario: Any,
    grid: Any = None,
    *,
    design: str = "grid",
    ranges: Mapping[str, Sequence[float]] | None = None,
    samples: int | None = None,
    replicates: int = 1,
    seed: int = 0,
    common_random_numbers: bool = True,
) -> Plan:
    """Expand and validate a sweep design without running anything.

    Every path is checked against the schema and every point's overrides are
    applied and validated, so errors surface before a single run. The
    arguments are those of :func:`sim.experiments.sweep.sweep`.

    Returns:
        The :class:`Plan`: points, their scenarios, and runs with their seeds.

    Raises:
        ScenarioError: a bad path or value (with "did you mean").
        SweepError: a malformed design, range or option.
    """
    _check_counts(design, replicates, seed)
    base = resolved_dict(as_scenario(scenario))
    design, paths, points, grid_given, bounds = design_points(
        design, grid, ranges, samples, int(seed)
    )
    check_paths(paths, list(base["actors"]), geography_of(base))
    variations = Variations(base)
    return Plan(
        base=base,
        scenarios=[
            point_scenario(base, pt, i, variations) for i, pt in enumerate(points)
        ],
        design=design,
        parameters=paths,
        points=points,
        replicates=int(replicates),
        seed=int(seed),
        common_random_numbers=bool(common_random_numbers),
        runs=run_specs(
            len(points), int(replicates), int(seed), bool(common_random_numbers)
        ),
        grid=grid_given,
        ranges=bounds,
        samples=None if samples is None else int(samples),
        variations=variations,
    )
