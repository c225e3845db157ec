"""Designs: the points of a sweep, from a grid, a list of points or a sample.

A grid ``{path: [values]}`` is the full factorial, the first path varying
slowest; a list of ``{path: value}`` dicts or a DataFrame gives the points
themselves; ``lhs`` and ``sobol`` sample ``ranges={path: (lo, hi)}`` with
:mod:`scipy.stats.qmc`. Every path is checked against the schema and every
point's overrides are applied and validated here, before anything runs.
"""

from __future__ import annotations

import inspect
import itertools
import math
import os
import re
import types
import warnings
from collections.abc import Iterable, Mapping, Sequence
from typing import Annotated, Any, Union, get_args, get_origin

import numpy as np
import pandas as pd
from pydantic import BaseModel

from sim.experiments.sweep.errors import SweepError
from sim.scenario.loader import (
    ScenarioError,
    apply_overrides,
    load_scenario,
    scenario_from_dict,
    validate_path,
)
from sim.scenario.schema import Scenario
from sim.scenario.variations import Variations

DESIGNS = ("grid", "points", "lhs", "sobol")

#: What a design took: (design, paths, points, grid as given, ranges as checked).
DesignPoints = tuple[
    str, list[str], list[dict[str, Any]], dict | None, dict[str, list] | None
]


def plain_value(v: Any) -> Any:
    """Python values for numpy scalars and arrays (for pydantic and JSON)."""
    if isinstance(v, np.generic):
        return v.item()
    if isinstance(v, np.ndarray):
        return v.tolist()
    return v


def checked_range(path: str, rng: Any) -> list:
    """``[lo, hi]`` of a swept parameter, or a SweepError saying what is wrong.

    Shared by the sampled designs here and by :mod:`sim.experiments.sensitivity`.
    """
    pair = [plain_value(v) for v in rng] if isinstance(rng, Iterable) else []
    ok = len(pair) == 2 and all(
        isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)
        for v in pair
    )
    if not ok or pair[0] >= pair[1]:
        raise SweepError(
            f"range of '{path}' must be (lo, hi), two numbers with lo < hi, got {rng!r}"
        )
    return pair


def as_scenario(scenario: Any, error: type[Exception] = SweepError) -> Scenario:
    """A loaded Scenario from a scenario file path, a Scenario or a plain dict.

    Lets every experiment take a scenario in whichever form the user has it.
    Anything else raises ``error`` (a SweepError unless the caller wants its
    own kind, e.g. TypeError), naming the type that was given.
    """
    if isinstance(scenario, Scenario):
        return scenario
    if isinstance(scenario, str | os.PathLike):
        return load_scenario(scenario)
    if isinstance(scenario, Mapping):
        return scenario_from_dict(dict(scenario))
    raise error(
        "scenario must be a scenario file path, a loaded Scenario or a dict, "
        f"not {type(scenario).__name__}"
    )


def _mapping_points(grid: Mapping) -> tuple[list[str], list[dict], dict]:
    """(paths, points, grid as given) of a ``{path: [values]}`` full factorial."""
    paths, values = [str(p) for p in grid], []
    for path, vals in grid.items():
        if isinstance(vals, np.ndarray | range | list | tuple | pd.Series):
            vals = [plain_value(v) for v in vals]
        else:
            vals = [plain_value(vals)]  # a single value: held fixed
        if not vals:
            raise SweepError(f"grid path '{path}' has no values")
        values.append(vals)
    points = [
        dict(zip(paths, combo, strict=True)) for combo in itertools.product(*values)
    ]
    return paths, points, dict(zip(paths, values, strict=True))


def _listed_points(grid: Sequence) -> tuple[list[str], list[dict]]:
    """(paths, points) of a list of ``{path: value}`` points, all on the same paths."""
    points = []
    for i, pt in enumerate(grid):
        if not isinstance(pt, Mapping):
            raise SweepError(f"grid point {i} must be a {{path: value}} mapping")
        points.append({str(k): plain_value(v) for k, v in pt.items()})
    paths = list(dict.fromkeys(p for pt in points for p in pt))
    for i, pt in enumerate(points):
        if set(pt) != set(paths):
            missing = sorted(set(paths) - set(pt))
            raise SweepError(f"grid point {i} lacks the path(s) {missing}")
    if not points:
        raise SweepError("the list of grid points is empty")
    return paths, points


def grid_points(grid: Any) -> tuple[str, list[str], list[dict], dict | None]:
    """(design, paths, points, grid as given) from a grid or a list of points."""
    if grid is None:
        return "grid", [], [{}], None
    if isinstance(grid, pd.DataFrame):
        rows = grid.to_dict(orient="records")
        paths = [str(c) for c in grid.columns]
        points = [{str(k): plain_value(v) for k, v in r.items()} for r in rows]
        return "points", paths, points, None
    if isinstance(grid, Mapping):
        return "grid", *_mapping_points(grid)
    if isinstance(grid, Sequence) and not isinstance(grid, str):
        return "points", *_listed_points(grid), None
    raise SweepError(
        "grid must be {path: [values]}, a list of {path: value} points or a "
        f"DataFrame, not {type(grid).__name__}"
    )


_SEG = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def _members(tp: Any) -> list[Any]:
    """The types inside Annotated/Optional/Union, flattened."""
    if get_origin(tp) is Annotated:
        return _members(get_args(tp)[0])
    if get_origin(tp) in (Union, types.UnionType):
        return [m for a in get_args(tp) for m in _members(a)]
    return [tp]


