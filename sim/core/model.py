"""The greatgame Mesa model: builds a run and steps it, one sub-model at a time.

One step is one ``step_days`` period (a week in 2016.yaml). The process
overview, in order (ODD protocol; one line each in :meth:`GreatGame.step`:
a method of the model, or a function of :mod:`sim.core.incidents` or of
:mod:`sim.core.forces`, the forces' sub-models 4 to 8):

1. **Timeline**: scenario events due this step (``set``, ``splinter``,
   ``shock``, ``aid``; :mod:`sim.core.timeline`).
2. **Relations**: presence beliefs learn toward the armed presence
   (:mod:`sim.processes.perception`); each actor perceives threat from them
   and updates its affinities
   under its own theory lens (:mod:`sim.processes.lenses`); all decide from
   the same state, then all apply. Status changes are logged with their
   explanation (:mod:`sim.processes.explanation`).
3. **Aid**: budgets divided among clients, sent along least-loss supply
   lines, spent on equipment and recruits (:mod:`sim.processes.supply`,
   :mod:`sim.processes.aid`).
3b. **Incidents**: offensives, leaders killed, commanders who defect,
   drawn from the state on their own stream (:mod:`sim.core.incidents`).
4. **Recruitment** and **defection** (:mod:`sim.processes.recruitment`,
   :mod:`sim.processes.defection`).
5. **Movement** toward better provinces (:mod:`sim.processes.movement`).
6. **Combat**: stochastic attrition by a named Lanchester law
   (:mod:`sim.processes.combat`).
7. **Upkeep**: manning of deployed state troops, dispersal, equipment wear,
   cohesion recovery (:mod:`sim.processes.upkeep`).
8. **Control**: controller and SIGAR class per province; captures logged
   (:mod:`sim.processes.control`).
9. **Record**: forces enter or leave their cells, and the step is stored in
   :class:`sim.core.history.History`.

The arrays that change live in :class:`sim.core.state.State`
(``model.state``), the per-actor scenario values in
:class:`sim.core.setup.Setup` (``model.setup``); both are readable as model
attributes (``model.strength``, ``model.p``...). The quantities derived from
them (armed strength, sides) are refreshed after relations (the sides only
when a status changed: else they stand as movement left them), the sides
again after movement and the armed strength before control, so aid, recruitment
and movement see the sides as relations left them, combat sees the forces
where movement put them, and control sees those upkeep left.

All randomness comes from named streams spawned from the run's seed
(:mod:`sim.core.streams`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields
from typing import Any

import mesa
import numpy as np

from sim.core import forces, incidents, logbook, timeline
from sim.core.agents import (
    Force,
    decide_all,
    divide_all_aid,
    lens_rows,
    sync_forces,
)
from sim.core.build import build_actors, build_space, private_copy
from sim.core.collector import HistoryCollector
from sim.core.history import KEPT_TERMS, History
from sim.core.setup import Setup, Ties, provinces_named
from sim.core.state import State, StateField
from sim.core.streams import STREAMS, seed_streams
from sim.processes import (
    aid,
    control,
    delivery,
    firepower,
    kill_memory,
    lenses,
    pair_status,
    perception,
    recruitment,
    supply,
    threats,
)
from sim.scenario.resolve import (
    ScenarioLike,
    override_paths,
    resolve_scenario,
    resolve_seed,
)
from sim.world.geography import Geography, geography_for

__all__ = ["KEPT_TERMS", "STREAMS", "GreatGame", "seed_streams"]


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

    prev_status = StateField("state", "status")
    threat_matrix = StateField("state", "threat")
    controller_now = StateField("state", "controller")
    baseline = StateField("setup.ties")
    inertia = StateField("setup.ties")
    ideology_distance = StateField("setup.ties")
    upper_pairs = StateField("setup.ties")

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
        self.config = private_copy(scenario)
        self._build()

    # ------------------------------------------------------------------ build
    def _build(self) -> None:
        """Everything a run starts from, given ``self.config``."""
        self.geo: Geography = geography_for(self.config.map)
        self.step_index = 0
        build_space(self)
        build_actors(self)
        self.setup = Setup.build(
            self.config, self.geo, self.hops, Ties.build(self.config, self.index)
        )
        self.timeline = timeline.schedule(self.config)
        self.history = History.for_run(
            self.config, self.geo, [a.name for a in self.actor_agents]
        )
        self._start_state()
        self.running = self.step_index < self.config.steps
        self._sync_cells()
        self._store()

    def _start_state(self) -> None:
        """Affinities, sides, air cover, first fighting and control at the start."""
        s, k, p = self.state, self.setup, self.setup.p
        s.affinity = k.ties.baseline.copy()
        s.unbounded = s.affinity.copy()  # the Marvel lens's X starts at A(0)
        s.status = pair_status.status(s.affinity, p.ally_threshold, p.enemy_threshold)
        s.derive(k)
        self._start_beliefs()
        self.cover_at_start = firepower.allied_cover(s.allied, forces.cover(self))
        eng, expected = forces.expected_losses(self)
        s.kills = kill_memory.KillMemory.start(eng, expected)
        s.controller = control.controller(s.armed, p.control_share)
        s.front = control.Front.start(s.controller, len(self.keys))
        s.new_ledger()

    def refresh_setup(self) -> None:
        """Rebuild the per-actor arrays after the scenario (``self.config``) changed."""
        self.setup = Setup.build(self.config, self.geo, self.hops, self.setup.ties)

    # ------------------------------------------------------------------- step
    def step(self) -> None:
        """Advance one period, one line per sub-model (module docstring).

        ``self.ledger`` then holds every change of strength this step, one
        ``[N, P]`` array per term of :data:`sim.core.history.LEDGER`.

        Raises:
            RuntimeError: the run has already reached its last step.
        """
        self._check_not_finished()
        self.state.new_ledger()
        self._timeline()
        self._relations()
        self._aid()
        incidents.step(self)
        forces.recruit_and_defect(self)
        forces.move(self)
        forces.fight(self)
        forces.maintain(self)
        forces.take_control(self)
        self._record()

    def run(self, steps: int | None = None, progress=None) -> GreatGame:
        """Run ``steps`` (default: the scenario's remaining steps); returns self.

        Args:
            steps: how many steps to run (at most those remaining).
            progress: optional callable called with no argument after each step
                (e.g. a tqdm bar's ``update``).
        """
        remaining = self.config.steps - self.step_index
        for _ in range(remaining if steps is None else min(steps, remaining)):
            self.step()
            if progress is not None:
                progress()
        return self

    def _check_not_finished(self) -> None:
        last = self.config.steps
        if self.step_index >= last:
            raise RuntimeError(
                f"the run has reached its last step ({last}); to run longer, "
                "load the scenario with more steps (steps=... in the scenario "
                "or an override, or --steps N on the command line)"
            )

    # -------------------------------------------------------------- sub-models
    def _timeline(self) -> None:
        """1. Scenario events due this step."""
        events = self.timeline.get(self.step_index, [])
        for ev in events:
            timeline.apply_event(self, ev)
        if events:  # otherwise the state is as the last step left it
            self.state.derive(self.setup)

    def _relations(self) -> None:
        """2. Each actor updates its affinities by its lens; status changes logged."""
        s, k, p = self.state, self.setup, self.setup.p
        n = s.affinity.shape[0]  # the actors
        noise = p.sigma * self.streams["relations"].standard_normal((n, n))
        believed_threat = self._perceive()
        omega = p.perceived_fight
        if omega == 1.0:  # (1 - ω)·Hz + ω·Hz_b is Hz_b itself: no need of Hz
            fight = perception.believed_fighting(
                k.interests, s.beliefs, s.presence, s.hostile
            )
        else:
            fight = threats.fighting_share(s.kills.inflicted_in(k.interests))
        if 0.0 < omega < 1.0:
            believed = perception.believed_fighting(
                k.interests, s.beliefs, s.presence, s.hostile
            )
            fight = perception.blend_fighting(fight, believed, omega)
        s.fighting = fight * k.credit[:, :, None]
        view = s.outlook(k, believed_threat)  # as _perceive has just computed it
        self.verdicts = {
            rule: lenses.lens_terms(rule, view, p, noise)
            for rule in lens_rows(tuple(k.lenses))  # each lens once (cached)
        }
        decide_all(self)  # every actor's decide, then every actor's apply
        new = self.status_now()
        if np.logical_or.reduce(new != s.status, None):  # most steps: no change
            logbook.log_status_changes(self, new)
            s.status = new
        if not s.sides_hold(k):  # else they stand as movement or _timeline left them
            s.derive_sides(k)  # the forces are as _timeline or take_control left them

    def _start_beliefs(self) -> None:
        """Presence beliefs at the start: the scenario's, else the armed presence."""
        s, geo = self.state, self.geo
        given = perception.given_beliefs(
            self.config, lambda w: provinces_named(geo, w), geo.n_provinces
        )
        s.beliefs = perception.initial(given, s.presence)
        self._zones()

    def _perceive(self) -> np.ndarray:
        """2a. Beliefs learn toward the armed presence; the real threat beside them.

        Returns the threat of the presence the lenses read: the believed one,
        or the armed one when beliefs are the armed presence.
        """
        s, k, p = self.state, self.setup, self.setup.p
        s.beliefs = perception.learn(s.beliefs, s.presence, p.belief_rate)
        self._zones()
        drive = threats.threat_drive(s.affinity, k.intent, s.competition, p.gamma)
        s.real_threat = threats.threat(
            s.affinity, k.intent, s.competition, s.zone_armed, p.gamma, drive
        )
        if p.belief_rate >= 1.0:  # the lenses read the armed presence
            return s.real_threat
        return threats.threat(
            s.affinity, k.intent, s.competition, s.zone_perceived, p.gamma, drive
        )

    def _zones(self) -> None:
        s, k = self.state, self.setup
        s.zone_armed = threats.zone_presence(k.interests, s.presence)
        s.zone_perceived = perception.zone_presence(k.interests, s.beliefs)

    def _aid(self) -> None:
        """3. Budgets divided by the actors, sent along the roads and spent."""
        s, k, p = self.state, self.setup, self.setup.p
        n = len(self.keys)
        totals = np.add.reduce(s.strength, 1)  # each actor's fighters
        self.aid_plan = supply.allocate(
            budget=k.resources,
            self_funding=k.self_funding,
            hedging=k.hedging,
            affinity=s.affinity,
            usefulness=aid.usefulness(s.threat, s.fighting),
            strength=totals,
            aid_threshold=p.aid_threshold,
            enemy_threshold=p.enemy_threshold,
        )
        plan = divide_all_aid(self)  # every actor's divide_aid
        s.budget_now = aid.budget_spent(k.resources, plan, s.pending_aid)
        s.pending_aid = np.zeros((n, n))
        shipped = delivery.ship(
            aid.to_others(plan, s.strength, totals),
            aid.own_forces(plan, s.strength, totals),
            s.strength,
            supply.province_loss(s.armed, s.hostile, p.interdiction),
            self.roads,
            k.reach_matrix,
            k.staging,
            p.min_strength,
        )
        logbook.log_flows(self, shipped.routes)
        sent, delivered = shipped.sent, shipped.delivered
        s.equipment, paid = aid.spend(s.strength, s.equipment, shipped.gained, p)
        s.ledger["aid_recruits"] += paid
        self._add_recruits(paid)
        s.aid_share = aid.shares_sent(sent)
        s.delivered = delivered
        s.sent_now = sent
        s.received_now = np.add.reduce(delivered, 0)

    def _record(self) -> None:
        """9. The step is done: forces take their cells, the history its row."""
        self.step_index += 1
        self.running = self.step_index < self.config.steps
        self._sync_cells()
        self._store()

    # ----------------------------------------------------------------- helpers
    def status_now(self) -> np.ndarray:
        """Pair status (1 ally, 0 neutral, -1 enemy) of the current affinities."""
        s, p = self.state, self.setup.p
        return pair_status.status(
            s.affinity, p.ally_threshold, p.enemy_threshold, s.status, p.hysteresis
        )

    def _add_recruits(self, recruits: np.ndarray) -> None:
        s = self.state
        s.strength, s.equipment = recruitment.add_recruits(
            s.strength, s.equipment, recruits, self.setup.base_equipment
        )

    # ------------------------------------------------------------------ record
    def log(self, kind: str, when=None, **data) -> None:
        """Add an entry of type ``kind`` to the event log (dated this step's end)."""
        logbook.log(self, kind, when, **data)

    def _sync_cells(self) -> None:
        s = self.state
        s.in_cell = sync_forces(self, s.strength >= self.setup.p.min_strength)

    def _store(self) -> None:
        s = self.state
        share = control.government_share(s.armed, self.government, s.allied, s.hostile)
        sigar = control.sigar_class(share, self.setup.p.sigar_bands)
        self.history.record(self.step_index, s, share, sigar)

    def forces_in(self, province: str | int) -> list[Force]:
        """The forces standing in ``province`` (a name or an id) now, by actor.

        The notebook query "who is in Kunduz now?": ``model.forces_in("Kunduz")``.
        """
        q = self.geo.index[province] if isinstance(province, str) else int(province)
        return sorted(self.space[q].agents, key=lambda f: f.actor.index)


# Every field of the run's State and Setup reads as a model attribute
# (``model.strength`` is ``model.state.strength``, ``model.p`` is
# ``model.setup.p``), the names notebooks, the dashboard and checks use.
for _holder, _cls in (("state", State), ("setup", Setup)):
    for _field in fields(_cls):
        if not hasattr(GreatGame, _field.name):
            setattr(GreatGame, _field.name, StateField(_holder, _field.name))
