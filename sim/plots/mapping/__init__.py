"""The map: who holds each province, how firmly, and where the aid goes.

* Fill colour and shade (:mod:`.fills`): the holder's colour, lightened by
  SIGAR class; contested provinces hatched and tinted by the strongest.
* Arrows (:mod:`.supply`): the supply routes of the last
  :data:`SUPPLY_WEEKS` steps, coloured by patron, width ∝ aid delivered.
* Names (:mod:`.labels`) and legends (:mod:`.legends`) placed so they do
  not collide.

:func:`map` draws one date, :func:`map_timeline` small multiples (start,
middle, end) (both in :mod:`.figures`), :func:`animate` a GIF of the whole
run (:mod:`.animation`, drawn on a province index image rasterised once,
:mod:`.raster`). Province shapes come from
:func:`sim.plots.geometry.shapes_for`: a GeoJSON file when given (or named by
the scenario), else the boundaries shipped with the model.
"""

from __future__ import annotations

from sim.plots.mapping.animation import animate
from sim.plots.mapping.figures import map, map_timeline
from sim.plots.mapping.supply import SUPPLY_WEEKS

__all__ = ["map", "map_timeline", "animate", "SUPPLY_WEEKS"]
