"""Which dotted paths the scenario schema has, and what names their keys take.

A ``--set`` path, a sweep's varied path and a ``set`` event are checked here
before any run: each segment must be a field of the schema, an item number of
a list, or a key of a mapping whose keys name something (an actor, a
province or region, an ethnic group, a terrain class, a move weight). An
unknown segment is reported with the closest valid name.
"""

from __future__ import annotations

import types
from collections.abc import Iterable, Mapping
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError

from sim.scenario import tree
from sim.scenario.errors import ScenarioError, unknown
from sim.scenario.paths import format_path, split_path
from sim.scenario.schema import MapSpec, Scenario
from sim.world.geography import ETHNIC_GROUPS, TERRAIN_CLASSES, Geography, geography_for

#: Actor fields that a ``set`` event may change during a run.
SETTABLE_ACTOR_FIELDS = tuple(
    "resources self_funding hedging troops air_support mobility effectiveness "
    "recruitment_rate cohesion deploys equipment".split()
)
#: Keys of ``parameters.move_weights``.
MOVE_WEIGHTS = (
    "population",
    "ethnic",
    "interest",
    "supply",
    "enemy",
    "friends",
    "crowding",
)
#: Keys of an event that name an actor.
EVENT_ACTOR_KEYS = ("actor", "into", "toward", "to")

#: For :func:`descend`: the names in the path were checked already (any map).
ANY_MAP: Any = object()


def geography_of(data: Any) -> Geography:
    """The map a scenario's data asks for with its ``map`` key.

    Afghanistan when it names none, or names one wrongly (that is reported
    when the whole scenario is validated).
    """
    spec = data.get("map") if isinstance(data, Mapping) else None
    try:
        return geography_for(MapSpec.model_validate(tree.plain(spec)) if spec else None)
    except ValidationError:
        return geography_for(None)


def _members(tp: Any) -> list[Any]:
    """The concrete types behind Annotated / Optional / Union wrappers."""
    if get_origin(tp) is Annotated:
        return _members(get_args(tp)[0])
    if get_origin(tp) in (Union, types.UnionType):
        return [m for a in get_args(tp) if a is not type(None) for m in _members(a)]
    return [tp]


def key_domain(
    field: Any, actors: Iterable[str] | None, geo: Geography | None = None
) -> tuple[str, Any]:
    """What the keys of a dict field name, and the valid ones (None: any)."""
    if field in _ACTOR_KEYED:
        return "actor", actors
    if field in _PLACE_KEYED:  # the map's places, worked out only when needed
        return "province or region", places_of(geo or geography_for(None))
    return _FIXED_KEYS.get(field, ("key", None))


#: Place names by map (the map kept, so that its id stays its own).
_PLACES: dict[int, tuple[Geography, tuple[str, ...]]] = {}


def places_of(geo: Geography) -> tuple[str, ...]:
    """``geo.places``, worked out once per map: every point of a sweep asks."""
    kept = _PLACES.get(id(geo))
    if kept is None or kept[0] is not geo:
        if len(_PLACES) >= 16:
            _PLACES.clear()
        kept = _PLACES[id(geo)] = (geo, geo.places)
    return kept[1]


#: Mapping fields whose keys are actor ids, or places of the map.
_ACTOR_KEYED = frozenset(("actors", "intent", "credit", "beliefs"))
_PLACE_KEYED = frozenset(("believed_presence", "forces", "interests"))
#: Mapping fields whose keys come from a fixed list.
_FIXED_KEYS = {
    "recruits": ("ethnic group", ETHNIC_GROUPS),
    "terrain": ("terrain class", TERRAIN_CLASSES),
    "move_weights": ("move weight", MOVE_WEIGHTS),
}


def descend(
    types_: list, seg: Any, field: Any, last: bool, actors: Any, geo: Geography | None
) -> tuple:
    """One step down the schema: (next types, canonical key, valid names, noun).

    Args:
        types_: the types the path has reached so far.
        seg: the next segment.
        field: the key above ``seg`` (what a mapping's keys name).
        last: ``seg`` ends the path (``--set`` may add a whole actor).
        actors: valid actor ids, or None for any.
        geo: the map for place names, or :data:`ANY_MAP` for any name.
    """
    nxt, names, canon, noun = [], [], seg, "key"
    for tp in (m for t in types_ for m in _members(t)):
        origin, args = get_origin(tp), get_args(tp)
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            for name, f in tp.model_fields.items():
                names += [name, f.alias] if f.alias else [name]
                if seg in (name, f.alias):
                    nxt, canon = [*nxt, f.annotation], f.alias or name
        elif origin is dict:
            any_name = geo is ANY_MAP
            noun, valid = key_domain(field, actors, None if any_name else geo)
            names += list(valid or ())
            new_actor = field == "actors" and last  # --set may add a whole actor
            known = any_name or valid is None or new_actor or seg in valid
            if isinstance(seg, str) and known:
                nxt.append(args[1])
        elif origin in (list, tuple):
            noun = "list"
            if isinstance(seg, int) and (origin is list or args[1:] == (...,)):
                nxt.append(args[0])
            elif isinstance(seg, int) and seg < len(args):
                nxt.append(args[seg])
    return nxt, canon, names, noun


def walk(
    path: str,
    actors: Iterable[str] | None = None,
    where: str | None = None,
    geo: Geography | None = None,
) -> list:
    """The segments of ``path``, checked against the schema, keys spelt as in a file.

    Raises:
        ScenarioError: an unknown segment, with "did you mean" when one is close.
    """
    segs, types_, out = split_path(path, where), [Scenario], []
    for i, seg in enumerate(segs):
        field, last = (out[-1] if out else None), i == len(segs) - 1
        types_, canon, names, noun = descend(types_, seg, field, last, actors, geo)
        if not types_:
            if noun == "list":
                msg = f"'{format_path(out)}' is a list: give an item number, e.g. [0]"
            elif not names:
                msg = (
                    f"'{format_path(out)}' holds a single value; it has no key '{seg}'"
                )
            else:
                msg = unknown(noun, seg, names)
            raise ScenarioError(msg, path=format_path([*out, seg]), where=where)
        out.append(canon)
    return out


def validate_path(
    path: str, actors: Iterable[str] | None = None, geo: Geography | None = None
) -> None:
    """Check that a dotted path names a value of the scenario schema.

    Used for ``--set`` and by sweeps, so that a typo fails before any run. A
    path may name a value the file leaves at its default
    (``parameters.interdiction``); list items read ``relations[0].affinity``.

    Args:
        path: e.g. ``actors.russia.resources``, ``parameters.lambda``, ``steps``.
        actors: the scenario's actor ids; when given, actor ids in the path are
            checked too (province, region and other names always are).
        geo: the scenario's map, for province and region names (default:
            Afghanistan).

    Raises:
        ScenarioError: an unknown segment, with "did you mean" when one is close.
    """
    walk(path, actors, geo=geo)
