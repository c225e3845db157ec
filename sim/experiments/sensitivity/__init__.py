"""Which parameters matter: Morris screening and Sobol' indices over sweeps.

Both methods sample a design over ``ranges={path: (lo, hi)}`` with SALib,
run every point through :func:`sim.experiments.sweep.sweep` (so seeds, workers, Dask and
resuming from ``out`` come for free), average each point's ``replicates``
and hand the means to SALib's analysis. From a notebook::

    from sim.experiments import sensitivity
    ranges = {"actors.russia.resources": (0, 48), "parameters.eta": (0.02, 0.1)}
    table = sensitivity.morris("scenarios/2016.yaml", ranges,
                               metric="provinces:taliban", trajectories=10)
    sensitivity.plot(table)

Methods:
    :func:`morris` (Morris 1991; Campolongo et al. 2007) moves one parameter
    at a time along ``trajectories`` random paths through a grid of ``levels``
    values per parameter. Each step gives an *elementary effect*: the change
    in the metric over the step, divided by the step as a share of the
    range. ``mu_star`` is the mean absolute effect, so it reads in the
    metric's units: the change when the parameter moves across its whole
    range, ``sigma`` their spread (large when the effect depends on the
    other parameters, or is non-linear). It ranks parameters cheaply:
    ``trajectories * (k + 1)`` points for ``k`` parameters.

    :func:`sobol` (Sobol' 2001; Saltelli et al. 2010) splits the variance
    of the metric over the ranges: ``S1`` is the share due to one parameter
    alone, ``ST`` the share it takes part in, interactions included. It
    costs ``samples * (k + 2)`` points, ``samples`` best a power of two.

Noise: a stochastic model adds seed-to-seed noise to every elementary
effect and variance. Replicates are averaged per point and, with common
random numbers (the sweep's default), replicate ``r`` has the same seed at
every point, so differences between points are effects, not noise. A
parameter the metric cannot depend on then gets ``mu_star`` and ``ST`` of
zero, not a noise floor.

Needs SALib: ``pip install 'greatgame[analysis]'``.

The package: :mod:`~.study` (checked inputs, the sweep of a design, the
table), :mod:`~.screening` (Morris), :mod:`~.variance` (Sobol') and
:mod:`~.chart` (the plot).
"""

from __future__ import annotations

from sim.experiments.sensitivity.chart import plot
from sim.experiments.sensitivity.screening import MORRIS_COLUMNS, morris
from sim.experiments.sensitivity.study import (
    CONF_LEVEL,
    INSTALL_HINT,
    RESAMPLES,
    SensitivityError,
)
from sim.experiments.sensitivity.variance import SOBOL_COLUMNS, sobol

__all__ = [
    "CONF_LEVEL",
    "INSTALL_HINT",
    "MORRIS_COLUMNS",
    "RESAMPLES",
    "SOBOL_COLUMNS",
    "SensitivityError",
    "morris",
    "plot",
    "sobol",
]
