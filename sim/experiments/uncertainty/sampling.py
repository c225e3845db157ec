"""Samples of the priors: Latin hypercube, Sobol' or plain random, seeded."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from sim.experiments.uncertainty.priors import Prior
from sim.experiments.uncertainty.scaling import to_values

METHODS = ("lhs", "sobol", "random")


def _unit_sample(method: str, n: int, d: int, seed: int) -> np.ndarray:
    """``n`` points in the unit cube of dimension ``d``."""
    from scipy.stats import qmc

    rng = np.random.default_rng(np.random.SeedSequence(seed))
    if method == "lhs":
        return qmc.LatinHypercube(d=d, seed=rng).random(n)
    if method == "sobol":
        return qmc.Sobol(d=d, scramble=True, seed=rng).random(n)
    return rng.random((n, d))


def sample(
    priors: Sequence[Prior], n: int, *, method: str = "lhs", seed: int = 0
) -> pd.DataFrame:
    """``n`` draws of the priors, one column per path, one row per draw.

    Args:
        priors: the priors (:func:`~.priors.priors_of`).
        n: how many draws.
        method: ``lhs`` (Latin hypercube), ``sobol`` (scrambled Sobol') or
            ``random``.
        seed: seeds the draws through a SeedSequence (never global state).

    Returns:
        A DataFrame with ``n`` rows and one column per prior path.

    Raises:
        ValueError: no priors, ``n`` below 1 or an unknown method.
    """
    if method not in METHODS:
        raise ValueError(f"method must be one of {', '.join(METHODS)}, got {method!r}")
    if not priors:
        raise ValueError(
            "no priors to sample: the scenario has no uncertainty: section"
        )
    if n < 1:
        raise ValueError(f"n must be at least 1, got {n}")
    return to_values(priors, _unit_sample(method, int(n), len(priors), seed))
