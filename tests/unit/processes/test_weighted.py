"""sim.processes.weighted: province-weighted run sums, one per distinct weight row."""

from __future__ import annotations

import numpy as np
import pytest

from sim.processes import weighted

RNG = np.random.default_rng(7)


def _case(rows: int, provinces: int, entries: int, runs: int):
    """Weights with repeated rows and zeros, entries with runs of any length."""
    w = RNG.random((rows, provinces)) * (RNG.random((rows, provinces)) < 0.5)
    w[RNG.integers(0, rows, rows // 2)] = w[0]  # actors weighing provinces alike
    province = np.sort(RNG.integers(0, provinces, entries))
    value = RNG.random(entries) * RNG.integers(0, 3, entries)
    starts = np.unique(np.concatenate([[0], RNG.integers(0, entries, runs)]))
    return w, province, value, starts


@pytest.mark.parametrize("block", [1, 7, 300, weighted.BLOCK_ENTRIES])
@pytest.mark.parametrize("shape", [(1, 3, 1, 1), (6, 40, 500, 20), (25, 300, 4000, 90)])
def test_run_sums_have_the_bits_of_summing_all_rows_at_once(monkeypatch, block, shape):
    monkeypatch.setattr(weighted, "BLOCK_ENTRIES", block)
    w, province, value, starts = _case(*shape)
    want = np.add.reduceat(w[:, province] * value, starts, axis=1)
    got = weighted.run_sums(w, province, value, starts)
    assert got.shape == want.shape
    assert got.tobytes() == want.tobytes()


def test_distinct_rows_rebuild_the_weights_and_are_remembered():
    w = np.array([[0.5, 0.5, 0.0], [1.0, 0.0, 0.0], [0.5, 0.5, 0.0], [1.0, 0.0, 0.0]])
    rows, which = weighted.distinct_rows(w)
    assert len(rows) == 2
    assert np.array_equal(rows[which], w)
    assert weighted.distinct_rows(w)[0] is rows  # the same array: not recomputed
    assert not rows.flags.writeable


def test_each_distinct_row_is_summed_once(monkeypatch):
    calls = []
    real = np.add.reduceat

    class Counting:
        @staticmethod
        def reduceat(block, starts, axis):
            calls.append(block.shape[0])
            return real(block, starts, axis=axis)

    w, province, value, starts = _case(12, 50, 800, 30)
    w[:] = w[RNG.integers(0, 3, 12)]  # three distinct rows at most
    monkeypatch.setattr(weighted.np, "add", Counting)
    weighted.run_sums(w, province, value, starts)
    assert sum(calls) == len(np.unique(w, axis=0))
