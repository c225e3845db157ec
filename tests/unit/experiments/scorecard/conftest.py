"""Shared data of the scorecard tests: a synthetic facts file and per-seed values.

The pass/fail logic is checked on hand-made per-seed values whose medians,
percentiles and paired differences are known, so no model runs are needed.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sim.experiments.scorecard import BASELINE, load_facts, score

SYNTHETIC = """\
actors: [a, b, c]
variants:
  cut:
    label: without c's budget
    set: {actors.c.resources: 0}
facts:
  - id: value_pass
    kind: outcome
    class: validation
    statement: a value inside its range
    source: Test Gazette, A. Author, 1 Jan 2016
    observed: 2016-01-01
    metric: strength:a
    at: 2016-01-15
    range: [4, 8]
    why: synthetic
  - id: value_fail
    kind: outcome
    class: calibration
    statement: a value above its range
    source: Test Gazette, A. Author, 1 Jan 2016
    observed: 2016-01-01
    metric: strength:b
    at: end
    range: [0, 5]
    why: synthetic
  - id: share_fact
    kind: outcome
    class: validation
    statement: most seeds see an alliance
    source: Test Gazette, A. Author, 1 Jan 2016
    observed: 2016
    metric: ever_allied:a:b
    at: end
    holds_if: ">= 1"
    range: [0.6, 1]
    why: synthetic
  - id: an_input
    kind: input
    statement: set by the scenario
    source: Test Gazette, A. Author, 1 Jan 2016
    observed: 2016
    metric: strength:c
    at: start
    range: [0, 1]
    why: synthetic
  - id: cf_lower
    kind: counterfactual
    class: validation
    statement: the variant is lower
    source: Test Gazette, A. Author, 1 Jan 2016
    observed: 2016
    variant: cut
    metric: strength:c
    at: end
    compare: variant - baseline
    statistic: median
    range: [-100, 0]
    open: hi
    min_share: 0.7
    why: synthetic
  - id: cf_rarer
    kind: counterfactual
    class: validation
    statement: the alliance is rarer in the variant
    source: Test Gazette, A. Author, 1 Jan 2016
    observed: 2016
    variant: cut
    metric: ever_allied:a:b
    at: end
    compare: baseline - variant
    statistic: mean
    range: [0.3, 1]
    why: synthetic
  - id: cf_relative
    kind: counterfactual
    class: validation
    statement: the variant is lower, relatively
    source: Test Gazette, A. Author, 1 Jan 2016
    observed: 2016
    variant: cut
    metric: strength:a
    at: end
    compare: relative
    range: [-1, 0]
    open: hi
    why: synthetic
  - id: unmeasured
    kind: outcome
    class: validation
    statement: something the model cannot see
    source: Test Gazette, A. Author, 1 Jan 2016
    observed: 2016
    not_measurable: no such quantity
    why: synthetic
"""


@pytest.fixture
def synthetic(tmp_path):
    path = tmp_path / "facts.yaml"
    path.write_text(SYNTHETIC, encoding="utf-8")
    return load_facts(path)


def runs_frame(**columns) -> pd.DataFrame:
    """Per-seed values: ``name=(baseline values, variant values)``, 10 seeds."""
    n = 10
    frames = []
    for variant, k in ((BASELINE, 0), ("cut", 1)):
        data = {"variant": variant, "replicate": np.arange(n)}
        for name, pair in columns.items():
            data[name] = np.asarray(pair[k], dtype=float)
        frames.append(pd.DataFrame(data))
    return pd.concat(frames, ignore_index=True)


@pytest.fixture
def make_runs():
    """The :func:`runs_frame` builder, for tests that make their own values."""
    return runs_frame


@pytest.fixture
def scored(synthetic):
    seeds = np.arange(10)
    base_c = np.full(10, 50.0)
    runs = runs_frame(
        value_pass=(seeds, seeds),  # median 4.5, p10 0.9, p90 8.1
        value_fail=(seeds + 10, seeds),  # median 14.5 > 5
        share_fact=([1] * 7 + [0] * 3, [0] * 10),  # 7 of 10 hold
        an_input=(np.zeros(10), np.zeros(10)),
        # variant - baseline: 6 seeds lower by 1..6, 4 seeds higher by 1
        cf_lower=(base_c, base_c + np.array([-1, -2, -3, -4, -5, -6, 1, 1, 1, 1])),
        cf_rarer=([1] * 8 + [0] * 2, [0] * 4 + [1] * 6),  # 0.8 - 0.6 = 0.2
        cf_relative=(np.full(10, 200.0), np.full(10, 150.0)),  # -0.25
    )
    return score(synthetic, runs).set_index("id")
