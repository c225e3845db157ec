import numpy as np

from sim.processes import delivery, supply


def _line(n_prov=3):
    """Provinces 0-1-2 in a line, staging node 3 next to province 0."""
    edges = [(0, 1), (1, 2), (3, 0)]
    return supply.RoadNet(n_prov + 1, edges, n_prov)


def test_shipping_conserves_aid_and_adds_to_own_spending():
    roads = _line()
    outside = np.array([[0.0, 6.0], [0.0, 0.0]])
    own = np.array([[1.0, 0.0, 0.0], [0.0, 0.0, 0.0]])
    strength = np.array([[10.0, 0.0, 0.0], [0.0, 20.0, 20.0]])
    loss = np.array([[0.0, 0.0, 0.0], [0.5, 0.5, 0.5]])
    out = delivery.ship(
        outside, own, strength, loss, roads, np.ones((2, 3)), [[3], []], 1.0
    )
    assert out.sent[0, 1] == 6.0
    assert 0 < out.delivered[0, 1] < 6.0  # half is lost entering each province
    assert np.isclose(out.gained[1].sum(), out.delivered[0, 1])
    assert np.array_equal(out.gained[0], own[0])
    (patron, client, route, sent_u, deliv_u) = out.routes[0]
    assert (patron, client, route[0]) == (0, 1, 3)
    assert sent_u == 6 * supply.MICRO and deliv_u <= sent_u


def test_a_patron_without_staging_sends_from_its_forces():
    sources = delivery.entry_points(
        np.array([0, 1]), [[], [3]], np.array([[0.5, 5.0, 0.0], [0.0] * 3]), 1.0
    )
    assert sources == [(1,), (3,)]


def test_nothing_to_send_ships_nothing():
    out = delivery.ship(
        np.zeros((2, 2)), np.zeros((2, 3)), np.ones((2, 3)), np.zeros((2, 3)),
        _line(), np.ones((2, 3)), [[3], []], 1.0,
    )  # fmt: skip
    assert out.routes == [] and out.sent.sum() == 0 and out.gained.sum() == 0


def test_routes_tell_only_the_flows_that_sent_in_python_ints():
    pred = np.array([[-9999, 0, 1, -9999], [-9999, 3, 1, -9999]])
    out = delivery.routes(
        np.array([0, 1]),
        np.array([2, 2]),
        pred,
        np.array([5, 0]),
        np.array([4, 0]),
        np.array([2, 1]),
    )
    assert out == [(0, 2, [0, 1, 2], 5, 4)]
    assert all(type(x) is int for x in (*out[0][:2], *out[0][2], *out[0][3:]))


def test_routes_on_a_large_map_are_the_same_read_along_the_route(monkeypatch):
    pred = np.full((2, 50), -9999, dtype=np.int64)
    pred[0, [1, 2, 3]] = [0, 1, 2]
    pred[1, [7, 9]] = [8, 7]
    args = (np.array([0, 1]), np.array([2, 3]), pred)
    tail = (np.array([5, 6]), np.array([4, 6]), np.array([3, 9]))
    whole = delivery.routes(*args, *tail)
    monkeypatch.setattr(delivery, "ROUTE_ROWS_NODES", 50)
    along = delivery.routes(*args, *tail)
    assert along == whole == [(0, 2, [0, 1, 2, 3], 5, 4), (1, 3, [8, 7, 9], 6, 6)]
    assert all(type(x) is int for x in along[1][2])


def test_flows_alike_share_one_search_and_get_its_answer():
    roads = _line()
    loss = np.array([[0.0, 0.2, 0.4], [0.5, 0.1, 0.0]])
    clients = np.array([0, 1, 1])
    sources = [(3,), (3,), (3,)]  # the last two: one client, the same entry
    calls = []
    real = roads.paths

    def counted(losses, starts):
        calls.append(len(starts))
        return real(losses, starts)

    roads.paths = counted
    surv, pred = delivery.flow_paths(roads, loss, clients, sources)
    assert calls == [2]  # one search for the two alike
    alone_s, alone_p = real(loss[clients], [[3], [3], [3]])
    np.testing.assert_array_equal(surv, alone_s)
    np.testing.assert_array_equal(pred, alone_p)
