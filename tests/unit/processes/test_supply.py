import numpy as np
import scipy.sparse as sp

from sim.core.model import GreatGame
from sim.processes import supply
from sim.world.geography import load_geography
from tests.conftest import scenario, tiny

geo = load_geography()


def patron_scenario(hostile_on_route=0.0, steps=8):
    data = tiny(steps=steps)
    data["actors"]["p"] = {
        "name": "Patron",
        "kind": "state",
        "resources": 10.0,
        "staging": ["tajikistan"],
        "interests": {"Kunduz": 1.0},
    }
    data["actors"]["a"]["forces"] = {"Baghlan": 400, "Kunduz": 100}
    data["relations"].append({"pair": ["p", "a"], "affinity": 0.8})
    data["relations"].append({"pair": ["p", "c"], "affinity": -0.8})
    if hostile_on_route:
        data["actors"]["c"]["forces"] = {
            "Kunduz": hostile_on_route,
            "Takhar": hostile_on_route,
        }
    return data


def test_aid_is_conserved_exactly():
    m = GreatGame(scenario(patron_scenario(hostile_on_route=800))).run()
    flows = m.history.flows
    assert flows
    for f in flows:
        assert f.sent == f.delivered + f.interdicted
        assert 0 <= f.delivered <= f.sent
    assert any(f.interdicted > 0 for f in flows)


def test_interdiction_rises_with_hostile_control_on_the_route():
    def lost_share(hostile):
        m = GreatGame(scenario(patron_scenario(hostile_on_route=hostile))).run()
        sent = sum(f.sent for f in m.history.flows)
        return sum(f.interdicted for f in m.history.flows) / sent

    light, heavy = lost_share(50), lost_share(3000)
    assert heavy > light


def test_province_loss_follows_foes_share():
    strength = np.zeros((2, geo.n_provinces))
    strength[0] = 100
    strength[1, :5] = 300
    hostile = np.array([[False, True], [True, False]])
    loss = supply.province_loss(strength, hostile, interdiction=0.5)[0]
    assert np.allclose(loss[:5], 0.5 * 0.75)
    assert np.allclose(loss[5:], 0.0)


def test_least_loss_path_avoids_hostile_provinces():
    net = supply.RoadNet(
        geo.graph.number_of_nodes(), list(geo.graph.edges()), geo.n_provinces
    )
    tajik = geo.staging_ids[geo.staging_keys.index("tajikistan")]
    loss = np.zeros(geo.n_provinces)
    surv, pred = net.paths(loss[None, :], [[tajik]])
    assert np.isclose(surv[0, geo.index["Kunduz"]], 1.0)
    loss[geo.index["Kunduz"]] = 0.9
    surv, pred = net.paths(loss[None, :], [[tajik]])
    route = supply.route_of(pred[0], geo.index["Baghlan"])
    assert geo.index["Kunduz"] not in route  # goes round through Takhar
    assert route[0] == tajik


def test_allocation_spends_no_more_than_the_budget_and_hedges():
    aff = np.array([[1.0, 0.8, 0.1], [0.8, 1.0, 0.0], [0.1, 0.0, 1.0]])
    out = supply.allocate(
        budget=np.array([10.0, 0, 0]),
        self_funding=np.zeros(3),
        hedging=np.array([0.3, 0, 0]),
        affinity=aff,
        usefulness=np.zeros((3, 3)),
        strength=np.array([0.0, 100.0, 300.0]),
        aid_threshold=0.3,
        enemy_threshold=-0.3,
    )
    assert np.isclose(out.sum(), 10.0)
    assert out[0, 2] > 0  # the hedge reaches a non-ally
    assert np.isclose(out[0, 2], 3.0 * 300 / 400)


def test_allocation_gives_unwanted_clients_exactly_positive_zero():
    """Masked-out weights must not leave a -0.0 in the plan (it would print)."""
    aff = np.array([[1.0, -0.0, 0.2, 0.9], [0.5] * 4, [0.5] * 4, [0.5] * 4])
    aff[np.diag_indices(4)] = 1.0
    out = supply.allocate(
        budget=np.array([10.0, 0.0, 0.0, 0.0]),
        self_funding=np.zeros(4),
        hedging=np.array([0.5, 0, 0, 0]),
        affinity=aff,
        usefulness=np.full((4, 4), 0.3),
        strength=np.array([0.0, 5.0, 0.0, 7.0]),  # actor 2 has no fighters
        aid_threshold=0.3,  # actor 1 is liked only as a hedge, 2 not at all
        enemy_threshold=-0.5,
    )
    assert out[0, 2] == 0.0 and not np.signbit(out).any()
    assert out[0, 1] > 0 and out[0, 3] > out[0, 1]


def test_one_search_for_many_flows_matches_one_search_each():
    net = supply.RoadNet(
        geo.graph.number_of_nodes(), list(geo.graph.edges()), geo.n_provinces
    )
    rng = np.random.default_rng(3)
    losses = rng.uniform(0, 0.9, (3, geo.n_provinces))
    st = list(geo.staging_ids)
    sources = [[st[0]], [st[3], st[5]], [geo.index["Kabul"]]]
    surv, pred = net.paths(losses, sources)
    for f in range(3):
        s1, p1 = net.paths(losses[f : f + 1], [sources[f]])
        assert np.allclose(surv[f], s1[0])
        assert (pred[f] == p1[0]).all()
    assert np.isclose(surv[2, geo.index["Kabul"]], 1.0)  # entering where it starts


