import numpy as np
import pytest

from sim.processes import movement


def test_side_shares_count_self_and_allies_against_foes():
    armed = np.array([[30.0, 0.0], [10.0, 5.0], [60.0, 0.0]])
    allied = np.array([[False, True, False], [True, False, False], [False] * 3])
    hostile = np.array(
        [[False, False, True], [False, False, True], [True, True, False]]
    )
    friendly, foes = movement.side_shares(armed, allied, hostile)
    assert np.allclose(friendly[:, 0], [0.4, 0.4, 0.6])
    assert np.allclose(foes[:, 0], [0.6, 0.6, 0.4])
    assert np.allclose(friendly[:, 1], [1.0, 1.0, 0.0])


def test_supply_comes_through_own_or_patrons_entries():
    mask = np.array([[True, False], [False, False], [False, True]])
    sent = np.zeros((3, 3))
    sent[2, 1] = 5.0  # 2 supplies 1
    entries = movement.supply_entries(mask, sent)
    assert np.array_equal(entries, [[True, False], [False, True], [False, True]])
    hops = np.array([[0.0, 1.0, 2.0], [2.0, 1.0, 0.0]])
    near = movement.supply_nearness(entries, hops)
    assert np.allclose(near[0], np.exp(-np.array([0.0, 1.0, 2.0]) / 2))
    assert np.allclose(near[1], near[2])


def test_an_actor_without_entries_is_far_from_supply():
    near = movement.supply_nearness(np.zeros((1, 2), dtype=bool), np.ones((2, 3)))
    assert np.array_equal(near, np.zeros((1, 3)))


def test_garrison_is_the_base_when_holding_is_off():
    s = np.array([[500.0, 100.0], [300.0, 0.0]])
    hostile = ~np.eye(2, dtype=bool)
    held = np.ones((2, 2), dtype=bool)
    assert movement.garrison(s, s, hostile, held, 50.0, 0.0, 0.0) == 50.0


def test_garrison_holds_against_the_combat_power_faced():
    s = np.array([[1000.0, 100.0], [300.0, 0.0]])
    armed = np.array([[500.0, 50.0], [600.0, 0.0]])  # 0.5 and 2 per fighter
    hostile = ~np.eye(2, dtype=bool)
    held = np.zeros((2, 2), dtype=bool)
    keep = movement.garrison(s, armed, hostile, held, 50.0, 1.5, 0.0)
    # a faces 600 armed = 1,200 of its own fighters; 1.5 x that = 1,800
    assert keep[0, 0] == pytest.approx(1800.0)
    assert keep[1, 0] == pytest.approx(1.5 * 500.0 / 2.0)  # b faces a's 500
    assert keep[0, 1] == 50.0  # nobody hostile there: the base garrison
    held[0, 1] = True
    keep = movement.garrison(s, armed, hostile, held, 50.0, 1.5, 0.8)
    assert keep[0, 1] == pytest.approx(80.0)  # a holds it: keeps 0.8 of 100


def test_a_force_does_not_leave_below_its_garrison():
    s = np.array([[1000.0, 0.0]])
    value = np.array([[0.0, 1.0]])  # the neighbour is far better
    table = np.array([[1], [0]])
    keep = np.array([[900.0, 50.0]])
    amount, dest = movement.moves(s, value, table, np.array([0.5]), 0.05, keep)
    assert amount[0, 0] == pytest.approx(0.5 * 100.0) and dest[0, 0] == 1
    amount, _ = movement.moves(s, value, table, np.array([0.5]), 0.05, 1000.0)
    assert amount[0, 0] == 0.0


def test_the_hostile_power_is_shared_by_side_shares_and_garrison():
    rng = np.random.default_rng(2)
    armed = rng.uniform(0, 100, (4, 6)) * (rng.random((4, 6)) < 0.6)
    strength = armed / 2.0
    allied = np.zeros((4, 4), dtype=bool)
    allied[0, 1] = allied[1, 0] = True
    hostile = ~np.eye(4, dtype=bool) & ~allied
    power = movement.hostile_power(hostile, armed)
    assert np.allclose(power[0], armed[2] + armed[3])
    plain = movement.side_shares(armed, allied, hostile)
    given = movement.side_shares(armed, allied, hostile, power)
    assert all(np.array_equal(a, b) for a, b in zip(plain, given, strict=True))
    held = np.zeros((4, 6), dtype=bool)
    keep = movement.garrison(strength, armed, hostile, held, 5.0, 1.5, 0.0)
    assert np.array_equal(
        keep, movement.garrison(strength, armed, hostile, held, 5.0, 1.5, 0.0, power)
    )


def test_apply_moves_carries_fighters_and_their_kit():
    strength = np.array([[10.0, 0.0, 4.0], [6.0, 6.0, 0.0]])
    equipment = np.array([[2.0, 1.0, 1.0], [1.0, 3.0, 1.0]])
    amount = np.array([[5.0, 0.0, 4.0], [0.0, 6.0, 0.0]])
    dest = np.array([[1, -1, 1], [-1, 0, -1]])
    s, e, arrived = movement.apply_moves(strength, equipment, amount, dest)
    assert np.array_equal(arrived, [[0.0, 9.0, 0.0], [6.0, 0.0, 0.0]])
    assert np.array_equal(s, [[5.0, 9.0, 0.0], [12.0, 0.0, 0.0]])
    assert np.isclose(e[0, 1], (5 * 2.0 + 4 * 1.0) / 9)  # kit mixed by weight
    assert e[1, 0] == 2.0 and e[0, 2] == 1.0  # an emptied cell keeps its kit
    assert np.array_equal(movement.arrivals(amount, dest), arrived)


