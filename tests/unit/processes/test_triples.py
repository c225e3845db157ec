"""Sparse (j, k, p) triples: the same sums and order as the full arrays."""

import numpy as np
import pytest

from sim.processes import triples
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


@pytest.mark.parametrize("seed", range(6))
def test_triples_found_actor_by_actor_are_those_of_the_full_array(monkeypatch, seed):
    rng = np.random.default_rng(seed)
    n, provinces = int(rng.integers(1, 12)), int(rng.integers(1, 300))
    pairs = rng.random((n, n)) < rng.random()
    first = rng.random((n, provinces)) < rng.random()
    second = first if seed % 2 else rng.random((n, provinces)) < rng.random()
    monkeypatch.setattr(triples, "BY_ACTOR_PROVINCES", 10**9)
    dense = Triples.where(pairs, first, second)
    monkeypatch.setattr(triples, "BY_ACTOR_PROVINCES", 0)
    by_actor = Triples.where(pairs, first, second)
    for a, b in ((dense.j, by_actor.j), (dense.k, by_actor.k), (dense.p, by_actor.p)):
        assert a.dtype == b.dtype
        assert a.tobytes() == b.tobytes()


def test_no_pair_gives_no_triple_actor_by_actor(monkeypatch):
    monkeypatch.setattr(triples, "BY_ACTOR_PROVINCES", 0)
    everywhere = np.ones((3, 5), bool)
    t = Triples.where(np.zeros((3, 3), bool), everywhere, everywhere)
    assert len(t.j) == len(t.k) == len(t.p) == 0
    assert t.p.dtype == np.intp


def test_a_large_map_finds_triples_actor_by_actor(monkeypatch):
    seen = []
    real = triples._where_by_actor
    monkeypatch.setattr(
        triples, "_where_by_actor", lambda *a: seen.append(1) or real(*a)
    )
    big = np.ones((2, triples.BY_ACTOR_PROVINCES), bool)
    Triples.where(np.ones((2, 2), bool), big, big)
    Triples.where(np.ones((2, 2), bool), big[:, :34], big[:, :34])
    assert seen == [1]


@pytest.mark.parametrize("seed", range(8))
def test_merged_is_the_sorted_union_and_where_each_array_went(seed):
    rng = np.random.default_rng(seed)
    old = np.unique(rng.integers(0, 500, int(rng.integers(0, 200))))
    pool = np.concatenate([old, rng.integers(0, 600, 40)]) if seed % 2 else old
    new = np.unique(rng.choice(pool, int(rng.integers(1, 60)))) if len(pool) else old
    if not len(new):
        new = np.array([7])
    union, old_at, new_at = triples.merged(old, new, old.searchsorted(new))
    want = np.union1d(old, new)
    assert union.dtype == old.dtype
    assert np.array_equal(union, want)
    assert np.array_equal(union[old_at], old)
    assert np.array_equal(union[new_at], new)


def test_merged_with_nothing_remembered_is_the_new_array():
    new = np.array([2, 5, 9])
    nothing = np.zeros(0, dtype=int)
    union, old_at, new_at = triples.merged(nothing, new, np.zeros(3, int))
    assert np.array_equal(union, new)
    assert len(old_at) == 0
    assert np.array_equal(new_at, [0, 1, 2])
