"""Sampling priors: a space-filling design over the assumptions' ranges.

A Latin hypercube (or a scrambled Sobol sequence) in the unit cube is mapped
onto each prior's range, linearly or in log space. The draw comes from the
design's seed through :class:`numpy.random.SeedSequence`, so one seed gives
the same samples on any machine and in any process.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy.stats import qmc

from .priors import Prior

METHODS = ("lhs", "sobol")


def unit_design(d: int, n: int, method: str, seed: int) -> np.ndarray:
    """``n`` points in ``[0, 1)^d`` from a Latin hypercube or a scrambled Sobol set.

    Sobol's balance holds for powers of 2 only; other sizes are drawn anyway
    (the first ``n`` points of the sequence), without scipy's warning.
    """
    rng = np.random.default_rng(np.random.SeedSequence(seed))
    if method == "lhs":
        return qmc.LatinHypercube(d, rng=rng).random(n)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return qmc.Sobol(d, scramble=True, rng=rng).random(n)


def scaled(prior: Prior, u: np.ndarray) -> np.ndarray:
    """Unit-interval draws mapped onto a prior's range (log space for ``log``)."""
    if prior.scale == "log":
        lo, hi = np.log(prior.low), np.log(prior.high)
        return np.exp(lo + u * (hi - lo))
    return prior.low + u * (prior.high - prior.low)


def sample(
    priors: Sequence[Prior], n: int, *, method: str = "lhs", seed: int = 0
) -> pd.DataFrame:
    """``n`` parameter sets drawn from the priors, one column per prior path.

    Args:
        priors: the priors (:func:`~.priors.priors_of`), in column order.
        n: the number of parameter sets (rows).
        method: ``lhs`` (Latin hypercube, default) or ``sobol`` (scrambled;
            powers of 2 keep its balance).
        seed: the design's seed; the same seed gives the same rows.

    Returns:
        A DataFrame of ``n`` rows whose columns are the prior paths; every
        value lies within its prior's ``[low, high]``.

    Raises:
        ValueError: no priors, ``n`` below 1, a path given twice or an
            unknown method.
    """
    if method not in METHODS:
        raise ValueError(f"method must be one of {', '.join(METHODS)}, got {method!r}")
    if isinstance(n, bool) or not isinstance(n, int | np.integer) or n < 1:
        raise ValueError(f"n must be a whole number of samples, 1 or more, got {n!r}")
    if not priors:
        raise ValueError("no priors to sample: the scenario has no 'uncertainty:'")
    paths = [p.path for p in priors]
    if len(set(paths)) != len(paths):
        raise ValueError(f"a prior path is given twice: {paths}")
    u = unit_design(len(priors), int(n), method, seed)
    columns = {p.path: scaled(p, u[:, i]) for i, p in enumerate(priors)}
    out = pd.DataFrame(columns)
    for p in priors:  # float rounding in log space must not leave the range
        out[p.path] = out[p.path].clip(p.low, p.high)
    return out
