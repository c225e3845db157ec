"""Building a run's starting arrays: road hops on the map and the forces at the start.

The model calls these once, when it is made: :func:`hops_from` measures the
roads from every staging node, :func:`starting_forces` spreads each actor's
forces (``actors.<id>.forces``, by province, region or ``all``) over the
provinces in proportion to their population.
"""

from __future__ import annotations

from collections import deque

import networkx as nx
import numpy as np

from sim.core.setup import provinces_named
from sim.scenario.schema import Scenario
from sim.world.geography import Geography


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
