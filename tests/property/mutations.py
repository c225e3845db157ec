"""Turn valid scenarios into invalid ones, each with the error it must give.

A :class:`Case` is one invalid input (a file, its parent files, ``--set``
overrides) with the key path the loader must name (as
:func:`sim.scenario.paths.format_path` prints it: ``actors.russia.forces.Kunduz``,
``relations[0].pair``) and words the message must hold (``did you mean
'russia'?``). Cases are distinct by ``(kind, site)``: the mutation and where
it was applied.

- :func:`data_cases` mutates a scenario dict at every site the schema allows
  (wrong types, missing keys, out-of-range values, unknown keys and names,
  NaN and infinities, huge numbers, long strings, cross-field rules); the
  schema is read from :mod:`sim.scenario.schema`, so new keys are fuzzed too.
- :func:`text_cases` breaks a scenario file's text (YAML syntax, tabs,
  duplicate keys, tags, alias bombs, deep nesting, non-UTF-8 bytes, cuts).
- :func:`file_cases`, :func:`extends_cases` and :func:`override_cases` cover
  whole files, ``extends:`` and ``--set``.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import types
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal, NamedTuple, Union, get_args, get_origin

import annotated_types as at
import yaml
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from sim.scenario.loader import MOVE_WEIGHTS
from sim.scenario.schema import Actor, Parameters, Scenario
from sim.world.geography import ETHNIC_GROUPS, TERRAIN_CLASSES

MB = 1_000_000


@dataclass(frozen=True)
class Case:
    """One invalid input and what the error must say.

    Attributes:
        kind: the mutation, e.g. ``out_of_range_high``.
        site: where it was applied (a key path or a line), for deduplication.
        files: file name → bytes (or a maker of them); ``main`` is loaded.
        main: the file given to the loader.
        overrides: ``--set`` strings.
        path: the key path the error must name (None: no key path applies,
            e.g. a YAML syntax error; then ``line`` is checked).
        prefix: ``path`` need only start the error's path (deep nesting).
        expect: words the message must contain.
        line: the line the error must name, when known.
        blame: the file the error must name (default ``main``).
    """

    kind: str
    site: str
    files: dict[str, bytes | Callable[[], bytes]] = field(default_factory=dict)
    main: str = "scenario.yaml"
    overrides: tuple[str, ...] = ()
    path: str | None = None
    prefix: bool = False
    expect: tuple[str, ...] = ()
    line: int | None = None
    blame: str | None = None

    @property
    def key(self) -> tuple[str, str]:
        """What makes the case distinct: the mutation and its site."""
        return (self.kind, self.site)


def fmt(segs) -> str:
    """A key path as the loader prints it: ``relations[0].pair``."""
    text = "".join(f"[{s}]" if isinstance(s, int) else f".{s}" for s in segs)
    return text.removeprefix(".")


def dump(data: Any) -> bytes:
    """Scenario data as a YAML file."""
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml: 10x faster
    text = yaml.dump(
        data, Dumper=dumper, allow_unicode=True, sort_keys=False, width=1000
    )
    return text.encode()


def misspell(word: str) -> str:
    """A near miss of ``word`` that difflib matches to it: its last letter twice.

    A name ending in a digit (``P12``) gets an ``x`` instead, so that it does
    not become another name (``P122``) or as close to one as to ``word``.
    """
    return word + ("x" if word[-1:].isdigit() else word[-1:])


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


# --- data mutations ------------------------------------------------------------


def walk(node: Any, segs: tuple = ()) -> Iterator[tuple[tuple, Any]]:
    """Every (key path, value) below ``node``, parents before children."""
    items = node.items() if isinstance(node, dict) else enumerate(node)
    for k, v in items:
        yield (*segs, k), v
        if isinstance(v, dict | list):
            yield from walk(v, (*segs, k))


def get(data: Any, segs: tuple) -> Any:
    """The value at ``segs``."""
    for s in segs:
        data = data[s]
    return data


def with_value(
    data: dict, segs: tuple, value: Any, delete: bool = False
) -> Callable[[], dict]:
    """A maker of a copy of ``data`` with ``segs`` set to ``value`` (or deleted).

    Lazy, so that listing every mutation of a file costs no copies.
    """
    return lambda: _with_value(data, segs, value, delete)


def _with_value(data: dict, segs: tuple, value: Any, delete: bool = False) -> dict:
    if not segs:
        return _deepcopy(value)
    out = _deepcopy(data)
    parent = get(out, segs[:-1])
    if delete:
        del parent[segs[-1]]
    else:
        parent[segs[-1]] = value
    return out


def _deepcopy(x: Any) -> Any:
    if isinstance(x, dict):
        return {k: _deepcopy(v) for k, v in x.items()}
    return [_deepcopy(v) for v in x] if isinstance(x, list) else x


def rename_key(data: dict, segs: tuple, new: Any) -> Callable[[], dict]:
    """A maker of a copy of ``data`` with the key at ``segs`` renamed in place."""
    return lambda: _rename_key(data, segs, new)


def _rename_key(data: dict, segs: tuple, new: Any) -> dict:
    out = _deepcopy(data)
    parent = get(out, segs[:-1])
    items = [(new if k == segs[-1] else k, v) for k, v in parent.items()]
    parent.clear()
    parent.update(items)
    return out


@dataclass(frozen=True)
class Names:
    """The valid names of one scenario, for "did you mean" checks."""

    actors: tuple[str, ...]
    places: tuple[str, ...]
    provinces: tuple[str, ...]
    staging: tuple[str, ...]


#: dict fields whose keys are names: field → (noun in the message, valid names)
def _key_domains(n: Names) -> dict[str, tuple[str, tuple[str, ...]]]:
    return {
        "forces": ("province or region", n.places),
        "interests": ("province or region", n.places),
        "recruits": ("ethnic group", ETHNIC_GROUPS),
        "intent": ("actor", n.actors),
        "credit": ("actor", n.actors),
        "terrain": ("terrain class", TERRAIN_CLASSES),
        "move_weights": ("move weight", MOVE_WEIGHTS),
    }


class Mutation(NamedTuple):
    """One change to a valid scenario and the error it must give."""

    kind: str
    segs: tuple  # where the change is made
    make: Callable[[], dict]  # builds the changed scenario (lazily: no copies)
    path: str | None  # the key path the error must name
    expect: tuple[str, ...]  # words the message must hold
    prefix: bool = False  # ``path`` need only start the error's path


def _m(kind, segs, make, path, *expect, prefix=False) -> Mutation:
    return Mutation(kind, segs, make, path, expect, prefix)


def data_cases(
    data: dict, names: Names, tag: str = "", per_kind: int | None = None
) -> list[Case]:
    """Data mutations of ``data`` as cases (file ``scenario.yaml``).

    Args:
        data: a valid scenario dict.
        names: its valid names.
        tag: prefix for the site, so that cases from different bases differ.
        per_kind: at most this many sites per mutation (spread evenly over the
            file), and one for the slow 1 MB ones; None: all.
    """
    found = list(data_mutations(data, names))
    if per_kind is not None:
        by_kind: dict[str, list[Mutation]] = {}
        for m in found:
            by_kind.setdefault(m.kind, []).append(m)
        found = []
        for kind, group in by_kind.items():
            n = 1 if kind in ("long_text", "long_name") else per_kind
            found += group[:: max(1, len(group) // n)][:n]
    return [
        Case(
            m.kind,
            tag + fmt(m.segs),
            {"scenario.yaml": _dumper(m.make)},
            path=m.path,
            expect=m.expect,
            prefix=m.prefix,
        )
        for m in found
    ]


def _dumper(make: Callable[[], dict]) -> Callable[[], bytes]:
    return lambda: dump(make())


def data_mutations(data: dict, names: Names) -> Iterator[Mutation]:
    """Every mutation the schema allows at every key path of ``data``."""
    domains = _key_domains(names)
    for segs, value in walk(data):
        slot, p = slot_at(data, segs), fmt(segs)
        parent = segs[-2] if len(segs) > 1 else None
        if isinstance(parent, str) and parent in domains and segs[0] != "events":
            noun, valid = domains[parent]
            bad = misspell(segs[-1])
            if bad not in valid:
                yield _m(
                    f"unknown_name:{parent}",
                    segs,
                    rename_key(data, segs, bad),
                    fmt((*segs[:-1], bad)),
                    f"unknown {noun} '{bad}'",
                    f"did you mean '{segs[-1]}'?",
                )
        if not slot.kinds:
            continue
        yield from _scalar_mutations(data, segs, value, slot, p)
        if isinstance(value, dict):
            yield from _mapping_mutations(data, segs, value, slot, p)
        if isinstance(value, list) and "list" in slot.kinds:
            yield from _list_mutations(data, segs, value, slot, p)
        if isinstance(value, str):
            yield from _name_mutations(data, segs, value, slot, names)
    yield from _mapping_mutations(data, (), data, slot_at(data, ()), "")
    yield from _cross_mutations(data)


def _is_number(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


def _number_mutations(data, segs, slot: Slot, p: str) -> Iterator[Mutation]:
    """Wrong types, NaN and infinities, huge numbers, values out of range."""
    whole = "int" in slot.kinds and "number" not in slot.kinds
    word = "a whole number" if whole else "a number"

    def put(x):
        return with_value(data, segs, x)

    yield _m("text_for_number", segs, put("many"), p, f"expected {word}, got 'many'")
    yield _m("bool_for_number", segs, put(True), p, f"expected {word}, got true")
    for kind, x in (("nan", math.nan), ("inf", math.inf), ("neg_inf", -math.inf)):
        yield _m(kind, segs, put(x), p, "finite")
    if slot.hi is not None or not whole:  # an unbounded int may be huge
        yield _m("giant_int", segs, put(10**400), p)
    if slot.hi is not None:
        yield _m("huge_int", segs, put(10**30), p)
    narrow = slot.lo is not None and slot.hi is not None and slot.hi - slot.lo <= 2
    step = 0.5 if narrow and not whole else 1
    if slot.lo is not None:
        low = slot.lo if slot.lo_open else slot.lo - step
        yield _m(
            "below_range",
            segs,
            put(low),
            p,
            "must be >" if slot.lo_open else "must be ≥",
        )
    if slot.hi is not None:
        high = slot.hi if slot.hi_open else slot.hi + step
        yield _m(
            "above_range",
            segs,
            put(high),
            p,
            "must be <" if slot.hi_open else "must be ≤",
        )
    if whole:
        yield _m("fraction_for_int", segs, put(2.5), p, "whole number")


def _scalar_mutations(data, segs, value, slot: Slot, p: str) -> Iterator[Mutation]:
    """Numbers, text, bools and dates replaced by something else."""

    def put(x):
        return with_value(data, segs, x)

    numeric = slot.kinds & {"number", "int"}
    if _is_number(value) and numeric:
        yield from _number_mutations(data, segs, slot, p)
    if isinstance(value, str | bool) or _is_number(value):
        if not slot.kinds & {"list", "any"}:
            # an event's kind (do:) picks the event's schema: pydantic shows the tag
            said = "unknown event kind" if segs[-1] == "do" else "got a list"
            yield _m("list_for_scalar", segs, put(["x", "y"]), p, said)
        if not slot.kinds & {"map", "any"}:
            said = "unknown event kind" if segs[-1] == "do" else "got a mapping"
            yield _m("mapping_for_scalar", segs, put({"x": 1}), p, said)
    if isinstance(value, str) and "text" in slot.kinds and not numeric:
        yield _m("number_for_text", segs, put(12345), p, "expected text, got 12345")
        if slot.max_len:
            yield _m("long_text", segs, put("x" * MB), p, f"at most {slot.max_len}")
        if slot.min_len:
            yield _m("empty_text", segs, put(""), p, "must not be empty")
        if slot.pattern:
            yield _m("pattern_text", segs, put("red"), p, "expected a colour")
    if isinstance(value, bool) and "bool" in slot.kinds:
        yield _m("text_for_bool", segs, put("maybe"), p, "expected true or false")
        yield _m("number_for_bool", segs, put(7), p, "expected true or false")
    if isinstance(value, dt.date) and "date" in slot.kinds:
        yield _m("text_for_date", segs, put("next spring"), p, "expected a date")
        yield _m("impossible_date", segs, put("2016-02-30"), p, "expected a date")


def _mapping_mutations(
    data, segs, value: dict, slot: Slot, p: str
) -> Iterator[Mutation]:
    """A mapping replaced, nested too deep, given a bad key, or missing one."""

    def put(x):
        return with_value(data, segs, x)

    if segs and "map" in slot.kinds and not slot.kinds & {"list", "any"}:
        yield _m("list_for_mapping", segs, put(["x"]), p, "expected")
        if not slot.kinds & {"number", "int"}:
            yield _m("text_for_mapping", segs, put("x"), p, "expected")
    yield _m(
        "non_text_key",
        segs,
        put({**value, 7: 1}),
        fmt((*segs, "7")),
        "the key 7 must be text",
    )
    if segs:
        deep: Any = 1
        for _ in range(200):  # deeper than the loader takes; safe_dump recurses too
            deep = [deep]
        yield _m("deep_nesting", segs, put(deep), p, "nested more than", prefix=True)
    for model in slot.models:
        fields = {f.alias or n: f for n, f in model.model_fields.items()}
        present = [k for k in value if k in fields]
        key = present[0] if present else next(iter(fields))
        if (bad := misspell(key)) not in fields:
            yield _m(
                "unknown_key",
                segs,
                with_value(data, (*segs, bad), 1),
                fmt((*segs, bad)),
                f"unknown key '{bad}'",
                f"did you mean '{key}'?",
            )
        for k in present:
            drop = with_value(data, (*segs, k), None, delete=True)
            if k == "do":
                yield _m(
                    "missing_key:do", segs, drop, fmt((*segs, k)), "missing key 'do'"
                )
            elif k in ("at", "step"):
                yield _m(f"missing_key:{k}", segs, drop, p, "give exactly one of 'at'")
                other = ("step", 3) if k == "at" else ("at", dt.date(2016, 6, 1))
                yield _m(
                    "both_times",
                    segs,
                    with_value(data, (*segs, other[0]), other[1]),
                    p,
                    "give exactly one of 'at'",
                )
            elif fields[k].is_required():
                yield _m(
                    f"missing_key:{k}",
                    segs,
                    drop,
                    fmt((*segs, k)),
                    f"missing required key '{k}'",
                )


def _list_mutations(data, segs, value: list, slot: Slot, p: str) -> Iterator[Mutation]:
    """A list replaced, or a fixed-length one (a pair, the bands) resized."""
    if "map" not in slot.kinds:
        yield _m(
            "mapping_for_list",
            segs,
            with_value(data, segs, {"x": 1}),
            p,
            "got a mapping",
        )
    if not slot.kinds & {"number", "int", "text"}:
        yield _m(
            "text_for_list", segs, with_value(data, segs, "x"), p, "expected a list"
        )
    if slot.fixed_len and value:
        n = slot.fixed_len
        yield _m(
            "too_long",
            segs,
            with_value(data, segs, [*value, value[-1]]),
            p,
            f"expected at most {n} item",
        )
        yield _m(
            "too_short",
            segs,
            with_value(data, segs, value[:-1]),
            p,
            f"too few items: item [{n - 1}] is missing",
        )


def _reference(segs: tuple, value: str, names: Names) -> tuple | None:
    """(noun, valid names, error path) if the text at ``segs`` names something."""
    n, p = len(segs), fmt(segs)
    if n == 4 and segs[0] == "actors" and segs[2] == "staging":
        return "staging node", names.staging, p
    if n == 4 and segs[0] == "relations" and segs[2] == "pair":
        return "actor", names.actors, fmt(segs[:3])
    if n == 3 and segs[0] == "events" and segs[2] in ("actor", "into", "toward", "to"):
        return "actor", names.actors, p
    if n == 4 and segs[0] == "events" and segs[2] == "provinces":
        return "province", names.provinces, p
    return None


def _name_mutations(
    data, segs, value: str, slot: Slot, names: Names
) -> Iterator[Mutation]:
    """Misspelt references: actors, provinces, staging nodes, literals, set paths."""

    def put(x):
        return with_value(data, segs, x)

    bad, p = misspell(value), fmt(segs)
    if slot.literals and bad not in slot.literals:
        yield _m("unknown_literal", segs, put(bad), p, f"did you mean '{value}'?")
    if (ref := _reference(segs, value, names)) is not None:
        noun, valid, at_ = ref
        if bad not in valid:
            yield _m(
                f"unknown_name:{noun.replace(' ', '_')}",
                segs,
                put(bad),
                at_,
                f"unknown {noun} '{bad}'",
                f"did you mean '{value}'?",
            )
        yield _m("long_name", segs, put("q" * MB), at_, "(1,000,000 characters)")
    if len(segs) == 3 and segs[0] == "events" and segs[2] == "path":
        parts = value.split(".")
        if len(parts) == 3 and misspell(parts[1]) not in names.actors:
            new = ".".join([parts[0], misspell(parts[1]), parts[2]])
            yield _m(
                "unknown_name:set_path_actor",
                segs,
                put(new),
                p,
                f"unknown actor '{misspell(parts[1])}'",
                f"did you mean '{parts[1]}'?",
            )
        new = ".".join([*parts[:-1], misspell(parts[-1])])
        yield _m(
            "unknown_name:set_path_key",
            segs,
            put(new),
            p,
            f"did you mean '{parts[-1]}'?",
        )
        yield _m("unsettable_path", segs, put("steps"), p, "'parameters.<name>' or")


def _cross_mutations(data: dict) -> Iterator[Mutation]:
    """Rules across keys: pairs, governments, ids, bands, thresholds, dates."""
    rels = data.get("relations") or []
    if rels:
        twin = {**rels[0], "pair": list(reversed(rels[0]["pair"]))}
        yield _m(
            "duplicate_relation",
            ("relations",),
            with_value(data, ("relations",), [*rels, twin]),
            fmt(("relations", len(rels), "pair")),
            "a second relation",
        )
        a = rels[0]["pair"][0]
        yield _m(
            "self_relation",
            ("relations", 0),
            with_value(data, ("relations", 0, "pair"), [a, a]),
            "relations[0]",
            "two different actors",
        )
    ids = list(data["actors"])
    govs = [a for a in ids if data["actors"][a].get("kind") == "government"]
    others = [a for a in ids if a not in govs]
    pair = (govs[:1] or others[:1]) + others[-1:]
    if len(set(pair)) == 2:  # make both governments: the later one is at fault
        later = max(pair, key=ids.index)

        def make() -> dict:
            first = _with_value(data, ("actors", pair[0], "kind"), "government")
            return _with_value(first, ("actors", pair[1], "kind"), "government")

        yield _m(
            "second_government",
            ("actors", later, "kind"),
            make,
            fmt(("actors", later, "kind")),
            "more than one actor of kind 'government'",
        )
    first = ids[0]
    for kind, key in (
        ("line_break_in_key", "reso\nurces"),
        ("tab_in_key", "reso\turces"),
    ):
        at_ = ("actors", first, key)
        yield _m(kind, at_, with_value(data, at_, 1), fmt(at_), "unknown key")
    for bad in (first.upper(), "1" + first, first + "-x"):
        yield _m(
            f"bad_actor_id:{bad[:1]}",
            ("actors", first),
            rename_key(data, ("actors", first), bad),
            fmt(("actors", bad)),
            f"actor id '{bad}'",
        )
    yield _m(
        "empty_actors",
        ("actors",),
        with_value(data, ("actors",), {}),
        "actors",
        "at least 1 item",
    )
    params = data.get("parameters") or {}
    bands = params.get("sigar_bands") or [0.2, 0.4, 0.6, 0.8]
    if sorted(bands) != sorted(bands, reverse=True):
        new = {**params, "sigar_bands": sorted(bands, reverse=True)}
        yield _m(
            "unsorted_bands",
            ("parameters", "sigar_bands"),
            with_value(data, ("parameters",), new),
            "parameters.sigar_bands",
            "must increase",
        )
    crossed = {**params, "ally_threshold": -0.5, "enemy_threshold": 0.5}
    yield _m(
        "crossed_thresholds",
        ("parameters", "enemy_threshold"),
        with_value(data, ("parameters",), crossed),
        "parameters",
        "enemy_threshold must be below ally_threshold",
    )
    for i, ev in enumerate(data.get("events") or []):
        if "at" in ev:
            day_before = data["start"] - dt.timedelta(days=1)
            yield _m(
                "before_start",
                ("events", i, "at"),
                with_value(data, ("events", i, "at"), day_before),
                fmt(("events", i, "at")),
                "is before the start",
            )
        if ev.get("do") == "shock" and "affinity" in ev:
            yield _m(
                "shock_without_toward",
                ("events", i),
                with_value(data, ("events", i, "toward"), None, delete=True),
                fmt(("events", i)),
                "needs 'toward'",
            )
    yield _m(
        "too_late",
        ("start",),
        with_value(data, ("start",), dt.date(9999, 12, 1)),
        "steps",
        "after the year 9999",
    )


# --- text mutations -------------------------------------------------------------


def key_lines(text: str) -> dict[str, tuple[int, int, int]]:
    """Key path → (line, start column of the value, end column) of scalar values."""
    out: dict[str, tuple[int, int, int]] = {}

    def visit(node, segs):
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                if (
                    isinstance(v, yaml.ScalarNode)
                    and v.start_mark.line == v.end_mark.line
                ):
                    out[fmt((*segs, k.value))] = (
                        v.start_mark.line,
                        v.start_mark.column,
                        v.end_mark.column,
                    )
                visit(v, (*segs, k.value))
        elif isinstance(node, yaml.SequenceNode):
            for i, v in enumerate(node.value):
                visit(v, (*segs, i))

    visit(yaml.compose(text, Loader=yaml.SafeLoader), ())
    return out


def _replace_value(text: str, where: tuple[int, int, int], new: str) -> str:
    lines = text.split("\n")
    line, c0, c1 = where
    lines[line] = lines[line][:c0] + new + lines[line][c1:]
    return "\n".join(lines)


def _billion_laughs() -> str:
    levels = ['&l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    levels += [f"&l{i} [" + ", ".join([f"*l{i - 1}"] * 9) + "]" for i in range(1, 10)]
    return "[" + ", ".join(levels) + "]"


def text_cases(text: str, sites: list[str], tag: str = "") -> Iterator[Case]:
    """Break the file's text at the scalar values of ``sites`` (key paths)."""
    lines_of = key_lines(text)
    for site in sites:
        if site not in lines_of:
            continue
        where = lines_of[site]
        line = where[0] + 1
        name = tag + site

        def case(
            kind,
            new_text,
            path=None,
            expect=(),
            prefix=False,
            at_line=line,
            raw=None,
            name=name,
        ):
            body = raw if raw is not None else new_text.encode("utf-8")
            return Case(
                kind,
                name,
                {"scenario.yaml": body},
                path=path,
                expect=expect,
                prefix=prefix,
                line=at_line,
            )

        yield case(
            "python_tag",
            _replace_value(text, where, '!!python/object/apply:os.system ["true"]'),
            site,
            ("is not allowed",),
        )
        yield case(
            "unknown_tag",
            _replace_value(text, where, "!fancy 5"),
            site,
            ("'!fancy' is not allowed",),
        )
        yield case(
            "undefined_alias",
            _replace_value(text, where, "*nowhere"),
            None,
            ("undefined alias",),
        )
        yield case(
            "alias_bomb",
            _replace_value(text, where, _billion_laughs()),
            site,
            ("expands to more than",),
            prefix=True,
        )
        yield case(
            "deep_flow",
            _replace_value(text, where, "[" * 5000 + "]" * 5000),
            site,
            ("nested more than",),
            prefix=True,
        )
        row = text.split("\n")[where[0]]
        block = "{" not in row[: where[1]] and "[" not in row[: where[1]]
        if block:
            yield case(
                "stray_colon",
                _replace_value(text, where, "a: b"),
                None,
                ("YAML syntax error",),
            )
        yield case(
            "unclosed_bracket",
            _replace_value(text, where, "[a, b"),
            None,
            ("YAML syntax error",),
            at_line=None,
        )
        yield case(
            "unclosed_quote",
            _replace_value(text, where, '"abc'),
            None,
            ("YAML syntax error",),
            at_line=None,
        )
        raw_lines = text.split("\n")
        row = raw_lines[where[0]]
        indent = len(row) - len(row.lstrip(" "))
        if indent:
            tabbed = [
                *raw_lines[: where[0]],
                "\t" + row.lstrip(" "),
                *raw_lines[where[0] + 1 :],
            ]
            yield case("tab_indent", "\n".join(tabbed), None, ("'\\t'",))
        dup = [*raw_lines[: where[0] + 1], row, *raw_lines[where[0] + 1 :]]
        if ":" in row and not row.lstrip().startswith("-") and "{" not in row:
            yield case(
                "duplicate_key",
                "\n".join(dup),
                site,
                ("duplicate key",),
                at_line=line + 1,
            )
        latin = _replace_value(text, where, '"Ürümqi"')
        yield case(
            "latin1_bytes",
            "",
            None,
            ("not UTF-8",),
            raw=latin.encode("utf-8").replace(
                "Ürümqi".encode(), "Ürümqi".encode("latin-1")
            ),
        )
        yield case(
            "nul_byte",
            _replace_value(text, where, '"a\x00b"'),
            None,
            ("not plain text",),
        )
        nested = "{a: " * 500 + "1" + "}" * 500
        yield case(
            "deep_flow_mapping",
            _replace_value(text, where, nested),
            site,
            ("nested more than",),
            prefix=True,
        )
        if re.fullmatch(r"-?\d+(\.\d*)?", row[where[1] : where[2]]):  # a number
            yield case(
                "huge_float_text",
                _replace_value(text, where, "1.0e+400"),
                site,
                ("finite",),
            )
            yield case("exponent_text", _replace_value(text, where, "1e400"), site)
        if indent >= 4 and block and row.lstrip(" ")[:1] not in "-{[":
            dedented = [*raw_lines[: where[0]], row[1:], *raw_lines[where[0] + 1 :]]
            yield case(
                "bad_indent",
                "\n".join(dedented),
                None,
                ("YAML syntax error",),
                at_line=None,
            )


