"""Dotted key paths: the one reader and writer of ``actors.russia.resources``.

A path names a value of a scenario: ``steps``, ``parameters.lambda``,
``actors.russia.forces.Kunduz`` or, for list items, ``relations[0].affinity``.
``--set`` overrides, sweeps' varied paths, ``set`` events, the dashboard's
sliders and the model all read and write values through these functions, so
a path means the same thing everywhere. Whether a path exists in the schema is
checked by :func:`sim.scenario.schema_paths.validate_path`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel

from sim.scenario import tree
from sim.scenario.errors import Origin, ScenarioError

_PART = re.compile(r"([^\[\]]*)((?:\[\d+\])*)")


def split_path(path: str, where: str | None = None) -> list[str | int]:
    """The segments of a dotted path: ``relations[0].pair`` → relations, 0, pair.

    Raises:
        ScenarioError: an empty segment or stray brackets; ``where`` names the
            override at fault.
    """
    segs: list[str | int] = []
    for part in str(path).split("."):
        m = _PART.fullmatch(part.strip())
        if not m or not (m[1] or m[2]):
            msg = f"'{path}' is not a dotted key path like 'actors.russia.resources'"
            raise ScenarioError(msg, where=where)
        segs += [int(m[1]) if m[1].isdigit() else m[1]] if m[1] else []
        segs += [int(i) for i in re.findall(r"\d+", m[2])]
    return segs


def format_path(segs: Sequence[Any]) -> str:
    """Segments back to a dotted path: relations, 0, pair → ``relations[0].pair``."""
    text = "".join(f"[{s}]" if isinstance(s, int) else f".{s}" for s in segs)
    return text.removeprefix(".")


def get_in(data: Any, path: str | Sequence[Any], default: Any = None) -> Any:
    """The value at ``path`` in plain scenario data (dicts and lists), or ``default``.

    Used on data before validation (a file just read, a sweep's base), where
    a key may be absent because it keeps its default.
    """
    segs = split_path(path) if isinstance(path, str) else path
    for seg in segs:
        if isinstance(data, dict) and seg in data:
            data = data[seg]
        elif isinstance(data, list) and isinstance(seg, int) and seg < len(data):
            data = data[seg]
        else:
            return default
    return data


def _field_name(model: BaseModel, key: Any) -> str | None:
    """The attribute of ``model`` that the file key ``key`` names (alias or name)."""
    for name, f in type(model).model_fields.items():
        if key in (name, f.alias):
            return name
    return None


def get_value(scenario: BaseModel, path: str) -> Any:
    """The value at ``path`` of a validated scenario, defaults filled in.

    Keys are spelt as in a file (``parameters.lambda``); a value the file
    leaves out reads as its default.

    Raises:
        KeyError: the path names nothing in this scenario.
    """
    obj: Any = scenario
    for seg in split_path(path):
        if isinstance(obj, BaseModel) and (name := _field_name(obj, seg)):
            obj = getattr(obj, name)
        elif isinstance(obj, dict) and seg in obj:
            obj = obj[seg]
        elif isinstance(obj, list | tuple) and isinstance(seg, int) and seg < len(obj):
            obj = obj[seg]
        else:
            raise KeyError(f"no value at {path}")
    return obj


def set_value(scenario: BaseModel, path: str, value: Any) -> None:
    """Apply a ``set`` event's change, checked as if it stood in the file.

    Only ``parameters.<name>`` and ``actors.<id>.<name>`` can change during a
    run. The section (``parameters`` or one actor) is validated again with
    the new value, so cross-field checks and defaults for partly given maps
    apply just as they do when loading. The new section replaces the old
    one, which is never edited in place (the loader's checks try events on
    a shallow copy of the scenario).

    Raises:
        KeyError: not a settable path, or an unknown actor.
        pydantic.ValidationError: the value would make the section invalid.
    """
    parts = path.split(".")
    if parts[0] == "parameters" and len(parts) == 2:
        section = scenario.parameters
        data = section.model_dump(by_alias=True)
        name = _field_name(section, parts[1])
        field = type(section).model_fields[name] if name else None
        data[(field.alias or name) if field else parts[1]] = value
        scenario.parameters = type(section).model_validate(data)
    elif parts[0] == "actors" and len(parts) == 3 and parts[1] in scenario.actors:
        actor = scenario.actors[parts[1]]
        data = actor.model_dump(by_alias=True)
        data[parts[2]] = value
        scenario.actors[parts[1]] = type(actor).model_validate(data)
    else:
        raise KeyError(f"not a settable path: {path}")


def set_in(data: Any, segs: list, value: Any, origin: Origin, path: str) -> Any:
    """A copy of ``data`` with the value at ``segs`` replaced (``None`` removes it).

    The copy records ``origin`` for the changed key, so a later error about
    it names the override. Missing mappings on the way are created.

    Raises:
        ScenarioError: a list item that does not exist.
    """
    seg, rest = segs[0], segs[1:]
    out = tree.copy(data) if isinstance(data, dict | list) else [] if seg == 0 else {}
    if isinstance(out, list) != isinstance(seg, int) or (
        isinstance(out, list) and seg >= len(out)
    ):
        msg = f"there is no item {seg} in this list of {len(out)}"
        raise ScenarioError(msg, path=path, where=origin.where)
    if value is None and not rest and isinstance(out, dict):
        out.pop(seg, None)
        return out
    child = out[seg] if isinstance(out, list) else out.get(seg)
    out[seg] = set_in(child, rest, value, origin, path) if rest else value
    if hasattr(out, "lines"):
        out.lines[seg] = origin
    return out