def test_batches_of_searches_give_the_same_paths_as_one_search(monkeypatch):
    from sim.world.synthetic import synthetic_geography

    big = synthetic_geography("planar", 600, seed=4)
    net = supply.RoadNet(
        big.graph.number_of_nodes(), list(big.graph.edges()), big.n_provinces
    )
    rng = np.random.default_rng(5)
    losses = rng.uniform(0, 0.9, (7, big.n_provinces))
    st = list(big.staging_ids)
    sources = [[st[k % len(st)]] for k in range(6)] + [[]]  # the last has no way in
    together = net.paths(losses, sources)
    monkeypatch.setattr(supply, "BATCH_NODES", 2 * net.n_nodes)  # 2 flows a call
    in_pairs = net.paths(losses, sources)
    monkeypatch.setattr(supply, "BATCH_NODES", 1)  # one flow a call
    alone = net.paths(losses, sources)
    for surv, pred in (in_pairs, alone):
        assert np.allclose(surv, together[0], rtol=1e-12, atol=0)
        assert (surv[-1] == 0).all() and (pred[-1] < 0).all()
        for f in range(6):  # each path found is as good as the best one
            for node in rng.choice(big.n_provinces, 5):
                route = supply.route_of(pred[f], int(node))
                assert route[0] in sources[f]
                kept = np.prod(1 - losses[f, route[1:]])
                assert np.isclose(kept, together[0][f, node], rtol=1e-9)


def test_a_flow_with_no_way_in_gets_nothing():
    net = supply.RoadNet(
        geo.graph.number_of_nodes(), list(geo.graph.edges()), geo.n_provinces
    )
    surv, pred = net.paths(np.zeros((1, geo.n_provinces)), [[]])
    assert (surv == 0).all()


def test_deliver_many_conserves_and_favours_forces_near_the_entry():
    strength = np.array([[100.0, 100.0, 0.0]])
    survival = np.array([[1.0, 0.5, 1.0, 1.0]])
    reach = np.array([[1.0, 1.0, 1.0]])
    sent, delivered, per_prov, target = supply.deliver_many(
        np.array([10.0]), strength, survival, reach
    )
    assert sent[0] == 10_000_000
    assert delivered[0] <= sent[0]
    assert np.isclose(per_prov.sum(), delivered[0] / 1e6)
    assert target[0] == 0 and per_prov[0, 2] == 0


class _NoWholeCopy(np.ndarray):
    """An array that refuses to be converted whole."""

    def tolist(self):
        raise AssertionError("the whole row was converted")


def test_route_of_reads_an_array_only_along_the_route():
    pred = np.full(10_000, -9999, dtype=np.int64)
    pred[[1, 2, 3]] = [0, 1, 2]
    assert supply.route_of(pred.view(_NoWholeCopy), 3) == [0, 1, 2, 3]


def test_route_of_reads_a_list_as_it_reads_an_array():
    pred = np.array([-9999, 0, 1, 0, -9999])
    assert supply.route_of(pred, 2) == [0, 1, 2]
    assert supply.route_of(pred.tolist(), 2) == [0, 1, 2]
    assert supply.route_of(pred, 0) == [0]
    assert all(type(q) is int for q in supply.route_of(pred, np.int64(3)))


def test_searches_weigh_each_edge_by_the_loss_of_the_province_it_enters():
    """The cached edge-to-loss index gives bit for bit a fresh build's weights."""
    from scipy.sparse.csgraph import dijkstra

    net = supply.RoadNet(
        geo.graph.number_of_nodes(), list(geo.graph.edges()), geo.n_provinces
    )
    rng = np.random.default_rng(11)
    st = list(geo.staging_ids)
    for flows in (1, 3, 3):  # the third search reuses the second's matrix
        losses = rng.uniform(0, 0.9, (flows, geo.n_provinces))
        losses[:, rng.choice(geo.n_provinces, 8)] = 0.0  # ties of zero weight
        sources = [[st[f]] for f in range(flows)]
        surv, pred = net.paths(losses, sources)
        v = net.n_nodes
        m = sp.block_diag([net._matrix] * flows, format="csr")
        m.sort_indices()
        node_w = np.zeros((flows, v))
        node_w[:, : net.n_provinces] = -np.log1p(-losses)
        m.data = node_w.ravel()[m.indices]
        starts = [f * v + sources[f][0] for f in range(flows)]
        dist, want = dijkstra(
            m, indices=starts, min_only=True, return_predecessors=True
        )[:2]
        want = want.reshape(flows, v)
        offset = (np.arange(flows) * v)[:, None]
        assert np.array_equal(surv, np.exp(-dist.reshape(flows, v)))
        assert np.array_equal(pred, np.where(want >= 0, want - offset, want))
