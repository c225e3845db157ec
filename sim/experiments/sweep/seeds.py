"""Run seeds: every run's seed fanned out from the sweep seed by SeedSequence.

Seeds never come from ``seed + i``, so results do not depend on the number
of workers, the backend or the order in which runs finish.
"""

from __future__ import annotations

import numpy as np

#: How run seeds derive from the sweep seed, as written to ``sweep.json``.
SEED_RULE = (
    "SeedSequence(seed, spawn_key=(k,)).generate_state(1, uint64)[0] >> 1, "
    "k = replicate (common random numbers) or run index"
)


def run_seed(sweep_seed: int, k: int) -> int:
    """The seed of replicate (or run) ``k`` of a sweep seeded ``sweep_seed``.

    ``SeedSequence(sweep_seed, spawn_key=(k,))`` is the k-th child of the sweep
    seed: well mixed, independent of every other k, and the same whoever runs
    it. The top bit is dropped so the seed fits an int64 column and a
    scenario's ``seed`` field (rerun one run with ``run.py --seed SEED``).
    """
    seq = np.random.SeedSequence(sweep_seed, spawn_key=(k,))
    return int(seq.generate_state(1, dtype=np.uint64)[0] >> np.uint64(1))


def seed_key(replicate: int, index: int, common_random_numbers: bool) -> int:
    """Which child of the sweep seed a run takes: its replicate, or its index.

    With common random numbers, replicate ``r`` has the same seed at every
    point, so points are compared on the same draws.
    """
    return replicate if common_random_numbers else index
