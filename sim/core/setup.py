"""What stays fixed between scenario changes: the per-actor arrays of a run.

:class:`Setup` turns the scenario's actors and parameters into the arrays
the processes read (budgets, interests, ethnic match, recruit overlap,
perceived intent, credit, reach of aid from the staging nodes, each actor's
theory lens...). It is built once with the model and built again whenever a
``set`` event changes the scenario; the pair constants that the scenario
gives only at the start (baseline affinities, inertia, ideological distance)
are carried over unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from sim.processes import movement
from sim.scenario.schema import Parameters, Scenario
from sim.vocabulary import ActorKind
from sim.world.geography import ETHNIC_GROUPS, Geography


@dataclass(frozen=True)
class Ties:
    """Pair constants fixed at the start: where affinities rest, how fast back."""

    baseline: np.ndarray  # [N, N] starting affinities, diagonal 1
    inertia: np.ndarray  # [N, N] mu, per pair
    ideology_distance: np.ndarray  # [N, N] 0..1
    upper_pairs: np.ndarray  # [N, N] bool, each pair once

    @classmethod
    def build(cls, config: Scenario, index: dict[str, int]) -> Ties:
        """The scenario's ``relations`` and ideologies as arrays."""
        n = len(index)
        baseline = np.zeros((n, n))
        inertia = np.full((n, n), config.parameters.mu)
        for rel in config.relations:
            i, j = index[rel.pair[0]], index[rel.pair[1]]
            ab, ba = (
                rel.affinity if isinstance(rel.affinity, tuple) else (rel.affinity,) * 2
            )
            baseline[i, j], baseline[j, i] = ab, ba
            if rel.inertia is not None:
                inertia[i, j] = inertia[j, i] = rel.inertia
        np.fill_diagonal(baseline, 1.0)
        ideo = np.array(
            [
                [a.ideology.religion, a.ideology.scope, a.ideology.west]
                for a in config.actors.values()
            ]
        )
        dist = np.linalg.norm(ideo[:, None, :] - ideo[None, :, :], axis=2)
        return cls(
            baseline=baseline,
            inertia=inertia,
            ideology_distance=dist / 3.0,
            upper_pairs=np.triu(np.ones((n, n), dtype=bool), k=1),
        )


def provinces_named(geo: Geography, where: str) -> np.ndarray:
    """Province ids of a province name, a region name or ``all``."""
    if where in geo.index:
        return np.array([geo.index[where]])
    if where == "all":
        return np.arange(geo.n_provinces)
    return np.array([q for q, r in enumerate(geo.regions) if r == where])


@dataclass
class Setup:
    """Per-actor arrays of the current scenario values (N actors, P provinces)."""

    p: Parameters
    ties: Ties
    lenses: tuple[str, ...]  # each actor's theory lens (alliance rule)
    insurgent: np.ndarray  # [N] bool
    resources: np.ndarray
    self_funding: np.ndarray
    hedging: np.ndarray
    troops: np.ndarray  # NaN where the actor does not hold a manning
    air_support: np.ndarray
    deploys: np.ndarray
    mobility: np.ndarray
    effectiveness: np.ndarray
    recruit_rate: np.ndarray
    base_cohesion: np.ndarray
    base_equipment: np.ndarray
    patron_reliance: np.ndarray
    terrain: np.ndarray  # [P] attrition multiplier
    interests: np.ndarray  # [N, P] rows sum to 1 (or 0)
    ethnic_match: np.ndarray  # [N, P]
    lasting_value: np.ndarray  # [N, P]
    overlap: np.ndarray  # [N, N] shared recruiting pool
    intent: np.ndarray  # [N, N]
    credit: np.ndarray  # [N, N]
    staging: list[list[int]]  # each actor's staging node ids
    staging_nodes: list[int]
    reach_matrix: np.ndarray  # [N, P]
    staging_mask: np.ndarray  # [N, staging nodes] bool
    nearness: dict[bytes, np.ndarray] = field(default_factory=dict)

    def __post_init__(self) -> None:
        """Make every array read-only: steps remember what they computed from them.

        Several sub-models compute a value from these arrays once and keep
        it while the same arrays come back (:mod:`sim.processes.memo`), so an
        array changed in place would be silently ignored; read-only, it
        raises instead. To change a value mid-run, change the scenario (a
        ``set`` event, or ``model.config`` then :meth:`GreatGame.refresh_setup`).
        """
        for value in vars(self).values():
            if isinstance(value, np.ndarray):
                value.flags.writeable = False

    @classmethod
    def build(
        cls, config: Scenario, geo: Geography, hops: np.ndarray, ties: Ties
    ) -> Setup:
        """The arrays of ``config`` on ``geo`` (``hops`` from each staging node)."""
        p = config.parameters
        actors = list(config.actors.values())
        arr = np.array
        return cls(
            p=p,
            ties=ties,
            lenses=tuple(a.alliance_rule or p.alliance_rule for a in actors),
            insurgent=arr([a.kind == ActorKind.INSURGENT for a in actors]),
            resources=arr([a.resources for a in actors], dtype=float),
            self_funding=arr([a.self_funding for a in actors], dtype=float),
            hedging=arr([a.hedging for a in actors], dtype=float),
            troops=arr([np.nan if a.troops is None else a.troops for a in actors]),
            air_support=arr([a.air_support for a in actors], dtype=float),
            deploys=arr([a.deploys for a in actors], dtype=bool),
            mobility=arr(
                [p.move_share if a.mobility is None else a.mobility for a in actors]
            ),
            effectiveness=arr([a.effectiveness for a in actors], dtype=float),
            recruit_rate=arr([a.recruitment_rate for a in actors], dtype=float),
            base_cohesion=arr([a.cohesion for a in actors], dtype=float),
            base_equipment=arr([a.equipment for a in actors], dtype=float),
            patron_reliance=arr([a.patron_reliance for a in actors], dtype=float),
            terrain=arr([p.terrain.get(t, 1.0) for t in geo.terrain]),
            **_recruiting(config, geo),
            **_perception(config, ties),
            **_staging(config, geo, hops),
        )


