import numpy as np
import pytest

from sim.processes.einsum import einsum


@pytest.mark.parametrize(
    "subscripts, shapes",
    [
        ("ip,ikp->ik", [(7, 34), (7, 7, 34)]),
        ("ip,ikp,jp->ijk", [(7, 34), (7, 7, 34), (7, 34)]),
        ("jc,ick,ic->ijk", [(8, 8), (8, 8, 8), (8, 8)]),
    ],
)
def test_einsum_gives_numpys_bits(subscripts, shapes):
    rng = np.random.default_rng(3)
    for _ in range(20):
        ops = [rng.random(s) * rng.choice([1e-3, 1.0, 1e3]) for s in shapes]
        mine, numpys = einsum(subscripts, *ops), np.einsum(subscripts, *ops)
        assert mine.tobytes() == numpys.tobytes()
