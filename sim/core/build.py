"""Building a run: the map, the actors and their forces at the start.

The model calls these once, when it is made: :func:`private_copy` gives
it its own copy of the scenario, :func:`build_space` lays the
map (Mesa's network space, roads, neighbours), :func:`build_actors` makes
the actor agents and the state arrays, :func:`hops_from` measures the
roads from every staging node, :func:`starting_forces` spreads each actor's
forces (``actors.<id>.forces``, by province, region or ``all``) over the
provinces in proportion to their population.

A sweep builds thousands of models of the same scenario with different
seeds. Within :func:`reusing` a :class:`BuildCache`, what the seed does not
change is made once and reused: the pickled scenario the private copy is
read from, the starting forces (handed out as fresh copies) and, per map,
the road network with its search matrices, the neighbour table and the
hops (by thread: a road network is not safe to share between threads).
Runs are byte-identical to runs built afresh; outside the block nothing is
shared.
"""

from __future__ import annotations

import pickle
import threading
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TYPE_CHECKING

import networkx as nx
import numpy as np
from mesa.agent import AgentSet
from mesa.discrete_space import Network

from sim.core.agents import Actor
from sim.core.setup import provinces_named
from sim.core.state import State
from sim.processes import movement, supply
from sim.scenario.schema import Scenario
from sim.vocabulary import ActorKind
from sim.world.geography import Geography

if TYPE_CHECKING:
    from sim.core.model import GreatGame


@dataclass
class BuildCache:
    """The parts of a run's build that one scenario gives whatever the seed.

    Filled by the first model built within :func:`reusing` it; the scenario
    must not be changed while the cache is in use (a sweep's point scenarios
    never are: each run changes only its private copy).
    """

    scenario: Scenario
    pickled: bytes | None = None  # the scenario, pickled once
    forces: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None
    copy: Scenario | None = None  # the private copy of the model being built


@dataclass(frozen=True)
class MapParts:
    """What a run derives from its map alone: roads, neighbours, hops, names."""

    roads: supply.RoadNet
    neighbours: np.ndarray
    hops: np.ndarray
    node_names: list[str]


_REUSING: ContextVar[BuildCache | None] = ContextVar("build_cache", default=None)
#: Map parts by thread and map (a road network is used by one thread at a
#: time); the Geography is kept with them, so its id stays its own.
_MAPS: dict[tuple[int, int], tuple[Geography, MapParts]] = {}
MAPS_MAX = 8


@contextmanager
def reusing(cache: BuildCache) -> Iterator[BuildCache]:
    """Within the block, models of ``cache.scenario`` reuse what it holds.

    A sweep's worker wraps each run in it, so that every seed of a point
    shares one build of the parts the seed does not change.
    """
    token = _REUSING.set(cache)
    try:
        yield cache
    finally:
        _REUSING.reset(token)


def _fresh_copy(scenario: Scenario) -> Scenario:
    """A deep copy of ``scenario`` by a pickle round trip (else ``model_copy``)."""
    try:
        return pickle.loads(pickle.dumps(scenario, pickle.HIGHEST_PROTOCOL))
    except (pickle.PicklingError, TypeError, AttributeError):
        return scenario.model_copy(deep=True)


def private_copy(scenario: Scenario) -> Scenario:
    """A deep copy of ``scenario`` the run may change (its timeline's ``set`` events).

    A pickle round trip copies the same fields as ``model_copy(deep=True)``
    in about half the time, which shows when a sweep builds thousands of
    models; a scenario that cannot be pickled is deep-copied instead. Within
    :func:`reusing` the scenario is pickled once and only read back per run.
    """
    cache = _REUSING.get()
    if cache is None or scenario is not cache.scenario:
        return _fresh_copy(scenario)
    if cache.pickled is None:
        try:
            cache.pickled = pickle.dumps(scenario, pickle.HIGHEST_PROTOCOL)
        except (pickle.PicklingError, TypeError, AttributeError):
            return _fresh_copy(scenario)
    cache.copy = pickle.loads(cache.pickled)
    return cache.copy


def hops_from(graph: nx.Graph, source: int, n_provinces: int) -> np.ndarray:
    """``[P]`` road hops from node ``source`` to each province (inf: unreachable)."""
    dist = np.full(n_provinces, np.inf)
    seen = {source: 0}
    queue = deque([source])
    while queue:
        u = queue.popleft()
        for v in graph[u]:
            if v not in seen and v < n_provinces:
                seen[v] = seen[u] + 1
                dist[v] = seen[v]
                queue.append(v)
    return dist


def staging_hops(geo: Geography) -> np.ndarray:
    """``[staging nodes, P]`` road hops from each staging node."""
    return np.array([hops_from(geo.graph, s, geo.n_provinces) for s in geo.staging_ids])


