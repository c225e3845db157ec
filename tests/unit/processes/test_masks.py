"""sim.processes.masks: shared read-only masks over actor pairs."""

from __future__ import annotations

import numpy as np
import pytest

from sim.processes.masks import (
    off_diagonal,
    off_diagonal_ones,
    third_party_mask,
    third_party_ones,
)


def test_off_diagonal_marks_every_pair_of_two_actors_made_once_and_read_only():
    mask = off_diagonal(3)
    assert np.array_equal(mask, ~np.eye(3, dtype=bool))
    assert off_diagonal(3) is mask  # made once per size
    with pytest.raises(ValueError):
        mask[0, 1] = False  # shared by every caller: nobody may change it


def test_float_masks_are_the_bool_masks_as_ones_and_zeros_made_once_read_only():
    for n in (1, 2, 5):
        third, off = third_party_ones(n), off_diagonal_ones(n)
        assert third.dtype == off.dtype == np.float64
        assert np.array_equal(third, third_party_mask(n).astype(float))
        assert np.array_equal(off, off_diagonal(n).astype(float))
        assert third_party_ones(n) is third and off_diagonal_ones(n) is off
        assert not third.flags.writeable and not off.flags.writeable


def test_products_with_the_float_masks_have_the_bits_of_the_bool_products():
    rng = np.random.default_rng(3)
    x = rng.normal(size=(4, 4, 4))
    x[0, 1, 2], x[1, 0, 3] = -0.0, np.inf  # signed zeros and infinities too
    bits = (x * third_party_mask(4)).view(np.int64)
    assert np.array_equal((x * third_party_ones(4)).view(np.int64), bits)
    bits = (x[0] * off_diagonal(4)).view(np.int64)
    assert np.array_equal((x[0] * off_diagonal_ones(4)).view(np.int64), bits)
