"""Where forces go: each step a share of a force moves to its best neighbour.

A province's value to actor i is a weighted sum (``parameters.move_weights``)
of its population, the share of its people i recruits from, i's interest in
it, its closeness to i's supply entries, the share of friendly strength there,
minus the share of hostile strength and minus crowding (i's fighters per
1,000 inhabitants: fighters live off the people around them, so forces do
not pile up in one province). A force sends ``mobility`` of its
strength to the neighbour of highest value when that beats staying by
``move_margin``. Moves are simultaneous; fighters carry their equipment.

Forces hold what they are fighting for: only the part of a force above its
garrison may move, and the garrison is (:func:`garrison`)

    G[i, p] = max(g₀, h · H[i, p], s · S[i, p] · held[i, p])

with ``g₀`` ``parameters.garrison`` (local cells stay rooted where they
recruit), ``H`` the hostile combat power (armed strength) i faces in p, in
i's own fighters, and ``h``
``parameters.hold_ratio`` — the force ratio below which a commander will not
thin a post under attack, so a contested province is not evacuated — and
``s`` ``parameters.hold_share``, the share of its force the controller of a
province keeps there. This is the economy-of-force rule of doctrine (keep
enough to hold the ground, move the rest) and the "3:1" attacker-defender
planning ratio read the other way (Mearsheimer 1989, *International
Security* 13(4): 54-89; U.S. Army FM 3-90-1, 2013): a defender facing a
force h⁻¹ times its own size can still hold.
"""

from __future__ import annotations

import functools
from typing import NamedTuple

import numpy as np

from sim.processes.memo import last_answer


def neighbour_table(neighbours: list[list[int]]) -> np.ndarray:
    """``[P, D]`` neighbour ids padded with -1, for vectorised look-ups."""
    width = max(len(n) for n in neighbours)
    table = np.full((len(neighbours), width), -1, dtype=int)
    for p, ns in enumerate(neighbours):
        table[p, : len(ns)] = ns
    return table


def lasting_value(
    *,
    weights: dict[str, float],
    population: np.ndarray,
    ethnic_match: np.ndarray,
    interests: np.ndarray,
) -> np.ndarray:
    """``[N, P]`` the part of a province's value that does not change during a run.

    Population, the share of the people an actor recruits from, and its
    interest in the province (all scaled 0..1).
    """
    pop = population / population.max()
    top = interests.max(axis=1, keepdims=True)
    interest = np.divide(interests, top, out=np.zeros(interests.shape), where=top > 0)
    return (
        weights.get("population", 0.0) * pop[None, :]
        + weights.get("ethnic", 0.0) * ethnic_match
        + weights.get("interest", 0.0) * interest
    )


def province_value(
    *,
    lasting: np.ndarray,
    weights: dict[str, float],
    supply: np.ndarray,
    friendly_share: np.ndarray,
    hostile_share: np.ndarray,
    crowding: np.ndarray,
) -> np.ndarray:
    """``[N, P]`` how much each actor wants to be in each province now.

    ``lasting`` is :func:`lasting_value`; the other terms follow the war:
    closeness to supply entries, friendly and hostile shares of armed
    strength, and crowding (all 0..1).
    """
    return (
        _supplied(lasting, weights.get("supply", 0.0), supply)
        + weights.get("friends", 0.0) * friendly_share
        - weights.get("enemy", 0.0) * hostile_share
        - weights.get("crowding", 0.0) * crowding
    )


@last_answer
def _supplied(lasting: np.ndarray, weight: float, supply: np.ndarray) -> np.ndarray:
    """``lasting + weight · supply``, the value's first terms, kept while both last.

    The closeness to supply changes only with the pattern of who sends aid
    to whom (:func:`supply_nearness` answers are remembered by the model),
    so most steps reuse the sum (:mod:`sim.processes.memo`).
    """
    return lasting + weight * supply


def crowding(
    strength: np.ndarray, population: np.ndarray, half: float = 5.0
) -> np.ndarray:
    """``[N, P]`` 0..1: how crowded a force is, by fighters per 1,000 inhabitants.

    Fighters live off the people around them; at ``half`` fighters per 1,000
    people a province is half full for that force.
    """
    density = strength / _thousands(population)
    return density / (density + half)


@last_answer
def _thousands(population: np.ndarray) -> np.ndarray:
    """``[1, P]`` inhabitants in thousands, made once per map (:func:`crowding`)."""
    return population[None, :] / 1000.0


def holding(controller: np.ndarray, n: int) -> np.ndarray:
    """``[N, P]`` bool: actor i controls province p (``controller`` ``[P]``)."""
    return controller == _actor_column(n)


@functools.lru_cache(maxsize=8)
def _actor_column(n: int) -> np.ndarray:
    """``[n, 1]`` actor indices, made once per number of actors (read-only)."""
    column = np.arange(n)[:, None]
    column.flags.writeable = False
    return column


