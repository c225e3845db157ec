"""Golden baselines: each scenario's seed-1 run must match its stored summary.

A deliberate change in behaviour: run ``python tests/regression/update.py``
and commit the new baselines with it.
"""

from __future__ import annotations

import pytest

from tests.regression import golden

SCENARIOS = golden.scenario_files()


def test_there_are_scenarios():
    assert SCENARIOS, f"no scenario files in {golden.SCENARIOS}"


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[p.stem for p in SCENARIOS])
def test_matches_baseline(scenario):
    path = golden.baseline_path(scenario)
    if not path.exists():
        pytest.fail(
            f"no baseline for scenarios/{scenario.name} ({path.name}); run "
            "'python tests/regression/update.py' to create it",
            pytrace=False,
        )
    changes = golden.diff(golden.load(path), golden.summarize(scenario))
    if changes:
        pytest.fail(
            f"scenarios/{scenario.name} (seed {golden.SEED}) no longer matches "
            f"its baseline:\n  "
            + "\n  ".join(changes)
            + "\nIf the change is intended, run 'python tests/regression/update.py'.",
            pytrace=False,
        )
