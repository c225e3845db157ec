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


@functools.cache
def third_party_mask(n: int) -> np.ndarray:
    """``[i, j, k]`` True where k differs from both i and j (read-only, cached)."""
    eye = np.eye(n, dtype=bool)
    mask = ~(eye[:, :, None] | eye[None, :, :] | eye[:, None, :])
    mask.flags.writeable = False
    return mask


@functools.cache
def third_party_ones(n: int) -> np.ndarray:
    """:func:`third_party_mask` as 1.0 and 0.0, to multiply by (read-only, cached).

    Multiplying by a bool mask makes numpy cast it to these very numbers
    first, so the product has the same bits; on arrays this small the cast
    costs more than the product itself, and this twin skips it.
    """
    ones = third_party_mask(n).astype(float)
    ones.flags.writeable = False
    return ones


@functools.cache
def off_diagonal_ones(n: int) -> np.ndarray:
    """:func:`off_diagonal` as 1.0 and 0.0, to multiply by (read-only, cached).

    The same bits as a product with the bool mask, without numpy's cast of
    the bools on every call (:func:`third_party_ones`).
    """
    ones = off_diagonal(n).astype(float)
    ones.flags.writeable = False
    return ones
