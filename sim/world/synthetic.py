"""Synthetic maps: grids and random planar graphs of any size, for scale and fuzzing.

A synthetic map is a :class:`sim.world.geography.Geography` like the real one, so
every mechanism, scenario check and table works on it unchanged. Provinces
are named ``P1`` .. ``PN`` and grouped into five regions (``north``,
``south``, ``east``, ``west``, ``centre``) by position; aid enters through
four border staging nodes (``border_north`` .. ``border_west``, linked to
the provinces along that edge) and an air bridge (``air``, linked to the
most populous provinces). Population, ethnic make-up and terrain are drawn
from the map's own seed, with the ethnic groups settled in spatial clusters
so that recruitment pools have a geography, as in Afghanistan.

Nothing here touches the run's random streams: the same ``(kind, provinces,
seed)`` always gives the same map.
"""

from __future__ import annotations

import math

import networkx as nx
import numpy as np

from sim.world.geography import ETHNIC_GROUPS, TERRAIN_CLASSES, Geography

KINDS = ("grid", "planar")
REGIONS = ("north", "south", "east", "west", "centre")
BORDERS = ("border_north", "border_south", "border_east", "border_west")
# the real map's bounding box (degrees), so that drawings look familiar
LON, LAT = (60.5, 75.0), (29.4, 38.5)
MEDIAN_POPULATION = 600_000.0  # about Afghanistan's median province
TERRAIN_SHARES = (0.45, 0.35, 0.20)  # mountainous, mixed, plains/desert


def synthetic_geography(kind: str, provinces: int, seed: int = 0) -> Geography:
    """A generated map of ``provinces`` cells: a square grid or a planar graph.

    Args:
        kind: ``"grid"`` (4-neighbour lattice, filled row by row) or
            ``"planar"`` (Delaunay triangulation of random points: planar,
            connected, about 3 borders per province).
        provinces: number of provinces, at least 4.
        seed: the map's own seed (population, ethnicity, terrain, points).

    Returns:
        A read-only geography with staging nodes after the provinces.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown synthetic map kind {kind!r}; expected {KINDS}")
    if provinces < 4:
        raise ValueError("a synthetic map needs at least 4 provinces")
    rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(provinces,)))
    if kind == "grid":
        xy, edges = _grid(provinces)
    else:
        xy, edges = _planar(provinces, rng)
    return _assemble(xy, edges, rng)


def _grid(n: int) -> tuple[np.ndarray, np.ndarray]:
    """Unit-square positions and 4-neighbour edges of ``n`` cells row by row."""
    side = math.ceil(math.sqrt(n))
    ids = np.arange(n)
    row, col = ids // side, ids % side
    xy = np.column_stack([(col + 0.5) / side, 1.0 - (row + 0.5) / side])
    right = ids[(col + 1 < side) & (ids + 1 < n)]
    down = ids[ids + side < n]
    edges = np.concatenate(
        [np.column_stack([right, right + 1]), np.column_stack([down, down + side])]
    )
    return xy, edges


def _planar(n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Random points in the unit square and their Delaunay edges (a planar graph)."""
    from scipy.spatial import Delaunay

    xy = rng.random((n, 2))
    tri = Delaunay(xy).simplices
    pairs = np.concatenate([tri[:, [0, 1]], tri[:, [1, 2]], tri[:, [0, 2]]])
    pairs.sort(axis=1)
    return xy, np.unique(pairs, axis=0)


def _regions(xy: np.ndarray) -> list[str]:
    """Centre disc, then the compass quarter each province lies in."""
    dx, dy = xy[:, 0] - 0.5, xy[:, 1] - 0.5
    quarter = np.where(
        np.abs(dy) >= np.abs(dx),
        np.where(dy >= 0, 0, 1),  # north, south
        np.where(dx >= 0, 2, 3),  # east, west
    )
    centre = np.hypot(dx, dy) < 0.2
    pairs = zip(quarter, centre, strict=True)
    return [REGIONS[4] if c else REGIONS[q] for q, c in pairs]


