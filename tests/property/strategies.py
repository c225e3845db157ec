"""Hypothesis strategies for VALID scenarios, as plain dicts.

Every scenario drawn here must load (``scenario_from_dict``, or
``load_scenario`` after ``yaml.safe_dump``) and run; anything else is a bug
in the loader, the schema or the model. The dicts use only YAML-safe types
(dicts, lists, text, numbers, bools, dates), so they can be written to a file
as they are.

Building blocks, for other property suites:

- :func:`real_map`, :func:`synthetic_maps`, :func:`maps`: a :class:`MapInfo`,
  the names (provinces, regions, staging nodes) a scenario on that map may use;
- :func:`actors`, :func:`relations`, :func:`events`, :func:`parameters`: the
  sections, given the actor ids and the map;
- :func:`scenarios`: a whole scenario (2 to 8 actors by default).

Numbers are drawn inside each key's schema range, and, for keys the schema
leaves unbounded, inside a generous but plausible range (fighters up to
100,000 per province, aid budgets up to 1,000 per step): the model's job is
to stay finite for those, not for 1e300 fighters.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from hypothesis import strategies as st

from sim.scenario.loader import MOVE_WEIGHTS, SETTABLE_ACTOR_FIELDS
from sim.scenario.schema import MapSpec
from sim.world.geography import (
    ETHNIC_GROUPS,
    TERRAIN_CLASSES,
    geography_for,
    load_geography,
)

__all__ = [
    "REAL_MAP",
    "MapInfo",
    "actor_ids",
    "actors",
    "events",
    "maps",
    "parameters",
    "real_map",
    "relations",
    "scenarios",
    "synthetic_maps",
]


@dataclass(frozen=True)
class MapInfo:
    """A map and the names a scenario played on it may use.

    Attributes:
        spec: the scenario's ``map:`` section; ``None`` leaves the key out
            (the Afghan map).
        provinces: province names.
        regions: region names.
        staging: staging node keys.
    """

    spec: dict | None
    provinces: tuple[str, ...]
    regions: tuple[str, ...]
    staging: tuple[str, ...]

    @property
    def places(self) -> tuple[str, ...]:
        """Keys of ``forces`` and ``interests``: provinces, regions and ``all``."""
        return (*self.provinces, *self.regions, "all")


def _map_info(spec: dict | None) -> MapInfo:
    geo = geography_for(MapSpec.model_validate(spec) if spec else None)
    return MapInfo(spec, tuple(geo.names), geo.region_names, tuple(geo.staging_keys))


_AFGHANISTAN = load_geography()
#: The real map, with the ``map`` key left out.
REAL_MAP = MapInfo(
    None,
    tuple(_AFGHANISTAN.names),
    _AFGHANISTAN.region_names,
    tuple(_AFGHANISTAN.staging_keys),
)


def real_map() -> st.SearchStrategy[MapInfo]:
    """The Afghan map, with no ``map`` key or with ``map: {kind: afghanistan}``."""
    return st.sampled_from([REAL_MAP, replace(REAL_MAP, spec={"kind": "afghanistan"})])


def synthetic_maps(
    min_provinces: int = 20, max_provinces: int = 100
) -> st.SearchStrategy[MapInfo]:
    """A grid or planar map of ``min_provinces``..``max_provinces`` provinces."""
    specs = st.fixed_dictionaries(
        {
            "kind": st.sampled_from(["grid", "planar"]),
            "provinces": st.integers(min_provinces, max_provinces),
            "seed": st.integers(0, 3),
        }
    )
    return specs.map(_map_info)


def maps() -> st.SearchStrategy[MapInfo]:
    """The real map or a small synthetic one."""
    return st.one_of(real_map(), synthetic_maps())


# --- small pieces ------------------------------------------------------------------

#: Actor ids as the schema allows them (lower case, digits, underscores).
actor_ids = st.from_regex(r"[a-z][a-z0-9_]{0,11}", fullmatch=True)


def _floats(lo: float, hi: float) -> st.SearchStrategy[float]:
    return st.floats(lo, hi, allow_nan=False, allow_infinity=False)


def _numbers(lo: float, hi: float) -> st.SearchStrategy[float | int]:
    """Floats in [lo, hi], and now and then a whole number (YAML ``5``)."""
    whole = st.integers(int(lo) + (lo % 1 > 0), int(hi)) if hi - lo >= 1 else None
    return _floats(lo, hi) if whole is None else st.one_of(_floats(lo, hi), whole)


#: A share in [0, 1] (``Unit`` in the schema).
unit = _numbers(0.0, 1.0)
#: An affinity or stance in [-1, 1] (``Signed`` in the schema).
signed = _numbers(-1.0, 1.0)
#: Text for names and labels: any printable characters, YAML quotes them.
text = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=30
)


def _names(max_size: int) -> st.SearchStrategy[str]:
    return st.text(
        st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")),
        min_size=1,
        max_size=max_size,
    ).filter(str.strip)


def _weights(keys, hi: float, max_size: int = 4) -> st.SearchStrategy[dict]:
    return st.dictionaries(
        st.sampled_from(sorted(keys)), _numbers(0.0, hi), max_size=max_size
    )


# --- sections ------------------------------------------------------------------


@st.composite
def parameters(draw) -> dict:
    """Some of ``parameters``: each drawn key in its range, cross-checks kept."""
    pool = {
        "alliance_rule": st.sampled_from(
            [
                "balance_of_threat",
                "structural_balance",
                "balance_of_power",
                "static",
                "marvel",
            ]
        ),
        "hysteresis": _floats(0.0, 0.5),
        "eta": _numbers(0.0, 0.5),
        "gamma": _numbers(0.0, 3.0),
        "kappa": _numbers(0.0, 3.0),
        "rho": _numbers(0.0, 3.0),
        "lambda": _numbers(0.0, 0.5),
        "mu": _numbers(0.0, 0.5),
        "sigma": _numbers(0.0, 0.2),
        "presence_scale": _numbers(1.0, 1000.0),
        "sentiment_weight": unit,
        "help_scale": _numbers(0.01, 10.0),
        "aid_threshold": signed,
        "interdiction": unit,
        "aid_reach": _numbers(0.1, 10.0),
        "aid_to_equipment": unit,
        "recruits_per_aid": _numbers(0.0, 10.0),
        "max_equipment": _numbers(1.0, 10.0),
        "move_share": unit,
        "move_margin": _numbers(0.0, 1.0),
        "garrison": _numbers(0.0, 500.0),
        "move_weights": _weights(MOVE_WEIGHTS, 2.0),
        "beta": _numbers(0.0, 0.05),
        "alpha": unit,
        "terrain": _weights(TERRAIN_CLASSES, 2.0),
        "collateral": _numbers(0.0, 1.0),
        "control_share": _floats(0.51, 1.0),
        "sigar_bands": st.lists(unit, min_size=4, max_size=4).map(sorted),
        "defection_rate": unit,
        "cohesion_threshold": unit,
        "cohesion_recovery": unit,
        "min_strength": _numbers(0.0, 10.0),
    }
    keys = draw(st.sets(st.sampled_from(sorted(pool)), max_size=8))
    out = {k: draw(pool[k]) for k in sorted(keys)}
    if draw(st.booleans()):
        lo, hi = sorted(
            draw(st.lists(_floats(-1, 1), min_size=2, max_size=2, unique=True))
        )
        out |= {"enemy_threshold": lo, "ally_threshold": hi}
    return out


def _force(max_strength: float) -> st.SearchStrategy:
    plain = _numbers(0.0, max_strength)
    spec = st.fixed_dictionaries(
        {"strength": plain}, optional={"equipment": _numbers(0.0, 10.0)}
    )
    return st.one_of(plain, spec)


def actors(map_: MapInfo, ids: list[str], kind: str) -> st.SearchStrategy[dict]:
    """One actor of ``kind`` on ``map_``; ``intent`` and ``credit`` name ``ids``."""
    required = {"name": _names(80), "kind": st.just(kind)}
    optional = {
        "color": st.from_regex(r"#[0-9a-fA-F]{6}", fullmatch=True),
        "ideology": st.fixed_dictionaries(
            {}, optional={"religion": signed, "scope": unit, "west": signed}
        ),
        "resources": _numbers(0.0, 1000.0),
        "self_funding": unit,
        "hedging": unit,
        "staging": st.lists(st.sampled_from(map_.staging), max_size=3, unique=True),
        "deploys": st.booleans(),
        "troops": st.one_of(st.none(), _numbers(0.0, 50_000.0)),
        "air_support": _numbers(0.0, 3.0),
        "mobility": st.one_of(st.none(), unit),
        "effectiveness": _floats(0.01, 10.0),
        "recruits": _weights(ETHNIC_GROUPS, 3.0),
        "recruitment_rate": _numbers(0.0, 20.0),
        "interests": _weights(map_.places, 5.0, max_size=6),
        "intent": st.dictionaries(st.sampled_from(ids), unit, max_size=3),
        "credit": st.dictionaries(st.sampled_from(ids), _numbers(0.0, 2.0), max_size=3),
        "cohesion": unit,
        "patron_reliance": unit,
        "equipment": _numbers(0.0, 10.0),
        "forces": st.dictionaries(
            st.sampled_from(map_.places), _force(50_000.0), max_size=6
        ),
    }
    return st.fixed_dictionaries(required, optional=optional)


@st.composite
def relations(draw, ids: list[str]) -> list[dict]:
    """Starting affinities for distinct pairs: one value or two, maybe an inertia."""
    pairs = [(a, b) for i, a in enumerate(ids) for b in ids[i + 1 :]]
    chosen = (
        draw(st.lists(st.sampled_from(pairs), unique=True, max_size=8)) if pairs else []
    )
    out = []
    for a, b in chosen:
        pair = [a, b] if draw(st.booleans()) else [b, a]
        affinity = draw(st.one_of(signed, st.lists(signed, min_size=2, max_size=2)))
        rel = {"pair": pair, "affinity": affinity}
        if draw(st.booleans()):
            rel["inertia"] = draw(_numbers(0.0, 1.0))
        out.append(rel)
    return out


_SETTABLE_PARAMETERS = {
    "interdiction": unit,
    "eta": _numbers(0.0, 0.5),
    "sigma": _numbers(0.0, 0.2),
    "beta": _numbers(0.0, 0.05),
    "alpha": unit,
    "collateral": _numbers(0.0, 1.0),
    "move_share": unit,
    "defection_rate": unit,
}
_SETTABLE_ACTOR = {
    "resources": _numbers(0.0, 1000.0),
    "self_funding": unit,
    "hedging": unit,
    "troops": _numbers(0.0, 50_000.0),
    "air_support": _numbers(0.0, 3.0),
    "mobility": unit,
    "effectiveness": _floats(0.01, 10.0),
    "recruitment_rate": _numbers(0.0, 20.0),
    "cohesion": unit,
    "deploys": st.booleans(),
    "equipment": _numbers(0.0, 10.0),
}
assert set(_SETTABLE_ACTOR) == set(SETTABLE_ACTOR_FIELDS)


@st.composite
def _event(draw, ids: list[str], map_: MapInfo, start: dt.date) -> dict:
    kind = draw(st.sampled_from(["set", "splinter", "shock", "aid"]))
    if draw(st.booleans()):
        when = {"at": start + dt.timedelta(days=draw(st.integers(0, 400)))}
    else:
        when = {"step": draw(st.integers(0, 60))}
    actor = draw(st.sampled_from(ids))
    if kind == "set":
        if draw(st.booleans()):
            key = draw(st.sampled_from(sorted(_SETTABLE_PARAMETERS)))
            body = {
                "path": f"parameters.{key}",
                "value": draw(_SETTABLE_PARAMETERS[key]),
            }
        else:
            key = draw(st.sampled_from(sorted(_SETTABLE_ACTOR)))
            body = {
                "path": f"actors.{actor}.{key}",
                "value": draw(_SETTABLE_ACTOR[key]),
            }
    elif kind == "splinter":
        body = {"actor": actor, "into": draw(st.sampled_from(ids)), "share": draw(unit)}
        if draw(st.booleans()):
            body["provinces"] = draw(
                st.lists(st.sampled_from(map_.provinces), min_size=1, max_size=4)
            )
    elif kind == "shock":
        body = {"actor": actor}
        what = draw(st.sampled_from(["cohesion", "affinity", "both"]))
        if what != "affinity":
            body["cohesion"] = draw(signed)
        if what != "cohesion":
            body |= {
                "toward": draw(st.sampled_from(ids)),
                "affinity": draw(_numbers(-2.0, 2.0)),
                "mutual": draw(st.booleans()),
            }
    else:
        body = {
            "actor": actor,
            "to": draw(st.sampled_from(ids)),
            "amount": draw(_numbers(0.0, 10_000.0)),
        }
    event = {**when, "do": kind, **body}
    if draw(st.booleans()):
        event["label"] = draw(text)
    return event


def events(
    ids: list[str], map_: MapInfo, start: dt.date, max_size: int = 5
) -> st.SearchStrategy[list[dict]]:
    """Events of every kind (set, splinter, shock, aid) at valid times."""
    return st.lists(_event(ids, map_, start), max_size=max_size)


@st.composite
def scenarios(
    draw,
    map_strategy: st.SearchStrategy[MapInfo] | None = None,
    min_actors: int = 2,
    max_actors: int = 8,
    min_steps: int = 10,
) -> dict:
    """A whole valid scenario: actors, relations, events, parameters, maybe a map.

    Args:
        map_strategy: where to play (default :func:`maps`: real or synthetic).
        min_actors, max_actors: how many actors.
        min_steps: least ``steps`` (10 by default, so that ``run(10)`` runs 10).
    """
    map_ = draw(map_strategy if map_strategy is not None else maps())
    ids = draw(
        st.lists(actor_ids, min_size=min_actors, max_size=max_actors, unique=True)
    )
    kinds = draw(
        st.lists(
            st.sampled_from(["state", "insurgent"]),
            min_size=len(ids),
            max_size=len(ids),
        )
    )
    gov = draw(st.one_of(st.none(), st.integers(0, len(ids) - 1)))
    if gov is not None:
        kinds[gov] = "government"
    start = draw(st.dates(dt.date(2000, 1, 1), dt.date(2030, 12, 31)))
    out = {
        "name": draw(_names(120)),
        "start": start,
        "steps": draw(st.integers(min_steps, min_steps + 40)),
        "actors": {
            a: draw(actors(map_, ids, k)) for a, k in zip(ids, kinds, strict=True)
        },
    }
    optional = {
        "title": _names(120),
        "description": text,
        "step_days": st.integers(1, 366),
        "seed": st.integers(0, 2**63 - 1),
        "parameters": parameters(),
        "relations": relations(ids),
        "events": events(ids, map_, start),
        "outputs": st.fixed_dictionaries({}, optional={"chronicle": st.booleans()}),
    }
    for key in sorted(draw(st.sets(st.sampled_from(sorted(optional))))):
        out[key] = draw(optional[key])
    if map_.spec is not None:
        out["map"] = dict(map_.spec)
    return out
