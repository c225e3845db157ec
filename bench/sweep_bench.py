"""Sweep throughput: runs per second on 1 and 2 workers, and 10,000 runs on 2.

    python bench/sweep_bench.py [--runs 200] [--quick] [--scenario scenarios/2016.yaml]

Measures, on the full 2016 scenario (104 weekly steps):

- the model alone: mean wall time of ``GreatGame(scenario, seed).run()`` in
  this process, over the first seeds of the sweep;
- ``sweep(...)`` of ``--runs`` replicates on 1 worker (in-process) and on 2
  worker processes, with results written to a temporary directory as a user's
  sweep would: runs per second, and the speed-up from 1 to 2 workers;
- the sweep's own cost per run on 1 worker (validation, metrics, writing
  rows), measured on 1-step runs of the same seeds where it is not lost in
  the model's spread over seeds;
- 1,000 runs on 2 workers, measured (or, with ``--quick``, extrapolated
  from the 2-worker sweep above), and 10,000 runs extrapolated from it (the
  fixed cost of a sweep once, the cost per run ten times).

Workers run BLAS and OpenMP on one thread each and build each point's
scenario once. Targets on the 2-core machine: 10,000 runs in at most 120 s,
speed-up at least 1.8x from 1 to 2 workers. On a machine shared with other
work both figures fall; quote the load with them.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from sim.core.model import GreatGame
from sim.experiments.sweep import run_seed, sweep
from sim.scenario.loader import load_scenario

TARGET_10000_S, TARGET_SPEEDUP = 120.0, 1.8


def timed_sweep(scenario, runs: int, workers: int, out: Path) -> float:
    t0 = time.perf_counter()
    sweep(scenario, replicates=runs, workers=workers, out=out, progress=False)
    return time.perf_counter() - t0


def sweep_overhead(path: str, runs: int) -> tuple[float, float]:
    """(Sweep time per run minus model time, fixed cost of a sweep's files).

    Measured on 1-step runs of the sweep's seeds, where the overhead is not
    lost in the model's spread; the fixed cost is what writing ``out`` adds
    (the sorted rewrite, Parquet when pyarrow is installed).
    """
    sc = load_scenario(path, {"steps": 1})
    seeds = [run_seed(0, k) for k in range(runs)]
    with tempfile.TemporaryDirectory() as tmp:  # one-time imports (pyarrow...)
        timed_sweep(sc, 1, 1, Path(tmp) / "warm")
    t0 = time.perf_counter()
    for seed in seeds:
        GreatGame(sc, seed=seed).run()
    model = time.perf_counter() - t0
    t0 = time.perf_counter()
    sweep(sc, replicates=runs, progress=False)
    bare = time.perf_counter() - t0
    with tempfile.TemporaryDirectory() as tmp:
        wall = timed_sweep(sc, runs, 1, Path(tmp) / "o")
    return (bare - model) / runs, wall - bare


def model_time(sc, runs: int) -> tuple[float, int]:
    """(Mean wall time of one model run in this process, runs timed)."""
    model = []
    for k in range(min(runs, 20)):
        t0 = time.perf_counter()
        GreatGame(sc, seed=run_seed(0, k)).run()
        model.append(time.perf_counter() - t0)
    return statistics.mean(model), len(model)


def worker_times(sc, runs: int, quick: bool) -> tuple[float, float, float, str]:
    """(1-worker s, 2-worker s, 1,000 runs on 2 workers s, measured or not).

    Extrapolated, 1,000 runs cost the 2-worker sweep's fixed part (what it
    took beyond half the 1-worker time) plus 1,000 runs at the 1-worker
    rate shared by two.
    """
    with tempfile.TemporaryDirectory() as tmp:
        one = timed_sweep(sc, runs, 1, Path(tmp) / "w1")
        two = timed_sweep(sc, runs, 2, Path(tmp) / "w2")
        if quick:  # fixed costs of the 2-worker sweep + 1,000 runs' share
            thousand = (two - one / 2) + 1000 * one / runs / 2
            return one, two, thousand, "extrapolated"
        return one, two, timed_sweep(sc, 1000, 2, Path(tmp) / "k"), "measured"


def report(args, sc, per_model, n_model, one, two, thousand, how) -> None:
    """Print the measurements against the targets."""
    speedup = one / two
    overhead, fixed = sweep_overhead(args.scenario, args.runs)
    beyond_ideal = two - one / 2
    print(
        f"scenario           {args.scenario} "
        f"({sc.steps} steps, {len(sc.actors)} actors)"
    )
    print(f"model alone        {per_model * 1e3:7.1f} ms per run (mean of {n_model})")
    print(
        f"1 worker           {args.runs / one:7.2f} runs/s "
        f"({one:.1f} s for {args.runs} runs)"
    )
    print(
        f"2 workers          {args.runs / two:7.2f} runs/s "
        f"({two:.1f} s for {args.runs} runs)"
    )
    print(
        f"speed-up 1->2      {speedup:7.2f} x   (target >= {TARGET_SPEEDUP}: "
        f"{'met' if speedup >= TARGET_SPEEDUP else 'NOT met'})"
    )
    print(
        f"sweep overhead     {overhead * 1e3:7.2f} ms per run on 1 worker "
        f"({overhead / per_model:.1%} of a full run's model time), plus "
        f"{max(fixed, 0.0):.2f} s per sweep for the files in out"
    )
    print(
        f"2 workers vs ideal {beyond_ideal:+7.2f} s   (pool start-up, the last "
        "chunks, and the model's spread over seeds)"
    )
    print(f"1,000 runs, 2 w.   {thousand:7.1f} s {how}")
    fixed_two = max(two - one / 2, 0.0)
    ten = fixed_two + 10 * (thousand - fixed_two)
    print(
        f"10,000 runs, 2 w.  {ten:7.1f} s extrapolated from 1,000   "
        f"(target <= {TARGET_10000_S:.0f} s: "
        f"{'met' if ten <= TARGET_10000_S else 'NOT met'})"
    )


def main() -> None:
    """Measure and report sweep throughput on the scenario given."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--scenario", default="scenarios/2016.yaml")
    ap.add_argument("--runs", type=int, default=200, help="runs per measured sweep")
    ap.add_argument(
        "--quick", action="store_true", help="extrapolate 1,000 runs instead"
    )
    args = ap.parse_args()
    sc = load_scenario(args.scenario)
    GreatGame(sc, seed=0).run()  # warm caches and lazy imports
    per_model, n_model = model_time(sc, args.runs)
    one, two, thousand, how = worker_times(sc, args.runs, args.quick)
    report(args, sc, per_model, n_model, one, two, thousand, how)


if __name__ == "__main__":
    main()
