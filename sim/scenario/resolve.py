"""From what a Python user hands the model to a validated scenario and a seed.

``GreatGame("2016", seed=3, steps=10, parameters__eta=0.1)`` reads as a
Mesa user expects: a scenario named by path, by shipped name or passed
loaded; overrides as keyword arguments (``__`` for the dots of a scenario
path, since keyword names cannot hold dots) or as a ``{path: value}`` dict;
the seed under Mesa's name ``rng`` or as ``seed``. Every override goes
through the loader, so a bad one fails with the same
:class:`~sim.scenario.loader.ScenarioError` as a bad ``--set``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from numbers import Integral
from typing import Any

from sim.scenario.catalog import find_scenario
from sim.scenario.loader import (
    apply_overrides,
    load_scenario,
    resolved_dict,
    scenario_from_dict,
)
from sim.scenario.schema import Scenario

#: What a scenario argument may be: a loaded scenario, a path or a shipped name.
ScenarioLike = Scenario | str | os.PathLike


def override_paths(
    overrides: Mapping[str, Any] | None, keywords: Mapping[str, Any]
) -> dict[str, Any]:
    """One ``{dotted.path: value}`` dict from a dict and ``a__b=value`` keywords.

    Keywords come last, so ``GreatGame(..., overrides={...}, steps=5)`` lets
    the keyword win where both name the same path.

    Raises:
        TypeError: ``overrides`` is not a mapping (e.g. a list of
            ``--set`` strings, which :func:`sim.load` takes instead).
    """
    if overrides is not None and not isinstance(overrides, Mapping):
        raise TypeError(
            "overrides must be a {'dotted.path': value} dict, got "
            f"{type(overrides).__name__}; for 'PATH=VALUE' strings use "
            "sim.load(path, [...]) and pass the loaded scenario"
        )
    paths = dict(overrides or {})
    for key, value in keywords.items():
        paths[key.replace("__", ".")] = value
    return paths


def resolve_scenario(
    scenario: ScenarioLike, overrides: Mapping[str, Any] | None = None
) -> Scenario:
    """The validated scenario meant by ``scenario`` with ``overrides`` applied.

    A path or a shipped name (``"2016"``, found by
    :func:`~sim.scenario.catalog.find_scenario`) is read exactly as the
    command line reads it; a loaded scenario is re-validated only when there
    are overrides to apply, so passing one unchanged costs nothing.

    Raises:
        ScenarioError: a missing file, an invalid scenario or a bad override.
        TypeError: ``scenario`` is none of the accepted kinds.
    """
    overrides = dict(overrides or {})
    if isinstance(scenario, Scenario):
        if not overrides:
            return scenario
        data = apply_overrides(resolved_dict(scenario), overrides)
        return scenario_from_dict(data, f"<scenario {scenario.name}>")
    if not isinstance(scenario, str | os.PathLike):
        raise TypeError(
            "scenario must be a path, a shipped scenario name such as '2016' or "
            f"a loaded Scenario, got {type(scenario).__name__}"
        )
    return load_scenario(find_scenario(scenario), overrides)


def resolve_seed(seed: Any = None, rng: Any = None) -> int | None:
    """The run's seed from ``seed`` or Mesa's ``rng`` (None: the scenario's).

    Both name the same thing, the whole number every random stream of the run
    is spawned from; giving two different values is a mistake worth stopping.

    Raises:
        TypeError: a value that is not a whole number.
        ValueError: ``seed`` and ``rng`` both given and different.
    """
    for name, value in (("seed", seed), ("rng", rng)):
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, Integral):
            raise TypeError(
                f"{name} must be a whole number (the run's seed), "
                f"got {type(value).__name__} {value!r}"
            )
    if seed is not None and rng is not None and int(seed) != int(rng):
        raise ValueError(
            f"seed={int(seed)} and rng={int(rng)} disagree: both set the run's "
            "seed, so give only one of them"
        )
    chosen = seed if seed is not None else rng
    return None if chosen is None else int(chosen)
