"""sim.experiments.sensitivity.headline: many outcomes over the priors, one sweep."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sim.experiments.sensitivity import SensitivityError, headline
from sim.experiments.uncertainty import Prior
from tests.unit.experiments.sensitivity.common import needs_salib, short

# c's strength depends on a's fire; interdiction touches aid only, and no
# one in the tiny scenario sends aid, so it cannot matter.
PRIORS = [
    Prior("actors.a.effectiveness", 0.5, 3.0, "test"),
    Prior("parameters.interdiction", 0.0, 1.0, "test"),
]
METRICS = {"c_fighters": "strength:c", "a_fighters": "strength:a"}


def _scenario() -> dict:
    data = short(3)
    data["uncertainty"] = {
        p.path: {"range": [p.low, p.high], "reason": p.reason} for p in PRIORS
    }
    return data


@needs_salib
def test_sobol_gives_each_outcome_to_the_prior_that_moves_it():
    table = headline.analyse(_scenario(), method="sobol", size=16, metrics=METRICS)
    assert set(table["outcome"]) == set(METRICS)
    c = table[table["outcome"] == "c_fighters"].set_index("parameter")
    assert c.loc["actors.a.effectiveness", "ST"] > 0.9
    assert c.loc["parameters.interdiction", "ST"] == pytest.approx(0.0, abs=1e-9)
    assert table.attrs["points"] == 16 * (2 + 2) == table.attrs["runs"]
    assert list(headline.top(table, "c_fighters", 1)["parameter"]) == [
        "actors.a.effectiveness"
    ]


@needs_salib
def test_morris_screen_reads_the_scenarios_own_priors():
    table = headline.analyse(_scenario(), method="morris", size=4, metrics=METRICS)
    c = table[table["outcome"] == "c_fighters"].set_index("parameter")
    assert c.loc["actors.a.effectiveness", "mu_star"] > 0
    assert c.loc["parameters.interdiction", "mu_star"] == 0
    outcomes = table.attrs["outcomes"]
    assert {"actors.a.effectiveness", "c_fighters"} <= set(outcomes.columns)
    assert len(outcomes) == 4 * 3
    fig = headline.plot(table)
    assert fig.axes[0].get_title(loc="left").startswith("What the headline rests on")


def test_a_never_formed_alliance_counts_one_week_past_the_horizon():
    results = pd.DataFrame(
        {"point": [0, 0, 1, 1], "alliance_week:x:y": [3.0, np.nan, np.nan, np.nan]}
    )
    means = headline.outcome_means(results, {"week": "alliance_week:x:y"}, 10, 2)
    assert list(means["week"]) == [7.0, 11.0]


def test_a_scenario_without_priors_is_refused():
    with pytest.raises(SensitivityError, match="no priors"):
        headline.analyse(short(2), method="morris", size=2)


def test_an_unknown_method_is_refused():
    with pytest.raises(SensitivityError, match="morris, sobol"):
        headline.analyse(_scenario(), method="fast", size=2)
