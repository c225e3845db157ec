"""What the schema allows at each key path of a scenario: the slot a mutation breaks."""

from __future__ import annotations

import datetime as dt
import types
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal, Union, get_args, get_origin

import annotated_types as at
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from sim.scenario.schema import Actor, Parameters, Scenario

# --- the schema at a key path --------------------------------------------------


@dataclass
class Slot:
    """What the schema accepts at one key path."""

    kinds: set[str] = field(
        default_factory=set
    )  # number int text bool date map list any
    models: list[type[BaseModel]] = field(default_factory=list)
    lo: float | None = None
    lo_open: bool = False
    hi: float | None = None
    hi_open: bool = False
    min_len: int | None = None
    max_len: int | None = None
    pattern: bool = False
    literals: tuple[str, ...] = ()
    dict_value: Any = None  # annotation of a dict's values
    fixed_len: int | None = None  # a tuple's length


def _members(tp: Any, meta: tuple = ()) -> list[tuple[Any, tuple]]:
    origin = get_origin(tp)
    if origin is Annotated:
        base, *extra = get_args(tp)
        return _members(base, (*meta, *extra))
    if origin in (Union, types.UnionType):
        return [
            m for a in get_args(tp) if a is not type(None) for m in _members(a, meta)
        ]
    return [(tp, meta)]


def _field_type(f: FieldInfo) -> Any:
    return Annotated[f.annotation, *f.metadata] if f.metadata else f.annotation


def _model_field(model: type[BaseModel], key: Any) -> FieldInfo | None:
    return next((f for n, f in model.model_fields.items() if key in (n, f.alias)), None)


def _descend(members: list, seg: Any, node: Any) -> list:
    out = []
    for tp, _ in members:
        origin, args = get_origin(tp), get_args(tp)
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            do = node.get("do") if isinstance(node, dict) else None
            literal = (
                get_args(tp.model_fields["do"].annotation)
                if "do" in tp.model_fields
                else ()
            )
            if do is not None and literal and do not in literal:
                continue  # another kind of event
            if (f := _model_field(tp, seg)) is not None:
                out += _members(_field_type(f))
        elif origin is dict:
            out += _members(args[1])
        elif origin is list:
            out += _members(args[0])
        elif origin is tuple and isinstance(seg, int):
            out += _members(args[0] if args[1:] == (...,) else args[seg])
    return out


def slot_at(data: dict, segs: tuple) -> Slot:
    """The schema's rules for the value at ``segs`` in ``data``.

    A ``set`` event's ``value`` gets the rules of the key its ``path`` names.
    """
    members, node = [(Scenario, ())], data
    for seg in segs:
        if seg == "value" and isinstance(node, dict) and node.get("do") == "set":
            members = _set_target(str(node.get("path", "")))
        else:
            members = _descend(members, seg, node)
        node = node[seg] if isinstance(node, dict | list) else None
    return _slot(members)


def _set_target(path: str) -> list:
    parts = path.split(".")
    model = Actor if parts[0] == "actors" else Parameters
    f = _model_field(model, parts[-1])
    return _members(_field_type(f)) if f else [(Any, ())]


def _slot(members: list) -> Slot:
    s = Slot()
    for tp, meta in members:
        origin = get_origin(tp)
        if tp is bool:
            s.kinds.add("bool")
        elif tp is int:
            s.kinds.add("int")
        elif tp is float:
            s.kinds.add("number")
        elif tp is str:
            s.kinds.add("text")
        elif tp is dt.date:
            s.kinds.add("date")
        elif tp is Any:
            s.kinds.add("any")
        elif origin is Literal:
            s.kinds.add("literal")
            s.literals += get_args(tp)
        elif isinstance(tp, type) and issubclass(tp, BaseModel):
            s.kinds.add("map")
            s.models.append(tp)
        elif origin is dict:
            s.kinds.add("map")
            s.dict_value = get_args(tp)[1]
        elif origin in (list, tuple):
            s.kinds.add("list")
            if origin is tuple and get_args(tp)[1:] != (...,):
                s.fixed_len = len(get_args(tp))
        for m in meta:
            for c in m.metadata if isinstance(m, FieldInfo) else [m]:
                if isinstance(c, at.Ge):
                    s.lo, s.lo_open = c.ge, False
                elif isinstance(c, at.Gt):
                    s.lo, s.lo_open = c.gt, True
                elif isinstance(c, at.Le):
                    s.hi, s.hi_open = c.le, False
                elif isinstance(c, at.Lt):
                    s.hi, s.hi_open = c.lt, True
                elif isinstance(c, at.MinLen):
                    s.min_len = c.min_length
                elif isinstance(c, at.MaxLen):
                    s.max_len = c.max_length
            if isinstance(m, FieldInfo) and any(
                type(c).__name__ == "_PydanticGeneralMetadata"
                and getattr(c, "pattern", None)
                for c in m.metadata
            ):
                s.pattern = True
    return s
