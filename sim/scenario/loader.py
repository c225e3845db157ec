"""Load a scenario: read YAML, inherit, override, validate → a :class:`Scenario`.

:func:`load_scenario` reads a file and the files it ``extends``, merges them,
applies the ``--set`` overrides, validates the result against :mod:`sim.scenario.schema`
and checks the cross-references a schema cannot (actor ids, provinces, regions,
staging nodes, ethnic groups, terrain classes, ``set`` paths). Every problem is
a :class:`ScenarioError` naming the file, the line, the key path and, for a
misspelt name, the closest valid one. :func:`scenario_from_dict` does the same
for scenarios built in code.

Each stage has its own module, in the order a file goes through them:

- :mod:`sim.scenario.yaml_reader`: safe YAML with the line of every key, no
  tags, no duplicate keys, limits on depth and size (:data:`MAX_DEPTH`,
  :data:`MAX_VALUES`);
- :mod:`sim.scenario.inherit`: ``extends`` and the merge rules (a ``null``
  removes a key, and an actor with every reference to it);
- :mod:`sim.scenario.overrides`: ``--set PATH=VALUE`` after inheritance, on
  paths read by :mod:`sim.scenario.paths` and checked by
  :mod:`sim.scenario.schema_paths`;
- :mod:`sim.scenario.problems` and :mod:`sim.scenario.references`: pydantic's
  errors and the cross-reference checks, located and worded for the user.

The names callers need are importable from here as before.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from sim.scenario import tree
from sim.scenario.errors import Origin, ScenarioError, show
from sim.scenario.inherit import MAX_EXTENDS, load_tree
from sim.scenario.overrides import apply_overrides
from sim.scenario.problems import first_error, pydantic_problems
from sim.scenario.references import reference_problems
from sim.scenario.schema import Scenario
from sim.scenario.schema_paths import (
    MOVE_WEIGHTS,
    SETTABLE_ACTOR_FIELDS,
    geography_of,
    validate_path,
)
from sim.scenario.yaml_reader import MAX_DEPTH, MAX_VALUES, read_value

__all__ = [
    "MAX_DEPTH",
    "MAX_EXTENDS",
    "MAX_VALUES",
    "MOVE_WEIGHTS",
    "SETTABLE_ACTOR_FIELDS",
    "ScenarioError",
    "apply_overrides",
    "geography_of",
    "load_scenario",
    "read_value",
    "resolved_dict",
    "scenario_from_dict",
    "validate_path",
]


def _validate(data: Any, root: Origin) -> Scenario:
    """The scenario ``data`` describes, or the first problem located in it."""
    try:
        scenario = Scenario.model_validate(tree.plain(data))
    except ValidationError as exc:
        raise first_error(pydantic_problems(exc, data, []), data, root) from None
    problems = [(0, segs, msg) for segs, msg in reference_problems(scenario)]
    if problems:
        raise first_error(problems, data, root)
    return scenario


def load_scenario(
    path: str | os.PathLike[str], overrides: Sequence[str] | Mapping[str, Any] = ()
) -> Scenario:
    """Read a scenario file, resolve ``extends``, apply overrides and validate.

    Args:
        path: the YAML file.
        overrides: ``--set`` strings or a ``{path: value}`` dict, applied after
            inheritance (see :func:`apply_overrides`).

    Returns:
        The validated scenario, every cross-reference checked.

    Raises:
        ScenarioError: any problem, located by file, line and key path.
    """
    shown = str(path)
    data = load_tree(Path(path), shown, ((Path(path).resolve(), shown),))
    return _validate(apply_overrides(data, overrides), Origin(shown))


def scenario_from_dict(data: dict, source: str = "<dict>") -> Scenario:
    """Validate a scenario built in code (notebooks) as strictly as a file.

    Args:
        data: the scenario as nested dicts and lists (no ``extends``).
        source: the name that errors give in place of a file name.

    Raises:
        ScenarioError: any problem, located by key path.
    """
    if not isinstance(data, Mapping):
        raise ScenarioError(f"expected a mapping, got {show(data)}", source)
    if "extends" in data:
        raise ScenarioError("'extends' works only in files", source, None, "extends")
    return _validate(dict(data), Origin(source))


def resolved_dict(scenario: Scenario) -> dict:
    """The scenario as JSON-ready data with every default filled in (manifest.json).

    Keys use the file spelling (``lambda``, not ``lam``), so the result can be
    written as YAML and loaded again.
    """
    return scenario.model_dump(mode="json", by_alias=True)
