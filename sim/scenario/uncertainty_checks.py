"""Checks of the ``uncertainty:`` section that need the whole scenario.

Each prior's path must name a number of the scenario (with "did you mean"
for a misspelt segment), its range must lie within the bounds the schema
sets for that value, and the scenario's own value must lie inside it: a
prior that excludes the value it is a prior of is a mistake, not a claim.
"""

from __future__ import annotations

import functools
import math
import types
from collections.abc import Iterator
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel, TypeAdapter, ValidationError

from sim.scenario.errors import ScenarioError
from sim.scenario.paths import get_value, split_path
from sim.scenario.schema import Scenario
from sim.scenario.schema_paths import walk
from sim.world.geography import geography_for

Problems = Iterator[tuple[list, str]]


def _candidates(tp: Any) -> list:
    """The types behind Optional / Union (an Annotated leaf keeps its bounds)."""
    if get_origin(tp) is Annotated:
        inner = _candidates(get_args(tp)[0])
        return [tp] if inner == [get_args(tp)[0]] else inner
    if get_origin(tp) in (Union, types.UnionType):
        return [m for a in get_args(tp) if a is not type(None) for m in _candidates(a)]
    return [tp]


def _step(tp: Any, seg: Any) -> Any:
    """The annotation one segment below ``tp`` (None if ``seg`` names nothing)."""
    plain = get_args(tp)[0] if get_origin(tp) is Annotated else tp
    origin, args = get_origin(plain), get_args(plain)
    if isinstance(plain, type) and issubclass(plain, BaseModel):
        for name, f in plain.model_fields.items():
            if seg in (name, f.alias):
                return (
                    Annotated[(f.annotation, *f.metadata)]
                    if f.metadata
                    else f.annotation
                )
    elif origin is dict and isinstance(seg, str):
        return args[1]
    elif origin is list and isinstance(seg, int):
        return args[0]
    elif origin is tuple and isinstance(seg, int):
        return args[0] if args[1:] == (...,) else args[seg] if seg < len(args) else None
    return None


@functools.lru_cache(maxsize=512)
def _leaf_adapter(path: str) -> TypeAdapter | None:
    """A validator of the value a schema path names, with its bounds (None: none)."""
    found: list = [Scenario]
    for seg in split_path(path):
        found = [n for t in found for m in _candidates(t) if (n := _step(m, seg))]
    leaves = [m for t in found for m in _candidates(t)]
    numeric = [
        t
        for t in leaves
        if (get_args(t)[0] if get_origin(t) is Annotated else t) in (float, int)
    ]
    return TypeAdapter(numeric[0]) if numeric else None


def _bound_problem(path: str, value: float, which: str) -> str | None:
    """Why ``value`` is outside the schema's bounds for ``path`` (None if inside)."""
    adapter = _leaf_adapter(path)
    if adapter is None:
        return None
    try:
        adapter.validate_python(value)
    except ValidationError as err:
        msg = err.errors()[0]["msg"].lower()
        return (
            f"the {which} end of the range, {value:g}, is outside what {path} "
            f"may take ({msg})"
        )
    return None


def _numeric_value(sc: Scenario, path: str) -> float | None:
    """The scenario's number at ``path`` (None if it is not a number)."""
    try:
        value = get_value(sc, path)
    except KeyError:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


#: Prior paths found in the schema, by (path, actor ids): the same priors are
#: checked again for every point of a sweep. Holds the map each was found on.
_FOUND: dict[tuple[str, tuple[str, ...]], Any] = {}


def _check_path(path: str, actors: tuple[str, ...], geo: Any) -> None:
    """``walk`` the path once per path, actors and map (raises as ``walk`` does)."""
    key = (path, actors)
    if _FOUND.get(key) is geo:
        return
    walk(path, list(actors), geo=geo)
    if len(_FOUND) > 4096:
        _FOUND.clear()
    _FOUND[key] = geo


def _prior_problem(
    sc: Scenario, path: str, low: float, high: float, geo: Any
) -> str | None:
    """What is wrong with one prior (None if nothing)."""
    try:
        _check_path(path, tuple(sc.actors), geo)
    except ScenarioError as err:
        return f"'{path}' names no value of the scenario: {err.message}"
    value = _numeric_value(sc, path)
    if value is None:
        return (
            f"'{path}' must name a number of the scenario (a parameter, an "
            "actor's number, a relation's affinity such as relations[0].affinity, "
            "or relations[0].affinity[1] when it is a pair)"
        )
    for bound, which in ((low, "low"), (high, "high")):
        problem = _bound_problem(path, bound, which)
        if problem:
            return problem
    if not (low <= value <= high) or math.isnan(value):
        return (
            f"the scenario's value of {path} ({value:g}) is outside its prior "
            f"range [{low:g}, {high:g}]; a prior must hold the value it is a prior of"
        )
    return None


def uncertainty_problems(sc: Scenario) -> Problems:
    """``(key path, message)`` for each prior that does not fit the scenario."""
    if not sc.uncertainty:
        return
    yield from prior_problems(sc, list(sc.uncertainty), geography_for(sc.map))


def prior_problems(sc: Scenario, paths: list[str], geo: Any) -> Problems:
    """``(key path, message)`` for each of the priors ``paths`` that does not fit."""
    for path in paths:
        low, high = sc.uncertainty[path].range
        problem = _prior_problem(sc, path, low, high, geo)
        if problem:
            yield ["uncertainty", path], problem
