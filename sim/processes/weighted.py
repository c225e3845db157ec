"""Province-weighted sums of sparse ``[N, N, P]`` entries, one per distinct weight row.

:meth:`sim.processes.kill_memory.KillMemory.inflicted_in` sums, for every row of
weights ``w`` (each actor's interest in each province) and every actor pair
``(j, k)``, ``weights[w, p] · K[j, k, p]`` over the provinces where the pair
fought. Its cost is rows × entries, and the entries grow with the square of
the actors: on a large map it was the step's fastest-growing part. Actors
often weigh the provinces alike (the same region, the whole map), and a
row's sums depend on that row alone, so each distinct row is summed once and
the answer copied to the actors that share it. The rows are taken a few at a
time, so that the temporary products stay small enough for the cache. Each
sum adds the same products in the same order as summing all rows at once:
the results are the same to the bit.
"""

from __future__ import annotations

import numpy as np

from sim.processes.memo import last_answer

#: Most products held at once (rows × entries): 8 MB of float64.
BLOCK_ENTRIES = 1 << 20


@last_answer
def distinct_rows(weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``(rows, which)``: the distinct rows of ``weights`` and each row's index in them.

    ``rows[which]`` is ``weights``. Remembered while asked about the same
    array (a run's interests stay the same object all run long).
    """
    rows, which = np.unique(weights, axis=0, return_inverse=True)
    return np.ascontiguousarray(rows), which.reshape(-1)


def run_sums(
    weights: np.ndarray, province: np.ndarray, value: np.ndarray, starts: np.ndarray
) -> np.ndarray:
    """``[W, R]``: per weight row, the sums of ``weights[w, province] · value`` by run.

    Args:
        weights: ``[W, P]`` weight of each province, one row per actor.
        province: ``[E]`` province of each entry.
        value: ``[E]`` value of each entry.
        starts: ``[R]`` where each run of entries starts (ascending, first 0).

    Returns:
        The same numbers as ``np.add.reduceat(weights[:, province] * value,
        starts, axis=1)``, computed once per distinct row of ``weights``.
    """
    rows, which = distinct_rows(weights)
    sums = np.empty((rows.shape[0], len(starts)))
    step = max(1, BLOCK_ENTRIES // max(1, len(value)))
    for lo in range(0, rows.shape[0], step):
        block = rows[lo : lo + step].take(province, axis=1)
        block *= value
        sums[lo : lo + step] = np.add.reduceat(block, starts, axis=1)
    return sums[which]
