"""Overrides: ``--set PATH=VALUE`` strings, or a ``{path: value}`` dict.

They apply after inheritance. PATH must exist in the schema
(:func:`sim.scenario.schema_paths.validate_path`), VALUE is read as YAML, and
``null`` removes the key as in a child file (an actor, with the relations,
events and intent entries that name it). An override fixes the value it
sets, so a prior of the ``uncertainty:`` section on that value (or on a
value inside it) no longer applies and is dropped.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import yaml

from sim.scenario import tree
from sim.scenario.errors import Origin, ScenarioError
from sim.scenario.inherit import drop_refs
from sim.scenario.paths import format_path, set_in
from sim.scenario.schema_paths import geography_of, walk
from sim.scenario.yaml_reader import read_value
from sim.text import clip


def _parse(overrides: Sequence[str] | Mapping[str, Any]) -> list[tuple]:
    """(path, value, where) for each override, VALUE read as YAML for a string."""
    items = []
    if isinstance(overrides, Mapping):
        items = [(p, v, f"override {p}={v!r}") for p, v in overrides.items()]
    for text in () if isinstance(overrides, Mapping) else overrides:
        path, sep, raw = str(text).partition("=")
        where = f"--set {clip(str(text), 120)}"
        if not sep:
            msg = "expected PATH=VALUE, e.g. --set actors.russia.resources=5"
            raise ScenarioError(msg, where=where)
        try:
            items.append((path.strip(), read_value(raw), where))
        except (yaml.YAMLError, ValueError) as e:
            problem = getattr(e, "problem", e)
            msg = f"cannot read {clip(raw.strip())!r} as YAML: {problem}"
            raise ScenarioError(msg, where=where) from None
        except ScenarioError as e:  # a tag, a duplicate key, too many values
            raise ScenarioError(e.message, path=path.strip(), where=where) from None
    return items


def apply_overrides(data: dict, overrides: Sequence[str] | Mapping[str, Any]) -> dict:
    """Return a copy of ``data`` with overrides applied (``data`` is unchanged).

    Args:
        data: scenario data after inheritance (a loaded tree or plain dicts).
        overrides: ``"dotted.path=value"`` strings as given to ``--set``, with
            VALUE read as YAML (``5``, ``0.5``, ``true``, ``[a, b]``,
            ``2016-05-01``), or a ``{path: value}`` dict of typed values. A
            ``null`` value removes the key (an actor, with its references).

    Raises:
        ScenarioError: a malformed override or a path not in the schema.
    """
    for path, value, where in _parse(overrides):
        actors = data.get("actors") if isinstance(data.get("actors"), dict) else {}
        segs = walk(path, list(actors), where, geography_of(data))
        data = set_in(data, segs, value, Origin(where=where), path)
        if value is None and segs[0] == "actors" and len(segs) == 2:
            drop_refs(data, {segs[1]})
        if segs[0] != "uncertainty":
            data = _drop_priors_under(data, format_path(segs))
    return data


def overlaps(prior: str, path: str) -> bool:
    """True when the prior names the overridden value, a part of it or its whole."""
    return any(
        a == b or a.startswith((b + ".", b + "["))
        for a, b in ((prior, path), (path, prior))
    )


def _drop_priors_under(data: dict, path: str) -> dict:
    """``data`` without the priors on the value ``path`` sets (a copy if any go)."""
    priors = data.get("uncertainty")
    if not isinstance(priors, dict) or not any(overlaps(str(p), path) for p in priors):
        return data
    kept = tree.copy(priors)
    for key in [p for p in priors if overlaps(str(p), path)]:
        del kept[key]
    data = tree.copy(data)
    data["uncertainty"] = kept
    return data
