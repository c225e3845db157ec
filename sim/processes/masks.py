"""Masks over actor pairs that every step uses and no step changes.

Made once per number of actors and shared read-only, so a step masks a
diagonal with one operation instead of building the mask each time.
"""

from __future__ import annotations

import functools

import numpy as np


@functools.lru_cache(maxsize=8)
def off_diagonal(n: int) -> np.ndarray:
    """``[n, n]`` bool, True where i differs from j: every pair of two actors.

    Read-only: it is shared by every caller and every run.
    """
    mask = ~np.eye(n, dtype=bool)
    mask.flags.writeable = False
    return mask
