"""Checks a schema cannot make: that the names a scenario uses exist.

Actor ids in relations and events, provinces and regions, staging nodes,
ethnic groups, terrain classes and move weights, and the paths and values of
``set`` events. Each check yields ``(key path, message)``; the loader reports
the first by line and counts the rest.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pydantic import ValidationError

from sim.scenario.errors import unknown
from sim.scenario.field_check import field_adapter, fields_changed
from sim.scenario.problems import pydantic_problems
from sim.scenario.schema import Actor, Parameters, Scenario, SetEvent
from sim.scenario.schema_paths import (
    EVENT_ACTOR_KEYS,
    SETTABLE_ACTOR_FIELDS,
    key_domain,
)
from sim.scenario.uncertainty_checks import prior_problems, uncertainty_problems
from sim.vocabulary import ActorKind
from sim.world.geography import Geography, geography_for

Problems = Iterator[tuple[list, str]]


def reference_problems(sc: Scenario) -> Problems:
    """Names that the schema cannot check: actors, provinces, nodes, groups..."""
    geo, ids = geography_for(sc.map), list(sc.actors)
    try:
        sc.date_of(sc.steps)  # every step needs a calendar date
    except OverflowError:
        yield (
            ["steps"],
            (
                f"{sc.steps} steps of {sc.step_days} days from {sc.start} would end "
                "after the year 9999"
            ),
        )
    yield from _actor_problems(sc, ids, geo)
    yield from _parameter_problems(sc, ids)
    first: dict[frozenset, int] = {}
    for i, rel in enumerate(sc.relations):
        for name in set(rel.pair) - set(ids):
            yield ["relations", i, "pair"], unknown("actor", name, ids)
        if (j := first.setdefault(frozenset(rel.pair), i)) != i:
            msg = f"a second relation for {' and '.join(rel.pair)} (see relations[{j}])"
            yield ["relations", i, "pair"], msg
    yield from _event_problems(sc, ids, geo)
    yield from uncertainty_problems(sc)


def section_problems(
    sc: Scenario, changed: dict[tuple[str, ...], set[str]], priors: list[str]
) -> Problems:
    """The problems of :func:`reference_problems` that changed fields can make.

    For a scenario that passed every check before the fields ``changed``
    (by section, ``("parameters",)`` or ``("actors", id)``, the keys of the
    fields changed) were changed, and nothing else but priors dropped: the
    checks that read those fields, in the order :func:`reference_problems`
    makes them; the ``set`` events of a changed section (whose rules may
    tie any of its fields); and the ``priors`` given (those whose values
    the change may have changed). Every other check reads only what has not
    changed and passes as before.
    """
    geo, ids = geography_for(sc.map), list(sc.actors)
    actors = [(s[1], keys) for s, keys in changed.items() if s[0] == "actors"]
    if any("kind" in keys for _, keys in actors):
        yield from _government_problems(sc)
    for aid, keys in actors:
        if keys & _ACTOR_NAMES:
            yield from _one_actor_problems(aid, sc.actors[aid], ids, geo)
    if changed.get(("parameters",), set()) & {"terrain", "move_weights"}:
        yield from _parameter_problems(sc, ids)
    touched = set(changed)
    affected = [
        (i, ev)
        for i, ev in enumerate(sc.events)
        if isinstance(ev, SetEvent) and _section_of(ev.path) in touched
    ]
    alone = [
        p
        for i, ev in affected
        for p in _set_event_problems(ev, ["events", i], ids, sc, quick=True)
    ]
    yield from alone
    if not alone and _shared(sc, {_section_of(ev.path) for _, ev in affected}):
        yield from _set_sequence_problems(sc)
    yield from prior_problems(sc, priors, geo)


#: The fields of an actor whose keys or items name other things.
_ACTOR_NAMES = frozenset(
    "forces recruits interests intent credit believed_presence beliefs staging".split()
)


def _shared(sc: Scenario, sections: set[tuple[str, ...]]) -> bool:
    """True if two ``set`` events or more change one of ``sections``.

    A section that one event alone changes goes through the events in
    order exactly as it goes through that event alone: the sequence can
    fail only where events share a section.
    """
    counts: dict[tuple[str, ...], int] = {}
    for ev in sc.events:
        if isinstance(ev, SetEvent) and (at := _section_of(ev.path)) in sections:
            counts[at] = counts.get(at, 0) + 1
    return any(n > 1 for n in counts.values())


def _section_of(path: str) -> tuple[str, ...]:
    """The section a ``set`` event's path changes: parameters, or one actor."""
    parts = path.split(".")
    return (
        ("actors", parts[1])
        if parts[0] == "actors" and len(parts) == 3
        else (parts[0],)
    )


