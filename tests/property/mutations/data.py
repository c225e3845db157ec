"""Mutations of scenario data at every site the schema allows."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Iterator
from typing import Any

from sim.scenario.loader import MOVE_WEIGHTS
from sim.world.geography import ETHNIC_GROUPS, TERRAIN_CLASSES
from tests.property.mutations.base import (
    MB,
    Case,
    Mutation,
    Names,
    _m,
    dump,
    fmt,
    misspell,
    rename_key,
    walk,
    with_value,
)
from tests.property.mutations.cross import _cross_mutations
from tests.property.mutations.slots import Slot, slot_at


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
