"""Time per step and peak memory on synthetic maps of growing size.

    python bench/scale_bench.py [--kind planar] [--provinces 100 1000 10000]
                                [--actors 5 10 20 30] [--steps 6] [--seed 1]

Each configuration runs in its own process (so peak memory is its own): a
scenario from :func:`sim.world.synthetic.synthetic_scenario` is built, stepped once
to warm up, then ``--steps`` more times. Prints, per configuration, the map's
edges, model build time, the median and the slowest time per step, the time
per province × actor, and the process's peak resident memory. Target on the
2-core machine: a 10,000-province, 20-actor step under 1 s, and cost per step
growing no faster than provinces × actors.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def measure(kind: str, provinces: int, actors: int, steps: int, seed: int) -> dict:
    """Build and step one model; the figures of one configuration."""
    import resource
    import statistics
    import time

    from sim.core.model import GreatGame
    from sim.scenario.loader import scenario_from_dict
    from sim.world.synthetic import synthetic_scenario

    data = synthetic_scenario(kind, provinces, actors, seed=seed, steps=steps + 1)
    sc = scenario_from_dict(data)
    t0 = time.perf_counter()
    model = GreatGame(sc)
    build = time.perf_counter() - t0
    model.step()  # warm-up: lazy imports, first caches
    times = []
    for _ in range(steps):
        t = time.perf_counter()
        model.step()
        times.append(time.perf_counter() - t)
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "provinces": provinces,
        "actors": actors,
        "edges": model.geo.province_graph().number_of_edges(),
        "build_s": build,
        "median_s": statistics.median(times),
        "max_s": max(times),
        "flows": sum(1 for f in model.history.flows if f.step == model.step_index),
        "peak_mb": peak_kb / 1024,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--kind", choices=["grid", "planar"], default="planar")
    ap.add_argument("--provinces", type=int, nargs="+", default=[100, 1000, 10000])
    ap.add_argument("--actors", type=int, nargs="+", default=[5, 10, 20, 30])
    ap.add_argument("--steps", type=int, default=6)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--one", help=argparse.SUPPRESS)  # internal: a child process
    args = ap.parse_args()
    if args.one:
        print(json.dumps(measure(*json.loads(args.one))))
        return

    print(f"synthetic {args.kind} maps, {args.steps} timed steps after one warm-up")
    head = (
        f"{'provinces':>9} {'edges':>6} {'actors':>6} {'build s':>8} "
        f"{'ms/step':>8} {'max ms':>7} {'µs/(P×N)':>9} {'flows':>5} {'peak MB':>8}"
    )
    print(head)
    print("-" * len(head))
    results = {}
    for p in args.provinces:
        for n in args.actors:
            spec = json.dumps([args.kind, p, n, args.steps, args.seed])
            out = subprocess.run(
                [sys.executable, __file__, "--one", spec],
                capture_output=True,
                text=True,
                check=True,
                cwd=ROOT,
            )
            r = json.loads(out.stdout.strip().splitlines()[-1])
            results[p, n] = r["median_s"]
            per = r["median_s"] / (p * n) * 1e6
            print(
                f"{p:>9,} {r['edges']:>6,} {n:>6} {r['build_s']:>8.2f} "
                f"{r['median_s'] * 1e3:>8.1f} {r['max_s'] * 1e3:>7.1f} "
                f"{per:>9.2f} {r['flows']:>5} {r['peak_mb']:>8.0f}",
                flush=True,
            )
    growth(results, args.provinces, args.actors)


def _slope(xs: list[float], ys: list[float]) -> float:
    """Least-squares slope of log y on log x: the exponent of a power law."""
    import numpy as np

    return float(np.polyfit(np.log(xs), np.log(ys), 1)[0])


def growth(results: dict, provinces: list[int], actors: list[int]) -> None:
    """Print how time per step grows: exponents in provinces and in actors.

    An exponent of 1 is linear growth; the target is at most 1 in provinces
    × actors.
    """
    if len(provinces) > 1:
        parts = [
            f"{n} actors {_slope(provinces, [results[p, n] for p in provinces]):.2f}"
            for n in actors
        ]
        print("growth with provinces (exponent): " + ", ".join(parts))
    if len(actors) > 1:
        parts = [
            f"{p:,} provinces {_slope(actors, [results[p, n] for n in actors]):.2f}"
            for p in provinces
        ]
        print("growth with actors (exponent):    " + ", ".join(parts))


if __name__ == "__main__":
    main()
