"""Model time of a full 2016 run (no plotting, no writing), and Mesa's floor.

    python bench/run_bench.py [--repeats 15] [--scenario 2016]

Prints the median and spread of the wall time of ``GreatGame(...).run()``
(model construction included, scenario loading excluded), and steps per
second. Then, in the same process and interleaved run by run (so a busy
machine slows both alike), a bare Mesa model of the same size: a
``mesa.discrete_space.Network`` of the province graph, one ``CellAgent``
per actor and province that reads its neighbours' values each step, as
many steps as the scenario. The ratio greatgame / bare Mesa says how far
the model is above what Mesa's own per-agent stepping costs.
``--scenario`` is a shipped scenario's name or a path. Targets on the
2-core machine: at most 25 ms per 104-step run, and at most 0.4x the bare
Mesa model.
"""

from __future__ import annotations

import argparse
import statistics
import time

import mesa
import numpy as np
from mesa.discrete_space import CellAgent, Network

from sim.core.model import GreatGame
from sim.scenario.catalog import find_scenario
from sim.scenario.loader import load_scenario
from sim.world.geography import geography_for

TARGET_MS, TARGET_RATIO = 25.0, 0.4


class Reader(CellAgent):
    """A bare Mesa cell agent: its value moves toward its neighbours' mean."""

    def __init__(self, model: mesa.Model, cell, value: float):
        """Place the agent in ``cell`` with a starting ``value``."""
        super().__init__(model)
        self.cell = cell
        self.value = value

    def step(self) -> None:
        """Read every agent in the neighbouring cells; move toward their mean."""
        near = [a.value for a in self.cell.neighborhood.agents]
        if near:
            self.value += 0.1 * (sum(near) / len(near) - self.value)


class BareMesa(mesa.Model):
    """Mesa's floor for a model of greatgame's size: agents on a network."""

    def __init__(self, graph, per_cell: int, seed: int):
        """``per_cell`` agents in each cell of a network of ``graph``."""
        super().__init__(rng=seed)
        self.space = Network(graph, random=self.random)
        values = self.rng.random(per_cell * len(self.space.all_cells.cells))
        k = 0
        for cell in self.space.all_cells:
            for _ in range(per_cell):
                Reader(self, cell, float(values[k]))
                k += 1

    def step(self) -> None:
        """Every agent steps once."""
        self.agents.do("step")


def time_greatgame(sc, seed: int) -> tuple[float, float]:
    """(Build, build + run) seconds of one seeded run."""
    t0 = time.perf_counter()
    model = GreatGame(sc, seed=seed)
    t1 = time.perf_counter()
    model.run()
    return t1 - t0, time.perf_counter() - t0


def time_bare(graph, per_cell: int, steps: int, seed: int) -> float:
    """Seconds to build and step the bare Mesa model ``steps`` times."""
    t0 = time.perf_counter()
    model = BareMesa(graph, per_cell, seed)
    for _ in range(steps):
        model.step()
    return time.perf_counter() - t0


def main() -> None:
    """Time the scenario's runs and the bare Mesa model, interleaved."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--scenario", default="2016")
    ap.add_argument("--repeats", type=int, default=15)
    args = ap.parse_args()
    sc = load_scenario(find_scenario(args.scenario))
    graph = geography_for(sc.map).province_graph()
    per_cell = len(sc.actors)
    GreatGame(sc, seed=0).run()  # warm caches and lazy imports
    time_bare(graph, per_cell, 2, 0)
    times, build, bare = [], [], []
    for seed in range(args.repeats):
        b, t = time_greatgame(sc, seed)
        build.append(b)
        times.append(t)
        bare.append(time_bare(graph, per_cell, sc.steps, seed))
    med, med_bare = statistics.median(times), statistics.median(bare)
    ratio = float(np.median(np.array(times) / np.array(bare)))
    q = statistics.quantiles(times, n=4)
    print(
        f"scenario        {args.scenario} ({sc.steps} steps, {len(sc.actors)} actors)"
    )
    print(f"runs            {args.repeats}")
    iqr = f"IQR {q[0] * 1e3:.1f}-{q[2] * 1e3:.1f} ms"
    print(f"median run      {med * 1e3:.1f} ms  ({iqr}; target <= {TARGET_MS:.0f} ms)")
    print(f"median build    {statistics.median(build) * 1e3:.1f} ms")
    print(f"per step        {med / sc.steps * 1e3:.3f} ms")
    print(f"steps/second    {sc.steps / med:,.0f}")
    print(
        f"bare Mesa       {med_bare * 1e3:.1f} ms  ({graph.number_of_nodes()} "
        f"network cells, {per_cell * graph.number_of_nodes()} cell agents reading "
        f"their neighbours, {sc.steps} steps)"
    )
    print(
        f"greatgame/bare  {ratio:.2f}x  (median of run-by-run ratios; "
        f"target <= {TARGET_RATIO}x)"
    )


if __name__ == "__main__":
    main()
