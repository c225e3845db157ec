"""The model's processes, one ODD sub-model per module, as functions over arrays.

In the order of a step: :mod:`~sim.processes.events` (scenario shocks and
splinters), :mod:`~sim.processes.lenses` with :mod:`~sim.processes.threats`
and :mod:`~sim.processes.affinity_terms` (threat and affinities), then
:mod:`~sim.processes.pair_status` and :mod:`~sim.processes.explanation` (the
status of each pair, and why it changed), :mod:`~sim.processes.supply`,
:mod:`~sim.processes.delivery` and :mod:`~sim.processes.aid` (dividing,
sending and spending aid), :mod:`~sim.processes.recruitment` and
:mod:`~sim.processes.defection`, :mod:`~sim.processes.movement`,
:mod:`~sim.processes.engagements` and :mod:`~sim.processes.combat` with
:mod:`~sim.processes.firepower`, :mod:`~sim.processes.triples` and
:mod:`~sim.processes.kill_memory`, :mod:`~sim.processes.upkeep` and
:mod:`~sim.processes.control`. Each function takes arrays and parameters
(and, where it draws, a random stream) and returns what changes.
"""
