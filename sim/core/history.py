"""What a run remembers: per-step arrays, aid flows and the event log.

The model fills a :class:`History` as it steps; :mod:`sim.results.tables` turns it
into tables and the chronicle. Row ``t`` of every array is the state after
``t`` steps (row 0 is the start).

**The strength ledger.** Every way an actor's strength can change in a step
is a named term of :data:`LEDGER`, with its sign in the balance::

    strength after − strength before = Σ sign × term

The model keeps the terms of the current step per actor and province
(``GreatGame.ledger``, ``[N, P]`` arrays) and :class:`History` keeps their
per-actor totals by step (``recruits`` = aid-paid + drawn recruits,
``losses`` = combat losses, and the arrays named after the other terms;
``moves_in``/``moves_out`` cancel per actor and are not kept).

**Structural balance.** Each row also keeps the balance of that row's
alliance network (:mod:`sim.processes.balance`): ``balance_counts[t]`` holds
``BALANCE_COLUMNS`` (signed edges, fully signed triads, balanced triads,
frustration index) and ``camps[t]`` the optimal two-camp split (+1/−1, 0
for an actor with no ally or enemy). Both derive from ``status`` alone, so
:meth:`History.fill_balance` rebuilds them for a history read back from files.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from sim.processes import balance

if TYPE_CHECKING:
    from sim.core.state import State

#: The terms of the strength balance and their signs (see the module docstring).
LEDGER: dict[str, int] = {
    "splinter_in": +1,  # a ``splinter`` event: fighters received from another actor
    "splinter_out": -1,  # ... and fighters that left for it
    "aid_recruits": +1,  # recruits paid for by aid delivered (or own budget)
    "drawn_recruits": +1,  # recruits drawn from the population, incl. collateral
    "defections_in": +1,  # fighters who defected to this actor
    "defections_out": -1,  # fighters who defected from it
    "moves_in": +1,  # fighters who moved into the province (zero sum per actor)
    "moves_out": -1,  # fighters who moved out of it
    "combat_losses": -1,  # killed in combat
    "reinforcement": +1,  # deployed states' rotation to their ``troops`` (signed)
    "dispersed": -1,  # forces below ``min_strength`` leave the map
    "went_home": -1,  # deserters who leave the war (``home_share``)
}


def ledger_net(ledger: dict[str, np.ndarray]) -> np.ndarray:
    """The signed sum of a ledger's terms: the change in strength it accounts for."""
    return sum(sign * ledger[name] for name, sign in LEDGER.items())


#: Ledger terms whose per-actor totals History keeps under their own names
#: (recruits and losses have their own arrays; moves cancel per actor).
KEPT_TERMS = (
    "defections_in",
    "defections_out",
    "splinter_in",
    "splinter_out",
    "reinforcement",
    "dispersed",
    "went_home",
)


#: Each ledger term's row in ``State.ledger_block``, and the kept terms' rows.
_ROW = {name: row for row, name in enumerate(LEDGER)}
_KEPT_ROWS = tuple((name, _ROW[name]) for name in KEPT_TERMS)

#: The columns of ``History.balance_counts`` (see the module docstring).
BALANCE_COLUMNS = ("signed_edges", "triads", "balanced_triads", "frustration")


@dataclass
class Flow:
    """Aid from one patron to one client in one step (micro-units, exact)."""

    step: int
    patron: str
    client: str
    route: str
    sent: int
    delivered: int

    @property
    def interdicted(self) -> int:
        """Lost on the way: exactly sent − delivered."""
        return self.sent - self.delivered


