"""The priors API: a scenario's uncertainty: section read and sampled."""

import numpy as np
import pytest

from sim.experiments.uncertainty import Prior, priors_of, sample


def test_2016_priors_are_read_in_file_order():
    priors = priors_of("scenarios/2016.yaml")
    assert priors[0].path == "parameters.ally_threshold"
    assert all(p.low < p.high and p.reason for p in priors)


def test_lhs_sample_stays_in_range_and_is_seeded():
    priors = [Prior("a", 0.0, 1.0, "r"), Prior("b", 1.0, 100.0, "r", "log")]
    df = sample(priors, 50, seed=3)
    assert list(df.columns) == ["a", "b"]
    assert df["a"].between(0, 1).all() and df["b"].between(1, 100).all()
    # log scale: about half the draws below the geometric mid-point 10
    assert 15 < (df["b"] < 10).sum() < 35
    assert df.equals(sample(priors, 50, seed=3))
    assert not np.allclose(df["a"], sample(priors, 50, seed=4)["a"])


def test_sample_refuses_no_priors():
    with pytest.raises(ValueError, match="no priors"):
        sample([], 3)


def test_every_corner_of_the_2016_priors_is_a_valid_scenario():
    from sim.experiments.sweep import make_plan
    from sim.experiments.uncertainty.sampling import to_values

    priors = priors_of("scenarios/2016.yaml")
    corners = to_values(priors, np.array([[0.0] * len(priors), [1.0] * len(priors)]))
    make_plan("scenarios/2016.yaml", corners.to_dict("records"))  # raises if not


def test_unit_cube_and_prior_values_map_both_ways():
    from sim.experiments.uncertainty.scaling import to_unit, to_values

    priors = [Prior("a", -1.0, 1.0, "r"), Prior("b", 0.01, 1.0, "r", "log")]
    unit = np.array([[0.0, 0.0], [0.5, 0.5], [1.0, 1.0]])
    values = to_values(priors, unit)
    assert list(values["b"]) == pytest.approx([0.01, 0.1, 1.0])
    assert to_unit(priors, values) == pytest.approx(unit)