def _ethnic(xy: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """``[P, 6]`` shares: each group settled around its own random heartland."""
    homes = rng.random((len(ETHNIC_GROUPS), 2))
    weight = rng.dirichlet(np.full(len(ETHNIC_GROUPS), 2.0))
    d2 = ((xy[:, None, :] - homes[None, :, :]) ** 2).sum(axis=2)
    shares = weight * np.exp(-d2 / 0.08) + 0.01 * rng.random(d2.shape)
    return shares / shares.sum(axis=1, keepdims=True)


def _assemble(xy: np.ndarray, edges: np.ndarray, rng: np.random.Generator) -> Geography:
    """Province facts, staging nodes and the graph around positions and edges."""
    n = len(xy)
    names = tuple(f"P{i + 1}" for i in range(n))
    lon = LON[0] + xy[:, 0] * (LON[1] - LON[0])
    lat = LAT[0] + xy[:, 1] * (LAT[1] - LAT[0])
    population = np.round(MEDIAN_POPULATION * rng.lognormal(0.0, 0.6, n))
    terrain = tuple(TERRAIN_CLASSES[k] for k in rng.choice(3, size=n, p=TERRAIN_SHARES))
    graph = nx.Graph()
    graph.add_nodes_from(
        (i, {"name": names[i], "kind": "province", "lon": lon[i], "lat": lat[i]})
        for i in range(n)
    )
    graph.add_edges_from((int(a), int(b), {"shared_km": 0.0}) for a, b in edges)

    strip = 1.0 / math.sqrt(n)  # about one row of provinces along each edge
    x, y = xy[:, 0], xy[:, 1]
    sides = (y >= y.max() - strip, y <= y.min() + strip, x >= x.max() - strip)
    sides += (x <= x.min() + strip,)
    hubs = np.argsort(-population, kind="stable")[: max(3, n // 100)]
    links = [tuple(np.flatnonzero(s).tolist()) for s in sides]
    links.append(tuple(sorted(hubs.tolist())))
    keys = (*BORDERS, "air")
    labels = ("North border", "South border", "East border", "West border")
    labels += ("Air bridge",)
    spots = [(0.5, 1.08), (0.5, -0.08), (1.08, 0.5), (-0.08, 0.5), (1.08, 1.08)]
    borders: list[list[str]] = [[] for _ in range(n)]
    for k, (linked, (sx, sy)) in enumerate(zip(links, spots, strict=True)):
        node = n + k
        graph.add_node(
            node,
            name=labels[k],
            kind="staging",
            lon=LON[0] + sx * (LON[1] - LON[0]),
            lat=LAT[0] + sy * (LAT[1] - LAT[0]),
        )
        graph.add_edges_from((node, q, {"shared_km": 0.0}) for q in linked)
        if keys[k] != "air":
            for q in linked:
                borders[q].append(labels[k])

    return Geography(
        names=names,
        capitals=names,
        regions=tuple(_regions(xy)),
        lat=lat,
        lon=lon,
        population=population,
        ethnic=_ethnic(xy, rng),
        terrain=terrain,
        foreign_borders=tuple(tuple(b) for b in borders),
        iso=tuple(f"SYN-{i + 1}" for i in range(n)),
        staging_keys=keys,
        staging_names=labels,
        staging_links=tuple(links),
        graph=graph,
        index={name: i for i, name in enumerate(names)},
    )


def synthetic_scenario(
    kind: str = "grid",
    provinces: int = 100,
    actors: int = 5,
    seed: int = 0,
    steps: int = 10,
) -> dict:
    """A plausible scenario dict for a synthetic map (scale benches, examples).

    One government holding the whole map; about a fifth of the other actors
    are foreign states (patrons with aid budgets entering at a border or by
    air, some with troops), the rest insurgents recruiting from one or two
    ethnic groups around their own heartland region. Affinities are drawn
    from ``seed``: states lean toward the government, insurgents against it
    and warily toward each other. Load it with
    :func:`sim.scenario.loader.scenario_from_dict`.

    Args:
        kind: ``"grid"`` or ``"planar"``.
        provinces: map size.
        actors: number of actors, at least 2.
        seed: seed of the map and of the actors' draws (and of the runs).
        steps: weeks to run.
    """
    if actors < 2:
        raise ValueError("a scenario needs at least 2 actors")
    rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(actors, 1)))
    n_states = max(1, round(0.2 * (actors - 1)))
    ids = ["gov"] + [f"s{k + 1}" for k in range(n_states)]
    ids += [f"i{k + 1}" for k in range(actors - 1 - n_states)]
    people = 5_000 * provinces  # fighters in all, about 5,000 per province
    out: dict = {"gov": _government(people)}
    for k in range(n_states):  # draws in this order: states, insurgents, relations
        out[f"s{k + 1}"] = _state(k, rng, people)
    insurgents = [i for i in ids if i.startswith("i")]
    share = 0.4 * people / max(1, len(insurgents))
    for k, key in enumerate(insurgents):
        out[key] = _insurgent(k, rng, share)
    return {
        "name": f"synthetic-{kind}-{provinces}x{actors}",
        "start": "2016-01-01",
        "steps": steps,
        "seed": seed,
        "map": {"kind": kind, "provinces": provinces, "seed": seed},
        "actors": out,
        "relations": _relations(ids, rng),
    }


def _government(people: int) -> dict:
    """The government: half of all fighters, spread over the whole map."""
    return {
        "name": "Government",
        "kind": "government",
        "forces": {"all": 0.5 * people},
        "recruits": {g: 1.0 for g in ETHNIC_GROUPS},
        "recruitment_rate": 0.0005,
        "interests": {"all": 1.0},
        "cohesion": 0.7,
    }


def _state(k: int, rng: np.random.Generator, people: int) -> dict:
    """A foreign patron: an aid budget entering at a gate, troops half the time."""
    deploys = bool(rng.random() < 0.5)
    actor = {
        "name": f"State {k + 1}",
        "kind": "state",
        "resources": float(rng.uniform(1.0, 10.0)),
        "hedging": float(rng.uniform(0.0, 0.3)),
        "staging": [str(rng.choice((*BORDERS, "air")))],
        "interests": {str(rng.choice(REGIONS)): 1.0},
        "ideology": {"west": float(rng.uniform(-1, 1))},
    }
    if deploys:
        troops = 0.02 * people
        actor |= {"deploys": True, "troops": troops, "air_support": 0.5}
        actor["forces"] = {str(rng.choice(REGIONS)): troops}
    return actor


def _insurgent(k: int, rng: np.random.Generator, share: float) -> dict:
    """An insurgent group recruiting from one or two groups around its heartland."""
    home = str(rng.choice(REGIONS))
    pool = rng.choice(list(ETHNIC_GROUPS), size=2, replace=False)
    return {
        "name": f"Insurgents {k + 1}",
        "kind": "insurgent",
        "forces": {home: share},
        "recruits": {str(g): 1.0 for g in pool},
        "recruitment_rate": float(rng.uniform(0.0005, 0.002)),
        "interests": {home: 1.0, str(rng.choice(REGIONS)): 0.5},
        "ideology": {
            "religion": float(rng.uniform(0, 1)),
            "scope": float(rng.uniform(0, 1)),
            "west": float(rng.uniform(-1, 0)),
        },
        "cohesion": float(rng.uniform(0.6, 0.95)),
    }


def _relations(ids: list[str], rng: np.random.Generator) -> list[dict]:
    """Every pair's affinity: states lean to the government, insurgents against."""
    relations = []
    for a in range(len(ids)):
        for b in range(a + 1, len(ids)):
            x, y = ids[a], ids[b]
            if x == "gov":
                mean = 0.4 if y.startswith("s") else -0.7
            elif x.startswith("s") and y.startswith("i"):
                mean = -0.2
            else:
                mean = 0.0 if x.startswith("s") else -0.2
            value = float(np.clip(mean + rng.normal(0, 0.25), -1, 1))
            relations.append({"pair": [x, y], "affinity": round(value, 3)})
    return relations
