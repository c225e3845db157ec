"""Scenario input: the schema of every key; reading, merging, checking YAML.

The modules follow a file on its way to a validated
:class:`~sim.scenario.schema.Scenario`: :mod:`~sim.scenario.yaml_reader`
(safe YAML with lines), :mod:`~sim.scenario.inherit` (``extends``),
:mod:`~sim.scenario.overrides` (``--set``), :mod:`~sim.scenario.problems` and
:mod:`~sim.scenario.references` (errors in plain words), tied together by
:mod:`~sim.scenario.loader`. :mod:`~sim.scenario.paths` reads and writes
values by dotted path; :mod:`~sim.scenario.schema_paths` checks such paths;
:mod:`~sim.scenario.catalog` finds the scenarios that ship with the package.

The public names are importable from here::

    from sim.scenario import load_scenario, ScenarioError, get_value

They are imported on first use, so importing the schema alone stays cheap.
"""

from __future__ import annotations

import importlib
from typing import Any

#: Public name → the module that defines it.
_HOMES = {
    "Scenario": "schema",
    "load_scenario": "loader",
    "scenario_from_dict": "loader",
    "resolved_dict": "loader",
    "ScenarioError": "errors",
    "apply_overrides": "overrides",
    "read_value": "yaml_reader",
    "validate_path": "schema_paths",
    "geography_of": "schema_paths",
    "SETTABLE_ACTOR_FIELDS": "schema_paths",
    "MOVE_WEIGHTS": "schema_paths",
    "split_path": "paths",
    "format_path": "paths",
    "get_in": "paths",
    "get_value": "paths",
    "set_value": "paths",
    "find_scenario": "catalog",
    "shipped_names": "catalog",
}

__all__ = sorted(_HOMES)


def __getattr__(name: str) -> Any:
    """Import a public name's module the first time the name is used."""
    if name in _HOMES:
        return getattr(importlib.import_module(f"sim.scenario.{_HOMES[name]}"), name)
    raise AttributeError(f"module 'sim.scenario' has no attribute {name!r}")


def __dir__() -> list[str]:
    """The public names, for tab completion in notebooks."""
    return sorted({*globals(), *_HOMES})
