"""Sampling priors (sim.experiments.uncertainty.sampling): ranges, strata, seeds."""

from __future__ import annotations

import numpy as np
import pytest

from sim.experiments.uncertainty import Prior, sample

PRIORS = [
    Prior("parameters.lambda", 0.005, 0.02, "a factor of 2", "log"),
    Prior("parameters.ally_threshold", 0.2, 0.4, "±0.1"),
    Prior("parameters.home_share", 0.3, 0.7, "no count"),
]


@pytest.mark.parametrize("method", ["lhs", "sobol"])
def test_samples_fill_the_ranges_in_prior_order(method):
    df = sample(PRIORS, 16, method=method, seed=3)
    assert list(df.columns) == [p.path for p in PRIORS] and len(df) == 16
    for p in PRIORS:
        assert df[p.path].between(p.low, p.high).all()


def test_a_latin_hypercube_puts_one_sample_in_each_stratum():
    n = 20
    df = sample(PRIORS, n, seed=1)
    linear = (df["parameters.ally_threshold"] - 0.2) / 0.2
    assert sorted(np.floor(linear * n).astype(int)) == list(range(n))
    logs = np.log(df["parameters.lambda"] / 0.005) / np.log(4)  # log scale strata
    assert sorted(np.floor(logs * n).astype(int)) == list(range(n))


def test_one_seed_gives_the_same_samples_and_another_seed_others():
    a = sample(PRIORS, 8, seed=7)
    assert a.equals(sample(PRIORS, 8, seed=7))
    assert not a.equals(sample(PRIORS, 8, seed=8))
    assert sample(PRIORS, 8, method="sobol", seed=7).equals(
        sample(PRIORS, 8, method="sobol", seed=7)
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((PRIORS, 0), "n must be a whole number"),
        ((PRIORS, 2.5), "n must be a whole number"),
        (([], 4), "no priors"),
        ((PRIORS + PRIORS[:1], 4), "given twice"),
    ],
)
def test_bad_requests_are_refused(args, message):
    with pytest.raises(ValueError, match=message):
        sample(*args)
    with pytest.raises(ValueError, match="method must be one of lhs, sobol"):
        sample(PRIORS, 4, method="grid")
