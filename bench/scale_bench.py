"""Time per step and peak memory on synthetic maps of growing size.

    python bench/scale_bench.py [--kind planar] [--provinces 100 1000 10000]
                                [--actors 5 10 20 30] [--steps 6] [--seed 1]
                                [--repeats 1] [--blas-threads N]

Each configuration runs in its own process (so peak memory is its own): a
scenario from :func:`sim.world.synthetic.synthetic_scenario` is built, stepped once
to warm up, then ``--steps`` more times. Prints, per configuration, the map's
edges, model build time, the median and the slowest time per step, the
median CPU time per step (of all the process's threads), the time per
province × actor, and the process's peak resident memory. Target on the
2-core machine: a 10,000-province, 20-actor step under 1 s, and cost per step
growing no faster than provinces × actors.

On a shared machine one measurement of a configuration can be several times
another of the same: ``--repeats R`` measures every configuration R times,
in turn (each round runs them all), and the growth exponents are fitted to
each configuration's median, of wall time and of CPU time. The BLAS
library's threads busy-wait on a busy machine, which inflates the time of
the larger matrix products unevenly (by up to hundreds of milliseconds on a
loaded 2-core machine); ``--blas-threads 1`` runs each configuration with one
(as the sweeps' workers do). By default the library chooses, as in a plain run.
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
    times, cpu = [], []
    for _ in range(steps):
        t, c = time.perf_counter(), time.process_time()
        model.step()
        times.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "provinces": provinces,
        "actors": actors,
        "edges": model.geo.province_graph().number_of_edges(),
        "build_s": build,
        "median_s": statistics.median(times),
        "max_s": max(times),
        "cpu_s": statistics.median(cpu),
        "flows": sum(1 for f in model.history.flows if f.step == model.step_index),
        "peak_mb": peak_kb / 1024,
    }


def main() -> None:
    """Measure every configuration (``--repeats`` rounds) and print the growth."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--kind", choices=["grid", "planar"], default="planar")
    ap.add_argument("--provinces", type=int, nargs="+", default=[100, 1000, 10000])
    ap.add_argument("--actors", type=int, nargs="+", default=[5, 10, 20, 30])
    ap.add_argument("--steps", type=int, default=6)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--repeats", type=int, default=1)
    ap.add_argument("--blas-threads", type=int, default=None)
    ap.add_argument("--one", help=argparse.SUPPRESS)  # internal: a child process
    args = ap.parse_args()
    if args.one:
        print(json.dumps(measure(*json.loads(args.one))))
        return

    threads = args.blas_threads or "the library's default"
    print(
        f"synthetic {args.kind} maps, {args.steps} timed steps after one warm-up, "
        f"{args.repeats} round(s), BLAS threads: {threads}"
    )
    head = (
        f"{'provinces':>9} {'edges':>6} {'actors':>6} {'build s':>8} "
        f"{'ms/step':>8} {'max ms':>7} {'CPU ms':>7} {'µs/(P×N)':>9} "
        f"{'flows':>5} {'peak MB':>8}"
    )
    print(head)
    print("-" * len(head))
    wall: dict = {}
    cpu: dict = {}
    for _ in range(args.repeats):
        for p in args.provinces:
            for n in args.actors:
                r = _child(args, p, n)
                wall.setdefault((p, n), []).append(r["median_s"])
                cpu.setdefault((p, n), []).append(r["cpu_s"])
                _row(p, n, r)
    if args.repeats > 1:
        print(f"medians of {args.repeats} rounds (ms/step, wall / CPU):")
        for (p, n), times in wall.items():
            w, c = _median(times), _median(cpu[p, n])
            print(f"{p:>9,} provinces {n:>3} actors {w * 1e3:>8.1f} {c * 1e3:>8.1f}")
    print("wall time:")
    growth({k: _median(v) for k, v in wall.items()}, args.provinces, args.actors)
    print("CPU time:")
    growth({k: _median(v) for k, v in cpu.items()}, args.provinces, args.actors)


def _child(args: argparse.Namespace, provinces: int, actors: int) -> dict:
    """Measure one configuration in a fresh process; its figures."""
    import os

    env = dict(os.environ)
    if args.blas_threads:
        from sim.experiments.one_thread import THREAD_VARIABLES

        env.update({name: str(args.blas_threads) for name in THREAD_VARIABLES})
    spec = json.dumps([args.kind, provinces, actors, args.steps, args.seed])
    out = subprocess.run(
        [sys.executable, __file__, "--one", spec],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        env=env,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def _row(p: int, n: int, r: dict) -> None:
    """Print one measurement of one configuration."""
    per = r["median_s"] / (p * n) * 1e6
    print(
        f"{p:>9,} {r['edges']:>6,} {n:>6} {r['build_s']:>8.2f} "
        f"{r['median_s'] * 1e3:>8.1f} {r['max_s'] * 1e3:>7.1f} "
        f"{r['cpu_s'] * 1e3:>7.1f} {per:>9.2f} {r['flows']:>5} {r['peak_mb']:>8.0f}",
        flush=True,
    )


def _median(values: list[float]) -> float:
    import statistics

    return statistics.median(values)


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
