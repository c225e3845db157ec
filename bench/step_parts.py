"""Where a step goes: CPU time and calls per step of each sub-model.

    python bench/step_parts.py [--runs 10] [--scenario 2016]

Runs the scenario ``--runs`` times (seeds 1, 2, ...) and prints, for each
sub-model of :meth:`sim.core.model.GreatGame.step`, its CPU time per step
(``time.process_time``, so other processes on a busy machine count less
than in wall time) and, from one more run, its calls per step: Python and
C-level calls (numpy functions, methods, builtins) as the profiler hook
sees them. A sub-model called from another (the supply nearness, from
movement) is counted on its own, not in its caller. Compare two trees by
running this in each, back to back, a few times, and reading the medians.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from contextlib import contextmanager

from sim.core import incidents
from sim.core.model import GreatGame
from sim.scenario.catalog import find_scenario
from sim.scenario.loader import load_scenario

PARTS = (
    "_timeline",
    "_relations",
    "_aid",
    "incidents",
    "_recruit_and_defect",
    "_move",
    "_supply_nearness",
    "_combat",
    "_upkeep",
    "_control",
    "_record",
)


@contextmanager
def timed_parts(model: GreatGame, enter, leave):
    """Call ``enter(name)`` and ``leave(name)`` around each sub-model of ``model``.

    The model's methods are wrapped on the instance; the incidents step,
    a module function, is wrapped for the duration and put back after.
    """

    def wrap(name, fn):
        def part(*args):
            enter(name)
            try:
                return fn(*args)
            finally:
                leave(name)

        return part

    for name in PARTS:
        if name != "incidents":
            setattr(model, name, wrap(name, getattr(model, name)))
    real = incidents.step
    incidents.step = wrap("incidents", real)
    try:
        yield
    finally:
        incidents.step = real


def cpu_per_step(sc, runs: int) -> dict[str, float]:
    """Seconds of CPU per step of each sub-model, over ``runs`` seeded runs."""
    spent: Counter = Counter()
    stack: list[float] = []
    steps = 0
    for seed in range(1, runs + 1):
        model = GreatGame(sc, seed=seed)

        def enter(name):
            stack.append(time.process_time())

        def leave(name):
            took = time.process_time() - stack.pop()
            spent[name] += took
            if stack:  # a nested part: not its caller's time
                stack[-1] += took

        with timed_parts(model, enter, leave):
            model.run()
        steps += model.step_index
    return {name: spent[name] / steps for name in PARTS}


def calls_per_step(sc) -> tuple[dict[str, float], float]:
    """Calls per step of each sub-model, and of the whole step, in one run."""
    counts: Counter = Counter()
    current = ["other"]
    model = GreatGame(sc, seed=1)

    def hook(frame, event, arg):
        if event in ("call", "c_call"):
            counts[current[-1]] += 1

    def enter(name):
        current.append(name)

    def leave(name):
        current.pop()

    with timed_parts(model, enter, leave):
        sys.setprofile(hook)
        try:
            model.run()
        finally:
            sys.setprofile(None)
    steps = model.step_index
    per_part = {name: counts[name] / steps for name in PARTS}
    return per_part, sum(counts.values()) / steps


def main() -> None:
    """Print each sub-model's CPU time and calls per step."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--scenario", default="2016")
    ap.add_argument("--runs", type=int, default=10)
    args = ap.parse_args()
    sc = load_scenario(find_scenario(args.scenario))
    GreatGame(sc, seed=0).run()  # warm caches and lazy imports
    cpu = cpu_per_step(sc, args.runs)
    calls, total = calls_per_step(sc)
    print(f"scenario {args.scenario}, {args.runs} runs")
    print(f"{'sub-model':22s} {'CPU ms/step':>12s} {'calls/step':>11s}")
    for name in PARTS:
        print(f"{name:22s} {cpu[name] * 1e3:12.3f} {calls[name]:11.1f}")
    print(f"{'sum of parts':22s} {sum(cpu.values()) * 1e3:12.3f}")
    print(f"{'whole step':22s} {'':12s} {total:11.1f}")


if __name__ == "__main__":
    main()
