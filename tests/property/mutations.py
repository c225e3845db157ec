"""Turn valid scenarios into invalid ones, each with the error it must give.

A :class:`Case` is one invalid input (a file, its parent files, ``--set``
overrides) with the key path the loader must name (as ``_fmt`` in
:mod:`sim.scenario` prints it: ``actors.russia.forces.Kunduz``,
``relations[0].pair``) and words the message must hold (``did you mean
'russia'?``). Cases are distinct by ``(kind, site)``: the mutation and where
it was applied.

- :func:`data_cases` mutates a scenario dict at every site the schema allows
  (wrong types, missing keys, out-of-range values, unknown keys and names,
  NaN and infinities, huge numbers, long strings, cross-field rules); the
  schema is read from :mod:`sim.schema`, so new keys are fuzzed too.
- :func:`text_cases` breaks a scenario file's text (YAML syntax, tabs,
  duplicate keys, tags, alias bombs, deep nesting, non-UTF-8 bytes, cuts).
- :func:`file_cases`, :func:`extends_cases` and :func:`override_cases` cover
  whole files, ``extends:`` and ``--set``.
"""

from __future__ import annotations

import datetime as dt
import math
import types
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal, Union, get_args, get_origin

import annotated_types as at
import yaml
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from sim.geography import ETHNIC_GROUPS, TERRAIN_CLASSES
from sim.scenario import MOVE_WEIGHTS
from sim.schema import Actor, Parameters, Scenario

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