def garrison(
    strength: np.ndarray,
    armed: np.ndarray,
    hostile: np.ndarray,
    held: np.ndarray,
    base: float,
    ratio: float,
    share: float,
    power: np.ndarray | None = None,
) -> np.ndarray | float:
    """``[N, P]`` fighters each force keeps in place: ``max(g₀, h·H, s·S·held)``.

    ``H`` is the hostile combat power a force faces, counted in its own
    fighters (hostile armed strength over its armed strength per fighter):
    force ratios are ratios of combat power, not of heads.

    Args:
        strength: ``[N, P]`` fighters (S).
        armed: ``[N, P]`` armed strength (fighters × equipment × effectiveness).
        hostile: ``[N, N]`` bool, who fights whom.
        held: ``[N, P]`` bool, the actor controls the province.
        base: ``g₀``, ``parameters.garrison``.
        ratio: ``h``, ``parameters.hold_ratio``.
        share: ``s``, ``parameters.hold_share``.
        power: ``hostile @ armed`` if already at hand (:func:`hostile_power`).

    Returns:
        ``base`` itself when ``ratio`` and ``share`` are 0 (nothing else to keep).
    """
    if ratio == 0.0 and share == 0.0:
        return base
    per_fighter = np.divide(
        armed, strength, out=np.zeros(armed.shape), where=strength > 0
    )
    if power is None:
        power = hostile_power(hostile, armed)
    facing = np.divide(
        power, per_fighter, out=np.zeros(power.shape), where=per_fighter > 0
    )
    # 1·S is S itself: the shipped share of 1 skips a product, same numbers
    kept = strength if share == 1.0 else share * strength
    return np.maximum(np.maximum(base, ratio * facing), kept * held)


class Moves(NamedTuple):
    """The forces that move this step, in row-major order of their cells.

    ``cells`` and ``to`` are flat ``i·P + p`` indices into ``[N, P]`` arrays
    of each moving force and of its destination, ``amount`` the fighters it
    sends; ``shape`` is ``(N, P)``.
    """

    cells: np.ndarray
    to: np.ndarray
    amount: np.ndarray
    shape: tuple[int, int]


def choose_moves(
    strength: np.ndarray,
    value: np.ndarray,
    table: np.ndarray,
    mobility: np.ndarray,
    margin: float,
    garrison: float | np.ndarray,
) -> Moves:
    """Who moves where, force by force (:class:`Moves`; :func:`moves` made dense).

    Only the part of a force above ``garrison`` fighters (a number, or
    ``[N, P]`` from :func:`garrison`) may move, ``mobility`` of it, to the
    neighbour of highest ``value`` when that beats staying by ``margin``.
    """
    n_prov = strength.shape[1]
    mobile = np.maximum(0.0, strength - garrison)
    # only forces that can move look around (a fraction of the cells on a big map)
    i, q = ((mobile > 0) & (mobility[:, None] > 0)).nonzero()
    padded, missing = _neighbour_ids(table)
    nbrs = padded[q]  # [M, degree]
    nb_val = value[i[:, None], nbrs]
    nb_val[missing[q]] = -np.inf  # the padding is never the best
    best = nb_val.argmax(axis=1)
    rows = np.arange(q.size)
    go = nb_val[rows, best] > value[i, q] + margin
    i = i[go]
    start = i * n_prov
    cells = start + q[go]
    to = start + nbrs[rows[go], best[go]]
    return Moves(cells, to, mobile.ravel()[cells] * mobility[i], strength.shape)