def _parameter_problems(sc: Scenario, ids: list) -> Problems:
    """Terrain classes and move weights that name real ones."""
    for field in ("terrain", "move_weights"):
        noun, valid = key_domain(field, ids)
        for key in getattr(sc.parameters, field).keys() - set(valid):
            yield ["parameters", field, key], unknown(noun, key, valid)


def _government_problems(sc: Scenario) -> Problems:
    """One actor of kind government at most."""
    govs = [a for a, x in sc.actors.items() if x.kind == ActorKind.GOVERNMENT]
    for aid in govs[1:]:
        msg = f"more than one actor of kind 'government' ({', '.join(govs)})"
        yield ["actors", aid, "kind"], msg + "; at most one may be"


def _one_actor_problems(aid: str, actor: Actor, ids: list, geo: Geography) -> Problems:
    """Keys, beliefs and staging nodes of one actor that name real things."""
    for field in ("forces", "recruits", "interests", "intent", "credit"):
        noun, valid = key_domain(field, ids, geo)
        for key in getattr(actor, field).keys() - set(valid):
            yield ["actors", aid, field, key], unknown(noun, key, valid)
    yield from _belief_problems(aid, actor, ids, geo)
    for i, node in enumerate(actor.staging):
        if node not in geo.staging_keys:
            msg = unknown("staging node", node, geo.staging_keys)
            yield ["actors", aid, "staging", i], msg


def _actor_problems(sc: Scenario, ids: list, geo: Geography) -> Problems:
    """One government at most; keys and staging nodes that name real things."""
    yield from _government_problems(sc)
    for aid, actor in sc.actors.items():
        yield from _one_actor_problems(aid, actor, ids, geo)


def _belief_problems(aid: str, actor: Actor, ids: list, geo: Geography) -> Problems:
    """Presence beliefs name real actors, provinces and regions."""
    noun, places = key_domain("believed_presence", ids, geo)
    tables = [(["believed_presence"], actor.believed_presence)]
    for target, table in actor.beliefs.items():
        if target not in ids:
            yield ["actors", aid, "beliefs", target], unknown("actor", target, ids)
        tables.append((["beliefs", target], table))
    for at, table in tables:
        for key in table.keys() - set(places):
            yield ["actors", aid, *at, key], unknown(noun, key, places)


def _event_problems(sc: Scenario, ids: list, geo: Geography) -> Problems:
    """Dates, actors and provinces of events; ``set`` events alone, then in order."""
    set_alone_ok = True
    for i, ev in enumerate(sc.events):
        if ev.at is not None and ev.at < sc.start:
            yield ["events", i, "at"], f"{ev.at} is before the start, {sc.start}"
        for key in EVENT_ACTOR_KEYS:
            if (name := getattr(ev, key, None)) is not None and name not in ids:
                yield ["events", i, key], unknown("actor", name, ids)
        for k, p in enumerate(getattr(ev, "provinces", None) or ()):
            if p not in geo.names:
                yield ["events", i, "provinces", k], unknown("province", p, geo.names)
        if isinstance(ev, SetEvent):
            alone = list(_set_event_problems(ev, ["events", i], ids, sc))
            set_alone_ok = set_alone_ok and not alone
            yield from alone
    if set_alone_ok:
        yield from _set_sequence_problems(sc)


