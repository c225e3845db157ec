"""Aid: how patrons divide their budgets, and what survives the road.

**Allocation.** A patron spends ``self_funding`` of its budget on its own
forces. Of the rest, a ``hedging`` share is spread over every non-enemy in
proportion to its strength ("gaining influence with an eventual winner"), and
the remainder goes to clients the patron likes (affinity above
``aid_threshold``) in proportion to affinity × usefulness, where usefulness is
how much the client fights the patron's threats (patron–client theory of
proxy war: Salehyan, Gleditsch & Cunningham 2011, *International
Organization* 65).

**Delivery.** Aid enters at the patron's staging nodes (or, for a patron
with none, in the provinces where it has forces) and travels along the
least-loss path of the province graph, Dijkstra on ``−log(1 − loss)``. The
loss in a province is ``interdiction`` × the share of armed strength there
held by the client's enemies. Aid is shared among the client's forces in
proportion to strength × the chance of arriving there × a reach weight that
falls with the number of provinces crossed (``aid_reach``), so it goes
mostly to the forces near where it enters. Amounts are handled in integer
micro-units so that ``sent = delivered + interdicted`` holds exactly, not
just to rounding.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import dijkstra

from sim.processes.masks import off_diagonal

MICRO = 1_000_000
MAX_LOSS = 0.999
BATCH_NODES = 20_000  # graph nodes per shortest-path call (see RoadNet.paths)


def allocate(
    *,
    budget: np.ndarray,
    self_funding: np.ndarray,
    hedging: np.ndarray,
    affinity: np.ndarray,
    usefulness: np.ndarray,
    strength: np.ndarray,
    aid_threshold: float,
    enemy_threshold: float,
) -> np.ndarray:
    """Aid each patron sends each client this step, ``[patron, client]``.

    The diagonal is what an actor spends on its own forces.

    Args:
        budget: ``[N]`` resources per step.
        self_funding: ``[N]`` share kept for own forces.
        hedging: ``[N]`` share of the rest spread over non-enemies by strength.
        affinity: ``[N, N]`` affinities.
        usefulness: ``[N, N]`` how much j fights i's threats (≥ 0).
        strength: ``[N]`` total strength of each actor.
        aid_threshold: least affinity of patron toward client.
        enemy_threshold: affinity below which no aid goes either way.
    """
    n = budget.shape[0]
    alive = strength > 0
    own = budget * self_funding * alive
    rest = (budget - own)[:, None]
    liked = affinity > enemy_threshold
    takers = liked & liked.T & off_diagonal(n) & alive  # friends both ways, alive
    hedge_w = np.where(takers, strength, 0.0)
    # a negative aid_threshold admits disliked clients, but with weight 0: a
    # negative share would let the others' shares exceed the budget. A
    # product with the mask, not np.where (a third of the cost): a weight
    # masked out may be -0.0 instead of 0.0, which sums, compares and adds to
    # the hedge shares below (+0.0 or positive, budgets being ≥ 0) as 0.0 does
    client_w = (
        np.maximum(affinity, 0.0)
        * (0.05 + usefulness)
        * ((affinity > aid_threshold) & takers)
    )
    hedge_total = np.add.reduce(hedge_w, 1)[:, None]
    client_total = np.add.reduce(client_w, 1)[:, None]
    hedges, clients = hedge_total > 0, client_total > 0
    # rows without takers are masked below; their hedge only enters main,
    # as rest − (±0.0) = rest, so a product with the mask does as np.where
    hedge = rest * hedging[:, None] * hedges
    main = (rest - hedge) * clients
    out = np.divide(hedge_w * hedge, hedge_total, out=np.zeros((n, n)), where=hedges)
    out += np.divide(client_w * main, client_total, out=np.zeros((n, n)), where=clients)
    out.flat[:: n + 1] = own
    return out


def province_loss(
    strength: np.ndarray,
    hostile: np.ndarray,
    interdiction: float,
) -> np.ndarray:
    """``[client, P]`` share of aid lost entering each province on its way to a client.

    Args:
        strength: ``[N, P]`` armed (effective) strength.
        hostile: ``[N, N]`` who fights whom.
        interdiction: loss where the client's enemies hold all armed strength.
    """
    total = np.add.reduce(strength, 0)
    foes = hostile.astype(float) @ strength
    share = np.divide(foes, total, out=np.zeros(foes.shape), where=total > 0)
    return np.minimum(MAX_LOSS, interdiction * share)


class RoadNet:
    """The province graph with staging nodes, ready for fast least-loss paths."""

    def __init__(self, n_nodes: int, edges: list[tuple[int, int]], n_provinces: int):
        """Build a directed CSR matrix of the (undirected) graph's edges.

        Args:
            n_nodes: provinces plus staging nodes.
            edges: undirected edges between node ids.
            n_provinces: node ids below this are provinces (they can have losses).
        """
        both = [*edges, *((b, a) for a, b in edges)]
        # aid enters at a staging node and never passes through another one
        both = [(a, b) for a, b in both if b < n_provinces]
        src = [a for a, b in both]
        dst = [b for a, b in both]
        order = np.lexsort((dst, src))
        self.src = np.asarray(src)[order]
        self.dst = np.asarray(dst)[order]
        self.n_nodes = n_nodes
        self.n_provinces = n_provinces
        self._matrix = sp.csr_matrix(
            (np.zeros(len(self.src)), (self.src, self.dst)), shape=(n_nodes, n_nodes)
        )
        self._matrix.sort_indices()
        self._target = self._matrix.indices.copy()
        self._blocks: dict[int, tuple[sp.csr_matrix, np.ndarray, np.ndarray]] = {}

    def _block_matrix(
        self, copies: int
    ) -> tuple[sp.csr_matrix, np.ndarray, np.ndarray]:
        """The graph repeated ``copies`` times, with what a search needs of it.

        Returns the block-diagonal matrix, for each of its edges the
        position in the ``[copies, provinces]`` loss rows of the province it
        enters (every edge enters a province), and each copy's first node id.
        Made once per number of copies.
        """
        if copies not in self._blocks:
            m = sp.block_diag([self._matrix] * copies, format="csr")
            m.sort_indices()
            block, node = np.divmod(m.indices, self.n_nodes)
            entered = block * self.n_provinces + node
            # the search's own index type, so that no step casts to subtract it
            offset = (np.arange(copies, dtype=np.int32) * self.n_nodes)[:, None]
            self._blocks[copies] = (m, entered, offset)
        return self._blocks[copies]

    def paths(
        self, losses: np.ndarray, sources: list[list[int]]
    ) -> tuple[np.ndarray, np.ndarray]:
        """Best survival and paths for several flows, a few searches at a time.

        Each flow gets its own copy of the graph (a block of a block-diagonal
        matrix) weighted by its client's losses, and its own sources; since
        the copies are disconnected, one multi-source search answers a whole
        batch of flows for the cost of a single call. Batches hold up to
        :data:`BATCH_NODES` nodes: on a small map every flow shares one call
        (per-call overhead dominates), on a large one each search runs on its
        own (a huge heap costs more than the calls it saves).

        Args:
            losses: ``[F, P]`` loss on entering each province, one row per flow.
            sources: for each flow, the node ids where its aid may enter.

        Returns:
            ``(survival, predecessors)``, each ``[F, n_nodes]``; predecessors
            are node ids, negative at sources and unreachable nodes.
        """
        f, v = losses.shape[0], self.n_nodes
        per_call = max(1, BATCH_NODES // v)
        if f <= per_call:  # a small map: one call answers every flow
            return self._search(losses, sources)
        survival, pred = np.zeros((f, v)), np.full((f, v), -9999, dtype=np.int64)
        for lo in range(0, f, per_call):
            hi = min(f, lo + per_call)
            s, p = self._search(losses[lo:hi], sources[lo:hi])
            survival[lo:hi], pred[lo:hi] = s, p
        return survival, pred

    def _search(
        self, losses: np.ndarray, sources: list[list[int]]
    ) -> tuple[np.ndarray, np.ndarray]:
        """One Dijkstra call for a batch of flows on a block-diagonal graph."""
        f, v = losses.shape[0], self.n_nodes
        m, entered, offset = self._block_matrix(f)
        cost = np.log1p(np.negative(losses))
        # −log(1 − loss), written into the cached matrix's own weights
        np.negative(cost, out=cost).ravel().take(entered, out=m.data)
        starts = [b * v + node for b, nodes in enumerate(sources) for node in nodes]
        if not starts:  # no flow has a way in
            return np.zeros((f, v)), np.full((f, v), -9999)
        dist, pred = dijkstra(
            m, directed=True, indices=starts, min_only=True, return_predecessors=True
        )[:2]
        dist, pred = dist.reshape(f, v), pred.reshape(f, v)
        # in place: the search's fresh arrays become the survival and each
        # copy's predecessors in its own node ids (negative ones kept)
        survival = np.exp(np.negative(dist, out=dist), out=dist)
        # (integers: the offset masked by a product, exactly as a masked subtraction)
        return survival, np.subtract(pred, offset * (pred >= 0), out=pred)


def deliver_many(
    amounts: np.ndarray,
    client_strength: np.ndarray,
    survival: np.ndarray,
    reach: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Send several patron–client flows and see what arrives.

    Each flow's aid is split over its client's provinces in proportion to
    strength × survival × ``reach`` (a weight falling with distance from the
    patron's entry, so aid goes mostly to the forces near where it enters);
    what arrives in each is ``share × survival`` there.

    Args:
        amounts: ``[F]`` aid to send.
        client_strength: ``[F, P]`` the receiving forces of each flow.
        survival: ``[F, n_nodes]`` chance of arriving at each node.
        reach: ``[F, P]`` weight by distance from the patron's entry.

    Returns:
        ``(sent, delivered, per_province, target)``: micro-units sent and
        delivered (``int64``, sent ≥ delivered, zero where nothing can be
        sent), delivered aid by province in aid units, and the province that
        got the most (for the route).
    """
    n_prov = client_strength.shape[1]
    surv = survival[:, :n_prov]
    weight = client_strength * surv * reach
    total = np.add.reduce(weight, 1)[:, None]
    ok = total > 0
    # amounts are positive: × False is +0.0, as np.where's 0, and cheaper
    sent = (np.rint(amounts * MICRO) * ok[:, 0]).astype(np.int64)
    share = np.divide(weight, total, out=np.zeros(weight.shape), where=ok)
    delivered_p = sent[:, None] * share * surv
    raw = np.add.reduce(delivered_p, 1)
    delivered = np.minimum(sent, np.rint(raw).astype(np.int64))
    scale = np.divide(delivered, raw, out=np.zeros(raw.shape), where=raw > 0)
    per_province = delivered_p * scale[:, None] / MICRO
    return sent, delivered, per_province, delivered_p.argmax(axis=1)


def route_of(pred: np.ndarray | list[int], node: int) -> list[int]:
    """The path to ``node`` from its source, as a list of node ids.

    ``pred`` is one flow's predecessors, an array or the same as a list. An
    array is read node by node along the route, not converted whole: on a
    large map a route is a few hundred of its thousands of nodes.
    """
    path = [int(node)]
    if isinstance(pred, np.ndarray):
        at = pred.item  # a Python int, one node at a time
        step = at(path[0])
        while step >= 0:
            path.append(step)
            step = at(step)
    else:
        step = pred[path[0]]
        while step >= 0:
            path.append(step)
            step = pred[step]
    return path[::-1]
