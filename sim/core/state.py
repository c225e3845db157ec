"""What changes during a run: every array the processes read and write, in one place.

:class:`State` holds the dynamic arrays (strength by actor and province,
equipment, cohesion, affinities, pair status, memories of kills and
defections, aid in flight) and the quantities derived from them that every
process reads (armed strength, presence, competition, who is allied with
and hostile to whom). Every field exists from the start with a meaningful
value, so no process has to ask whether an earlier one has run yet: the
previous status is the start's status, the threat matrix is zero until a
threat lens has perceived one, the aid arrays are zero until aid is sent.

:class:`StateField` lets the model show a field as its own attribute
(``model.strength`` is ``model.state.strength``), the names notebooks, the
dashboard and the invariant checks read.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from operator import attrgetter
from typing import TYPE_CHECKING, Any

import numpy as np

from sim.core.history import LEDGER
from sim.processes import affinity_terms, control, kill_memory, lenses, threats
from sim.processes.masks import off_diagonal
from sim.vocabulary import Status

if TYPE_CHECKING:
    from sim.core.setup import Setup


@dataclass
class State:
    """The arrays of a run that change from step to step.

    Shapes: ``N`` actors, ``P`` provinces. Fields without a default are set
    by the model's build; the rest start at zero (or empty).
    """

    strength: np.ndarray  # [N, P] fighters
    equipment: np.ndarray  # [N, P] kit per fighter, 1 = the actor's baseline
    cohesion: np.ndarray  # [N, P] 0..1; below the threshold fighters defect
    affinity: np.ndarray  # [N, N] how i regards j, -1..1
    status: np.ndarray  # [N, N] pair status codes (sim.vocabulary.Status)
    threat: np.ndarray  # [N, N] threat k poses to i, as last perceived
    defection_memory: np.ndarray  # [N, N] smoothed defection flow i -> k
    aid_share: np.ndarray  # [N, N] share of j's aid sent to each client
    delivered: np.ndarray  # [N, N] aid delivered last step, patron -> client
    pending_aid: np.ndarray  # [N, N] one-off aid from scenario events
    sent_now: np.ndarray  # [N, N] aid sent this step
    received_now: np.ndarray  # [N] aid received this step
    budget_now: np.ndarray  # [N] aid budget spent this step
    collateral_recruits: np.ndarray  # [N, P] recruits owed to air strikes
    cum: affinity_terms.Terms  # affinity terms since each pair's last status change
    in_cell: np.ndarray  # [N, P] forces standing in their province's cell
    kills: kill_memory.KillMemory | None = None  # smoothed losses j inflicted on k in p
    controller: np.ndarray | None = None  # [P] controlling actor, -1 contested
    fighting: np.ndarray | None = None  # [N, N, N] j's share of the fight on k
    unbounded: np.ndarray | None = None  # [N, N] the Marvel lens's unclipped X
    front: control.Front | None = None  # recent fighting and leaving by province
    # derived each time the arrays above change (see derive and its parts)
    armed: np.ndarray | None = None  # [N, P] strength x equipment x effectiveness
    presence: np.ndarray | None = None  # [N, P] breadth of presence 0..1
    competition: np.ndarray | None = None  # [N, N] rivalry for the same recruits
    allied: np.ndarray | None = None  # [N, N] bool
    hostile: np.ndarray | None = None  # [N, N] bool, who fights whom
    air: np.ndarray | None = None  # [N] fire multiplier from air cover
    ledger: dict[str, np.ndarray] = field(default_factory=dict)
    ledger_block: np.ndarray | None = None
    defection_pairs: np.ndarray | None = None  # [N, N] defectors i -> k this step
    kill_pairs: np.ndarray | None = None  # [N, N] fighters j killed of k this step
    incidents: Any = None  # sim.core.incidents.Ongoing: offensives under way
    # perception (sim.processes.perception): beliefs and the threat they make
    beliefs: np.ndarray | None = None  # [i, k, p] i's belief of k's presence in p
    zone_perceived: np.ndarray | None = None  # [N, N] believed presence in i's zone
    zone_armed: np.ndarray | None = None  # [N, N] armed presence in i's zone
    real_threat: np.ndarray | None = None  # [N, N] threat from armed presence
    # what the sides were last derived from: (setup, status, defection memory)
    sides_from: tuple | None = None

    @classmethod
    def empty(cls, n: int, provinces: int) -> State:
        """All arrays of ``n`` actors on ``provinces`` provinces at their zero."""
        pairs = (n, n)
        return cls(
            strength=np.zeros((n, provinces)),
            equipment=np.ones((n, provinces)),
            cohesion=np.zeros((n, provinces)),
            affinity=np.eye(n),
            status=np.zeros(pairs, dtype=int),
            threat=np.zeros(pairs),
            defection_memory=np.zeros(pairs),
            aid_share=np.zeros(pairs),
            delivered=np.zeros(pairs),
            pending_aid=np.zeros(pairs),
            sent_now=np.zeros(pairs),
            received_now=np.zeros(n),
            budget_now=np.zeros(n),
            collateral_recruits=np.zeros((n, provinces)),
            cum=affinity_terms.Terms.zeros(n),
            in_cell=np.zeros((n, provinces), dtype=bool),
            beliefs=np.zeros((n, n, provinces)),
            zone_perceived=np.zeros(pairs),
            zone_armed=np.zeros(pairs),
            real_threat=np.zeros(pairs),
        )

    def derive(self, setup: Setup) -> None:
        """Recompute the quantities every process reads from the arrays.

        Armed strength, presence, competition for recruits, and the sides:
        allies by status; hostile are enemies by status and rivals whose
        competition passes ``parameters.rival_fight_threshold`` (unless allied).
        """
        self.derive_forces(setup)
        self.derive_sides(setup)

    def derive_sides(self, setup: Setup) -> None:
        """Recompute competition and the sides: status or memory changed, not forces.

        For a new status (the relations step) or a new defection memory
        (movement), before anything reads the armed strength again:
        armed strength and presence depend on the forces alone
        (:meth:`derive_forces` does that part).
        """
        p = setup.p
        self.competition = setup.overlap + p.defection_weight * self.defection_memory
        st = self.status
        # the parts of the status alone, kept while the status is the same
        self.allied, enemies, unallied = _status_sides(
            st.dtype.str, st.shape, st.tobytes()
        )
        over = self.competition > p.rival_fight_threshold
        hostile = over | over.T  # rivals
        hostile |= enemies
        hostile &= unallied  # never an ally, nor oneself
        self.hostile = hostile
        self.sides_from = (setup, st, self.defection_memory)

    def sides_hold(self, setup: Setup) -> bool:
        """Whether the sides are those :meth:`derive_sides` would derive now.

        True when they were derived from this very setup, status and
        defection memory, which the model replaces when they change (it
        never changes them in place): deriving them again would give the
        same arrays. A step whose status stays as it was can then keep them.
        """
        made = self.sides_from
        return (
            made is not None
            and made[0] is setup
            and made[1] is self.status
            and made[2] is self.defection_memory
        )

    def derive_forces(self, setup: Setup) -> None:
        """Recompute armed strength and presence: the forces changed, not the sides.

        For a change of strength, equipment or cohesion alone (combat, upkeep,
        commanders changing sides): the sides depend on status and the
        defection memory, which have not changed, so :meth:`derive` would
        recompute them as they are.
        """
        self.armed = self.strength * self.equipment * setup.effectiveness[:, None]
        self.presence = threats.presence(self.strength, setup.p.presence_scale)

    def outlook(self, setup: Setup, threat: np.ndarray | None = None) -> lenses.Outlook:
        """What the actors see this step, for their theory lenses.

        Args:
            setup: the run's per-actor scenario values.
            threat: ``[i, k]`` the balance-of-threat threat of the presence
                the lenses read (the believed one, or the armed one when
                beliefs are the armed presence), if already computed from the
                arrays as they stand; None: the lens computes it.
        """
        ties = setup.ties
        return lenses.Outlook.of(
            affinity=self.affinity,
            baseline=ties.baseline,
            inertia=ties.inertia,
            ideology_distance=ties.ideology_distance,
            armed=self.armed,
            strength=self.strength,
            hostile=self.hostile,
            interests=setup.interests,
            presence=self.presence,
            intent=setup.intent,
            competition=self.competition,
            fighting=self.fighting,
            aid_share=self.aid_share,
            delivered=self.delivered,
            unbounded=self.unbounded,
            beliefs=self.beliefs if setup.p.belief_rate < 1.0 else None,
            threat=threat,
        )

    def new_ledger(self) -> None:
        """Zero the step's ledger: one ``[N, P]`` view per term, in one block."""
        self.ledger_block = np.zeros((len(LEDGER), *self.strength.shape))
        self.ledger = dict(zip(LEDGER, self.ledger_block, strict=True))
        n = self.strength.shape[0]
        self.defection_pairs = np.zeros((n, n))
        self.kill_pairs = np.zeros((n, n))


