"""sim.processes.masks: shared read-only masks over actor pairs."""

from __future__ import annotations

import numpy as np
import pytest

from sim.processes.masks import off_diagonal


def test_off_diagonal_marks_every_pair_of_two_actors_made_once_and_read_only():
    mask = off_diagonal(3)
    assert np.array_equal(mask, ~np.eye(3, dtype=bool))
    assert off_diagonal(3) is mask  # made once per size
    with pytest.raises(ValueError):
        mask[0, 1] = False  # shared by every caller: nobody may change it