Mutation = tuple[str, tuple, dict, str | None, tuple[str, ...], bool]


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
        by_kind: dict[str, list] = {}
        for m in found:
            by_kind.setdefault(m[0], []).append(m)
        found = []
        for kind, group in by_kind.items():
            n = 1 if kind in ("long_text", "long_name") else per_kind
            found += group[:: max(1, len(group) // n)][:n]
    return [
        Case(
            kind,
            tag + fmt(segs),
            {"scenario.yaml": _dumper(new)},
            path=path,
            expect=expect,
            prefix=prefix,
        )
        for kind, segs, new, path, expect, prefix in found
    ]


def _dumper(make: Callable[[], dict]) -> Callable[[], bytes]:
    return lambda: dump(make())


def data_mutations(data: dict, names: Names) -> Iterator[Mutation]:
    """(kind, segs, mutated data, expected path, expected words, prefix?)."""
    domains = _key_domains(names)
    for segs, value in walk(data):
        slot = slot_at(data, segs)
        p = fmt(segs)
        parent_key = segs[-2] if len(segs) > 1 else None
        if (
            isinstance(parent_key, str)
            and parent_key in domains
            and segs[:1] != ("events",)
        ):
            noun, valid = domains[parent_key]
            bad = misspell(segs[-1])
            if bad not in valid:
                yield (
                    "unknown_name:" + parent_key,
                    segs,
                    rename_key(data, segs, bad),
                    fmt((*segs[:-1], bad)),
                    (f"unknown {noun} '{bad}'", f"did you mean '{segs[-1]}'?"),
                    False,
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
    yield from _cross_mutations(data, names)


def _is_number(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


def _scalar_mutations(data, segs, value, slot: Slot, p: str) -> Iterator[Mutation]:
    numeric = slot.kinds & {"number", "int"}
    takes_list = "list" in slot.kinds or "any" in slot.kinds
    takes_map = "map" in slot.kinds or "any" in slot.kinds
    if _is_number(value) and numeric:
        whole = "int" in slot.kinds and "number" not in slot.kinds
        word = "a whole number" if whole else "a number"
        yield (
            "text_for_number",
            segs,
            with_value(data, segs, "many"),
            p,
            (f"expected {word}, got 'many'",),
            False,
        )
        yield (
            "bool_for_number",
            segs,
            with_value(data, segs, True),
            p,
            (f"expected {word}, got true",),
            False,
        )
        for kind, x in (("nan", math.nan), ("inf", math.inf), ("neg_inf", -math.inf)):
            yield kind, segs, with_value(data, segs, x), p, ("finite",), False
        if slot.hi is not None or "number" in slot.kinds:
            yield "giant_int", segs, with_value(data, segs, 10**400), p, (), False
        if slot.hi is not None:
            yield "huge_int", segs, with_value(data, segs, 10**30), p, (), False
        step = (
            1
            if whole or slot.lo is None or slot.hi is None or slot.hi - slot.lo > 2
            else 0.5
        )
        if slot.lo is not None:
            low = slot.lo if slot.lo_open else slot.lo - step
            sign = ">" if slot.lo_open else "≥"
            yield (
                "below_range",
                segs,
                with_value(data, segs, low),
                p,
                (f"must be {sign}",),
                False,
            )
        if slot.hi is not None:
            high = slot.hi if slot.hi_open else slot.hi + step
            sign = "<" if slot.hi_open else "≤"
            yield (
                "above_range",
                segs,
                with_value(data, segs, high),
                p,
                (f"must be {sign}",),
                False,
            )
        if "int" in slot.kinds and "number" not in slot.kinds:
            yield (
                "fraction_for_int",
                segs,
                with_value(data, segs, 2.5),
                p,
                ("whole number",),
                False,
            )
    if isinstance(value, str | bool) or _is_number(value):
        if not takes_list:
            yield (
                "list_for_scalar",
                segs,
                with_value(data, segs, ["x", "y"]),
                p,
                ("got a list",),
                False,
            )
        if not takes_map:
            yield (
                "mapping_for_scalar",
                segs,
                with_value(data, segs, {"x": 1}),
                p,
                ("got a mapping",),
                False,
            )
    if isinstance(value, str) and "text" in slot.kinds and not numeric:
        yield (
            "number_for_text",
            segs,
            with_value(data, segs, 12345),
            p,
            ("expected text, got 12345",),
            False,
        )
        if slot.max_len:
            yield (
                "long_text",
                segs,
                with_value(data, segs, "x" * MB),
                p,
                (f"at most {slot.max_len}",),
                False,
            )
        if slot.min_len:
            yield (
                "empty_text",
                segs,
                with_value(data, segs, ""),
                p,
                ("must not be empty",),
                False,
            )
        if slot.pattern:
            yield (
                "pattern_text",
                segs,
                with_value(data, segs, "red"),
                p,
                ("expected a colour",),
                False,
            )
    if isinstance(value, bool) and "bool" in slot.kinds:
        yield (
            "text_for_bool",
            segs,
            with_value(data, segs, "maybe"),
            p,
            ("expected true or false",),
            False,
        )
        yield (
            "number_for_bool",
            segs,
            with_value(data, segs, 7),
            p,
            ("expected true or false",),
            False,
        )
    if isinstance(value, dt.date) and "date" in slot.kinds:
        yield (
            "text_for_date",
            segs,
            with_value(data, segs, "next spring"),
            p,
            ("expected a date",),
            False,
        )
        yield (
            "impossible_date",
            segs,
            with_value(data, segs, "2016-02-30"),
            p,
            ("expected a date",),
            False,
        )


def _mapping_mutations(
    data, segs, value: dict, slot: Slot, p: str
) -> Iterator[Mutation]:
    if segs and "map" in slot.kinds and not slot.kinds & {"list", "any"}:
        yield (
            "list_for_mapping",
            segs,
            with_value(data, segs, ["x"]),
            p,
            ("expected",),
            False,
        )
        if not slot.kinds & {"number", "int"}:
            yield (
                "text_for_mapping",
                segs,
                with_value(data, segs, "x"),
                p,
                ("expected",),
                False,
            )
    yield (
        "non_text_key",
        segs,
        with_value(data, segs, {**value, 7: 1}),
        fmt((*segs, "7")),
        ("the key 7 must be text",),
        False,
    )
    deep: Any = 1
    for _ in range(200):  # deeper than the loader takes; safe_dump recurses too
        deep = [deep]
    if segs:
        yield (
            "deep_nesting",
            segs,
            with_value(data, segs, deep),
            p,
            ("nested more than",),
            True,
        )
    for model in slot.models:
        fields = {f.alias or n: f for n, f in model.model_fields.items()}
        present = [k for k in value if k in fields]
        key = present[0] if present else next(iter(fields))
        bad = misspell(key)
        if bad not in fields:
            yield (
                "unknown_key",
                segs,
                with_value(data, (*segs, bad), 1),
                fmt((*segs, bad)),
                (f"unknown key '{bad}'", f"did you mean '{key}'?"),
                False,
            )
        for k in present:
            if fields[k].is_required() and k != "do":
                yield (
                    f"missing_key:{k}",
                    segs,
                    with_value(data, (*segs, k), None, delete=True),
                    fmt((*segs, k)),
                    (f"missing required key '{k}'",),
                    False,
                )
        if "do" in present:
            yield (
                "missing_key:do",
                segs,
                with_value(data, (*segs, "do"), None, delete=True),
                fmt((*segs, "do")),
                ("missing key 'do'",),
                False,
            )
            for k in ("at", "step"):
                if k in value:
                    yield (
                        f"missing_key:{k}",
                        segs,
                        with_value(data, (*segs, k), None, delete=True),
                        p,
                        ("give exactly one of 'at'",),
                        False,
                    )
                    other = {"at": 3, "step": dt.date(2016, 6, 1)}[k]
                    yield (
                        "both_times",
                        segs,
                        with_value(data, (*segs, "step" if k == "at" else "at"), other),
                        p,
                        ("give exactly one of 'at'",),
                        False,
                    )


def _list_mutations(data, segs, value: list, slot: Slot, p: str) -> Iterator[Mutation]:
    if "map" not in slot.kinds:
        yield (
            "mapping_for_list",
            segs,
            with_value(data, segs, {"x": 1}),
            p,
            ("got a mapping",),
            False,
        )
    if not slot.kinds & {"number", "int", "text"}:
        yield (
            "text_for_list",
            segs,
            with_value(data, segs, "x"),
            p,
            ("expected a list",),
            False,
        )
    if slot.fixed_len and value:
        yield (
            "too_long",
            segs,
            with_value(data, segs, [*value, value[-1]]),
            p,
            (f"expected at most {slot.fixed_len} item",),
            False,
        )
        yield (
            "too_short",
            segs,
            with_value(data, segs, value[:-1]),
            p,
            (f"too few items: item [{slot.fixed_len - 1}] is missing",),
            False,
        )


def _name_mutations(
    data, segs, value: str, slot: Slot, names: Names
) -> Iterator[Mutation]:
    """Misspelt references: actors, provinces, staging nodes, literals."""
    bad = misspell(value)
    p = fmt(segs)
    if slot.literals and bad not in slot.literals:
        yield (
            "unknown_literal",
            segs,
            with_value(data, segs, bad),
            p,
            (f"did you mean '{value}'?",),
            False,
        )
    what = None
    if len(segs) >= 3 and segs[0] == "actors" and segs[2] == "staging":
        what, valid, at_ = "staging node", names.staging, p
    elif len(segs) == 4 and segs[0] == "relations" and segs[2] == "pair":
        what, valid, at_ = "actor", names.actors, fmt(segs[:3])
    elif (
        len(segs) == 3
        and segs[0] == "events"
        and segs[2] in ("actor", "into", "toward", "to")
    ):
        what, valid, at_ = "actor", names.actors, p
    elif len(segs) == 4 and segs[0] == "events" and segs[2] == "provinces":
        what, valid, at_ = "province", names.provinces, p
    elif (
        len(segs) == 3
        and segs[0] == "events"
        and segs[2] == "path"
        and value.startswith("actors.")
    ):
        actor = value.split(".")[1]
        if misspell(actor) not in names.actors:
            new = value.replace(f"actors.{actor}.", f"actors.{misspell(actor)}.", 1)
            yield (
                "unknown_name:set_path_actor",
                segs,
                with_value(data, segs, new),
                p,
                (
                    f"unknown actor '{misspell(actor)}'",
                    f"did you mean '{actor}'?",
                ),
                False,
            )
        field_ = value.split(".")[-1]
        new = value.rsplit(".", 1)[0] + "." + misspell(field_)
        yield (
            "unknown_name:set_path_key",
            segs,
            with_value(data, segs, new),
            p,
            (f"did you mean '{field_}'?",),
            False,
        )
        yield (
            "unsettable_path",
            segs,
            with_value(data, segs, "steps"),
            p,
            ("'parameters.<name>' or",),
            False,
        )
    if what and bad not in valid:
        yield (
            "unknown_name:" + what.replace(" ", "_"),
            segs,
            with_value(data, segs, bad),
            at_,
            (
                f"unknown {what} '{bad}'",
                f"did you mean '{value}'?",
            ),
            False,
        )
    if what:
        yield (
            "long_name",
            segs,
            with_value(data, segs, "q" * MB),
            at_,
            ("(1,000,000 characters)",),
            False,
        )


def _cross_mutations(data: dict, names: Names) -> Iterator[Mutation]:
    """Rules across keys: pairs, governments, bands, thresholds, dates, ids."""
    rels = data.get("relations") or []
    if rels:
        first = rels[0]
        twin = {**first, "pair": list(reversed(first["pair"]))}
        n = len(rels)
        yield (
            "duplicate_relation",
            ("relations",),
            with_value(data, ("relations",), [*rels, twin]),
            fmt(("relations", n, "pair")),
            ("a second relation",),
            False,
        )
        a = first["pair"][0]
        yield (
            "self_relation",
            ("relations", 0),
            with_value(data, ("relations", 0, "pair"), [a, a]),
            "relations[0]",
            ("two different actors",),
            False,
        )
    ids = list(data["actors"])
    kinds = {a: data["actors"][a].get("kind") for a in ids}
    govs = [a for a in ids if kinds[a] == "government"]
    others = [a for a in ids if kinds[a] != "government"]
    if others:
        x = others[-1]
        second = _with_value(data, ("actors", x, "kind"), "government")
        if not govs:
            second = _with_value(second, ("actors", others[0], "kind"), "government")
            later = x if x != others[0] else None
        else:
            later = max(x, govs[0], key=ids.index)
        if later:
            yield (
                "second_government",
                ("actors", later, "kind"),
                lambda: second,
                fmt(("actors", later, "kind")),
                ("more than one actor of kind 'government'",),
                False,
            )
    first_id = ids[0]
    for kind, key in (
        ("line_break_in_key", "reso\nurces"),
        ("tab_in_key", "reso\turces"),
    ):
        yield (
            kind,
            ("actors", first_id, key),
            with_value(data, ("actors", first_id, key), 1),
            fmt(("actors", first_id, key)),
            ("unknown key",),
            False,
        )
    for bad in (first_id.upper(), "1" + first_id, first_id + "-x"):
        yield (
            f"bad_actor_id:{bad[:1]}",
            ("actors", first_id),
            rename_key(data, ("actors", first_id), bad),
            fmt(("actors", bad)),
            (f"actor id '{bad}'",),
            False,
        )
    yield (
        "empty_actors",
        ("actors",),
        with_value(data, ("actors",), {}),
        "actors",
        ("at least 1 item",),
        False,
    )
    params = data.get("parameters") or {}
    bands = params.get("sigar_bands") or [0.2, 0.4, 0.6, 0.8]
    if sorted(bands) != sorted(bands, reverse=True):
        yield (
            "unsorted_bands",
            ("parameters", "sigar_bands"),
            with_value(
                data,
                ("parameters",),
                {**params, "sigar_bands": sorted(bands, reverse=True)},
            ),
            "parameters.sigar_bands",
            ("must increase",),
            False,
        )
    yield (
        "crossed_thresholds",
        ("parameters", "enemy_threshold"),
        with_value(
            data,
            ("parameters",),
            {**params, "ally_threshold": -0.5, "enemy_threshold": 0.5},
        ),
        "parameters",
        ("enemy_threshold must be below ally_threshold",),
        False,
    )
    start = data["start"]
    for i, ev in enumerate(data.get("events") or []):
        if "at" in ev:
            yield (
                "before_start",
                ("events", i, "at"),
                with_value(data, ("events", i, "at"), start - dt.timedelta(days=1)),
                fmt(("events", i, "at")),
                ("is before the start",),
                False,
            )
        if ev.get("do") == "shock" and "affinity" in ev:
            yield (
                "shock_without_toward",
                ("events", i),
                with_value(data, ("events", i, "toward"), None, delete=True),
                fmt(("events", i)),
                ("needs 'toward'",),
                False,
            )
    yield (
        "too_late",
        ("start",),
        with_value(data, ("start",), dt.date(9999, 12, 1)),
        "steps",
        ("after the year 9999",),
        False,
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