#: The status codes as plain ints (numpy compares them a little faster).
_ALLY, _ENEMY = int(Status.ALLY), int(Status.ENEMY)


@functools.lru_cache(maxsize=64)
def _status_sides(
    dtype: str, shape: tuple[int, int], status: bytes
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(allied, enemies, unallied)`` of a status, given as its dtype, shape and bytes.

    The pairs allied by status, those enemies by status, and those that are
    neither allied nor an actor with itself (the pairs that may be hostile).
    The status changes seldom, so :meth:`State.derive_sides` gets these
    from the cache (read-only arrays) on most calls.
    """
    st = np.frombuffer(status, dtype=dtype).reshape(shape)
    allied = st == _ALLY
    enemies = st == _ENEMY
    unallied = ~allied & off_diagonal(shape[0])
    for a in (allied, enemies, unallied):
        a.flags.writeable = False
    return allied, enemies, unallied


class StateField:
    """A model attribute that reads and writes a field of one of its dataclasses.

    ``strength = StateField("state")`` on the model makes ``model.strength``
    mean ``model.state.strength``, so older code and notebooks keep working
    while the processes take the dataclass itself.
    """

    def __init__(self, holder: str, name: str = ""):
        """Show field ``name`` (default: the attribute's own name) of ``obj.<holder>``.

        ``holder`` may be dotted (``"setup.ties"``).
        """
        self.holder = attrgetter(holder)
        self.name = name

    def __set_name__(self, owner: type, name: str) -> None:
        """Take the attribute's name as the field's unless one was given."""
        self.name = self.name or name

    def __get__(self, obj: Any, objtype: type | None = None) -> Any:
        """The field's value (the descriptor itself on the class)."""
        if obj is None:
            return self
        return getattr(self.holder(obj), self.name)

    def __set__(self, obj: Any, value: Any) -> None:
        """Set the field."""
        setattr(self.holder(obj), self.name, value)
