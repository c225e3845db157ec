"""What a sweep of many points pays in its parent, before and around its runs.

    python bench/sweep_bench.py --points-only [--points 10000]
    python bench/sweep_points.py [--points 10000]

Measures, in this process and in CPU seconds (which a busy machine inflates
less than wall time), the parts of ``sweep(..., design="sobol")`` that are
not the model: the design (scipy's sampler, the values scaled), the swept
paths checked against the schema, every point's scenario built and
validated (as a sweep does, by the sections a point changes; and, for
comparison, each point's whole scenario, as sweeps did before: timed on
a few hundred points and extrapolated), the plan's runs and seeds, the
sweep's digest of its plan, the tasks sent to the workers (pickled here,
unpickled there), the points the tasks do not carry rebuilt from the base
(in the workers, where that costs less than unpickling them), the results
gathered from the runs' outcomes (stand-ins with the default metrics'
columns) and the results table.

The design sweeps two parameters and two numbers of two actors (a ``set``
event of the 2016 scenario changes one actor's troops), so the points
exercise both kinds of section a sweep changes.
"""

from __future__ import annotations

import argparse
import pickle
import time
from collections.abc import Callable
from typing import Any

from sim.experiments.sweep.design import check_paths, design_points, point_scenario
from sim.experiments.sweep.dispatch import task_maker
from sim.experiments.sweep.plan import Plan, make_plan, run_specs
from sim.experiments.sweep.pool import chunks
from sim.experiments.sweep.runner import Outcome, Task, plan_key, resolve_metrics
from sim.experiments.sweep.table import Collector
from sim.scenario.loader import geography_of, load_scenario, resolved_dict
from sim.scenario.variations import Variations

RANGES = {
    "parameters.eta": (0.025, 0.08),
    "parameters.kappa": (0.5, 1.0),
    "actors.us_nato.troops": (6000.0, 12000.0),
    "actors.russia.resources": (0.0, 50.0),
}
TARGET_POINT_MS = 0.3
#: Points validated whole (as a sweep did before it validated the changed
#: sections alone), to extrapolate from: a few thousand would take minutes.
WHOLE_POINTS = 300


def _cpu(fn: Callable[[], Any]) -> tuple[float, Any]:
    """(CPU seconds, result) of ``fn()``."""
    t0 = time.process_time()
    out = fn()
    return time.process_time() - t0, out


def _tasks(plan: Plan, metrics: list) -> list[Task]:
    """The tasks a 2-worker sweep sends, made as the sweep makes them."""
    task = task_maker(plan, tuple(metrics), (), (), plan_key(plan.base, plan.points))
    return [task(chunk) for chunk in chunks(plan.runs, 2, None)]


def _rebuilt(tasks: list[Task]) -> int:
    """Build the points the tasks do not carry, as the workers do; how many."""
    base = tasks[0].base  # sent pickled: read once per worker
    base = pickle.loads(base) if isinstance(base, bytes) else base
    variations, done = Variations(base), 0
    for task in tasks:
        carried = {p for p, _ in task.built}
        for _, _, point, overrides, _ in task.runs:
            if point not in carried:
                point_scenario(base, overrides, point, variations)
                done += 1
    return done


def _collect(plan: Plan, columns: list[str]) -> float:
    """CPU seconds to gather every run's outcome and build the results table."""
    outcomes = [
        Outcome(r.index, r.run_id, {c: float(r.index % 7) for c in columns})
        for r in plan.runs
    ]
    t0 = time.process_time()
    collect = Collector(plan, None, None)
    for batch in chunks(outcomes, 2, None):
        collect(batch)
    collect.results()
    return time.process_time() - t0


def measure(scenario: str, points: int) -> dict[str, float]:
    """CPU seconds of each part of a ``points``-point Sobol' sweep's parent."""
    sc = load_scenario(scenario)
    base = resolved_dict(sc)
    parts: dict[str, float] = {}
    design_points("sobol", None, RANGES, 2, 0)  # scipy imported once, not timed
    parts["design"], (_, paths, pts, _, _) = _cpu(
        lambda: design_points("sobol", None, RANGES, points, 0)
    )
    parts["paths checked"], _ = _cpu(
        lambda: check_paths(paths, list(base["actors"]), geography_of(base))
    )
    few = pts[: min(points, WHOLE_POINTS)]
    whole, _ = _cpu(lambda: [point_scenario(base, pt, i) for i, pt in enumerate(few)])
    parts["points validated whole"] = whole / len(few) * points  # extrapolated
    variations = Variations(base)
    parts["points validated"], _ = _cpu(
        lambda: [point_scenario(base, pt, i, variations) for i, pt in enumerate(pts)]
    )
    parts["runs and seeds"], _ = _cpu(lambda: run_specs(points, 1, 0, True))
    parts["make_plan (all above)"], plan = _cpu(
        lambda: make_plan(sc, design="sobol", ranges=RANGES, samples=points)
    )
    parts["plan digest"], _ = _cpu(lambda: plan_key(plan.base, plan.points))
    keys = list(sc.actors)
    metrics = resolve_metrics(None, keys, keys)
    parts["tasks built"], tasks = _cpu(lambda: _tasks(plan, metrics))
    parts["tasks pickled"], blobs = _cpu(lambda: [pickle.dumps(t) for t in tasks])
    parts["tasks unpickled"], got = _cpu(lambda: [pickle.loads(b) for b in blobs])
    parts["points rebuilt"], _ = _cpu(lambda: _rebuilt(got))
    columns = [m.name for m in metrics]
    parts["results gathered"] = _collect(plan, columns)
    parts["bytes sent"] = float(sum(map(len, blobs)))
    parts["tasks"] = float(len(tasks))
    return parts


def report(parts: dict[str, float], points: int) -> None:
    """Print each part, per point and for the whole sweep, against the target."""
    print(f"{points} points of a Sobol' design over {', '.join(RANGES)}")
    print(f"{'part':24s} {'total s':>9s} {'per point':>12s}")
    for name, secs in parts.items():
        if name in ("bytes sent", "tasks"):
            continue
        print(f"{name:24s} {secs:9.2f} {secs / points * 1e3:9.3f} ms")
    print(
        "(points validated whole: each point's whole scenario checked, as "
        f"before, timed on {min(points, WHOLE_POINTS)} points and extrapolated)"
    )
    per = parts["points validated"] / points * 1e3
    met = "met" if per <= TARGET_POINT_MS else "NOT met"
    print(
        f"a point validated: {per:.3f} ms (target <= {TARGET_POINT_MS} ms: {met}); "
        f"{parts['tasks']:.0f} tasks, {parts['bytes sent'] / 1e6:.1f} MB sent to "
        "the workers"
    )


def main(argv: list[str] | None = None) -> None:
    """Measure and report a many-point sweep's parent costs."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--scenario", default="scenarios/2016.yaml")
    ap.add_argument("--points", type=int, default=10_000)
    args = ap.parse_args(argv)
    report(measure(args.scenario, args.points), args.points)


if __name__ == "__main__":
    main()
