"""Sparse (j, k, p) triples: the same sums and order as the full arrays."""

import numpy as np

from sim.processes.triples import Triples, first_of_runs


def _example():
    rng = np.random.default_rng(3)
    n, p = 3, 4
    pairs = np.array([[0, 1, 1], [1, 0, 0], [1, 1, 0]], dtype=bool)
    first = rng.random((n, p)) > 0.4
    second = rng.random((n, p)) > 0.3
    return pairs, first, second, Triples.where(pairs, first, second)


def test_triples_are_exactly_where_the_three_conditions_hold():
    pairs, first, second, t = _example()
    full = pairs[:, :, None] & first[:, None, :] & second[None, :, :]
    assert set(zip(t.j, t.k, t.p, strict=True)) == set(
        zip(*np.nonzero(full), strict=True)
    )


def test_triples_are_in_c_order_so_draws_follow_the_full_array():
    *_, t = _example()
    assert np.all(np.diff(t.flat) > 0)


def test_sums_by_cell_and_by_pair_match_the_dense_array():
    *_, t = _example()
    values = np.arange(1, len(t.j) + 1, dtype=float)
    dense = t.dense(values)
    assert np.allclose(t.total(t.from_cell, values), dense.sum(axis=1))
    assert np.allclose(t.total(t.to_cell, values), dense.sum(axis=0))
    assert np.allclose(t.by_pair(values), dense.sum(axis=2))


def test_no_triples_give_zero_sums():
    t = Triples.none(2, 5)
    assert t.total(t.from_cell, np.zeros(0)).shape == (2, 5)
    assert not t.by_pair(np.zeros(0)).any()


def test_first_of_runs_marks_each_new_value():
    assert first_of_runs(np.array([1, 1, 2, 5, 5, 5])).tolist() == [
        True,
        False,
        True,
        True,
        False,
        False,
    ]


def test_pair_and_cell_indices_address_the_flat_arrays():
    pairs = np.array([[False, True, True], [True, False, False], [True, True, False]])
    present = np.array(
        [[True, False, True, True], [True, True, False, True], [True] * 4]
    )
    t = Triples.where(pairs, present, present)
    n, p = 3, 4
    assert t.pair.tolist() == (t.j * n + t.k).tolist()
    assert t.flat.tolist() == ((t.j * n + t.k) * p + t.p).tolist()
    a = np.arange(n * n, dtype=float).reshape(n, n)
    s = np.arange(n * p, dtype=float).reshape(n, p)
    assert a.take(t.pair).tolist() == a[t.j, t.k].tolist()
    assert s.take(t.from_cell).tolist() == s[t.j, t.p].tolist()
    assert s.take(t.to_cell).tolist() == s[t.k, t.p].tolist()
