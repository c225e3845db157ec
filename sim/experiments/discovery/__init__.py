"""Scenario discovery: the conditions under which an outcome happens.

PRIM, the Patient Rule Induction Method (Friedman & Fisher 1999, Statistics
and Computing 9), finds a box (a range per parameter) in a sample of
assumptions where an outcome of interest is concentrated::

    from sim.experiments.discovery import prim, plot_prim
    found = prim(outcomes[paths], outcomes["russia_taliban_allied"] > 0.5)
    box = found.box()           # the restricted parameters and their ranges
    plot_prim(found, limits)    # peeling trajectory and the box vs the priors

A box is judged by its *coverage* (the share of all cases of interest that
fall in it) and its *density* (the share of the runs in it that are cases
of interest), as in the EMA workbench (Kwakkel 2017) and Bryant & Lempert
(2010).
"""

from __future__ import annotations

from sim.experiments.discovery.chart import plot_prim
from sim.experiments.discovery.prim import Prim, prim

__all__ = ["Prim", "plot_prim", "prim"]