def is_integer_field(path: str) -> bool:
    """True if the schema types the value at ``path`` as a whole number.

    Sampled designs must give such fields (``steps``) whole values.
    """
    current = [Scenario]
    for name, index in _SEG.findall(path):
        nxt = []
        for tp in (m for t in current for m in _members(t)):
            origin, args = get_origin(tp), get_args(tp)
            if isinstance(tp, type) and issubclass(tp, BaseModel) and name:
                for fname, f in tp.model_fields.items():
                    if name in (fname, f.alias):
                        nxt.append(f.annotation)
            elif origin is dict and name:
                nxt.append(args[1])
            elif origin in (list, tuple) and index:
                nxt.append(args[0])
        current = nxt
    leaves = [m for t in current for m in _members(t) if m is not type(None)]
    return bool(leaves) and all(m is int for m in leaves)


def _sample_unit(design: str, d: int, n: int, seed: int) -> np.ndarray:
    """``n`` points in ``[0, 1)^d`` from scipy's LHS or scrambled Sobol'."""
    from scipy.stats import qmc

    rng = np.random.default_rng(np.random.SeedSequence(seed))
    cls = qmc.LatinHypercube if design == "lhs" else qmc.Sobol
    key = "rng" if "rng" in inspect.signature(cls).parameters else "seed"
    sampler = cls(d, **{key: rng})
    with warnings.catch_warnings():  # Sobol' with n not a power of two
        warnings.filterwarnings("ignore", message=".*balance properties.*")
        return sampler.random(n)


def _checked_sample_args(design: str, ranges: Any, samples: Any) -> dict[str, list]:
    """The ranges of a sampled design, checked with its sample size."""
    if not isinstance(ranges, Mapping) or not ranges:
        raise SweepError(
            f"design '{design}' needs ranges={{path: (lo, hi)}}, e.g. "
            "{'actors.russia.resources': (0, 50)}"
        )
    if isinstance(samples, bool) or not isinstance(samples, int | np.integer):
        raise SweepError(f"design '{design}' needs samples=N, a whole number ≥ 1")
    if samples < 1:
        raise SweepError(f"samples must be at least 1, got {samples}")
    bounds = {}
    for path, rng in ranges.items():
        bounds[str(path)] = checked_range(path, rng)
    return bounds


def _scaled_column(path: str, lo: Any, hi: Any, unit: np.ndarray) -> list:
    """One path's sampled values: ``unit`` in ``[0, 1)`` stretched over lo..hi."""
    if is_integer_field(path):
        if lo != int(lo) or hi != int(hi):
            raise SweepError(f"'{path}' takes whole numbers: give a whole range")
        vals = np.minimum(lo + np.floor(unit * (hi - lo + 1)), hi)
        return [int(v) for v in vals]
    return [float(v) for v in lo + unit * (hi - lo)]


def sampled_points(
    design: str, ranges: Any, samples: Any, seed: int
) -> tuple[list[str], list[dict], dict[str, list]]:
    """(paths, points, checked ranges) of an ``lhs`` or ``sobol`` design."""
    bounds = _checked_sample_args(design, ranges, samples)
    paths = [str(p) for p in ranges]
    unit = _sample_unit(design, len(paths), int(samples), seed)
    points = [{} for _ in range(int(samples))]
    for j, path in enumerate(paths):
        lo, hi = bounds[path]
        column = _scaled_column(path, lo, hi, unit[:, j])
        for pt, v in zip(points, column, strict=True):
            pt[path] = v
    return paths, points, bounds


def design_points(
    design: str, grid: Any, ranges: Any, samples: Any, seed: int
) -> DesignPoints:
    """The points of a design, and the grid or ranges it was built from.

    A grid design that was handed a list of points becomes ``points``.
    """
    if design == "grid":
        if ranges is not None or samples is not None:
            raise SweepError(
                "ranges and samples belong to design='lhs' or 'sobol'; a grid "
                "takes {path: [values]}"
            )
        return *grid_points(grid), None
    if grid is not None:
        raise SweepError(f"design '{design}' samples ranges; give no grid")
    paths, points, bounds = sampled_points(design, ranges, samples, seed)
    return design, paths, points, None, bounds


def check_paths(paths: list[str], actors: list[str], geo=None) -> None:
    """Refuse a swept path the schema does not have (or ``seed``), with a hint."""
    for path in paths:
        if path == "seed":
            raise SweepError(
                "'seed' cannot be swept: each run's seed comes from the sweep seed; "
                "use replicates for more seeds"
            )
        try:
            validate_path(path, actors, geo)
        except ScenarioError as err:
            raise ScenarioError(
                err.message, path=err.path, where=f"sweep parameter {path}"
            ) from None


def show_overrides(overrides: Mapping[str, Any]) -> str:
    """A point's overrides as messages show them: ``path=value, ...``."""
    return ", ".join(f"{p}={v!r}" for p, v in overrides.items())


def point_scenario(
    base: dict,
    overrides: Mapping[str, Any],
    point: int,
    variations: Variations | None = None,
) -> Scenario:
    """The validated scenario of one point: the base with its overrides applied.

    With the :class:`~sim.scenario.variations.Variations` of ``base``, a
    point that changes parameters or actors' values is checked in
    microseconds (the sections it changes, not the whole scenario): a sweep
    of many points passes one; a single point needs none.
    """
    source = f"sweep point {point} ({show_overrides(overrides) or 'no overrides'})"
    if variations is not None:
        return variations.scenario(overrides, source)
    return scenario_from_dict(apply_overrides(base, dict(overrides)), source)
