"""Building a run: the map, the actors and their forces at the start.

The model calls these once, when it is made: :func:`private_copy` gives
it its own copy of the scenario, :func:`build_space` lays the
map (Mesa's network space, roads, neighbours), :func:`build_actors` makes
the actor agents and the state arrays, :func:`hops_from` measures the
roads from every staging node, :func:`starting_forces` spreads each actor's
forces (``actors.<id>.forces``, by province, region or ``all``) over the
provinces in proportion to their population.
"""

from __future__ import annotations

import pickle
from collections import deque
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


def private_copy(scenario: Scenario) -> Scenario:
    """A deep copy of ``scenario`` the run may change (its timeline's ``set`` events).

    A pickle round trip copies the same fields as ``model_copy(deep=True)``
    in about half the time, which shows when a sweep builds thousands of
    models; a scenario that cannot be pickled is deep-copied instead.
    """
    try:
        return pickle.loads(pickle.dumps(scenario, pickle.HIGHEST_PROTOCOL))
    except (pickle.PicklingError, TypeError, AttributeError):
        return scenario.model_copy(deep=True)


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


def build_space(model: GreatGame) -> None:
    """The model's map: Mesa's network space, the roads, neighbours and hops."""
    geo = model.geo
    model.space = Network(geo.graph, random=model.random, layout=geo.layout())
    edges = list(geo.graph.edges())
    model.roads = supply.RoadNet(geo.graph.number_of_nodes(), edges, geo.n_provinces)
    model.neighbours = movement.neighbour_table(
        [geo.neighbours(p) for p in range(geo.n_provinces)]
    )
    model.hops = staging_hops(geo)
    model.population = geo.population
    model.node_names = [geo.graph.nodes[q]["name"] for q in sorted(geo.graph.nodes)]


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
    s.strength, s.equipment, s.cohesion = starting_forces(cfg, model.geo)
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
