"""Charts of a run over time: control, alliances, relations and supply.

Each function takes a finished model, a :class:`sim.results.rundata.Run` or a run
directory and returns a matplotlib ``Figure`` drawn on explicit axes (no
pyplot state), in the project's style (:mod:`sim.plots.style`):

- :func:`control` (:mod:`.control_areas`): provinces and population under
  each controller, stacked, with the scenario's events and alliance changes
  marked and numbered;
- :func:`alliances` (:mod:`.alliance_graph`): the signed alliance graph at
  the start and the end, on one layout so the two panels compare;
- :func:`relations` (:mod:`.relation_lines`): affinity over time of the
  pairs that changed status, the ally and enemy zones shaded and each change
  labelled with its leading explanation;
- :func:`supply` (:mod:`.aid_panels`): aid sent per patron–client pair and
  week, split into delivered and interdicted, plus any budget left unspent.
"""

from __future__ import annotations

from sim.plots.charts.aid_panels import supply
from sim.plots.charts.alliance_graph import alliances
from sim.plots.charts.control_areas import control
from sim.plots.charts.relation_lines import relations

__all__ = ["alliances", "control", "relations", "supply"]
