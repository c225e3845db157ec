"""sim.experiments.calibration: waves, posterior, validation, on a few 2016 runs."""

from __future__ import annotations

import numpy as np
import pytest

from sim.experiments.calibration import Waves, calibrate, plot_posterior, score_of
from sim.experiments.calibration.matching import _next_wave
from sim.experiments.uncertainty import priors_of

SCENARIO = "scenarios/2016.yaml"


def test_the_kernel_draws_around_the_kept_points_inside_the_cube():
    rng = np.random.default_rng(0)
    kept = np.full((5, 3), 0.98)
    drawn = _next_wave(kept, 400, rng)
    assert drawn.shape == (400, 3)
    assert drawn.min() >= 0 and drawn.max() <= 1
    assert np.median(drawn) > 0.9


@pytest.fixture(scope="module")
def everything_accepted():
    """Two tiny waves with a cut-off nothing reaches: every point is accepted."""
    waves = Waves(points=(3, 2), seeds=(1, 1), cutoff=1e9)
    return calibrate(SCENARIO, quick=True, waves=waves, seed=5)


def test_waves_record_every_point_and_the_last_waves_plausible_ones_are_the_posterior(
    everything_accepted,
):
    cal = everything_accepted
    m = cal.match
    assert list(m.evaluated["wave"]) == [1, 1, 1, 2, 2]
    assert m.evaluated["plausible"].all()
    assert len(m.posterior) == 2
    priors = priors_of(SCENARIO)
    for p in priors:
        assert m.evaluated[p.path].between(p.low, p.high).all()
    summary = m.summary()
    assert list(summary["parameter"]) == [p.path for p in priors]
    assert (summary["p05"] <= summary["median"]).all()
    assert (summary["median"] <= summary["p95"]).all()
    fact_columns = [c for c in m.evaluated.columns if c.startswith("I:")]
    assert len(fact_columns) == len(m.split.calibration)


def test_validation_is_scored_on_posterior_runs(everything_accepted):
    cal = everything_accepted
    table = cal.validation
    passed, counted = score_of(table)
    assert counted > 0 and 0 <= passed <= counted
    assert table.attrs["draws"] == 1 and table.attrs["seeds"] == 1
    assert cal.runs == 5 + table.attrs["runs"]
    fig = plot_posterior(cal.match)
    assert "accepted" in fig._suptitle.get_text()


def test_a_scenario_without_priors_is_refused(tmp_path):
    lines = open(SCENARIO, encoding="utf-8").read().splitlines(keepends=True)
    start = lines.index(next(s for s in lines if s.startswith("uncertainty:")))
    end = next(
        (i for i in range(start + 1, len(lines)) if lines[i][:1] not in (" ", "\n")),
        len(lines),
    )  # the section ends at the next top-level key
    bare = tmp_path / "bare.yaml"
    bare.write_text("".join(lines[:start] + lines[end:]), encoding="utf-8")
    with pytest.raises(ValueError, match="no priors"):
        calibrate(str(bare), quick=True)
