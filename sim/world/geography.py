"""The province graph: Afghanistan's 34 provinces, their borders and staging nodes.

The map is a networkx graph with integer node ids (Mesa's renderers need
numbers): ``0 .. P-1`` are provinces in the order of ``sim/world/data/provinces.csv``,
``P ..`` are staging nodes outside the country (neighbouring states and the
air bridge) through which aid enters. Province facts are kept as numpy arrays
indexed by province id so that the mechanisms can work on whole vectors.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources

import networkx as nx
import numpy as np

ETHNIC_GROUPS: tuple[str, ...] = (
    "pashtun",
    "tajik",
    "uzbek",
    "hazara",
    "turkmen",
    "other",
)
TERRAIN_CLASSES: tuple[str, ...] = ("mountainous", "mixed", "plains/desert")


@dataclass(frozen=True)
class Geography:
    """Everything the model knows about the map, as read-only arrays.

    Attributes:
        names: province names, index = province id.
        capitals: provincial capitals.
        regions: UNAMA region of each province (lower case).
        lat, lon: capital coordinates in degrees.
        population: settled population (CSO 2015-16).
        ethnic: ``[P, 6]`` ethnic shares summing to 1, columns ``ETHNIC_GROUPS``.
        terrain: terrain class name of each province.
        foreign_borders: the neighbouring countries of each province.
        iso: ISO 3166-2 code of each province.
        staging_ids: staging node ids (``>= P``), in ``data/staging.csv`` order.
        staging_names: display names of the staging nodes.
        staging_keys: lower-case keys a scenario uses (``tajikistan``, ``air``).
        staging_links: provinces each staging node is linked to.
        graph: provinces and staging nodes; edges are land borders and entry links.
    """

    names: tuple[str, ...]
    capitals: tuple[str, ...]
    regions: tuple[str, ...]
    lat: np.ndarray
    lon: np.ndarray
    population: np.ndarray
    ethnic: np.ndarray
    terrain: tuple[str, ...]
    foreign_borders: tuple[tuple[str, ...], ...]
    iso: tuple[str, ...]
    staging_keys: tuple[str, ...]
    staging_names: tuple[str, ...]
    staging_links: tuple[tuple[int, ...], ...]
    graph: nx.Graph
    index: dict[str, int] = field(default_factory=dict)

    @property
    def n_provinces(self) -> int:
        """Number of provinces (cells where forces can stand)."""
        return len(self.names)

    @property
    def staging_ids(self) -> tuple[int, ...]:
        """Node ids of the staging nodes."""
        return tuple(range(self.n_provinces, self.n_provinces + len(self.staging_keys)))

    @property
    def region_names(self) -> tuple[str, ...]:
        """The distinct regions, sorted."""
        return tuple(sorted(set(self.regions)))

    @property
    def places(self) -> tuple[str, ...]:
        """Names a scenario may give for where: provinces, regions and ``all``."""
        return (*self.names, *self.region_names, "all")

    def province_graph(self) -> nx.Graph:
        """The graph of provinces alone (no staging nodes)."""
        return self.graph.subgraph(range(self.n_provinces)).copy()

    def neighbours(self, province: int) -> list[int]:
        """Province ids that share a land border with ``province``."""
        return sorted(n for n in self.graph[province] if n < self.n_provinces)

    def layout(self) -> dict[int, tuple[float, float]]:
        """Node positions as (lon, lat), for Mesa's Network and for drawing."""
        return {n: (d["lon"], d["lat"]) for n, d in self.graph.nodes(data=True)}


def _read_csv(name: str) -> list[dict[str, str]]:
    text = resources.files("sim.world.data").joinpath(name).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


@cache
def load_geography() -> Geography:
    """Read the shipped province tables into a :class:`Geography` (cached).

    The result is shared between models, so treat it as read-only.
    """
    rows = _read_csv("provinces.csv")
    names = tuple(r["name"] for r in rows)
    index = {n: i for i, n in enumerate(names)}
    ethnic = np.array([[float(r[g]) for g in ETHNIC_GROUPS] for r in rows])
    ethnic = ethnic / ethnic.sum(axis=1, keepdims=True)

    graph = nx.Graph()
    for i, r in enumerate(rows):
        graph.add_node(
            i,
            name=r["name"],
            kind="province",
            lon=float(r["lon"]),
            lat=float(r["lat"]),
        )
    for r in _read_csv("adjacency.csv"):
        graph.add_edge(
            index[r["name_a"]], index[r["name_b"]], shared_km=float(r["shared_km"])
        )

    staging_rows = _read_csv("staging.csv")
    links: list[tuple[int, ...]] = []
    for k, r in enumerate(staging_rows):
        node = len(names) + k
        graph.add_node(
            node,
            name=r["name"],
            kind="staging",
            lon=float(r["lon"]),
            lat=float(r["lat"]),
        )
        linked = tuple(sorted(index[p] for p in r["links"].split(";")))
        links.append(linked)
        for p in linked:
            graph.add_edge(node, p, shared_km=0.0)

    return Geography(
        names=names,
        capitals=tuple(r["capital"] for r in rows),
        regions=tuple(r["region"] for r in rows),
        lat=np.array([float(r["lat"]) for r in rows]),
        lon=np.array([float(r["lon"]) for r in rows]),
        population=np.array([float(r["population_2015"]) for r in rows]),
        ethnic=ethnic,
        terrain=tuple(r["terrain"] for r in rows),
        foreign_borders=tuple(
            tuple(filter(None, r["borders"].split(";"))) for r in rows
        ),
        iso=tuple(r["iso_3166_2"] for r in rows),
        staging_keys=tuple(r["id"] for r in staging_rows),
        staging_names=tuple(r["name"] for r in staging_rows),
        staging_links=tuple(links),
        graph=graph,
        index=index,
    )


def geography_for(spec=None) -> Geography:
    """The map a scenario is played on: Afghanistan, or a synthetic one (cached).

    Args:
        spec: the scenario's ``map`` section (:class:`sim.scenario.schema.MapSpec`), or
            ``None`` for the real map.
    """
    if spec is None or spec.kind == "afghanistan":
        return load_geography()
    return _synthetic(spec.kind, spec.provinces, spec.seed)


@lru_cache(maxsize=4)
def _synthetic(kind: str, provinces: int, seed: int) -> Geography:
    from sim.world.synthetic import synthetic_geography

    return synthetic_geography(kind, provinces, seed)
