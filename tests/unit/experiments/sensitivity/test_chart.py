"""sim.experiments.sensitivity.chart: the bar chart of a table."""

from __future__ import annotations

import pandas as pd
import pytest
from matplotlib.figure import Figure

from sim.experiments import sensitivity


def test_plot_draws_one_bar_per_parameter_largest_on_top():
    morris = pd.DataFrame(
        {
            "parameter": ["p.big", "p.mid", "p.none"],
            "mu": [3.0, -1.0, 0.0],
            "mu_star": [3.0, 1.5, 0.0],
            "sigma": [0.5, 1.2, 0.0],
            "mu_star_conf": [0.4, 0.3, 0.0],
        }
    )
    morris.attrs.update(metric="provinces:taliban", runs=120)
    fig = sensitivity.plot(morris)
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == ["p.none", "p.mid", "p.big"]  # bottom to top
    assert len(ax.patches) == 3
    title = ax.get_title(loc="left")
    assert "provinces:taliban" in title and "120 runs" in title

    sob = pd.DataFrame(
        {
            "parameter": ["a", "b"],
            "S1": [0.7, 0.1],
            "S1_conf": [0.05, 0.05],
            "ST": [0.8, 0.2],
            "ST_conf": [0.05, 0.05],
        }
    )
    fig = sensitivity.plot(sob, title="mine")
    ax = fig.axes[0]
    assert len(ax.patches) == 4 and ax.get_title(loc="left") == "mine"

    with pytest.raises(ValueError, match="morris"):
        sensitivity.plot(pd.DataFrame({"parameter": ["a"], "x": [1]}))
