"""Model time of a full 2016 run (no plotting, no writing), median over repeats.

    python bench/run_bench.py [--repeats 15] [--scenario 2016]

Prints the median and spread of the wall time of ``GreatGame(...).run()``
(model construction included, scenario loading excluded), and steps per
second. ``--scenario`` is a shipped scenario's name or a path. Target on the
2-core machine: at most 50 ms per 104-step run.
"""

from __future__ import annotations

import argparse
import statistics
import time

from sim.core.model import GreatGame
from sim.scenario.catalog import find_scenario
from sim.scenario.loader import load_scenario


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--scenario", default="2016")
    ap.add_argument("--repeats", type=int, default=15)
    args = ap.parse_args()
    sc = load_scenario(find_scenario(args.scenario))
    GreatGame(sc, seed=0).run()  # warm caches and lazy imports
    times, build = [], []
    for seed in range(args.repeats):
        t0 = time.perf_counter()
        model = GreatGame(sc, seed=seed)
        t1 = time.perf_counter()
        model.run()
        t2 = time.perf_counter()
        build.append(t1 - t0)
        times.append(t2 - t0)
    med = statistics.median(times)
    q = statistics.quantiles(times, n=4)
    print(
        f"scenario        {args.scenario} ({sc.steps} steps, {len(sc.actors)} actors)"
    )
    print(f"runs            {args.repeats}")
    iqr = f"IQR {q[0] * 1e3:.1f}-{q[2] * 1e3:.1f} ms"
    print(f"median run      {med * 1e3:.1f} ms  ({iqr})")
    print(f"median build    {statistics.median(build) * 1e3:.1f} ms")
    print(f"per step        {med / sc.steps * 1e3:.3f} ms")
    print(f"steps/second    {sc.steps / med:,.0f}")


if __name__ == "__main__":
    main()