def moves(
    strength: np.ndarray,
    value: np.ndarray,
    table: np.ndarray,
    mobility: np.ndarray,
    margin: float,
    garrison: float | np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Who moves where: ``(amount[N, P], destination[N, P])``.

    Only the part of a force above ``garrison`` fighters (a number, or
    ``[N, P]`` from :func:`garrison`) may move. ``destination`` is -1 where
    nothing moves. :func:`choose_moves` as whole arrays.
    """
    chosen = choose_moves(strength, value, table, mobility, margin, garrison)
    n, n_prov = strength.shape
    dest = np.empty(n * n_prov, dtype=int)
    dest.fill(-1)
    dest[chosen.cells] = chosen.to % n_prov
    return _amounts(chosen), dest.reshape(n, n_prov)


def _amounts(chosen: Moves) -> np.ndarray:
    """``[N, P]`` fighters each force sends (0 where it stays)."""
    amount = np.zeros(chosen.shape[0] * chosen.shape[1])
    amount[chosen.cells] = chosen.amount
    return amount.reshape(chosen.shape)


def relocate(
    strength: np.ndarray, equipment: np.ndarray, chosen: Moves
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """``(strength, equipment, sent, arrived)`` after the moves ``chosen``.

    :func:`apply_moves` of :func:`moves`, without making the moves dense and
    finding them again: the same sums in the same order. ``sent`` and
    ``arrived`` are ``[N, P]``, for the step's ledger.
    """
    size = chosen.shape[0] * chosen.shape[1]
    to, moved = chosen.to, chosen.amount
    amount = np.zeros(chosen.shape)  # _amounts, without a flat copy to reshape
    amount.flat[chosen.cells] = moved
    s = strength - amount
    carried = np.bincount(to, weights=moved, minlength=size).reshape(chosen.shape)
    kit = moved * equipment.take(chosen.cells)
    gear = np.bincount(to, weights=kit, minlength=size).reshape(chosen.shape)
    new_s = s + carried
    mixed = np.divide(
        s * equipment + gear, new_s, out=equipment.copy(), where=new_s > 0
    )
    return new_s, mixed, amount, carried


@last_answer
def _neighbour_ids(table: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``(ids, missing)``: :func:`neighbour_table` with 0 for its -1 padding, and where.

    Made once per table (:mod:`sim.processes.memo`).
    """
    missing = table < 0
    return np.where(missing, 0, table), missing


def hostile_power(hostile: np.ndarray, armed: np.ndarray) -> np.ndarray:
    """``[N, P]`` the armed strength of everyone actor i fights, province by province.

    The numerator of :func:`side_shares`' hostile share and the ``H`` of
    :func:`garrison`: one product serves both.
    """
    return hostile.astype(float) @ armed


def arrivals(amount: np.ndarray, dest: np.ndarray) -> np.ndarray:
    """``[N, P]`` what arrives in each province: ``amount`` summed by destination.

    Args:
        amount: ``[N, P]`` what leaves each province (fighters, or fighters ×
            equipment).
        dest: ``[N, P]`` where it goes, -1 where nothing moves.
    """
    return _arrive(_arrival_cells(dest), amount)


def _arrival_cells(dest: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``(where, cells)``: the moving forces (row-major) and their destination cells.

    Row-major order keeps the sums in the order ``np.add.at``'s did.
    """
    p = dest.shape[1]
    where = (dest >= 0).nonzero()
    return where, where[0] * p + dest[where]


def _arrive(moving: tuple[tuple, np.ndarray], amount: np.ndarray) -> np.ndarray:
    """``amount`` of the moving forces summed at their destination cells."""
    where, cells = moving
    n, p = amount.shape
    return np.bincount(cells, weights=amount[where], minlength=n * p).reshape(n, p)


def apply_moves(
    strength: np.ndarray,
    equipment: np.ndarray,
    amount: np.ndarray,
    dest: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(strength, equipment, arrived)`` after the moves.

    Equipment is mixed by weight; ``arrived`` is what came into each
    province (:func:`arrivals`), for the step's ledger.
    """
    s = strength - amount
    moving = _arrival_cells(dest)
    carried = _arrive(moving, amount)
    gear = _arrive(moving, amount * equipment)
    new_s = s + carried
    mixed = np.divide(
        s * equipment + gear, new_s, out=equipment.copy(), where=new_s > 0
    )
    return new_s, mixed, carried


def side_shares(
    armed: np.ndarray,
    allied: np.ndarray,
    hostile: np.ndarray,
    power: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """``(friendly, hostile)`` ``[N, P]`` shares of each province's armed strength.

    Friendly counts the actor itself and its allies; hostile, everyone it
    fights. ``power`` is :func:`hostile_power` if already at hand.
    """
    total = np.add.reduce(armed, axis=0)
    # where nobody is armed both sums are 0 (armed strength is never
    # negative), and 0 over an infinite total is the 0 wanted there
    total[~(total > 0)] = np.inf
    side = allied | _identity(allied.shape[0])
    friendly = (side.astype(float) @ armed) / total
    if power is None:
        power = hostile_power(hostile, armed)
    return friendly, power / total


@functools.lru_cache(maxsize=8)
def _identity(n: int) -> np.ndarray:
    """The ``[n, n]`` boolean identity, made once per size (read-only)."""
    eye = np.eye(n, dtype=bool)
    eye.flags.writeable = False
    return eye


def supply_entries(staging_mask: np.ndarray, sent: np.ndarray) -> np.ndarray:
    """``[N, staging nodes]`` where supplies reach each actor: its own or its patrons'.

    Args:
        staging_mask: ``[N, S]`` bool, each actor's own staging nodes.
        sent: ``[patron, client]`` aid sent this step.
    """
    return staging_mask | ((sent.T[:, :, None] > 0) & staging_mask[None, :, :]).any(
        axis=1
    )


def supply_nearness(entries: np.ndarray, hops: np.ndarray) -> np.ndarray:
    """``[N, P]`` closeness ``exp(−hops/2)`` to the nearest of each actor's entries.

    Args:
        entries: ``[N, S]`` bool from :func:`supply_entries`.
        hops: ``[S, P]`` road hops from each staging node.
    """
    near = np.where(entries[:, :, None], hops[None], np.inf).min(axis=1)
    return np.exp(-near / 2.0)
