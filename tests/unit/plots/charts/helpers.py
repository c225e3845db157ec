"""Looking at a chart: is it blank, what does it say, a run that never changes."""

from __future__ import annotations

import copy

import matplotlib.image as mpimg
from matplotlib.figure import Figure

from sim.plots.style import save

# A figure with only a title has a pixel variance near 3e-4; real charts 0.02+.
VARIANCE_FLOOR = 0.005


def not_blank(fig: Figure, path) -> bool:
    save(fig, path)
    pixels = mpimg.imread(path)[..., :3]
    return float(pixels.var()) > VARIANCE_FLOOR


def texts(fig: Figure) -> str:
    """All the text drawn on a figure, one string."""
    return "\n".join(
        t.get_text() for t in fig.findobj(lambda a: hasattr(a, "get_text"))
    )


def frozen(run, affinity=False):
    """A copy of the run in which no pair ever changes status."""
    r = copy.deepcopy(run)
    h = r.history
    h.status[:] = h.status[0]
    h.events = [e for e in h.events if e["type"] not in ("alliance", "relation")]
    if affinity:
        h.affinity[:] = h.affinity[0]
    return r