def starting_forces(
    config: Scenario, geo: Geography
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(strength, equipment, cohesion)`` ``[N, P]`` at the start of the run."""
    actors = list(config.actors.values())
    n, p = len(actors), geo.n_provinces
    population = geo.population
    strength = np.zeros((n, p))
    equipment = np.ones((n, p))
    for i, a in enumerate(actors):
        equipment[i] = a.equipment
        for where, spec in a.forces.items():
            provinces = provinces_named(geo, where)
            amount = spec if isinstance(spec, float | int) else spec.strength
            share = population[provinces] / population[provinces].sum()
            strength[i, provinces] += amount * share
            if not isinstance(spec, float | int) and spec.equipment is not None:
                equipment[i, provinces] = spec.equipment
    cohesion = np.repeat(np.array([a.cohesion for a in actors])[:, None], p, axis=1)
    return strength, equipment, cohesion


def map_parts(geo: Geography) -> MapParts:
    """The roads, neighbour table, hops and node names of ``geo``, made afresh."""
    edges = list(geo.graph.edges())
    return MapParts(
        roads=supply.RoadNet(geo.graph.number_of_nodes(), edges, geo.n_provinces),
        neighbours=movement.neighbour_table(
            [geo.neighbours(p) for p in range(geo.n_provinces)]
        ),
        hops=staging_hops(geo),
        node_names=[geo.graph.nodes[q]["name"] for q in sorted(geo.graph.nodes)],
    )


def _kept_map_parts(geo: Geography) -> MapParts:
    """``geo``'s map parts as this process keeps them for :func:`reusing` blocks."""
    key = (threading.get_ident(), id(geo))
    kept = _MAPS.get(key)
    if kept is None or kept[0] is not geo:
        if len(_MAPS) >= MAPS_MAX:
            _MAPS.clear()
        kept = _MAPS[key] = (geo, map_parts(geo))
    return kept[1]


def build_space(model: GreatGame) -> None:
    """The model's map: Mesa's network space, the roads, neighbours and hops.

    Within :func:`reusing`, the road network (whose search matrices depend
    on the map alone) is shared with the process's other runs on this map,
    and the arrays are copies of ones made once.
    """
    geo = model.geo
    model.space = Network(geo.graph, random=model.random, layout=geo.layout())
    if _REUSING.get() is None:
        parts = map_parts(geo)
    else:
        kept = _kept_map_parts(geo)
        parts = MapParts(
            kept.roads, kept.neighbours.copy(), kept.hops.copy(), list(kept.node_names)
        )
    model.roads, model.neighbours, model.hops = (
        parts.roads,
        parts.neighbours,
        parts.hops,
    )
    model.population = geo.population
    model.node_names = parts.node_names


def _starting_forces_of(model: GreatGame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`starting_forces` of the model's scenario: from the cache if it has it."""
    cache = _REUSING.get()
    if cache is None or model.config is not cache.copy:
        return starting_forces(model.config, model.geo)
    cache.copy = None  # the run's own now: the cache keeps no run's scenario
    if cache.forces is None:
        cache.forces = starting_forces(model.config, model.geo)
    strength, equipment, cohesion = cache.forces
    return strength.copy(), equipment.copy(), cohesion.copy()


def build_actors(model: GreatGame) -> None:
    """The actors as Mesa agents, their forces at the start, and the state arrays."""
    cfg = model.config
    model.keys = list(cfg.actors)
    model.index = {k: i for i, k in enumerate(model.keys)}
    model.actor_agents = [
        Actor(model, i, k, a.name, a.kind)
        for i, (k, a) in enumerate(cfg.actors.items())
    ]
    model.actors = AgentSet(model.actor_agents, random=model.random)
    model.state = State.empty(len(model.keys), model.geo.n_provinces)
    s = model.state
    s.strength, s.equipment, s.cohesion = _starting_forces_of(model)
    model.initial_strength = s.strength.copy()
    model.initial_totals = model.initial_strength.sum(axis=1)
    # a Force agent is made the first time the actor stands in the province
    # (on a big map most actors never reach most provinces)
    model.forces = [{} for _ in model.actor_agents]
    kinds = [a.kind for a in cfg.actors.values()]
    govs = [i for i, kind in enumerate(kinds) if kind == ActorKind.GOVERNMENT]
    model.government = govs[0] if govs else None
    model.verdicts = {}
    model.aid_plan = np.zeros((len(model.keys), len(model.keys)))
    model.aid_rows = model.aid_plan.copy()
    model.recruit_plan = np.zeros_like(model.state.strength)
    model.expected_recruits = model.recruit_plan.copy()
