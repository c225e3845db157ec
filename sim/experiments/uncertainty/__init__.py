"""Bands from what we don't know: the scorecard over the priors of the assumptions.

A scenario's ``uncertainty:`` section gives each assumption a prior range
and its reason. This package samples them and runs the scorecard over the
samples and seeds::

    from sim.experiments.uncertainty import fact_bands, plot_bands, priors_of
    priors = priors_of("scenarios/2016.yaml")
    result = fact_bands("scenarios/2016.yaml", n=40, seeds_per_sample=2)
    result.table          # one band per fact
    plot_bands(result.table)

One module each: :mod:`.priors` (the priors as records), :mod:`.sampling`
(Latin hypercube or Sobol designs, log or linear), :mod:`.bands` (the runs
and the band table), :mod:`.plot` (the figure) and :mod:`.report` (the
files ``run.py check --uncertainty N`` writes).
"""

from __future__ import annotations

from .bands import BandResult, band_table, fact_bands
from .plot import plot_bands
from .priors import Prior, priors_of
from .report import format_bands, write_bands
from .sampling import METHODS, sample

bands = fact_bands

__all__ = [
    "METHODS",
    "BandResult",
    "Prior",
    "band_table",
    "bands",
    "fact_bands",
    "format_bands",
    "plot_bands",
    "priors_of",
    "sample",
    "write_bands",
]
