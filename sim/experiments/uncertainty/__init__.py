"""What we don't know: the priors of a scenario's assumptions, and samples of them.

A scenario's ``uncertainty:`` section gives each assumption (a dotted path,
as for ``--set``) a prior range, a reason and a scale::

    from sim.experiments.uncertainty import priors_of, sample
    priors = priors_of("scenarios/2016.yaml")
    points = sample(priors, 64, method="lhs", seed=0)  # one column per path
"""

from __future__ import annotations

from sim.experiments.uncertainty.priors import Prior, priors_of
from sim.experiments.uncertainty.sampling import METHODS, sample

__all__ = ["METHODS", "Prior", "priors_of", "sample"]