def _set_event_problems(
    ev: SetEvent, base: list, ids: list, sc: Scenario, quick: bool = False
) -> Problems:
    """A ``set`` event must name a settable field and give it a valid value.

    ``quick``: when the value passes its field and the section's rules
    alone (:func:`sim.scenario.field_check.fields_changed`), the section is
    not validated whole again (a sweep checks each point's events).
    """
    segs, at = ev.path.split("."), [*base, "path"]
    model, fields = Parameters, list(Parameters.model_fields) + ["lambda"]
    if segs[0] == "actors" and len(segs) == 3:
        model, fields = Actor, SETTABLE_ACTOR_FIELDS
        if segs[1] not in ids:
            yield at, unknown("actor", segs[1], ids)
    elif segs[0] != "parameters" or len(segs) != 2:
        yield at, f"expected 'parameters.<name>' or 'actors.<id>.<name>', not {ev.path}"
        return
    if segs[-1] not in fields:
        yield at, unknown("settable key", segs[-1], fields)
        return
    name = next(n for n, f in model.model_fields.items() if segs[-1] in (n, f.alias))
    try:
        field_adapter(model, name).validate_python(ev.value)
    except ValidationError as exc:
        for _, path, msg in pydantic_problems(exc, ev.value, [*base, "value"]):
            yield path, msg
        return
    noun, valid = key_domain(segs[-1], ids, geography_for(sc.map))
    if valid is not None and isinstance(ev.value, dict):
        for key in sorted(set(ev.value) - set(valid), key=str):
            yield [*base, "value", key], unknown(noun, key, valid)
    if quick and _fits(sc, segs, ev.value):
        return
    try:  # the whole section again, as it will be when the event fires
        _scratch(sc).set_value(ev.path, ev.value)
    except KeyError:
        return  # an unknown actor, reported above
    except ValidationError as exc:
        first = exc.errors()[0]
        yield (
            [*base, "value"],
            f"this value would make the scenario invalid: {first['msg']}",
        )


def _set_sequence_problems(sc: Scenario) -> Problems:
    """``set`` events applied one after another, in the order they will fire.

    Each may be valid alone and still clash with an earlier one (an
    ``enemy_threshold`` raised above an ``ally_threshold`` lowered before it).
    """
    fired = sorted(
        (ev.step if ev.step is not None else sc.step_of(ev.at), i)
        for i, ev in enumerate(sc.events)
        if isinstance(ev, SetEvent)
    )
    state = _scratch(sc)
    for _, i in fired:
        ev = sc.events[i]
        try:
            state.set_value(ev.path, ev.value)
        except ValidationError as exc:
            msg = exc.errors()[0]["msg"].removeprefix("Value error, ")
            yield (
                ["events", i, "value"],
                "after the set events that fire before it, this value would make "
                f"the scenario invalid: {msg}",
            )
            return


def _fits(sc: Scenario, segs: list[str], value: Any) -> bool:
    """True when ``value`` passes its field and the rules of its section."""
    section = sc.parameters if segs[0] == "parameters" else sc.actors.get(segs[1])
    if section is None:
        return False
    return fields_changed(section, {segs[-1]: value}, {segs[-1]}) is not None


def _scratch(sc: Scenario) -> Scenario:
    """A copy of ``sc`` that ``set_value`` may change without changing ``sc``.

    ``set_value`` replaces a whole section (``parameters``, or one entry of
    ``actors``) by a newly validated one and never edits a section in place,
    so a shallow copy with its own ``actors`` mapping is enough: a deep copy
    of the scenario made every load and every sweep point several times
    slower.
    """
    state = sc.model_copy()
    state.actors = dict(sc.actors)
    return state
