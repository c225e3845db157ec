"""Sending a step's aid along the roads, flow by flow (patron → client).

Each flow enters at the patron's staging nodes or, for a patron without
any, in the provinces where it has forces, and follows the least-loss paths
of :class:`sim.processes.supply.RoadNet` (loss ``parameters.interdiction`` ×
the client's enemies' share of armed strength in each province crossed).
What arrives is shared over the client's forces by
:func:`sim.processes.supply.deliver_many`. Amounts are exact micro-units.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.processes import supply

#: Maps of at least this many nodes read routes along the predecessor arrays.
ROUTE_ROWS_NODES = 1000


@dataclass(frozen=True)
class Shipments:
    """What a step's aid flows did: totals by pair, arrivals by force, routes."""

    sent: np.ndarray  # [patron, client] aid units sent
    delivered: np.ndarray  # [patron, client] aid units delivered
    gained: np.ndarray  # [N, P] aid units to spend at each force (own + arrived)
    routes: list[tuple[int, int, list[int], int, int]]
    # (patron, client, node ids of the route, micro-units sent, delivered)


def entry_points(
    patrons: np.ndarray,
    staging: list[list[int]],
    strength: np.ndarray,
    min_strength: float,
) -> list[tuple[int, ...]]:
    """Where each patron's aid enters: its staging nodes, else its forces' provinces."""
    return [
        tuple(staging[j]) or tuple(np.flatnonzero(strength[j] >= min_strength).tolist())
        for j in patrons
    ]


def flow_paths(
    roads: supply.RoadNet,
    loss: np.ndarray,
    clients: np.ndarray,
    sources: list[tuple[int, ...]],
) -> tuple[np.ndarray, np.ndarray]:
    """Survival and predecessors ``[F, nodes]`` for each (client, patron) flow.

    Flows to one client from patrons with the same entry points take the
    same roads, so each such search is run once.
    """
    flows = list(zip(clients.tolist(), sources, strict=True))
    if len(set(flows)) == len(flows):  # no two alike (the usual case on a small map)
        return roads.paths(loss.take(clients, 0), [list(s) for s in sources])
    first: dict[tuple, int] = {}
    which = [first.setdefault(flow, len(first)) for flow in flows]
    unique = list(first)
    surv, pred = roads.paths(loss[[c for c, _ in unique]], [list(s) for _, s in unique])
    return surv[which], pred[which]


def ship(
    outside: np.ndarray,
    own: np.ndarray,
    strength: np.ndarray,
    loss: np.ndarray,
    roads: supply.RoadNet,
    reach: np.ndarray,
    staging: list[list[int]],
    min_strength: float,
) -> Shipments:
    """Send ``outside`` aid (``[patron, client]``) and see what arrives where.

    Args:
        outside: aid to send to other actors.
        own: ``[N, P]`` aid each actor spends on its own forces; what arrives
            is added to it, flow by flow.
        strength: ``[N, P]`` fighters (the receiving forces).
        loss: ``[client, P]`` share lost entering each province.
        roads: the road network.
        reach: ``[N, P]`` each patron's reach weight by province.
        staging: each actor's staging node ids.
        min_strength: least strength of a force where aid can enter.
    """
    n = outside.shape[0]
    sent = np.zeros((n, n))
    delivered = np.zeros((n, n))
    gained = own.copy()
    clients, patrons = np.nonzero(outside.T > 0)  # (client, patron), by client
    if not len(clients):
        return Shipments(sent, delivered, gained, [])
    sources = entry_points(patrons, staging, strength, min_strength)
    surv, pred = flow_paths(roads, loss, clients, sources)
    sent_u, deliv_u, per_prov, target = supply.deliver_many(
        outside[patrons, clients],
        strength.take(clients, 0),
        surv,
        reach.take(patrons, 0),
    )
    np.add.at(gained, clients, per_prov)
    sent[patrons, clients] = sent_u / supply.MICRO
    delivered[patrons, clients] = deliv_u / supply.MICRO
    return Shipments(
        sent, delivered, gained, routes(patrons, clients, pred, sent_u, deliv_u, target)
    )


def routes(
    patrons: np.ndarray,
    clients: np.ndarray,
    pred: np.ndarray,
    sent: np.ndarray,
    delivered: np.ndarray,
    target: np.ndarray,
) -> list[tuple[int, int, list[int], int, int]]:
    """``(patron, client, route, sent, delivered)`` of each flow that sent aid.

    The route leads to the flow's ``target`` province, walked back along the
    flow's predecessors. On a small map the arrays are read once as Python
    lists (every flow's numbers end up as Python ints) and the walk is
    inline: a step has a handful of flows, each a few provinces long, and a
    call per flow would cost more than its walk. On a large map
    (:data:`ROUTE_ROWS_NODES` nodes or more) each flow's predecessors are
    read only along its route (:func:`sim.processes.supply.route_of`): a
    route is a few hundred of its thousands of nodes.
    """
    large = pred.shape[1] >= ROUTE_ROWS_NODES
    out = []
    for patron, client, row, node, s, d in zip(
        patrons.tolist(),
        clients.tolist(),
        pred if large else pred.tolist(),
        target.tolist(),
        sent.tolist(),
        delivered.tolist(),
        strict=True,
    ):
        if s <= 0:
            continue
        if large:
            path = supply.route_of(row, node)
        else:
            path = [node]
            step = row[node]
            while step >= 0:
                path.append(step)
                step = row[step]
            path.reverse()
        out.append((patron, client, path, s, d))
    return out