@dataclass
class History:
    """Arrays of a run, indexed ``[step, ...]`` with ``steps + 1`` rows.

    ``losses``, ``recruits`` and the ledger totals (``defections_in`` to
    ``dispersed``) are per actor and step, zero in row 0. The ledger totals
    are kept in memory only: no output file holds them, so a History read
    back from a run directory (:func:`sim.results.rundata.load_run`) has them at 0.
    """

    actor_keys: list[str]
    actor_names: list[str]
    province_names: list[str]
    dates: list[dt.date]
    strength: np.ndarray
    equipment: np.ndarray
    affinity: np.ndarray
    status: np.ndarray
    controller: np.ndarray
    government_share: np.ndarray
    sigar: np.ndarray
    aid_sent: np.ndarray
    aid_received: np.ndarray
    aid_budget: np.ndarray
    losses: np.ndarray
    recruits: np.ndarray
    defections_in: np.ndarray
    defections_out: np.ndarray
    splinter_in: np.ndarray
    splinter_out: np.ndarray
    reinforcement: np.ndarray
    dispersed: np.ndarray
    went_home: np.ndarray
    defections_by_pair: np.ndarray  # [step, from, to] defectors, incl. commanders
    kills_by_pair: np.ndarray  # [step, killer, killed] combat losses by their killer
    flows: list[Flow] = field(default_factory=list)
    events: list[dict] = field(default_factory=list)
    last: int = 0
    regions: tuple[str, ...] | None = None  # None: the provinces are Afghanistan's
    balance_counts: np.ndarray | None = None  # [t, 4] BALANCE_COLUMNS per row
    camps: np.ndarray | None = None  # [t, N] optimal two-camp split, +1/-1/0
    # [t, i, k] perception (sim.processes.perception): believed and armed
    # presence of k in i's zone, the threat i perceived and the armed one
    perceived_presence: np.ndarray | None = None
    armed_presence: np.ndarray | None = None
    threat: np.ndarray | None = None
    real_threat: np.ndarray | None = None

    @classmethod
    def empty(
        cls,
        actor_keys: list[str],
        actor_names: list[str],
        province_names: list[str],
        dates: list[dt.date],
    ) -> History:
        """Preallocate arrays for ``len(dates)`` rows."""
        t, n, p = len(dates), len(actor_keys), len(province_names)
        return cls(
            actor_keys=actor_keys,
            actor_names=actor_names,
            province_names=province_names,
            dates=dates,
            strength=np.zeros((t, n, p)),
            equipment=np.zeros((t, n, p)),
            affinity=np.zeros((t, n, n)),
            status=np.zeros((t, n, n), dtype=np.int8),
            controller=np.full((t, p), -1, dtype=np.int16),
            government_share=np.zeros((t, p)),
            sigar=np.zeros((t, p), dtype=np.int8),
            aid_sent=np.zeros((t, n)),
            aid_received=np.zeros((t, n)),
            aid_budget=np.zeros((t, n)),
            losses=np.zeros((t, n)),
            recruits=np.zeros((t, n)),
            defections_in=np.zeros((t, n)),
            defections_out=np.zeros((t, n)),
            splinter_in=np.zeros((t, n)),
            splinter_out=np.zeros((t, n)),
            reinforcement=np.zeros((t, n)),
            dispersed=np.zeros((t, n)),
            went_home=np.zeros((t, n)),
            defections_by_pair=np.zeros((t, n, n)),
            kills_by_pair=np.zeros((t, n, n)),
            balance_counts=np.zeros((t, len(BALANCE_COLUMNS)), dtype=np.int64),
            camps=np.zeros((t, n), dtype=np.int8),
            perceived_presence=np.zeros((t, n, n)),
            armed_presence=np.zeros((t, n, n)),
            threat=np.zeros((t, n, n)),
            real_threat=np.zeros((t, n, n)),
        )

    @classmethod
    def for_run(cls, config: Any, geo: Any, actor_names: list[str]) -> History:
        """The empty history of a run of ``config`` on the map ``geo``."""
        dates = [config.date_of(t) for t in range(config.steps + 1)]
        h = cls.empty(list(config.actors), actor_names, list(geo.names), dates)
        if config.map is not None and config.map.kind != "afghanistan":
            h.regions = geo.regions
        return h

    @property
    def n_rows(self) -> int:
        """Rows filled so far (steps run + 1)."""
        return self.last + 1

    def record(
        self, t: int, state: State, government_share: np.ndarray, sigar: np.ndarray
    ) -> None:
        """Store row ``t``: the state after ``t`` steps and the step's ledger totals."""
        self.last = t
        self.strength[t] = state.strength
        self.equipment[t] = state.equipment
        self.affinity[t] = state.affinity
        self.status[t] = state.status
        self.controller[t] = state.controller
        self.government_share[t] = government_share
        self.sigar[t] = sigar
        self._record_balance(t)
        self.perceived_presence[t] = state.zone_perceived
        self.armed_presence[t] = state.zone_armed
        self.threat[t] = state.threat
        self.real_threat[t] = state.real_threat
        if t == 0:  # nothing has changed yet
            return
        self.aid_sent[t] = np.add.reduce(state.sent_now, axis=1)
        self.aid_received[t] = state.received_now
        self.aid_budget[t] = state.budget_now
        totals = np.add.reduce(state.ledger_block, axis=2)  # [term, N], LEDGER order
        self.losses[t] = totals[_ROW["combat_losses"]]
        self.recruits[t] = totals[_ROW["aid_recruits"]] + totals[_ROW["drawn_recruits"]]
        for name, row in _KEPT_ROWS:
            getattr(self, name)[t] = totals[row]
        self.defections_by_pair[t] = state.defection_pairs
        self.kills_by_pair[t] = state.kill_pairs

    def _record_balance(self, t: int) -> None:
        """Row ``t``'s structural balance, from its pair status.

        Status changes seldom: an unchanged row copies the last one's.
        """
        if t > 0 and np.logical_and.reduce(self.status[t] == self.status[t - 1], None):
            self.balance_counts[t] = self.balance_counts[t - 1]
            self.camps[t] = self.camps[t - 1]
            return
        b = balance.measure(self.status[t])
        self.balance_counts[t] = (
            b.signed_edges,
            b.triads,
            b.balanced_triads,
            b.frustration,
        )
        self.camps[t] = b.camps

    def fill_balance(self) -> None:
        """Recompute each filled row's balance from ``status`` (after reading files)."""
        for t in range(self.n_rows):
            self._record_balance(t)
