"""The scorecard: a scenario's runs checked against the observed facts of 2016.

Pattern-oriented modelling: several independent observations of the period
(``facts.yaml`` in this package: sources, dates, the model quantity each
maps to and an accepted range), each checked over many seeds, plus
counterfactuals that check the mechanisms (no ISIS, no Russian aid, no US)
on the same seeds (common random numbers)::

    from sim.experiments.scorecard import scorecard, plot_scorecard
    df = scorecard("scenarios/2016.yaml", seeds=20, workers=2)
    plot_scorecard(df)

``df`` has one row per fact: ``id``, ``kind``, ``class``, ``statement``, ``metric`` and
``when`` (the mapping), ``statistic`` (what ``model`` is), ``model``, ``p10``,
``p90``, ``lo``, ``hi``, ``open``, ``accepted``, ``share_in_range``,
``pass``, ``status`` (``pass``, ``fail`` or ``n/a``), ``counted``, ``seeds``,
``source``, ``why`` and ``note``.

The pipeline, one module each:

- :mod:`.facts` and :mod:`.facts_file`: the facts and reading their file;
- :mod:`.plan`: which facts can be measured and which runs they need;
- :mod:`.measure`: a fact's value in one run, by then (``at``) or reduced
  over a window (``over``: ``min``, ``max``, ``mean`` or ``change`` = last -
  first);
- :mod:`.check`: the runs (one sweep) and :func:`scorecard`, the whole check;
- :mod:`.score`: pass or fail per fact (medians, shares with Wilson
  intervals, paired differences: ``variant - baseline``, ``baseline -
  variant`` or ``relative`` = (variant - baseline) / baseline);
- :mod:`.table` and :mod:`.plot`: the printed table and the figure.

Every fact has a class: ``validation`` (never used to tune the scenario),
``calibration`` (used to tune an assumption; docs/calibration.md names it) or
``input`` (met by the starting state the scenario sets). The validation and
calibration scores are reported apart; input facts are scored apart and do
not count. A fact that the
model cannot measure (``not_measurable``), that names an actor the scenario
lacks, or whose variant changes nothing in the scenario is ``n/a``.
"""

from __future__ import annotations

from .check import run_check, scorecard
from .facts import (
    BASELINE,
    CLASSES,
    COMPARES,
    KINDS,
    OPEN,
    REDUCERS,
    STATISTICS,
    Fact,
    Facts,
    FactsError,
    Variant,
    default_facts_path,
)
from .facts_file import load_facts
from .measure import FactProbe, Measure, history_until
from .plan import CheckPlan, plan_check
from .plot import plot_scorecard
from .score import WILSON_Z, class_score, score, score_headline, score_line, wilson
from .table import format_scorecard

__all__ = [
    "BASELINE",
    "CLASSES",
    "COMPARES",
    "KINDS",
    "OPEN",
    "REDUCERS",
    "STATISTICS",
    "WILSON_Z",
    "CheckPlan",
    "Fact",
    "FactProbe",
    "Facts",
    "FactsError",
    "Measure",
    "Variant",
    "default_facts_path",
    "format_scorecard",
    "history_until",
    "load_facts",
    "plan_check",
    "plot_scorecard",
    "run_check",
    "score",
    "score_line",
    "scorecard",
    "class_score",
    "score_headline",
    "wilson",
]
