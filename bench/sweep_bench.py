"""Sweep throughput: runs per second on 1 and 2 workers, and 10,000 runs on 2.

    python bench/sweep_bench.py [--runs 200] [--quick] [--scenario scenarios/2016.yaml]
    python bench/sweep_bench.py --points-only [--points 10000]

Measures, on the full 2016 scenario (104 weekly steps):

- a run's cost split in this process, over the first seeds of the sweep
  (means of CPU time, which a busy machine inflates less than wall time):
  building the model afresh and as a sweep's worker
  builds it (reusing what the seed does not change,
  :func:`sim.core.build.reusing`), stepping it (the model proper), and
  measuring the finished run's metrics; the model step is the ceiling: a
  sweep cannot run faster than one step per run on each worker;
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
- the sweep's own cost per run on 1 worker (metrics, collecting, writing
  rows), measured on 1-step runs of the same seeds where it is not lost in
  the model's spread over seeds, and the parent's CPU per run on 2 workers;
- validating a point of a design (its overrides applied, the sections it
  changes checked), paid in this process before the first run, once per
  point: a sweep of many points (Sobol, LHS) pays it as many times as it has
  points; ``--points-only`` measures that and every other cost a sweep of
  ``--points`` points pays in its parent, part by part (``sweep_points.py``);
- 1,000 runs on 2 workers, measured (or, with ``--quick``, extrapolated), and
  10,000 runs extrapolated on 1 worker (the 1-worker cost of a run times the
  runs) and on 2 (the cold start-up once, plus the 2-worker cost of a run
  times the runs), next to the ceiling: 10,000 model steps shared by 2
  workers, nothing else paid.

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

import sweep_points

from sim.core.build import BuildCache, reusing
from sim.core.model import GreatGame
from sim.experiments.sweep import run_seed, sweep
from sim.experiments.sweep.design import point_scenario
from sim.experiments.sweep.runner import measure, resolve_metrics
from sim.scenario.loader import load_scenario, resolved_dict
from sim.scenario.variations import Variations

TARGET_10000_S, TARGET_SPEEDUP = 120.0, 1.8


@dataclass
class Timings:
    """Wall seconds of the measured sweeps."""

    runs: int
    cold_start: float  # first 2-worker sweep of a process, two 1-step runs
    warm_start: float  # the same with the fork server running
    one: float  # --runs on 1 worker
    two: float  # --runs on 2 workers, fork server running
    two_parent_cpu: float  # CPU seconds of this process (collecting, writing) then

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
    """(Sweep CPU per run minus its runs' CPU, fixed cost of a sweep's files).

    Measured on 1-step runs of the sweep's seeds, where the overhead is not
    lost in the model's spread, against the same runs built as a sweep
    builds them (:func:`sim.core.build.reusing`); CPU time, which a busy
    machine inflates less than wall time. The fixed cost is what writing
    ``out`` adds (the sorted rewrite, Parquet when pyarrow is installed).
    """
    sc = load_scenario(path, {"steps": 1})
    seeds = [run_seed(0, k) for k in range(runs)]
    with tempfile.TemporaryDirectory() as tmp:  # one-time imports (pyarrow...)
        timed_sweep(sc, 1, 1, Path(tmp) / "warm")
    clock, cache = time.process_time, BuildCache(sc)
    t0 = clock()
    for seed in seeds:
        with reusing(cache):
            model = GreatGame(sc, seed=seed)
        model.run()
    runs_cpu = clock() - t0
    t0 = clock()
    sweep(sc, replicates=runs, progress=False)
    bare = clock() - t0
    t0 = clock()
    with tempfile.TemporaryDirectory() as tmp:
        sweep(sc, replicates=runs, out=Path(tmp) / "o", progress=False)
    return (bare - runs_cpu) / runs, clock() - t0 - bare


@dataclass
class Split:
    """Mean CPU seconds of the parts of one run, in this process."""

    runs: int
    fresh_build: float  # GreatGame(scenario, seed) as a single run builds it
    build: float  # the same within reusing(), as a sweep's worker builds it
    step: float  # .run(): the model proper
    measure: float  # the sweep's default metrics of the finished run


def run_split(sc, runs: int) -> Split:
    """Time a run's parts over the sweep's first seeds (at most 20 of them).

    Fresh and reused builds alternate seed by seed, so that a busy machine
    slows both alike.
    """
    keys = list(sc.actors)
    metrics = resolve_metrics(None, keys, keys)
    cache = BuildCache(sc)
    with reusing(cache):
        GreatGame(sc, seed=run_seed(0, 0))  # the cache filled, as by a first run
    parts: dict[str, list[float]] = {"fresh": [], "build": [], "step": [], "m": []}
    clock = time.process_time
    for k in range(min(runs, 20)):
        seed = run_seed(0, k)
        t0 = clock()
        GreatGame(sc, seed=seed)
        t1 = clock()
        with reusing(cache):
            model = GreatGame(sc, seed=seed)
        t2 = clock()
        model.run()
        t3 = clock()
        measure(model, metrics)
        t4 = clock()
        for key, took in zip(parts, (t1 - t0, t2 - t1, t3 - t2, t4 - t3), strict=True):
            parts[key].append(took)
    mean = {key: statistics.mean(v) for key, v in parts.items()}
    return Split(
        len(parts["step"]), mean["fresh"], mean["build"], mean["step"], mean["m"]
    )


def worker_times(path: str, sc, runs: int) -> Timings:
    """The pool's cold and warm start-up, then ``runs`` on 1 and on 2 workers."""
    tiny = load_scenario(path, {"steps": 1})
    with tempfile.TemporaryDirectory() as tmp:
        cold = timed_sweep(tiny, 2, 2, Path(tmp) / "cold")
        warm = statistics.median(
            timed_sweep(tiny, 2, 2, Path(tmp) / f"warm{i}") for i in range(3)
        )
        one = timed_sweep(sc, runs, 1, Path(tmp) / "w1")
        cpu = time.process_time()
        two = timed_sweep(sc, runs, 2, Path(tmp) / "w2")
        two_parent_cpu = time.process_time() - cpu
    return Timings(runs, cold, warm, one, two, two_parent_cpu)


