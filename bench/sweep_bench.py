"""Sweep throughput: runs per second on 1 and 2 workers, and 10,000 runs on 2.

    python bench/sweep_bench.py [--runs 200] [--quick] [--scenario scenarios/2016.yaml]

Measures, on the full 2016 scenario (104 weekly steps):

- the model alone: mean wall time of ``GreatGame(scenario, seed).run()`` in
  this process, over the first seeds of the sweep;
- the start-up of the 2-worker pool, measured apart on sweeps of two
  one-step runs: cold (the first sweep of a process also starts the fork
  server, which imports the model once for all its workers) and warm (the
  fork server is running: each sweep forks its workers, which validate the
  scenario);
- ``sweep(...)`` of ``--runs`` replicates on 1 worker (in-process) and on 2
  worker processes, with results written to a temporary directory as a user's
  sweep would: runs per second, and the cost of a run on each, the pool's
  warm start-up taken out of the 2-worker sweep;
- the speed-up from 1 to 2 workers: per run (what a long sweep gets), and for
  the ``--runs`` sweep as a fresh process runs it (cold start-up included);
- the sweep's own cost per run on 1 worker (validation, metrics, writing
  rows), measured on 1-step runs of the same seeds where it is not lost in
  the model's spread over seeds;
- 1,000 runs on 2 workers, measured (or, with ``--quick``, extrapolated), and
  10,000 runs extrapolated: the cold start-up once, plus the 2-worker cost
  of a run times the number of runs.

Workers run BLAS and OpenMP on one thread each and build each point's
scenario once. Targets on the 2-core machine: 10,000 runs in at most 120 s,
speed-up at least 1.8x from 1 to 2 workers. On a machine shared with other
work every figure falls; the load average is printed with them.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from sim.core.model import GreatGame
from sim.experiments.sweep import run_seed, sweep
from sim.scenario.loader import load_scenario

TARGET_10000_S, TARGET_SPEEDUP = 120.0, 1.8


@dataclass
class Timings:
    """Wall seconds of the measured sweeps."""

    runs: int
    cold_start: float  # first 2-worker sweep of a process, two 1-step runs
    warm_start: float  # the same with the fork server running
    one: float  # --runs on 1 worker
    two: float  # --runs on 2 workers, fork server running

    @property
    def per_run_one(self) -> float:
        """Seconds a run costs on 1 worker."""
        return self.one / self.runs

    @property
    def per_run_two(self) -> float:
        """Seconds a run costs on 2 workers, the pool's start-up taken out."""
        return max(self.two - self.warm_start, 1e-9) / self.runs

    def projected(self, runs: int) -> float:
        """Seconds for ``runs`` runs on 2 workers in a fresh process."""
        return self.cold_start + runs * self.per_run_two


def timed_sweep(scenario, runs: int, workers: int, out: Path) -> float:
    """Wall seconds of one sweep of ``runs`` replicates written to ``out``."""
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


def worker_times(path: str, sc, runs: int) -> Timings:
    """The pool's cold and warm start-up, then ``runs`` on 1 and on 2 workers."""
    tiny = load_scenario(path, {"steps": 1})
    with tempfile.TemporaryDirectory() as tmp:
        cold = timed_sweep(tiny, 2, 2, Path(tmp) / "cold")
        warm = statistics.median(
            timed_sweep(tiny, 2, 2, Path(tmp) / f"warm{i}") for i in range(3)
        )
        one = timed_sweep(sc, runs, 1, Path(tmp) / "w1")
        two = timed_sweep(sc, runs, 2, Path(tmp) / "w2")
    return Timings(runs, cold, warm, one, two)


def thousand_runs(sc, t: Timings, quick: bool) -> tuple[float, str]:
    """(Seconds for 1,000 runs on 2 workers in a fresh process, how known)."""
    if quick:
        return t.projected(1000), "extrapolated"
    with tempfile.TemporaryDirectory() as tmp:
        wall = timed_sweep(sc, 1000, 2, Path(tmp) / "k")
    return wall - t.warm_start + t.cold_start, "measured (+ cold start-up)"


def _met(ok: bool) -> str:
    return "met" if ok else "NOT met"


def report(args, sc, per_model, n_model, t: Timings, thousand, how) -> None:
    """Print the measurements against the targets."""
    overhead, fixed = sweep_overhead(args.scenario, args.runs)
    steady = t.per_run_one / t.per_run_two
    fresh = t.one / (t.two - t.warm_start + t.cold_start)
    print(
        f"scenario           {args.scenario} "
        f"({sc.steps} steps, {len(sc.actors)} actors)"
    )
    print(f"load average       {args.load}")
    print(f"model alone        {per_model * 1e3:7.1f} ms per run (mean of {n_model})")
    print(
        f"pool start-up      {t.cold_start:7.2f} s cold (first sweep of a process: "
        f"fork server), {t.warm_start:.2f} s warm"
    )
    print(
        f"1 worker           {args.runs / t.one:7.2f} runs/s "
        f"({t.one:.1f} s for {args.runs} runs, {t.per_run_one * 1e3:.0f} ms a run)"
    )
    print(
        f"2 workers          {args.runs / t.two:7.2f} runs/s "
        f"({t.two:.1f} s for {args.runs} runs, {t.per_run_two * 1e3:.0f} ms a run "
        "after start-up)"
    )
    print(
        f"speed-up 1->2      {steady:7.2f} x per run   (target >= {TARGET_SPEEDUP}: "
        f"{_met(steady >= TARGET_SPEEDUP)}); {fresh:.2f} x for {args.runs} runs "
        "in a fresh process"
    )
    print(
        f"sweep overhead     {overhead * 1e3:7.2f} ms per run on 1 worker "
        f"({overhead / per_model:.1%} of a full run's model time), plus "
        f"{max(fixed, 0.0):.2f} s per sweep for the files in out"
    )
    print(f"1,000 runs, 2 w.   {thousand:7.1f} s {how}")
    ten = t.projected(10_000)
    print(
        f"10,000 runs, 2 w.  {ten:7.1f} s extrapolated: cold start-up once + "
        f"10,000 x {t.per_run_two * 1e3:.0f} ms   "
        f"(target <= {TARGET_10000_S:.0f} s: {_met(ten <= TARGET_10000_S)})"
    )


def _load() -> str:
    """The 1, 5 and 15-minute load averages, as ``uptime`` shows them."""
    return ", ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    """Measure and report sweep throughput on the scenario given."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--scenario", default="scenarios/2016.yaml")
    ap.add_argument("--runs", type=int, default=200, help="runs per measured sweep")
    ap.add_argument(
        "--quick", action="store_true", help="extrapolate 1,000 runs instead"
    )
    args = ap.parse_args()
    load_before = _load()
    sc = load_scenario(args.scenario)
    GreatGame(sc, seed=0).run()  # warm caches and lazy imports
    per_model, n_model = model_time(sc, args.runs)
    timings = worker_times(args.scenario, sc, args.runs)
    thousand, how = thousand_runs(sc, timings, args.quick)
    args.load = f"{load_before} at the start, {_load()} at the end"
    report(args, sc, per_model, n_model, timings, thousand, how)


if __name__ == "__main__":
    main()
