"""Random streams: one independent generator per process, all from the run's seed.

``numpy.random.SeedSequence(seed).spawn`` gives each named process its own
stream (:data:`STREAMS`), so a counterfactual that changes one process (more
recruits, another theory lens) leaves the draws of the others alone. The
``mesa`` stream is the model's own ``random`` (Mesa's space and agent sets).
"""

from __future__ import annotations

import numpy as np

STREAMS = (
    "mesa",
    "relations",
    "combat",
    "recruitment",
    "defection",
    "movement",
    "incidents",  # appended last, so the streams before it draw as they did
)


def seed_streams(seed: int) -> dict[str, np.random.Generator]:
    """One independent generator per named process, all from ``seed``."""
    children = np.random.SeedSequence(seed).spawn(len(STREAMS))
    return {
        name: np.random.default_rng(s)
        for name, s in zip(STREAMS, children, strict=True)
    }