def thousand_runs(sc, t: Timings, quick: bool) -> tuple[float, str]:
    """(Seconds for 1,000 runs on 2 workers in a fresh process, how known)."""
    if quick:
        return t.projected(1000), "extrapolated"
    with tempfile.TemporaryDirectory() as tmp:
        wall = timed_sweep(sc, 1000, 2, Path(tmp) / "k")
    return wall - t.warm_start + t.cold_start, "measured (+ cold start-up)"


def _met(ok: bool) -> str:
    return "met" if ok else "NOT met"


def point_validation(sc, points: int = 200) -> float:
    """Mean CPU seconds to apply and check one point of a design, in this process.

    As a sweep checks its points: the base validated once, then the section
    each point changes (:class:`sim.scenario.variations.Variations`).
    """
    base = resolved_dict(sc)
    eta, variations = sc.parameters.eta, Variations(base)
    point_scenario(base, {"parameters.eta": eta}, 0, variations)  # the base checked
    t0 = time.process_time()
    for k in range(points):
        point_scenario(base, {"parameters.eta": eta * (1 + k / 1000)}, k, variations)
    return (time.process_time() - t0) / points


def _ms(seconds: float) -> str:
    return f"{seconds * 1e3:7.1f} ms"


def print_split(split: Split, t: Timings, overhead: float, fixed: float) -> None:
    """A run's cost, part by part: what the model step leaves to cut.

    The sweep's own cost is measured on 1-step runs (:func:`sweep_overhead`),
    not as a difference from a full run, which the model's spread over
    seeds and a busy machine's swings would swamp.
    """
    run = split.build + split.step + overhead  # the overhead holds the metrics
    print(f"a run, by part     (CPU, means of {split.runs} seeds, in this process)")
    print(
        f"  build            {_ms(split.build)} as a worker builds it "
        f"(afresh: {split.fresh_build * 1e3:.1f} ms)"
    )
    print(
        f"  model step       {_ms(split.step)} "
        f"({split.step / run:.0%} of a run in a sweep: the ceiling)"
    )
    print(f"  metrics          {_ms(split.measure)}")
    print(
        f"  the sweep's own  {_ms(overhead)} on 1 worker, metrics included "
        f"(measured on 1-step runs), plus {max(fixed, 0.0):.2f} s per sweep for "
        "the files in out"
    )
    print(
        f"  on 2 workers     {_ms(t.two_parent_cpu / t.runs)} of the parent's CPU "
        f"per run (dispatching, collecting, writing; the {t.runs}-run sweep's "
        "start and files included)"
    )


def report(args, sc, split: Split, t: Timings, thousand, how) -> None:
    """Print the measurements against the targets."""
    overhead, fixed = sweep_overhead(args.scenario, args.runs)
    steady = t.per_run_one / t.per_run_two
    fresh = t.one / (t.two - t.warm_start + t.cold_start)
    print(
        f"scenario           {args.scenario} "
        f"({sc.steps} steps, {len(sc.actors)} actors)"
    )
    print(f"load average       {args.load}")
    print_split(split, t, overhead, fixed)
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
    check = point_validation(sc)
    print(
        f"a design's point   {_ms(check)} CPU to validate, in this process before "
        f"the first run: {10_000 * check:.0f} s for 10,000 points"
    )
    print(f"1,000 runs, 2 w.   {thousand:7.1f} s {how}")
    print_ten_thousand(split, t)


def print_ten_thousand(split: Split, t: Timings) -> None:
    """10,000 runs on 1 and 2 workers, extrapolated, and the model's ceiling."""
    one, two = 10_000 * t.per_run_one, t.projected(10_000)
    print(
        f"10,000 runs, 1 w.  {one:7.1f} s extrapolated: "
        f"10,000 x {t.per_run_one * 1e3:.0f} ms"
    )
    print(
        f"10,000 runs, 2 w.  {two:7.1f} s extrapolated: cold start-up once + "
        f"10,000 x {t.per_run_two * 1e3:.0f} ms   "
        f"(target <= {TARGET_10000_S:.0f} s: {_met(two <= TARGET_10000_S)})"
    )
    print(
        f"ceiling, 2 w.      {10_000 * split.step / 2:7.1f} s: 10,000 model steps "
        f"on 2 workers, nothing else paid (the target needs a step of at most "
        f"{2 * TARGET_10000_S / 10_000 * 1e3:.0f} ms)"
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
    ap.add_argument(
        "--points-only",
        action="store_true",
        help="only what a sweep of --points design points pays in its parent",
    )
    ap.add_argument("--points", type=int, default=10_000)
    args = ap.parse_args()
    if args.points_only:
        sweep_points.report(
            sweep_points.measure(args.scenario, args.points), args.points
        )
        return
    load_before = _load()
    sc = load_scenario(args.scenario)
    GreatGame(sc, seed=0).run()  # warm caches and lazy imports
    split = run_split(sc, args.runs)
    timings = worker_times(args.scenario, sc, args.runs)
    thousand, how = thousand_runs(sc, timings, args.quick)
    args.load = f"{load_before} at the start, {_load()} at the end"
    report(args, sc, split, timings, thousand, how)


if __name__ == "__main__":
    main()
