"""Between the unit cube and the priors: uniform or log-uniform, both ways.

Designs (Latin hypercube, Morris, Saltelli, a sampler's kernel) work in the
unit cube; the model takes values on the priors' own scales.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from sim.experiments.uncertainty.priors import Prior


def to_values(priors: Sequence[Prior], unit: np.ndarray) -> pd.DataFrame:
    """Map points of the unit cube onto the priors (log-uniform where ``log``).

    Args:
        priors: the priors, one per column of ``unit``.
        unit: an ``(n, len(priors))`` array of values in [0, 1].

    Returns:
        A DataFrame with one column per prior path, each value within its
        prior (rounding never pushes a value past a bound).
    """
    unit = np.asarray(unit, dtype=float)
    cols = {}
    for j, p in enumerate(priors):
        u = unit[:, j]
        if p.scale == "log":
            lo, hi = np.log(p.low), np.log(p.high)
            v = np.exp(lo + u * (hi - lo))
        else:
            v = p.low + u * (p.high - p.low)
        cols[p.path] = np.clip(v, p.low, p.high)
    return pd.DataFrame(cols)


def to_unit(priors: Sequence[Prior], values: pd.DataFrame) -> np.ndarray:
    """The inverse of :func:`to_values`: prior values back into the unit cube.

    Args:
        priors: the priors, one per column.
        values: a DataFrame with a column per prior path.

    Returns:
        An ``(n, len(priors))`` array in [0, 1].
    """
    out = np.empty((len(values), len(priors)))
    for j, p in enumerate(priors):
        v = values[p.path].to_numpy(dtype=float)
        if p.scale == "log":
            lo, hi = np.log(p.low), np.log(p.high)
            out[:, j] = (np.log(v) - lo) / (hi - lo)
        else:
            out[:, j] = (v - p.low) / (p.high - p.low)
    return np.clip(out, 0.0, 1.0)
