import numpy as np

from sim.processes import engagements, kill_memory
from tests.conftest import scattered_forces


def _memory_of(flat_entries, values, n=2, provinces=3):
    return kill_memory.KillMemory(
        np.array(flat_entries), np.array(values), n, provinces
    )


def _engagements_at(flat_entries, n=2, provinces=3):
    flat = np.array(flat_entries)
    pair, p = np.divmod(flat, provinces)
    j, k = np.divmod(pair, n)
    return engagements.Engagements(j, k, p, n, provinces)


def test_sparse_memory_matches_the_dense_blend_and_weighted_sums():
    rng = np.random.default_rng(7)
    n, p = 6, 40
    strength, hostile = scattered_forces(rng, n, p)
    eng = engagements.Engagements.find(strength, hostile)
    losses = rng.uniform(0, 5, len(eng.j))
    memory = kill_memory.KillMemory.start(eng, losses)
    later = engagements.Engagements.find(strength * (rng.random((n, p)) < 0.7), hostile)
    blended = memory.blend(later, np.ones(len(later.j)), 0.7)
    expect = 0.7 * eng.dense(losses) + 0.3 * later.dense(np.ones(len(later.j)))
    got = np.zeros(n * n * p)
    got[blended.index] = blended.value
    assert np.allclose(got.reshape(n, n, p), expect, rtol=1e-14, atol=0)
    interests = rng.random((n, p))
    assert np.allclose(
        blended.inflicted_in(interests),
        np.einsum("ip,jkp->ijk", interests, expect),
        rtol=1e-12,
        atol=0,
    )


def test_a_memory_of_no_fights_inflicted_nothing():
    s = np.array([[100.0], [400.0]])
    alone = engagements.Engagements.find(s, np.zeros((2, 2), dtype=bool))  # no foes
    assert len(alone.j) == 0
    memory = kill_memory.KillMemory.start(alone, np.zeros(0))
    memory = memory.blend(alone, np.zeros(0), 0.7)
    assert (memory.inflicted_in(np.ones((2, 1))) == 0).all()


def test_blending_known_fights_keeps_the_index_and_decays_the_rest():
    memory = _memory_of([3, 5, 7], [10.0, 20.0, 30.0])
    out = memory.blend(_engagements_at([5]), np.array([4.0]), 0.5)
    assert out.index is memory.index
    assert np.allclose(out.value, [5.0, 12.0, 15.0])


def test_blending_new_fights_after_or_between_the_known_ones_adds_them():
    memory = _memory_of([3, 5], [10.0, 20.0])
    after = memory.blend(_engagements_at([5, 9]), np.array([2.0, 6.0]), 0.5)
    assert after.index.tolist() == [3, 5, 9]
    assert np.allclose(after.value, [5.0, 11.0, 3.0])
    between = memory.blend(_engagements_at([4]), np.array([8.0]), 0.5)
    assert between.index.tolist() == [3, 4, 5]
    assert np.allclose(between.value, [5.0, 4.0, 10.0])
    before = memory.blend(_engagements_at([0, 3]), np.array([2.0, 2.0]), 0.5)
    assert before.index.tolist() == [0, 3, 5]
    assert np.allclose(before.value, [1.0, 6.0, 10.0])


def test_blending_the_same_fights_again_gives_what_a_fresh_search_gives():
    memory = _memory_of([3, 5, 7], [10.0, 20.0, 30.0])
    eng = _engagements_at([3, 7])
    once = memory.blend(eng, np.array([2.0, 4.0]), 0.5)
    again = once.blend(eng, np.array([2.0, 4.0]), 0.5)
    assert again.index is memory.index
    assert np.allclose(again.value, [4.0, 5.0, 10.5])
    grown = again.blend(_engagements_at([7, 9]), np.array([2.0, 2.0]), 0.5)
    assert grown.index.tolist() == [3, 5, 7, 9]
