"""The greatgame Mesa model: wires the mechanisms together, one step at a time.

One step is one ``step_days`` period (a week in 2016.yaml). In order:

1. **Timeline**: scenario events due this step (``set``, ``splinter``,
   ``shock``, ``aid``).
2. **Relations**: threat, who fights whom where, the affinity update under
   the scenario's theory lens; status changes are logged with their
   explanation (:mod:`sim.processes.relations`).
3. **Aid**: budgets divided among clients and sent along least-loss supply
   lines; what arrives buys equipment and recruits (:mod:`sim.processes.supply`).
4. **Recruitment** and **defection** (:mod:`sim.processes.combat`).
5. **Movement** toward better provinces (:mod:`sim.processes.movement`).
6. **Combat**: stochastic Lanchester attrition (:mod:`sim.processes.combat`).
7. **Upkeep**: manning of deployed state troops, equipment wear, cohesion
   recovery.
8. **Control**: controller and SIGAR class per province; captures logged.
9. **Record**: forces enter or leave their cells, and the step is stored in
   :class:`sim.core.history.History`.

All randomness comes from named streams spawned from the run's seed by
``numpy.random.SeedSequence`` (:data:`STREAMS`), so a counterfactual that
changes one process leaves the draws of the others alone.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping
from typing import Any

import mesa
import networkx as nx
import numpy as np
from mesa.discrete_space import Network

from sim.core.agents import Actor, Force
from sim.core.collector import HistoryCollector
from sim.core.history import LEDGER, Flow, History
from sim.processes import combat, movement, relations, supply
from sim.scenario.resolve import (
    ScenarioLike,
    override_paths,
    resolve_scenario,
    resolve_seed,
)
from sim.world.geography import ETHNIC_GROUPS, Geography, geography_for

STREAMS = ("mesa", "relations", "combat", "recruitment", "defection", "movement")
KILLS_MEMORY = 0.7
# ledger terms whose per-actor totals History keeps (recruits and losses have
# their own arrays; moves cancel per actor)
KEPT_TERMS = (
    "defections_in",
    "defections_out",
    "splinter_in",
    "splinter_out",
    "reinforcement",
    "dispersed",
)


def seed_streams(seed: int) -> dict[str, np.random.Generator]:
    """One independent generator per named process, all from ``seed``."""
    children = np.random.SeedSequence(seed).spawn(len(STREAMS))
    return {
        name: np.random.default_rng(s)
        for name, s in zip(STREAMS, children, strict=True)
    }


def _hops_from(graph: nx.Graph, source: int, n_provinces: int) -> np.ndarray:
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


class GreatGame(mesa.Model):
    """Russia, the US, Iran, Kabul, Taliban factions and ISIS on 34 provinces.

    Args:
        scenario: a loaded scenario, a scenario file or a shipped scenario's
            name such as ``"2016"`` (see :mod:`sim.scenario.resolve`).
        seed: overrides ``scenario.seed`` when given.
        rng: Mesa's name for ``seed`` (a whole number).
        overrides: ``{"dotted.path": value}`` changes to the scenario.
        **kwargs: more overrides, ``__`` for the dots (``parameters__eta=0.1``).
    """

    def __init__(
        self,
        scenario: ScenarioLike = "2016",
        *,
        seed: int | None = None,
        rng: int | None = None,
        overrides: Mapping[str, Any] | None = None,
        **kwargs: Any,
    ):
        """Build the map, the agents and the state arrays from ``scenario``."""
        scenario = resolve_scenario(scenario, override_paths(overrides, kwargs))
        seed = resolve_seed(seed, rng)
        self.seed_value = int(scenario.seed if seed is None else seed)
        self.streams = seed_streams(self.seed_value)
        super().__init__(rng=self.streams["mesa"])
        self.datacollector = HistoryCollector(self)
        self.config = scenario.model_copy(deep=True)
        self.geo: Geography = geography_for(self.config.map)
        self.step_index = 0
        self._build_space()
        self._build_actors()
        self._build_relations()
        self._refresh_parameters()
        self._build_timeline()
        dates = [self.config.date_of(t) for t in range(self.config.steps + 1)]
        self.history = History.empty(
            list(self.keys),
            [a.name for a in self.actor_agents],
            list(self.geo.names),
            dates,
        )
        if self.config.map is not None and self.config.map.kind != "afghanistan":
            self.history.regions = self.geo.regions
        self.prev_status = self.status_now()
        self._update_derived()
        self.cover_at_start = self.allied.astype(float) @ self._cover()
        eng, expected = self._expected_losses()
        self.kills = combat.KillMemory.start(eng, expected)
        self.controller_now = combat.controller(self.armed, self.p.control_share)
        self._sync_cells()
        self._record()

    # ------------------------------------------------------------------ build
    def _build_space(self) -> None:
        geo = self.geo
        self.space = Network(geo.graph, random=self.random, layout=geo.layout())
        edges = list(geo.graph.edges())
        self.roads = supply.RoadNet(geo.graph.number_of_nodes(), edges, geo.n_provinces)
        self.neighbours = movement.neighbour_table(
            [geo.neighbours(p) for p in range(geo.n_provinces)]
        )
        self.hops = np.array(
            [_hops_from(geo.graph, s, geo.n_provinces) for s in geo.staging_ids]
        )
        self.population = geo.population
        self.node_names = [geo.graph.nodes[q]["name"] for q in sorted(geo.graph.nodes)]

    def _build_actors(self) -> None:
        cfg, geo = self.config, self.geo
        self.keys = list(cfg.actors)
        n, p = len(self.keys), geo.n_provinces
        self.index = {k: i for i, k in enumerate(self.keys)}
        self.actor_agents = [
            Actor(self, i, k, a.name, a.kind)
            for i, (k, a) in enumerate(cfg.actors.items())
        ]
        self.strength = np.zeros((n, p))
        self.equipment = np.ones((n, p))
        for i, a in enumerate(cfg.actors.values()):
            self.equipment[i] = a.equipment
            for where, spec in a.forces.items():
                provinces = self._provinces_named(where)
                amount = spec if isinstance(spec, float | int) else spec.strength
                share = self.population[provinces] / self.population[provinces].sum()
                self.strength[i, provinces] += amount * share
                if not isinstance(spec, float | int) and spec.equipment is not None:
                    self.equipment[i, provinces] = spec.equipment
        self.initial_strength = self.strength.copy()
        self.initial_totals = self.initial_strength.sum(axis=1)
        self.cohesion = np.repeat(
            np.array([a.cohesion for a in cfg.actors.values()])[:, None], p, axis=1
        )
        # a Force agent is made the first time the actor stands in the province
        # (on a big map most actors never reach most provinces)
        self.forces: list[dict[int, Force]] = [{} for _ in self.actor_agents]
        self.in_cell = np.zeros((n, p), dtype=bool)
        govs = [i for i, a in enumerate(cfg.actors.values()) if a.kind == "government"]
        self.government = govs[0] if govs else None

    def _provinces_named(self, where: str) -> np.ndarray:
        geo = self.geo
        if where in geo.index:
            return np.array([geo.index[where]])
        if where == "all":
            return np.arange(geo.n_provinces)
        return np.array([q for q, r in enumerate(geo.regions) if r == where])

    def _build_relations(self) -> None:
        cfg, n = self.config, len(self.keys)
        self.baseline = np.zeros((n, n))
        self.inertia = np.full((n, n), cfg.parameters.mu)
        for rel in cfg.relations:
            i, j = self.index[rel.pair[0]], self.index[rel.pair[1]]
            ab, ba = (
                rel.affinity if isinstance(rel.affinity, tuple) else (rel.affinity,) * 2
            )
            self.baseline[i, j], self.baseline[j, i] = ab, ba
            if rel.inertia is not None:
                self.inertia[i, j] = self.inertia[j, i] = rel.inertia
        np.fill_diagonal(self.baseline, 1.0)
        self.upper_pairs = np.triu(np.ones((n, n), dtype=bool), k=1)  # each pair once
        self.affinity = self.baseline.copy()
        ideo = np.array(
            [
                [a.ideology.religion, a.ideology.scope, a.ideology.west]
                for a in cfg.actors.values()
            ]
        )
        dist = np.linalg.norm(ideo[:, None, :] - ideo[None, :, :], axis=2)
        self.ideology_distance = dist / 3.0
        self.defection_memory = np.zeros((n, n))
        self.aid_share = np.zeros((n, n))
        self.delivered = np.zeros((n, n))
        self.collateral_recruits = np.zeros((n, len(self.geo.names)))
        self.pending_aid = np.zeros((n, n))
        self.sent_now = np.zeros((n, n))
        self.received_now = np.zeros(n)
        self.cum = relations.Terms.zeros(n)

    def _refresh_parameters(self) -> None:
        """Recompute the per-actor arrays from the (possibly just changed) config."""
        cfg, geo = self.config, self.geo
        self.p = cfg.parameters
        actors = list(cfg.actors.values())
        n, p = len(actors), geo.n_provinces
        arr = np.array
        self.resources = arr([a.resources for a in actors], dtype=float)
        self.self_funding = arr([a.self_funding for a in actors], dtype=float)
        self.hedging = arr([a.hedging for a in actors], dtype=float)
        self.troops = arr([np.nan if a.troops is None else a.troops for a in actors])
        self.air_support = arr([a.air_support for a in actors], dtype=float)
        self.deploys = arr([a.deploys for a in actors], dtype=bool)
        self.mobility = arr(
            [self.p.move_share if a.mobility is None else a.mobility for a in actors]
        )
        self.effectiveness = arr([a.effectiveness for a in actors], dtype=float)
        self.recruit_rate = arr([a.recruitment_rate for a in actors], dtype=float)
        self.base_cohesion = arr([a.cohesion for a in actors], dtype=float)
        self.base_equipment = arr([a.equipment for a in actors], dtype=float)
        self.patron_reliance = arr([a.patron_reliance for a in actors], dtype=float)
        self.terrain = arr([self.p.terrain.get(t, 1.0) for t in geo.terrain])

        interests = np.zeros((n, p))
        for i, a in enumerate(actors):
            for where, w in a.interests.items():
                interests[i, self._provinces_named(where)] += w
        tot = interests.sum(axis=1, keepdims=True)
        self.interests = np.divide(
            interests, tot, out=np.zeros_like(interests), where=tot > 0
        )

        recruits = np.array(
            [[a.recruits.get(g, 0.0) for g in ETHNIC_GROUPS] for a in actors]
        )
        self.ethnic_match = np.clip(recruits @ geo.ethnic.T, 0.0, 1.0)
        self.lasting_value = movement.lasting_value(
            weights=self.p.move_weights,
            population=geo.population,
            ethnic_match=self.ethnic_match,
            interests=self.interests,
        )
        self._nearness: dict[bytes, np.ndarray] = {}
        norm = recruits.sum(axis=1, keepdims=True)
        rn = np.divide(recruits, norm, out=np.zeros_like(recruits), where=norm > 0)
        recruiting = (self.recruit_rate > 0) & (norm[:, 0] > 0)
        overlap = np.minimum(rn[:, None, :], rn[None, :, :]).sum(axis=2)
        self.overlap = overlap * recruiting[:, None] * recruiting[None, :]
        np.fill_diagonal(self.overlap, 0.0)

        scope = np.array([a.ideology.scope for a in actors])
        intent = np.clip(scope[None, :] + 0.5 * self.ideology_distance, 0.0, 1.0)
        for i, a in enumerate(actors):
            for k, v in a.intent.items():
                if k in self.index:
                    intent[i, self.index[k]] = v
        self.intent = intent
        credit = np.ones((n, n))
        for i, a in enumerate(actors):
            for k, v in a.credit.items():
                if k in self.index:
                    credit[i, self.index[k]] = v
        self.credit = credit
        staging_index = {
            s: q for s, q in zip(geo.staging_keys, geo.staging_ids, strict=True)
        }
        self.staging = [[staging_index[s] for s in a.staging] for a in actors]
        self.staging_nodes = list(geo.staging_ids)
        self.reach_matrix = np.array(
            [
                np.exp(
                    -self.hops[[q - p for q in nodes]].min(axis=0) / self.p.aid_reach
                )
                if nodes
                else np.ones(p)
                for nodes in self.staging
            ]
        )
        self.staging_mask = np.zeros((n, len(geo.staging_ids)), dtype=bool)
        for i, nodes in enumerate(self.staging):
            for node in nodes:
                self.staging_mask[i, node - p] = True

    def _build_timeline(self) -> None:
        self.timeline: dict[int, list] = {}
        for ev in self.config.events:
            step = ev.step if ev.step is not None else self.config.step_of(ev.at)
            self.timeline.setdefault(step, []).append(ev)

    # ------------------------------------------------------------ derived state
    def _update_derived(self) -> None:
        """Quantities every mechanism reads, recomputed from the arrays."""
        p = self.p
        self.armed = self.strength * self.equipment * self.effectiveness[:, None]
        self.presence = relations.presence(self.strength, p.presence_scale)
        self.competition = self.overlap + p.defection_weight * self.defection_memory
        st = self.prev_status
        self.allied = st == relations.ALLY
        rivals = (self.competition > p.rival_fight_threshold) | (
            self.competition.T > p.rival_fight_threshold
        )
        hostile = ((st == relations.ENEMY) | rivals) & ~self.allied
        np.fill_diagonal(hostile, False)
        self.hostile = hostile

    def status_now(self) -> np.ndarray:
        """Pair status (1 ally, 0 neutral, -1 enemy) of the current affinities."""
        p = self.p
        previous = getattr(self, "prev_status", None)
        return relations.status(
            self.affinity, p.ally_threshold, p.enemy_threshold, previous, p.hysteresis
        )

    def _cover(self) -> np.ndarray:
        """``[N]`` air cover each deploying state gives now: air support × manning."""
        start = self.initial_totals
        manning = np.divide(
            self.strength.sum(axis=1), start, out=np.zeros(len(start)), where=start > 0
        )
        return self.air_support * self.deploys * np.minimum(manning, 1.0)

    def _patron_support(self) -> np.ndarray:
        """``[N]`` share of the allied cover an actor had at the start, left now."""
        now = self.allied.astype(float) @ self._cover()
        return np.divide(
            np.minimum(now, self.cover_at_start),
            self.cover_at_start,
            out=np.ones_like(now),
            where=self.cover_at_start > 0,
        )

    def _firepower(self) -> np.ndarray:
        cover = self._cover()
        air = 1.0 + self.allied.astype(float).T @ cover + cover
        self.air = air
        return self.effectiveness[:, None] * self.equipment * air[:, None]

    def _expected_losses(self) -> tuple[combat.Engagements, np.ndarray]:
        """Where hostile forces meet now, and the losses expected there."""
        p = self.p
        fire = self._firepower()
        intensity = np.maximum(0.0, -self.affinity) + p.gamma * self.competition + 0.05
        eng = combat.Engagements.find(self.strength, self.hostile)
        shares = combat.fire_shares(eng, self.strength, self.hostile, intensity)
        expected = combat.expected_losses(
            eng, self.strength, fire, shares, p.beta, p.alpha, self.terrain
        )
        return eng, expected

    # ------------------------------------------------------------------- step
    def step(self) -> None:
        """Advance one period in the fixed order of the module docstring.

        ``self.ledger`` then holds every change of strength this step, one
        ``[N, P]`` array per term of :data:`sim.core.history.LEDGER`.
        """
        self._new_ledger()
        events = self.timeline.get(self.step_index, [])
        for ev in events:
            self._apply_event(ev)
        if events:  # otherwise the state is as the last step left it
            self._update_derived()
        self._fighting = self._direct_fighting()
        self._relations_step()
        self._update_derived()
        self._aid_step()
        self._recruit_and_defect()
        self._move()
        self._update_derived()
        self._combat()
        self._upkeep()
        self._update_derived()
        self._control()
        self.step_index += 1
        self._sync_cells()
        self._record()

    def run(self, steps: int | None = None, progress=None) -> GreatGame:
        """Run ``steps`` (default: the scenario's remaining steps); returns self.

        Args:
            steps: how many steps to run.
            progress: optional callable called with no argument after each step
                (e.g. a tqdm bar's ``update``).
        """
        remaining = self.config.steps - self.step_index
        for _ in range(remaining if steps is None else min(steps, remaining)):
            self.step()
            if progress is not None:
                progress()
        return self

    # -------------------------------------------------------------- mechanisms
    def _relations_step(self) -> None:
        p, n = self.p, len(self.keys)
        noise = p.sigma * self.streams["relations"].standard_normal((n, n))
        rule = p.alliance_rule
        if rule == "static":
            terms = relations.Terms.zeros(n)
        elif rule == "structural_balance":
            terms = relations.structural_balance_terms(
                affinity=self.affinity,
                baseline=self.baseline,
                inertia=self.inertia,
                noise=noise,
                eta=p.eta,
            )
        else:
            if rule == "balance_of_power":
                power = self.armed.sum(axis=1) / max(self.armed.sum(), 1e-12)
                threat = relations.power_threat(power)
                fight = np.broadcast_to(self.hostile.astype(float), (n, n, n))
            else:
                zone = relations.zone_presence(self.interests, self.presence)
                threat = relations.threat(
                    self.affinity, self.intent, self.competition, zone, p.gamma
                )
                direct = self._fighting
                fight = relations.with_aid(direct, self.aid_share)
            self.threat_matrix = threat
            help_ = relations.help_received(
                self.delivered, self.strength.sum(axis=1), p.help_scale
            )
            befriend = relations.befriending(self.affinity, help_, p.sentiment_weight)
            terms = relations.balance_of_threat_terms(
                affinity=self.affinity,
                baseline=self.baseline,
                inertia=self.inertia,
                threat_=threat,
                fight=fight,
                befriend=befriend,
                help_=help_,
                ideology_distance=self.ideology_distance,
                noise=noise,
                eta=p.eta,
                rho=p.rho,
                kappa=p.kappa,
                lam=p.lam,
            )
        if rule != "static":
            moved = self.affinity + terms.total()
            # what np.clip does, without its overhead (it shows in sweeps)
            self.affinity = np.minimum(np.maximum(moved, -1.0), 1.0)
            np.fill_diagonal(self.affinity, 1.0)
            for name in relations.Terms.FIELDS:
                getattr(self.cum, name)[...] += getattr(terms, name)
        new = self.status_now()
        changed = np.argwhere((new != self.prev_status) & self.upper_pairs)
        names = [a.name for a in self.actor_agents]
        for i, j in changed:
            direction = 1 if new[i, j] > self.prev_status[i, j] else -1
            why, despite = relations.explain_pair(
                int(i), int(j), self.cum, names, direction
            )
            self._log(
                "alliance" if new[i, j] == relations.ALLY else "relation",
                a=self.keys[i],
                b=self.keys[j],
                old=relations.STATUS_NAMES[int(self.prev_status[i, j])],
                new=relations.STATUS_NAMES[int(new[i, j])],
                affinity=[
                    round(float(self.affinity[i, j]), 3),
                    round(float(self.affinity[j, i]), 3),
                ],
                why=why,
                despite=despite,
            )
            for name in relations.Terms.FIELDS:
                arr = getattr(self.cum, name)
                arr[i, j] = arr[j, i] = 0.0
        self.prev_status = new

    def _usefulness(self) -> np.ndarray:
        if not hasattr(self, "threat_matrix"):
            return np.zeros((len(self.keys),) * 2)
        return np.einsum("ik,ijk->ij", self.threat_matrix, self._fighting)

    def _direct_fighting(self) -> np.ndarray:
        share = relations.fighting_share(self.kills.inflicted_in(self.interests))
        return share * self.credit[:, :, None]

    def _aid_step(self) -> None:
        p, n = self.p, len(self.keys)
        totals = self.strength.sum(axis=1)
        plan = supply.allocate(
            budget=self.resources,
            self_funding=self.self_funding,
            hedging=self.hedging,
            affinity=self.affinity,
            usefulness=self._usefulness(),
            strength=totals,
            aid_threshold=p.aid_threshold,
            enemy_threshold=p.enemy_threshold,
        )
        plan += self.pending_aid
        kept = np.diag(plan) - np.diag(self.pending_aid)  # spent on own forces
        self.budget_now = (
            self.resources
            - kept
            + (self.pending_aid.sum(axis=1) - np.diag(self.pending_aid))
        )
        self.pending_aid = np.zeros((n, n))
        sent = np.zeros((n, n))
        delivered = np.zeros((n, n))
        own = np.diag(plan) * (totals > 0)
        gained = own[:, None] * np.divide(
            self.strength,
            totals[:, None],
            out=np.zeros_like(self.strength),
            where=totals[:, None] > 0,
        )
        outside = plan * ~np.eye(n, dtype=bool) * (totals > 0)[None, :]
        pairs = np.argwhere(outside.T > 0)  # (client, patron), by client
        if len(pairs):
            clients, patrons = pairs[:, 0], pairs[:, 1]
            loss = supply.province_loss(self.armed, self.hostile, p.interdiction)
            surv, pred = self._flow_paths(loss, clients, patrons)
            sent_u, deliv_u, per_prov, target = supply.deliver_many(
                outside[patrons, clients],
                self.strength[clients],
                surv,
                self.reach_matrix[patrons],
            )
            np.add.at(gained, clients, per_prov)
            sent[patrons, clients] = sent_u / supply.MICRO
            delivered[patrons, clients] = deliv_u / supply.MICRO
            t = self.step_index + 1
            for f in np.flatnonzero(sent_u > 0):
                route = supply.route_of(pred[f], int(target[f]))
                self.history.flows.append(
                    Flow(
                        t,
                        self.keys[patrons[f]],
                        self.keys[clients[f]],
                        ">".join(self.node_names[q] for q in route),
                        int(sent_u[f]),
                        int(deliv_u[f]),
                    )
                )
        self._spend_aid(gained)
        off = sent.copy()
        row = off.sum(axis=1, keepdims=True)
        self.aid_share = np.divide(off, row, out=np.zeros_like(off), where=row > 0)
        self.delivered = delivered
        self.sent_now = sent
        self.received_now = delivered.sum(axis=0)

    def _flow_paths(
        self, loss: np.ndarray, clients: np.ndarray, patrons: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """Survival and predecessors ``[F, nodes]`` for each (client, patron) flow.

        Aid enters at the patron's staging nodes or, for a patron without
        any, in the provinces where it has forces. Flows to one client from
        patrons with the same entry points take the same roads, so each such
        search is run once.
        """
        sources = [
            tuple(self.staging[j])
            or tuple(np.flatnonzero(self.strength[j] >= self.p.min_strength).tolist())
            for j in patrons
        ]
        first: dict[tuple, int] = {}
        which = [
            first.setdefault((c, s), len(first))
            for c, s in zip(clients.tolist(), sources, strict=True)
        ]
        if len(first) == len(which):  # no two alike (the usual case on a small map)
            return self.roads.paths(loss[clients], [list(s) for s in sources])
        unique = list(first)
        surv, pred = self.roads.paths(
            loss[[c for c, _ in unique]], [list(s) for _, s in unique]
        )
        return surv[which], pred[which]

    def _spend_aid(self, gained: np.ndarray) -> None:
        p = self.p
        kit = p.aid_to_equipment * gained
        per_k = np.divide(
            kit * p.equipment_per_aid * 1000.0,
            self.strength,
            out=np.zeros_like(kit),
            where=self.strength > 0,
        )
        self.equipment = np.minimum(p.max_equipment, self.equipment + per_k)
        paid = (1.0 - p.aid_to_equipment) * gained * p.recruits_per_aid
        self.ledger["aid_recruits"] += paid
        self._add_recruits(paid)

    def _add_recruits(self, recruits: np.ndarray) -> None:
        new = self.strength + recruits
        base = self.base_equipment[:, None]
        self.equipment = np.divide(
            self.strength * self.equipment + recruits * base,
            new,
            out=self.equipment,
            where=new > 0,
        )
        self.strength = new

    def _recruit_and_defect(self) -> None:
        p = self.p
        expected = (
            combat.recruitment(
                self.recruit_rate, self.population, self.ethnic_match, self.armed
            )
            + self.collateral_recruits
        )
        self.collateral_recruits = np.zeros_like(self.collateral_recruits)
        drawn = combat.poisson(self.streams["recruitment"], expected)
        self.ledger["drawn_recruits"] += drawn
        self._add_recruits(drawn)
        present = self.strength >= p.min_strength
        rivals = self.overlap * ~self.allied
        who, moved = combat.defection(
            self.strength,
            self.cohesion,
            rivals,
            present,
            p.defection_rate,
            p.cohesion_threshold,
        )
        if moved.any():
            moved = np.floor(moved + self.streams["defection"].random(moved.shape))
            out = who.total(who.from_cell, moved)
            # rounding up may ask more than a force has: scale its defectors down
            # so that the rivals receive exactly what it loses
            fit = np.divide(
                self.strength, out, out=np.ones_like(out), where=out > self.strength
            )
            moved *= fit.ravel()[who.from_cell]
            out = np.minimum(who.total(who.from_cell, moved), self.strength)
            gained = who.total(who.to_cell, moved)
            self.strength = self.strength - out
            self.ledger["defections_out"] += out
            self.ledger["defections_in"] += gained
            self._add_recruits(gained)
            totals = self.strength.sum(axis=1, keepdims=True)
            flow = np.divide(
                who.by_pair(moved),
                totals,
                out=np.zeros_like(self.defection_memory),
                where=totals > 0,
            )
        else:
            flow = np.zeros_like(self.defection_memory)
        m = p.defection_memory
        self.defection_memory = m * self.defection_memory + (1 - m) * flow

    def _move(self) -> None:
        p = self.p
        total = self.armed.sum(axis=0)
        side = self.allied | np.eye(len(self.keys), dtype=bool)
        friendly = np.divide(
            side.astype(float) @ self.armed,
            total,
            out=np.zeros_like(self.armed),
            where=total > 0,
        )
        hostile = np.divide(
            self.hostile.astype(float) @ self.armed,
            total,
            out=np.zeros_like(self.armed),
            where=total > 0,
        )
        value = movement.province_value(
            lasting=self.lasting_value,
            weights=p.move_weights,
            supply=self._supply_nearness(),
            friendly_share=friendly,
            hostile_share=hostile,
            crowding=movement.crowding(self.strength, self.population),
        )
        jitter = 1e-6 * self.streams["movement"].random(value.shape)
        amount, dest = movement.moves(
            self.strength,
            value + jitter,
            self.neighbours,
            self.mobility,
            p.move_margin,
            p.garrison,
        )
        self.strength, self.equipment, arrived = movement.apply_moves(
            self.strength, self.equipment, amount, dest
        )
        self.ledger["moves_out"] += amount
        self.ledger["moves_in"] += arrived

    def _supply_nearness(self) -> np.ndarray:
        """``[N, P]`` closeness to the actor's own or its patrons' entry points."""
        entries = self.staging_mask | (
            (self.sent_now.T[:, :, None] > 0) & self.staging_mask[None, :, :]
        ).any(axis=1)
        key = entries.tobytes()
        if key not in self._nearness:  # patrons change rarely: remember the answer
            hops = np.where(entries[:, :, None], self.hops[None], np.inf).min(axis=1)
            self._nearness[key] = np.exp(-hops / 2.0)
        return self._nearness[key]

    def _combat(self) -> None:
        p = self.p
        eng, expected = self._expected_losses()
        self.kills = self.kills.blend(eng, expected, KILLS_MEMORY)
        kills = combat.draw_losses(eng, expected, self.strength, self.streams["combat"])
        losses = eng.total(eng.to_cell, kills)
        self.strength = np.maximum(0.0, self.strength - losses)
        self.ledger["combat_losses"] += losses
        if p.collateral > 0:
            air_part = (self.air - 1.0) / self.air
            air_kills = eng.total(eng.to_cell, kills * air_part[eng.j])
            insurgent = np.array([a.kind == "insurgent" for a in self.actor_agents])
            self.collateral_recruits = p.collateral * air_kills * insurgent[:, None]

    def _upkeep(self) -> None:
        p = self.p
        for i in np.flatnonzero(~np.isnan(self.troops)):
            before = self.strength[i].copy()
            total = self.strength[i].sum()
            if total > 0:
                self.strength[i] *= self.troops[i] / total
            elif self.troops[i] > 0 and self.initial_strength[i].sum() > 0:
                base = self.initial_strength[i]
                self.strength[i] = self.troops[i] * base / base.sum()
            self.ledger["reinforcement"][i] += self.strength[i] - before
        gone = self.strength < p.min_strength
        self.ledger["dispersed"] += np.where(gone, self.strength, 0.0)
        self.strength[gone] = 0.0
        base = self.base_equipment[:, None]
        self.equipment += p.equipment_decay * (base - self.equipment)
        reliance = self.patron_reliance
        target = self.base_cohesion * (
            1.0 - reliance + reliance * self._patron_support()
        )
        drift = target[:, None] - self.cohesion
        self.cohesion += p.cohesion_recovery * drift

    def _control(self) -> None:
        new = combat.controller(self.armed, self.p.control_share)
        old = self.controller_now
        for q in np.flatnonzero(new != old):
            if new[q] >= 0 and old[q] != new[q]:
                self._log(
                    "capture",
                    province=self.geo.names[q],
                    capital=self.geo.capitals[q],
                    actor=self.keys[new[q]],
                    previous=self.keys[old[q]] if old[q] >= 0 else "contested",
                )
            elif new[q] < 0:
                self._log(
                    "contested", province=self.geo.names[q], previous=self.keys[old[q]]
                )
        self.controller_now = new

    # ----------------------------------------------------------------- events
    def _apply_event(self, ev) -> None:
        kind = ev.do
        label = ev.label
        if kind == "set":
            self._set_path(ev.path, ev.value)
            self._log(
                "set",
                path=ev.path,
                value=ev.value,
                label=label,
                when=self._event_date(ev),
            )
        elif kind == "splinter":
            a, b = self.index[ev.actor], self.index[ev.into]
            where = (
                np.array([self.geo.index[q] for q in ev.provinces])
                if ev.provinces
                else np.arange(self.geo.n_provinces)
            )
            moved = np.zeros_like(self.strength)
            moved[b, where] = self.strength[a, where] * ev.share
            self.strength[a, where] -= moved[b, where]
            self.ledger["splinter_out"][a, where] += moved[b, where]
            self.ledger["splinter_in"][b, where] += moved[b, where]
            self._add_recruits(moved)
            self._log(
                "splinter",
                actor=ev.actor,
                into=ev.into,
                share=ev.share,
                fighters=round(float(moved.sum()), 1),
                label=label,
                when=self._event_date(ev),
            )
        elif kind == "shock":
            a = self.index[ev.actor]
            if ev.affinity is not None:
                b = self.index[ev.toward]
                pairs = [(a, b), (b, a)] if ev.mutual else [(a, b)]
                if a == b:  # an actor's affinity toward itself stays 1
                    pairs = []
                for x, y in pairs:
                    before = self.affinity[x, y]
                    self.affinity[x, y] = np.clip(before + ev.affinity, -1, 1)
                    self.cum.shock[x, y] += self.affinity[x, y] - before
            if ev.cohesion is not None:
                self.cohesion[a] = np.clip(self.cohesion[a] + ev.cohesion, 0, 1)
            self._log(
                "shock",
                actor=ev.actor,
                toward=ev.toward,
                affinity=ev.affinity,
                cohesion=ev.cohesion,
                label=label,
                when=self._event_date(ev),
            )
        elif kind == "aid":
            self.pending_aid[self.index[ev.actor], self.index[ev.to]] += ev.amount
            self._log(
                "aid",
                actor=ev.actor,
                to=ev.to,
                amount=ev.amount,
                label=label,
                when=self._event_date(ev),
            )

    def _event_date(self, ev):
        """The date a scenario event is told under: its own, or its step's start."""
        return ev.at if ev.at is not None else self.config.date_of(ev.step)

    def _set_path(self, path: str, value) -> None:
        self.config.set_value(path, value)  # checked at load time already
        parts = path.split(".")
        if parts[0] == "actors" and parts[-1] == "cohesion":
            self.cohesion[self.index[parts[1]]] = value
        self._refresh_parameters()

    def _log(self, kind: str, when=None, **data) -> None:
        t = self.step_index + 1
        date = when or self.config.date_of(t)
        entry = {"step": t, "date": date.isoformat(), "type": kind}
        entry.update({k: v for k, v in data.items() if v is not None})
        self.history.events.append(entry)

    # ------------------------------------------------------------------ record
    def _sync_cells(self) -> None:
        present = self.strength >= self.p.min_strength
        for i, q in np.argwhere(present != self.in_cell):
            force = self.forces[i].get(q)
            if force is None:
                force = self.forces[i][q] = Force(self, self.actor_agents[i], int(q))
            force.sync_cell(bool(present[i, q]))
        self.in_cell = present

    def _new_ledger(self) -> None:
        """Zero the step's ledger: one ``[N, P]`` view per term, in one block."""
        self.ledger_block = np.zeros((len(LEDGER), *self.strength.shape))
        self.ledger = dict(zip(LEDGER, self.ledger_block, strict=True))

    def _record(self) -> None:
        h, t = self.history, self.step_index
        h.last = t
        if t == 0:  # nothing has changed yet
            self._new_ledger()
        h.strength[t] = self.strength
        h.equipment[t] = self.equipment
        h.affinity[t] = self.affinity
        h.status[t] = self.prev_status
        h.controller[t] = self.controller_now
        share = combat.government_share(
            self.armed, self.government, self.allied, self.hostile
        )
        h.government_share[t] = share
        h.sigar[t] = combat.sigar_class(share, self.p.sigar_bands)
        if t > 0:
            h.aid_sent[t] = self.sent_now.sum(axis=1)
            h.aid_received[t] = self.received_now
            h.aid_budget[t] = self.budget_now
            totals = dict(zip(LEDGER, self.ledger_block.sum(axis=2), strict=True))
            h.losses[t] = totals["combat_losses"]
            h.recruits[t] = totals["aid_recruits"] + totals["drawn_recruits"]
            for name in KEPT_TERMS:
                getattr(h, name)[t] = totals[name]
