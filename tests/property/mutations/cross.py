"""Mutations that break rules between keys: thresholds, pairs, dates, events."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from tests.property.mutations.base import (
    Mutation,
    _m,
    _with_value,
    fmt,
    rename_key,
    with_value,
)


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