def cut_cases(text: str, every: int, tag: str = "") -> Iterator[Case]:
    """The file cut off in the middle of a line, every ``every`` lines."""
    lines = text.split("\n")
    for n in range(every, len(lines), every):
        while ":" not in lines[n] and n + 1 < len(lines):
            n += 1
        row = lines[n]
        indent = len(row) - len(row.lstrip(" -"))
        head = (
            "\n".join(lines[:n])
            + "\n"
            + row[: indent + max(1, (row.index(":") - indent) // 2)]
        )
        yield Case("truncated", f"{tag}line {n + 1}", {"scenario.yaml": head.encode()})


# --- whole files, extends, overrides -------------------------------------------------


def file_cases(valid: bytes) -> Iterator[Case]:
    """Files that are not a scenario at all, and encodings that are not UTF-8."""
    for kind, body, expect in [
        ("empty_file", b"", "empty"),
        ("blank_file", b"   \n\n  \n", "empty"),
        ("comment_only", b"# nothing here\n", "empty"),
        ("document_marker_only", b"---\n", "top level must be a mapping"),
        ("null_document", b"null\n", "top level must be a mapping"),
        ("list_document", b"- name: a\n- name: b\n", "top level must be a mapping"),
        ("empty_list_document", b"[]\n", "top level must be a mapping"),
        ("scalar_document", b"42\n", "top level must be a mapping"),
        ("text_document", b"'just text'\n", "top level must be a mapping"),
        ("empty_mapping", b"{}\n", "missing required key"),
        ("two_documents", valid + b"\n---\nname: x\n", "another document"),
        ("utf16_file", valid.decode().encode("utf-16"), "not UTF-8"),
        ("utf32_file", valid.decode().encode("utf-32"), "not UTF-8"),
        (
            "latin1_file",
            valid.decode().replace("name:", "näme:", 1).encode("latin-1", "replace"),
            "not UTF-8",
        ),
        ("binary_junk", bytes(range(256)) * 4, "UTF-8"),
        ("control_chars", b"name: a\x07b\nsteps: 1\n", "not plain text"),
        ("complex_key", b"? [a, b]\n: 1\n", "a key must be a plain name"),
        ("self_alias", b"name: &a [*a]\n", "alias refers to itself"),
        ("yaml_directive", b"%YAML 2.0\n---\nname: x\n", "YAML syntax error"),
        ("python_tag_top", b"!!python/object/apply:os.system [ls]\n", "is not allowed"),
        ("merge_non_mapping", b"a: &a [1]\nb:\n  <<: *a\n", "YAML syntax error"),
    ]:
        yield Case(kind, "file", {"scenario.yaml": body}, expect=(expect,))


def extends_cases(valid: bytes) -> Iterator[Case]:
    """``extends:`` to nothing, to itself, in a cycle, to junk, to a bad parent."""

    def child(ref: str) -> bytes:
        return f"extends: {ref}\nname: child\n".encode()

    yield Case(
        "extends_missing",
        "extends",
        {"scenario.yaml": child("nowhere.yaml")},
        path="extends",
        expect=("does not exist",),
        line=1,
    )
    yield Case(
        "extends_self",
        "extends",
        {"scenario.yaml": child("scenario.yaml")},
        path="extends",
        expect=("extends cycle",),
        line=1,
    )
    yield Case(
        "extends_cycle_2",
        "extends",
        {"scenario.yaml": child("b.yaml"), "b.yaml": child("scenario.yaml")},
        path="extends",
        expect=("extends cycle",),
        blame="b.yaml",
    )
    yield Case(
        "extends_cycle_3",
        "extends",
        {
            "scenario.yaml": child("b.yaml"),
            "b.yaml": child("c.yaml"),
            "c.yaml": child("b.yaml"),
        },
        path="extends",
        expect=("extends cycle",),
        blame="c.yaml",
    )
    yield Case(
        "extends_directory",
        "extends",
        {"scenario.yaml": child(".")},
        expect=("is a directory",),
        blame=".",
    )
    yield Case(
        "extends_subdir",
        "extends",
        {"scenario.yaml": child("sub"), "sub/x.yaml": b""},
        expect=("is a directory",),
        blame="sub",
    )
    for kind, ref, expect in [
        ("extends_number", "5", "expected the path"),
        ("extends_list", "[a.yaml]", "expected the path"),
        ("extends_empty", "''", "expected the path"),
        ("extends_mapping", "{a: 1}", "expected the path"),
    ]:
        yield Case(
            kind,
            "extends",
            {"scenario.yaml": child(ref)},
            path="extends",
            expect=(expect,),
            line=1,
        )
    chain = {f"f{i}.yaml": child(f"f{i + 1}.yaml") for i in range(150)}
    yield Case(
        "extends_long_chain",
        "extends",
        {**chain, "scenario.yaml": child("f0.yaml"), "f150.yaml": valid},
        path="extends",
        expect=("more than 100 files extend",),
        blame="f99.yaml",
    )
    bad_parent = valid.replace(b"\nsteps: ", b"\nsteps: -", 1)
    yield Case(
        "extends_bad_parent",
        "parent.steps",
        {"scenario.yaml": child("parent.yaml"), "parent.yaml": bad_parent},
        path="steps",
        expect=("must be ≥ 1",),
        blame="parent.yaml",
    )
    yield Case(
        "extends_junk_parent",
        "parent",
        {"scenario.yaml": child("parent.yaml"), "parent.yaml": b"\xff\xfe junk"},
        expect=("not UTF-8",),
        blame="parent.yaml",
    )
    yield Case(
        "extends_child_error",
        "child.actors",
        {
            "scenario.yaml": child("parent.yaml") + b"actors: {nobody: {name: X}}\n",
            "parent.yaml": valid,
        },
        path="actors.nobody.kind",
        expect=("missing required key 'kind'",),
    )


def override_cases(
    valid: bytes, number_paths: list[str], actor: str, place: str
) -> Iterator[Case]:
    """``--set`` overrides: bad paths at every level, bad values, bad syntax."""
    files = {"scenario.yaml": valid}

    def case(kind, site, sets, path, *expect):
        return Case(kind, site, files, overrides=tuple(sets), path=path, expect=expect)

    for p in number_paths:
        yield case("set_text_for_number", p, [f"{p}=many"], p, "got 'many'")
        yield case("set_nan", p, [f"{p}=.nan"], p, "finite")
        parts = p.split(".")
        bad = ".".join([*parts[:-1], misspell(parts[-1])])
        if parts[-1] != actor:
            yield case(
                "set_misspelt_key", p, [f"{bad}=1"], bad, f"did you mean '{parts[-1]}'?"
            )
    yield case(
        "set_unknown_actor",
        "actors",
        [f"actors.{misspell(actor)}.resources=1"],
        f"actors.{misspell(actor)}",
        f"did you mean '{actor}'?",
    )
    yield case(
        "set_unknown_place",
        "forces",
        [f"actors.{actor}.forces.{misspell(place)}=1"],
        f"actors.{actor}.forces.{misspell(place)}",
        f"did you mean '{place}'?",
    )
    yield case(
        "set_misspelt_section",
        "parameters",
        ["paramters.eta=1"],
        "paramters",
        "did you mean 'parameters'?",
    )
    yield case("set_out_of_range", "steps", ["steps=0"], "steps", "must be ≥ 1")
    yield case("set_huge", "steps", [f"steps={10**400}"], "steps", "401 digits")
    yield case(
        "set_bool_for_number",
        "parameters.eta",
        ["parameters.eta=true"],
        "parameters.eta",
        "got true",
    )
    yield case(
        "set_index_out_of_range",
        "relations",
        ["relations[999].affinity=0.1"],
        "relations[999].affinity",
        "no item 999",
    )
    yield case(
        "set_list_without_index",
        "relations",
        ["relations.affinity=0.1"],
        "relations.affinity",
        "is a list",
    )
    yield case("set_into_scalar", "steps", ["steps.x=1"], "steps.x", "single value")
    yield case(
        "set_deep",
        "description",
        ["description=" + "[" * 3000 + "]" * 3000],
        "description",
        "nested more than",
    )
    yield case(
        "set_bomb",
        "description",
        ["description=" + _billion_laughs()],
        "description",
        "expands to more than",
    )
    yield case(
        "set_python_tag",
        "name",
        ["name=!!python/object/apply:os.system [ls]"],
        "name",
        "is not allowed",
    )
    yield case(
        "set_duplicate_key",
        "parameters",
        ["parameters={eta: 1, eta: 2}"],
        "parameters",
        "duplicate key",
    )
    for kind, text, expect in [
        ("set_no_equals", "steps", "PATH=VALUE"),
        ("set_bad_yaml", "name=[a", "as YAML"),
        ("set_bad_yaml_flow", "name={a: ", "as YAML"),
        ("set_empty_path", "=1", "dotted key path"),
        ("set_double_dot", "actors..x=1", "dotted key path"),
        ("set_bad_index", "relations[x].affinity=1", "dotted key path"),
    ]:
        yield Case(kind, text, files, overrides=(text,), expect=(expect,))


def limit_per_kind(cases: list[Case], n: int) -> list[Case]:
    """At most ``n`` cases of each kind, spread evenly over the sites."""
    by_kind: dict[str, list[Case]] = {}
    for c in cases:
        by_kind.setdefault(c.kind, []).append(c)
    out = []
    for group in by_kind.values():
        step = max(1, len(group) // n)
        out += group[::step][:n]
    return out
