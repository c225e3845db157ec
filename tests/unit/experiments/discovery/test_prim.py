"""sim.experiments.discovery.prim: peeling, pasting, coverage and density."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sim.experiments.discovery import plot_prim, prim
from sim.experiments.discovery.prim import paste


def _uniform(n: int = 2000, d: int = 4, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame(rng.random((n, d)), columns=[f"x{i + 1}" for i in range(d)])


def test_a_known_box_is_recovered_with_coverage_and_density_near_one():
    x = _uniform()
    y = (x["x1"] > 0.7) & (x["x2"] < 0.4)
    found = prim(x, y, limits={c: (0.0, 1.0) for c in x.columns})
    found.choose(min_coverage=0.8)
    box = found.box().set_index("parameter")
    assert set(box.index) == {"x1", "x2"}
    assert box.loc["x1", "low"] == pytest.approx(0.7, abs=0.03)
    assert box.loc["x1", "high"] == 1.0
    assert box.loc["x2", "low"] == 0.0
    assert box.loc["x2", "high"] == pytest.approx(0.4, abs=0.03)
    assert box.attrs["coverage"] > 0.9
    assert box.attrs["density"] > 0.9


def test_the_trajectory_starts_with_everything_and_trades_coverage_for_density():
    x = _uniform(seed=2)
    y = (x["x3"] > 0.5).to_numpy()
    t = prim(x, y, alpha=0.1).trajectory
    first, last = t.iloc[0], t.iloc[-1]
    assert first["coverage"] == 1.0 and first["mass"] == 1.0
    assert first["density"] == pytest.approx(y.mean())
    assert first["restricted"] == 0
    assert last["density"] == 1.0 and last["mass"] >= 0.05
    assert t["coverage"].is_monotonic_decreasing


def test_peeling_stops_at_min_mass():
    x = _uniform(seed=3)
    y = (x["x1"] > 0.99).to_numpy()
    t = prim(x, y, min_mass=0.2).trajectory
    assert t["mass"].min() >= 0.2


def test_pasting_widens_a_box_where_that_raises_its_density():
    x = _uniform(seed=4)
    y = ((x["x1"] > 0.5) & (x["x2"] < 0.6)).to_numpy()
    limits = {c: (0.0, 1.0) for c in x.columns}
    too_narrow = {**limits, "x1": (0.5, 1.0), "x2": (0.3, 0.9)}
    pasted = paste(x, y, too_narrow, limits)
    assert pasted["x2"][0] == 0.0  # the cases below 0.3 are taken back
    assert pasted["x1"] == (0.5, 1.0)  # below 0.5 there are none: not widened
    assert y[found_mask(x, pasted)].mean() > y[found_mask(x, too_narrow)].mean()


def found_mask(x: pd.DataFrame, box: dict) -> np.ndarray:
    """Rows of x inside box."""
    mask = np.ones(len(x), dtype=bool)
    for c, (lo, hi) in box.items():
        mask &= (x[c] >= lo).to_numpy() & (x[c] <= hi).to_numpy()
    return mask


def test_bad_input_is_refused():
    x = _uniform(n=20)
    with pytest.raises(ValueError, match="nothing to find"):
        prim(x, np.zeros(20))
    with pytest.raises(ValueError, match="20 rows but y has 3"):
        prim(x, np.ones(3))
    with pytest.raises(ValueError, match="True/False"):
        prim(x, np.full(20, 0.5))


def test_the_figure_has_both_panels():
    x = _uniform(n=500)
    found = prim(x, (x["x1"] > 0.6).to_numpy())
    found.choose(0.7)
    fig = plot_prim(found)
    assert len([a for a in fig.axes if a.get_label() != "<colorbar>"]) >= 2
    assert "x1" in [t.get_text() for t in fig.axes[1].get_yticklabels()] or any(
        "x1" in [t.get_text() for t in a.get_yticklabels()] for a in fig.axes
    )


def test_choose_can_cap_the_restricted_parameters():
    x = _uniform(seed=5)
    y = (x["x1"] > 0.5) & (x["x2"] > 0.5) & (x["x3"] > 0.3)
    found = prim(x, y, limits={c: (0.0, 1.0) for c in x.columns})
    found.choose(min_coverage=0.5, max_restricted=1)
    assert len(found.box()) <= 1
    found.choose(min_coverage=0.5)
    assert len(found.box()) >= 2


def test_log_scale_bars_are_shares_of_the_prior_in_logs():
    from sim.experiments.discovery.chart import _shares

    table = pd.DataFrame(
        [
            {
                "parameter": "a",
                "low": 10.0,
                "high": 100.0,
                "prior_low": 1.0,
                "prior_high": 100.0,
            }
        ]
    )
    lo, hi = _shares(table, {"a"})
    assert lo[0] == pytest.approx(0.5) and hi[0] == pytest.approx(1.0)
    lo, _ = _shares(table, set())
    assert lo[0] == pytest.approx(9 / 99)
