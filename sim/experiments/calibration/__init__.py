"""Calibration as a method: history matching of the calibration facts.

``calibrate`` searches a scenario's priors (its ``uncertainty:`` section)
for the assumptions that the calibration facts cannot rule out, in waves of
model runs (:mod:`.matching`; implausibility as in Vernon, Goldstein &
Bower 2010), then scores the validation facts on runs of accepted
assumptions (:mod:`.predictive`)::

    from sim.experiments.calibration import calibrate, plot_posterior
    cal = calibrate("scenarios/2016.yaml", quick=True)
    cal.match.summary()        # median and 90% interval per assumption
    cal.validation             # the validation scorecard
    plot_posterior(cal.match)

``run.py calibrate SCENARIO`` does the same and writes the files
(:mod:`.files`).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import pandas as pd

from sim.experiments.calibration.chart import plot_posterior
from sim.experiments.calibration.matching import (
    CUTOFF,
    FULL,
    QUICK,
    Match,
    Waves,
    history_match,
)
from sim.experiments.calibration.predictive import score_of, validate
from sim.experiments.calibration.targets import (
    Split,
    fact_class,
    implausibility,
    split_facts,
)
from sim.experiments.scorecard import load_facts
from sim.experiments.sweep import as_scenario
from sim.experiments.uncertainty import priors_of

__all__ = [
    "CUTOFF",
    "FULL",
    "QUICK",
    "Calibration",
    "Match",
    "Split",
    "Waves",
    "calibrate",
    "fact_class",
    "history_match",
    "implausibility",
    "plot_posterior",
    "score_of",
    "split_facts",
    "validate",
]

PREDICTIVE = {"full": (8, 4), "quick": (1, 1)}


@dataclass
class Calibration:
    """A calibration: the history match and the validation scorecard.

    Attributes:
        match: the waves, the posterior and the facts used.
        validation: the validation facts' scorecard on posterior runs.
        runs: model runs in all (waves and validation).
        seconds: wall time.
    """

    match: Match
    validation: pd.DataFrame
    runs: int
    seconds: float


def calibrate(
    scenario: Any,
    *,
    quick: bool = False,
    waves: Waves | None = None,
    facts: Any = None,
    workers: int = 1,
    seed: int = 0,
    progress: bool | None = None,
) -> Calibration:
    """History-match a scenario's priors to the calibration facts, then validate.

    Args:
        scenario: a scenario file, a loaded Scenario or a dict, with priors.
        quick: a small run for tests and CI (:data:`QUICK` waves, one
            posterior draw on one seed).
        waves: the waves (default :data:`FULL`, or :data:`QUICK`).
        facts: a facts file, Facts or a :class:`Split` (default: the
            package's facts.yaml, split by class).
        workers: processes for the sweeps.
        seed: seeds the designs, the kernel, the draws and the runs.
        progress: progress bars (default: when stderr is a terminal).

    Returns:
        A :class:`Calibration`.

    Raises:
        ValueError: the scenario has no priors, or no fact can be fitted.
        ScenarioError, FactsError: bad input, before anything runs.
    """
    started = time.perf_counter()
    sc = as_scenario(scenario, TypeError)
    priors = priors_of(sc)
    if not priors:
        raise ValueError(
            f"scenario '{sc.name}' has no priors to calibrate: add an uncertainty: "
            "section ({path: {range: [low, high], reason: ...}})"
        )
    split = facts if isinstance(facts, Split) else split_facts(load_facts(facts, sc))
    waves = waves or (QUICK if quick else FULL)
    match = history_match(
        sc, priors, split, waves, seed=seed, workers=workers, progress=progress
    )
    draws, seeds = PREDICTIVE["quick" if quick else "full"]
    table = validate(
        sc, match, draws, seeds, seed=seed, workers=workers, progress=progress
    )
    runs = match.runs + int(table.attrs.get("runs", 0))
    return Calibration(match, table, runs, time.perf_counter() - started)