def test_a_force_moves_to_its_best_neighbour_and_never_into_the_padding():
    table = movement.neighbour_table([[1], [0, 2], [1]])  # p0 and p2 padded
    strength = np.array([[100.0, 100.0, 0.0], [0.0, 0.0, 100.0]])
    value = np.array([[-5.0, 0.0, 3.0], [9.0, -9.0, 0.0]])
    mobility = np.array([0.5, 0.5])
    amount, dest = movement.moves(strength, value, table, mobility, 0.1, 0.0)
    # actor 0 moves p0 -> p1 and p1 -> p2 (better than p0); actor 1 in p2
    # stays: its one neighbour is worse, and the padding (read as p0, the
    # best province) is not a neighbour
    assert dest.tolist() == [[1, 2, -1], [-1, -1, -1]]
    assert amount.tolist() == [[50.0, 50.0, 0.0], [0.0, 0.0, 0.0]]


def test_the_neighbour_ids_are_made_once_per_table():
    table = movement.neighbour_table([[1, 2], [0], [0]])
    ids, missing = movement._neighbour_ids(table)
    assert ids.tolist() == [[1, 2], [0, 0], [0, 0]]
    assert missing.tolist() == [[False, False], [False, True], [False, True]]
    assert movement._neighbour_ids(table)[0] is ids


def test_holding_marks_the_provinces_each_actor_controls():
    held = movement.holding(np.array([1, -1, 0, 1]), 3)
    assert held.tolist() == [
        [False, False, True, False],
        [True, False, False, True],
        [False, False, False, False],
    ]
    assert not movement._actor_column(3).flags.writeable


def _random_moves(seed: int):
    """A random map, forces, values and garrisons for the moves' equivalence."""
    rng = np.random.default_rng(seed)
    n, p = 5, 12
    steps = rng.integers(1, p, (p, 3))
    neighbours = [sorted({(q + d) % p for d in steps[q]}) for q in range(p)]
    strength = rng.gamma(0.6, 200.0, (n, p)) * (rng.random((n, p)) < 0.7)
    equipment = rng.uniform(0.3, 2.0, (n, p))
    value = rng.normal(0.0, 1.0, (n, p))
    mobility = np.array([0.0, 0.2, 0.5, 0.3, 1.0])
    keep = rng.uniform(0.0, 150.0, (n, p))
    table = movement.neighbour_table(neighbours)
    return strength, equipment, value, table, mobility, keep


@pytest.mark.parametrize("seed", range(8))
def test_moves_force_by_force_are_the_dense_moves_bit_for_bit(seed):
    strength, equipment, value, table, mobility, keep = _random_moves(seed)
    amount, dest = movement.moves(strength, value, table, mobility, 0.05, keep)
    chosen = movement.choose_moves(strength, value, table, mobility, 0.05, keep)
    assert chosen.cells.tolist() == np.flatnonzero(dest >= 0).tolist()  # row-major
    assert chosen.to.tolist() == [
        c // 12 * 12 + dest.flat[c] for c in np.flatnonzero(dest >= 0)
    ]
    want = movement.apply_moves(strength, equipment, amount, dest)
    s, e, sent, arrived = movement.relocate(strength, equipment, chosen)
    assert len(chosen.cells) > 0
    for got, expected in ((s, want[0]), (e, want[1]), (arrived, want[2])):
        assert got.tobytes() == expected.tobytes()
    assert sent.tobytes() == amount.tobytes()


def test_relocating_carries_fighters_and_their_kit():
    strength = np.array([[10.0, 0.0, 4.0], [6.0, 6.0, 0.0]])
    equipment = np.array([[2.0, 1.0, 1.0], [1.0, 3.0, 1.0]])
    chosen = movement.Moves(
        cells=np.array([0, 2, 4]),
        to=np.array([1, 1, 3]),
        amount=np.array([5.0, 4.0, 6.0]),
        shape=(2, 3),
    )
    s, e, sent, arrived = movement.relocate(strength, equipment, chosen)
    assert sent.tolist() == [[5.0, 0.0, 4.0], [0.0, 6.0, 0.0]]
    assert arrived.tolist() == [[0.0, 9.0, 0.0], [6.0, 0.0, 0.0]]
    assert s.tolist() == [[5.0, 9.0, 0.0], [12.0, 0.0, 0.0]]
    assert np.isclose(e[0, 1], (5 * 2.0 + 4 * 1.0) / 9)  # kit mixed by weight
    assert e[1, 0] == 2.0 and e[0, 2] == 1.0  # an emptied cell keeps its kit


def test_province_value_is_the_weighted_sum_and_keeps_its_supply_part():
    rng = np.random.default_rng(3)
    lasting, supply, friendly, foes, crowd = rng.random((5, 4, 6))
    weights = {"supply": 0.2, "friends": 0.1, "enemy": 0.8, "crowding": 0.8}
    value = movement.province_value(
        lasting=lasting, weights=weights, supply=supply, friendly_share=friendly,
        hostile_share=foes, crowding=crowd,
    )  # fmt: skip
    want = lasting + 0.2 * supply + 0.1 * friendly - 0.8 * foes - 0.8 * crowd
    assert value.tobytes() == want.tobytes()
    first = movement._supplied(lasting, 0.2, supply)
    assert movement._supplied(lasting, 0.2, supply) is first
    assert movement._supplied(lasting, 0.2, supply.copy()) is not first