def _recruiting(config: Scenario, geo: Geography) -> dict[str, np.ndarray]:
    """Interests, ethnic match, the lasting part of province value and overlap."""
    p = config.parameters
    actors = list(config.actors.values())
    n = len(actors)
    interests = np.zeros((n, geo.n_provinces))
    for i, a in enumerate(actors):
        for where, w in a.interests.items():
            interests[i, provinces_named(geo, where)] += w
    tot = interests.sum(axis=1, keepdims=True)
    interests = np.divide(interests, tot, out=np.zeros_like(interests), where=tot > 0)
    recruits = np.array(
        [[a.recruits.get(g, 0.0) for g in ETHNIC_GROUPS] for a in actors]
    )
    ethnic_match = np.clip(recruits @ geo.ethnic.T, 0.0, 1.0)
    lasting = movement.lasting_value(
        weights=p.move_weights,
        population=geo.population,
        ethnic_match=ethnic_match,
        interests=interests,
    )
    norm = recruits.sum(axis=1, keepdims=True)
    rn = np.divide(recruits, norm, out=np.zeros_like(recruits), where=norm > 0)
    rate = np.array([a.recruitment_rate for a in actors], dtype=float)
    recruiting = (rate > 0) & (norm[:, 0] > 0)
    overlap = np.minimum(rn[:, None, :], rn[None, :, :]).sum(axis=2)
    overlap = overlap * recruiting[:, None] * recruiting[None, :]
    np.fill_diagonal(overlap, 0.0)
    return {
        "interests": interests,
        "ethnic_match": ethnic_match,
        "lasting_value": lasting,
        "overlap": overlap,
    }


def _perception(config: Scenario, ties: Ties) -> dict[str, np.ndarray]:
    """Perceived intent of others and the credit given to their fighting."""
    actors = list(config.actors.values())
    index = {k: i for i, k in enumerate(config.actors)}
    n = len(actors)
    scope = np.array([a.ideology.scope for a in actors])
    intent = np.clip(scope[None, :] + 0.5 * ties.ideology_distance, 0.0, 1.0)
    for i, a in enumerate(actors):
        for k, v in a.intent.items():
            if k in index:
                intent[i, index[k]] = v
    credit = np.ones((n, n))
    for i, a in enumerate(actors):
        for k, v in a.credit.items():
            if k in index:
                credit[i, index[k]] = v
    return {"intent": intent, "credit": credit}


def _staging(config: Scenario, geo: Geography, hops: np.ndarray) -> dict:
    """Where each actor's aid enters, and how far it reaches from there."""
    actors = list(config.actors.values())
    n, p = len(actors), geo.n_provinces
    staging_index = dict(zip(geo.staging_keys, geo.staging_ids, strict=True))
    staging = [[staging_index[s] for s in a.staging] for a in actors]
    aid_reach = config.parameters.aid_reach
    reach = np.array(
        [
            np.exp(-hops[[q - p for q in nodes]].min(axis=0) / aid_reach)
            if nodes
            else np.ones(p)
            for nodes in staging
        ]
    )
    mask = np.zeros((n, len(geo.staging_ids)), dtype=bool)
    for i, nodes in enumerate(staging):
        for node in nodes:
            mask[i, node - p] = True
    return {
        "staging": staging,
        "staging_nodes": list(geo.staging_ids),
        "reach_matrix": reach,
        "staging_mask": mask,
    }
